"""The interface every ravine model follows, ready for ``ravine.optim``.

A model is a small frozen object holding its *hyper-parameters* (sizes,
activation, initialiser, penalty), validated when it is built; its *parameters*
are a separate pytree (a dict of arrays) that the optimiser owns:

    params = model.init(seed)                  # a dict of NumPy arrays
    model.loss(params, X, y)                   # scalar, written with ravine.numpy
    model.predict(params, X)                   # labels / values (plain NumPy)
    fun = model.objective(X, y)                # params -> loss, for ravine.optim / ravine.grad

    ravine.optim.minimize(model.objective(X, y), params, "lbfgs")                   # full batch
    ravine.optim.minimize(model.batch_loss, params, "adam", lr=1e-2,
                          data=(X, y), batch_size=64, seed=0)                      # mini-batches

``loss`` is the mean over the rows of X (plus an optional ½ λ ‖W‖² penalty on
the weight matrices, never the biases), so ``ravine.grad(model.loss)`` gives
the gradient pytree and a minibatch loss is an unbiased estimate of the full one.
"""

from __future__ import annotations

from typing import Any, Callable, Protocol, runtime_checkable

import numpy as _np

import ravine.numpy as np
from ravine.autodiff.tracer import getval
from ravine.errors import ConfigError, ShapeError
from ravine.nn.labels import class_indices

__all__ = ["Model", "ModelMixin", "accuracy", "check_examples", "check_features", "check_labels",
           "check_nonnegative", "check_positive_int", "l2_penalty"]


@runtime_checkable
class Model(Protocol):
    """What ``ravine.optim`` and the studies need from a model."""

    def init(self, seed: int | _np.random.Generator | None = 0) -> dict: ...

    def loss(self, params: dict, X: Any, y: Any) -> Any: ...

    def predict(self, params: dict, X: Any) -> _np.ndarray: ...


def check_positive_int(name: str, value: Any) -> int:
    """``value`` as an int ≥ 1, or a ConfigError naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, _np.integer)) or value < 1:
        raise ConfigError(f"{name} must be a positive integer; received {value!r}.")
    return int(value)


def check_nonnegative(name: str, value: Any) -> float:
    """``value`` as a float ≥ 0, or a ConfigError naming it."""
    if isinstance(value, bool) or not isinstance(value, (int, float, _np.floating, _np.integer)) \
            or not _np.isfinite(value) or value < 0:
        raise ConfigError(f"{name} must be a finite number ≥ 0; received {value!r}.")
    return float(value)


def check_features(X: Any, n_features: int, model: str) -> None:
    """A ShapeError unless X is N × n_features."""
    shape = _np.shape(getval(X))
    if len(shape) != 2 or shape[1] != n_features:
        raise ShapeError(f"{model} was built for inputs of shape (N, {n_features}); received {shape}. "
                         "Flatten images to rows, or build the model with the right n_features.")


def check_labels(y: Any, n_classes: int, n_rows: int, model: str) -> _np.ndarray:
    """Integer labels in [0, n_classes), one per row (see :func:`ravine.nn.labels.class_indices`)."""
    y = _np.asarray(y)
    if y.shape != (n_rows,):
        raise ShapeError(f"{model}: expected {n_rows} labels (one per row of X); received shape {y.shape}.")
    return class_indices(y, n_classes, model)


def check_examples(X: Any, y: Any, n_features: int, n_classes: int, model: str) -> _np.ndarray:
    """The labels of a classifier's examples, after checking X is N × n_features
    (so a wrongly shaped X is reported as such, not as a wrong number of labels)."""
    check_features(X, n_features, model)
    return check_labels(y, n_classes, _np.shape(getval(X))[0], model)


def l2_penalty(weights: list[Any], lam: float) -> Any:
    """½ λ Σ ‖W‖² over the given weight arrays (0 when λ = 0)."""
    if lam == 0.0:
        return 0.0
    return 0.5 * lam * sum(np.sum(W ** 2) for W in weights)


def accuracy(predicted: Any, labels: Any) -> float:
    """Fraction of predictions equal to the labels."""
    predicted, labels = _np.asarray(predicted), _np.asarray(labels)
    if predicted.shape != labels.shape:
        raise ShapeError(f"accuracy: {predicted.shape} predictions vs {labels.shape} labels.")
    return float(_np.mean(predicted == labels))


class ModelMixin:
    """``objective`` (and ``accuracy`` for classifiers) for models with ``loss`` and ``predict``."""

    def objective(self, X: Any, y: Any) -> Callable[[dict], Any]:
        """params ↦ loss(params, X, y), the function an optimiser minimises."""
        return lambda params: self.loss(params, X, y)

    def batch_loss(self, params: dict, batch: tuple) -> Any:
        """loss(params, *batch): the form ``ravine.optim.minimize(..., data=(X, y))`` calls."""
        return self.loss(params, *batch)

    def accuracy(self, params: dict, X: Any, y: Any) -> float:
        """Fraction of rows of X classified as y."""
        return accuracy(self.predict(params, X), y)
