"""The multilayer perceptron classifier.

For hidden layers ℓ = 1 … L (sizes ``hidden``) and an input x = h⁰:

    z^ℓ = h^(ℓ−1) W^ℓ + b^ℓ          (pre-activations)
    z^ℓ ← BN(z^ℓ)                     (only with ``batch_norm=True``; see layers.batch_norm)
    h^ℓ = φ(z^ℓ)                      (activations)
    z^out = h^L W^out + b^out,        L = 1/N Σ_n [log Σ_k e^(z^out_nk) − z^out_{n,t_n}] + ½ λ Σ ‖W‖²

Parameters: {"hidden1": {"W", "b"}, …, "output": {"W", "b"}} and, with batch
normalisation, {"bn1": {"gamma", "beta"}, …}.  ``init`` draws W with the chosen
initialiser (``zeros`` shows lecture 003's symmetry problem) and b = offset·1,
the offset 0.1 for ReLU by default (lecture 003).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Sequence

import numpy as _np

from ravine.errors import ConfigError
from ravine.nn.activations import ACTIVATIONS, get_activation
from ravine.nn.init import default_bias, get_weight_init, make_rng
from ravine.nn.layers import BatchNormStats, batch_norm, batch_norm_stats, dense, init_batch_norm, init_dense
from ravine.nn.losses import softmax_cross_entropy
from ravine.nn.models.base import ModelMixin, check_features, check_examples, check_nonnegative, \
    check_positive_int, l2_penalty

__all__ = ["MLPClassifier"]

_DEFAULT_INIT = {"relu": "he", "tanh": "xavier", "logistic": "xavier", "identity": "xavier"}


@dataclass(frozen=True)
class MLPClassifier(ModelMixin):
    """An MLP with any hidden sizes, activation and initialiser, softmax output.

    ``init_scheme=None`` picks He for ReLU and Xavier otherwise; ``bias=None``
    picks 0.1 for ReLU and 0 otherwise."""

    n_features: int
    n_classes: int
    hidden: Sequence[int] = (64,)
    activation: str = "relu"
    init_scheme: str | None = None
    bias: float | None = None
    batch_norm: bool = False
    l2: float = 0.0
    _layer_names: tuple = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        check_positive_int("n_features", self.n_features)
        if check_positive_int("n_classes", self.n_classes) < 2:
            raise ConfigError(f"MLPClassifier needs n_classes ≥ 2; received {self.n_classes}.")
        hidden = tuple(self.hidden)
        for i, size in enumerate(hidden):
            check_positive_int(f"hidden[{i}]", size)
        object.__setattr__(self, "hidden", hidden)
        if self.activation not in ACTIVATIONS or self.activation == "hard_threshold":
            raise ConfigError(f"MLPClassifier activation must be one of "
                              f"{sorted(set(ACTIVATIONS) - {'hard_threshold'})}; received {self.activation!r} "
                              "(hard-threshold units have zero gradient: train them with Perceptron).")
        scheme = self.init_scheme or _DEFAULT_INIT[self.activation]
        get_weight_init(scheme)
        object.__setattr__(self, "init_scheme", scheme)
        bias = default_bias(self.activation) if self.bias is None else self.bias
        if not _np.isfinite(bias):
            raise ConfigError(f"bias offset must be finite; received {bias!r}.")
        object.__setattr__(self, "bias", float(bias))
        check_nonnegative("l2", self.l2)
        object.__setattr__(self, "_layer_names", tuple(f"hidden{i + 1}" for i in range(len(hidden))))

    def init(self, seed=0) -> dict:
        """Weights from ``init_scheme``, hidden biases = ``bias``, output bias 0."""
        rng = make_rng(seed)
        weight_init = get_weight_init(self.init_scheme)
        sizes = (self.n_features,) + self.hidden
        params = {}
        for i, name in enumerate(self._layer_names):
            params[name] = init_dense(rng, sizes[i], sizes[i + 1], weight_init, self.bias)
            if self.batch_norm:
                params[f"bn{i + 1}"] = init_batch_norm(sizes[i + 1])
        params["output"] = init_dense(rng, sizes[-1], self.n_classes, weight_init, 0.0)
        return params

    def forward(self, params: dict, X: Any, record: Callable | None = None,
                stats: Sequence[BatchNormStats] | None = None) -> Any:
        """Logits z^out (N×K).  ``record(name, activation, z, h)`` is called per hidden
        layer; ``stats`` are batch-norm evaluation statistics (None: this batch's)."""
        check_features(X, self.n_features, "MLPClassifier")
        phi = get_activation(self.activation)
        h = X
        for i, name in enumerate(self._layer_names):
            z = dense(params[name], h)
            if self.batch_norm:
                z = batch_norm(params[f"bn{i + 1}"], z, None if stats is None else stats[i])
            h = phi(z)
            if record is not None:
                record(name, self.activation, z, h)
        return dense(params["output"], h)

    def loss(self, params: dict, X: Any, y: Any) -> Any:
        """Softmax cross-entropy of the logits + ½ λ Σ_ℓ ‖W^ℓ‖²."""
        t = check_examples(X, y, self.n_features, self.n_classes, "MLPClassifier")
        weights = [params[name]["W"] for name in self._layer_names + ("output",)]
        return softmax_cross_entropy(self.forward(params, X), t) + l2_penalty(weights, self.l2)

    def batch_norm_stats(self, params: dict, X: Any) -> list[BatchNormStats]:
        """Per-layer evaluation statistics of the pre-activations over X (e.g. the
        whole training set), each layer fed by the previous layers in evaluation mode."""
        if not self.batch_norm:
            raise ConfigError("batch_norm_stats: this MLP was built with batch_norm=False.")
        phi = get_activation(self.activation)
        stats: list[BatchNormStats] = []
        h = _np.asarray(X, dtype=float)
        for i, name in enumerate(self._layer_names):
            z = _np.asarray(dense(params[name], h))
            stats.append(batch_norm_stats(z))
            h = _np.asarray(phi(batch_norm(params[f"bn{i + 1}"], z, stats[-1])))
        return stats

    def predict(self, params: dict, X: Any, stats: Sequence[BatchNormStats] | None = None) -> _np.ndarray:
        """argmax of the logits (batch norm uses ``stats``, or X's own statistics)."""
        return _np.argmax(_np.asarray(self.forward(params, X, stats=stats)), axis=1)
