"""Linear models: z = x W + b followed by a convex loss (lecture 004: "linear
regression, logistic regression, and softmax regression are convex").

* :class:`LinearRegression`   y = x W + b,          L = 1/N Σ ½ ‖y_n − t_n‖²
* :class:`LogisticRegression` z = x w + b,          L = 1/N Σ [log(1 + e^z) − t z],  t ∈ {0, 1}
* :class:`SoftmaxRegression`  z = x W + b ∈ R^K,    L = 1/N Σ [log Σ_k e^(z_k) − z_t]

Each adds ½ λ ‖W‖² when built with ``l2=λ``.  Parameters start at zero by
default (the losses are convex, so there is no symmetry to break).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as _np

import ravine.numpy as np
from ravine.nn.activations import logistic, softmax
from ravine.nn.init import make_rng
from ravine.nn.losses import logistic_cross_entropy, softmax_cross_entropy, squared_error
from ravine.nn.models.base import (ModelMixin, check_features, check_examples, check_nonnegative,
                                   check_positive_int, l2_penalty)
from ravine.errors import ShapeError

__all__ = ["LinearRegression", "LogisticRegression", "SoftmaxRegression"]


def _init_weights(seed, shape: tuple[int, ...], scale: float) -> _np.ndarray:
    if scale == 0.0:
        return _np.zeros(shape)
    return scale * make_rng(seed).standard_normal(shape)


@dataclass(frozen=True)
class LinearRegression(ModelMixin):
    """y = x W + b with squared error; ``n_outputs=1`` takes and returns 1-D targets."""

    n_features: int
    n_outputs: int = 1
    l2: float = 0.0
    init_scale: float = 0.0

    def __post_init__(self):
        check_positive_int("n_features", self.n_features)
        check_positive_int("n_outputs", self.n_outputs)
        check_nonnegative("l2", self.l2)
        check_nonnegative("init_scale", self.init_scale)

    def init(self, seed=0) -> dict:
        """{"W": D×O, "b": O}, zero unless ``init_scale`` > 0."""
        return {"W": _init_weights(seed, (self.n_features, self.n_outputs), self.init_scale),
                "b": _np.zeros(self.n_outputs)}

    def forward(self, params: dict, X: Any) -> Any:
        """y = x W + b (N×O, or N when n_outputs = 1)."""
        check_features(X, self.n_features, "LinearRegression")
        y = np.dot(X, params["W"]) + params["b"]
        return y[:, 0] if self.n_outputs == 1 else y

    def loss(self, params: dict, X: Any, y: Any) -> Any:
        """1/N Σ ½ ‖y_n − t_n‖² + ½ λ ‖W‖²."""
        outputs = self.forward(params, X)
        return squared_error(outputs, y) + l2_penalty([params["W"]], self.l2)

    def predict(self, params: dict, X: Any) -> _np.ndarray:
        return _np.asarray(self.forward(params, X))

    def fit_closed_form(self, X: Any, y: Any) -> dict:
        """The exact minimiser: the ridge normal equations [X 1]ᵀ[X 1] θ = [X 1]ᵀ t
        (λ added to the weights' diagonal), solved by least squares."""
        X = _np.asarray(X, dtype=float)
        check_features(X, self.n_features, "LinearRegression")
        T = _np.asarray(y, dtype=float).reshape(X.shape[0], -1)
        if T.shape[1] != self.n_outputs:
            raise ShapeError(f"LinearRegression has {self.n_outputs} outputs; targets have {T.shape[1]}.")
        A = _np.hstack([X, _np.ones((X.shape[0], 1))])
        n = X.shape[0]
        reg = _np.diag(_np.r_[_np.full(self.n_features, self.l2 * n), 0.0])
        theta = _np.linalg.lstsq(A.T @ A + reg, A.T @ T, rcond=None)[0]
        return {"W": theta[:-1], "b": theta[-1]}


@dataclass(frozen=True)
class LogisticRegression(ModelMixin):
    """P(t = 1 | x) = σ(x w + b), trained on the logistic cross-entropy."""

    n_features: int
    l2: float = 0.0
    init_scale: float = 0.0

    def __post_init__(self):
        check_positive_int("n_features", self.n_features)
        check_nonnegative("l2", self.l2)
        check_nonnegative("init_scale", self.init_scale)

    def init(self, seed=0) -> dict:
        """{"w": D, "b": 1}."""
        return {"w": _init_weights(seed, (self.n_features,), self.init_scale), "b": _np.zeros(1)}

    def forward(self, params: dict, X: Any) -> Any:
        """Logits z = x w + b (length N)."""
        check_features(X, self.n_features, "LogisticRegression")
        return np.dot(X, params["w"]) + params["b"]

    def loss(self, params: dict, X: Any, y: Any) -> Any:
        """1/N Σ [log(1 + e^(z_n)) − t_n z_n] + ½ λ ‖w‖²."""
        t = check_examples(X, y, self.n_features, 2, "LogisticRegression")
        return logistic_cross_entropy(self.forward(params, X), t) + l2_penalty([params["w"]], self.l2)

    def predict_proba(self, params: dict, X: Any) -> _np.ndarray:
        """σ(z) = P(t = 1 | x)."""
        return _np.asarray(logistic(self.forward(params, X)))

    def predict(self, params: dict, X: Any) -> _np.ndarray:
        """1 where z ≥ 0, else 0."""
        return (_np.asarray(self.forward(params, X)) >= 0).astype(int)


@dataclass(frozen=True)
class SoftmaxRegression(ModelMixin):
    """P(t = k | x) = softmax(x W + b)_k, trained on the softmax cross-entropy."""

    n_features: int
    n_classes: int
    l2: float = 0.0
    init_scale: float = 0.0

    def __post_init__(self):
        check_positive_int("n_features", self.n_features)
        if check_positive_int("n_classes", self.n_classes) < 2:
            raise ShapeError(f"SoftmaxRegression needs n_classes ≥ 2; received {self.n_classes}.")
        check_nonnegative("l2", self.l2)
        check_nonnegative("init_scale", self.init_scale)

    def init(self, seed=0) -> dict:
        """{"W": D×K, "b": K}."""
        return {"W": _init_weights(seed, (self.n_features, self.n_classes), self.init_scale),
                "b": _np.zeros(self.n_classes)}

    def forward(self, params: dict, X: Any) -> Any:
        """Logits z = x W + b (N×K)."""
        check_features(X, self.n_features, "SoftmaxRegression")
        return np.dot(X, params["W"]) + params["b"]

    def loss(self, params: dict, X: Any, y: Any) -> Any:
        """1/N Σ [log Σ_k e^(z_nk) − z_{n,t_n}] + ½ λ ‖W‖²."""
        t = check_examples(X, y, self.n_features, self.n_classes, "SoftmaxRegression")
        return softmax_cross_entropy(self.forward(params, X), t) + l2_penalty([params["W"]], self.l2)

    def predict_proba(self, params: dict, X: Any) -> _np.ndarray:
        return _np.asarray(softmax(self.forward(params, X), axis=1))

    def predict(self, params: dict, X: Any) -> _np.ndarray:
        """argmax_k z_k."""
        return _np.argmax(_np.asarray(self.forward(params, X)), axis=1)
