"""Lecture 001's comparison: the perceptron rule against backprop on a single
logistic neuron with squared error (Brady, Raghavan and Slawny 1989).

:class:`Perceptron` — a hard-threshold unit y = 1[x w + b ≥ 0] trained by the
perceptron rule.  With s_n = 2 t_n − 1 ∈ {−1, +1}, visit the examples in order
and, whenever example n is misclassified (s_n z_n ≤ 0),

    w ← w + η s_n x_n,      b ← b + η s_n.

On linearly separable data the rule stops after finitely many updates with
every example correct (Novikoff), however far away a "spoiler" lies.  Its
``loss`` is the perceptron criterion 1/N Σ_n max(0, −s_n z_n), whose gradient
step on one example is the rule itself.

:class:`LogisticLeastSquares` — "backprop using logistic function and L2
divergence": y = σ(x w + b), Div = 1/N Σ_n (y_n − d_n)² with targets
d ∈ {ε, 1 − ε} ("1 − ε is the actual achievable value").  With
``weight_bound=B`` every weight and the bias are kept in (−B, B) by the
reparameterisation w = B tanh(v), b = B tanh(c), so any unconstrained optimiser
searches exactly the bounded set.  The lecture: "For bounded w, backprop does
not find a separator" — a spoiler adds at most one bounded term to an average,
which cannot outweigh the many examples it would pull off their targets.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as _np

import ravine.numpy as np
from ravine.errors import ConfigError
from ravine.nn.activations import hard_threshold, logistic
from ravine.nn.models.base import ModelMixin, check_features, check_examples, check_positive_int

__all__ = ["Perceptron", "PerceptronResult", "LogisticLeastSquares"]


class PerceptronResult(NamedTuple):
    """Outcome of the perceptron rule: final params, epochs run, updates made,
    whether an epoch passed with no mistake, and the mistakes per epoch."""

    params: dict
    epochs: int
    updates: int
    converged: bool
    mistakes: _np.ndarray


@dataclass(frozen=True)
class Perceptron(ModelMixin):
    """A hard-threshold unit with labels t ∈ {0, 1}."""

    n_features: int
    learning_rate: float = 1.0

    def __post_init__(self):
        check_positive_int("n_features", self.n_features)
        if not (_np.isfinite(self.learning_rate) and self.learning_rate > 0):
            raise ConfigError(f"Perceptron learning_rate must be a positive number; received {self.learning_rate!r}.")

    def init(self, seed=0) -> dict:
        """w = 0, b = 0 (the rule needs no symmetry breaking)."""
        return {"w": _np.zeros(self.n_features), "b": _np.zeros(1)}

    def forward(self, params: dict, X: Any) -> Any:
        """z = x w + b."""
        check_features(X, self.n_features, "Perceptron")
        return np.dot(X, params["w"]) + params["b"]

    def loss(self, params: dict, X: Any, y: Any) -> Any:
        """Perceptron criterion 1/N Σ_n max(0, −s_n z_n), s_n = 2 t_n − 1.

        Its derivative on a point with s_n z_n ≤ 0 is −s_n [x_n, 1] / N — z_n = 0
        included, because :meth:`train` counts that as a mistake too — so from
        w = 0 (every z_n = 0) a gradient step of size η N on one example is
        exactly the rule's update (``maximum`` would halve it at the tie)."""
        t = check_examples(X, y, self.n_features, 2, "Perceptron")
        margin = -(2.0 * t - 1.0) * self.forward(params, X)
        return np.mean(np.where(margin >= 0, margin, 0.0))

    def predict(self, params: dict, X: Any) -> _np.ndarray:
        """1[z ≥ 0]."""
        return _np.asarray(hard_threshold(self.forward(params, X))).astype(int)

    def train(self, params: dict, X: Any, y: Any, max_epochs: int = 1000) -> PerceptronResult:
        """Run the perceptron rule until an epoch makes no mistake or ``max_epochs`` pass.
        A point with z = 0 counts as a mistake, so the result separates strictly."""
        check_positive_int("max_epochs", max_epochs)
        X = _np.asarray(X, dtype=float)
        s = 2.0 * check_examples(X, y, self.n_features, 2, "Perceptron") - 1.0
        w = _np.array(params["w"], dtype=float)
        b = _np.array(params["b"], dtype=float)
        updates, mistakes = 0, []
        for _epoch in range(max_epochs):
            wrong = 0
            for x_n, s_n in zip(X, s):
                if s_n * (x_n @ w + b[0]) <= 0:
                    w += self.learning_rate * s_n * x_n
                    b += self.learning_rate * s_n
                    wrong += 1
            mistakes.append(wrong)
            updates += wrong
            if wrong == 0:
                break
        return PerceptronResult({"w": w, "b": b}, len(mistakes), updates, mistakes[-1] == 0,
                                _np.array(mistakes))


@dataclass(frozen=True)
class LogisticLeastSquares(ModelMixin):
    """y = σ(x w + b) with squared error to targets {ε, 1 − ε}; optionally |w_i|, |b| < B."""

    n_features: int
    weight_bound: float | None = None
    epsilon: float = 0.01

    def __post_init__(self):
        check_positive_int("n_features", self.n_features)
        if self.weight_bound is not None and not (_np.isfinite(self.weight_bound) and self.weight_bound > 0):
            raise ConfigError(f"weight_bound must be a positive number or None; received {self.weight_bound!r}.")
        if not 0 <= self.epsilon < 0.5:
            raise ConfigError(f"epsilon must lie in [0, 0.5); received {self.epsilon!r}.")

    def init(self, seed=0) -> dict:
        """Small random raw parameters {"v": D, "c": 1} (N(0, 0.1²))."""
        rng = _np.random.default_rng(seed)
        return {"v": 0.1 * rng.standard_normal(self.n_features), "c": 0.1 * rng.standard_normal(1)}

    def weights(self, params: dict) -> tuple[Any, Any]:
        """(w, b): B tanh(v), B tanh(c) when bounded, else v, c."""
        if self.weight_bound is None:
            return params["v"], params["c"]
        return self.weight_bound * np.tanh(params["v"]), self.weight_bound * np.tanh(params["c"])

    def forward(self, params: dict, X: Any) -> Any:
        """z = x w + b."""
        check_features(X, self.n_features, "LogisticLeastSquares")
        w, b = self.weights(params)
        return np.dot(X, w) + b

    def loss(self, params: dict, X: Any, y: Any) -> Any:
        """1/N Σ_n (σ(z_n) − d_n)², d_n = ε + (1 − 2ε) t_n."""
        t = check_examples(X, y, self.n_features, 2, "LogisticLeastSquares")
        d = self.epsilon + (1.0 - 2.0 * self.epsilon) * t
        return np.mean((logistic(self.forward(params, X)) - d) ** 2)

    def predict(self, params: dict, X: Any) -> _np.ndarray:
        """1[z ≥ 0]."""
        return (_np.asarray(self.forward(params, X)) >= 0).astype(int)
