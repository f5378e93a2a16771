"""Activation functions φ, written with ``ravine.numpy`` so ravine differentiates them.

A hidden unit computes z = wᵀx + b (its *pre-activation*) and h = φ(z) (its
*activation*).  Lecture 003 names the failure modes these choices bring:

* logistic σ(z) = 1 / (1 + e^(−z)), range (0, 1): saturates at both ends and is
  not centred (lecture 000 suggests tanh or batch normalisation instead);
* tanh(z), range (−1, 1): centred, still saturates;
* ReLU max(0, z): does not saturate for z > 0, but *dies* when z < 0 for every
  input (its derivative is then exactly 0) — hence the bias offset of 0.1;
* hard threshold 1[z ≥ 0]: the perceptron's unit; its derivative is zero almost
  everywhere (a plateau), so it is trained by the perceptron rule, not by gradients;
* softmax y_k = e^(z_k) / Σ_j e^(z_j), computed from z − max z to avoid overflow.

:data:`ACTIVATIONS` maps each name to ``(φ, (low, high))``, the unit's dynamic
range, which the doctor uses to call a unit saturated.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as _np

import ravine.numpy as np
from ravine.autodiff.core import defjvp, defvjp
from ravine.autodiff.tracer import getval, primitive
from ravine.errors import ConfigError

__all__ = ["logistic", "tanh", "relu", "identity", "hard_threshold", "softmax", "log_softmax",
           "logsumexp", "ACTIVATIONS", "get_activation", "activation_range"]


def logistic(z: Any) -> Any:
    """σ(z) = 1 / (1 + e^(−z)), computed as ½(tanh(z/2) + 1), which never overflows."""
    return 0.5 * (np.tanh(0.5 * z) + 1.0)


def tanh(z: Any) -> Any:
    """tanh(z) = (e^z − e^(−z)) / (e^z + e^(−z))."""
    return np.tanh(z)


def relu(z: Any) -> Any:
    """max(0, z); its derivative is 1 for z > 0 and 0 for z ≤ 0.

    Written as ``where(z > 0, z, 0)`` so that the kink z = 0 gets derivative 0
    (the usual convention, and lecture 004's "exactly 0" for a dead unit);
    ``maximum(z, 0)`` would split a tie and give ½ there."""
    return np.where(z > 0, z, 0.0)


def identity(z: Any) -> Any:
    """φ(z) = z (a linear unit)."""
    return z


def hard_threshold(z: Any) -> Any:
    """The perceptron's unit: 1 where z ≥ 0, else 0.  A constant for ravine (its
    derivative is 0 almost everywhere), so nothing flows back through it."""
    return (np.greater_equal(getval(z), 0.0)).astype(float)


def logsumexp(z: Any, axis: int = -1, keepdims: bool = False) -> Any:
    """log Σ_k e^(z_k) along ``axis``, computed as m + log Σ_k e^(z_k − m) with
    m = max_k z_k so that no exponential exceeds 1.

    A primitive with its own rules (one exponential forward, one backward):
    ∂/∂z_k log Σ_j e^(z_j) = e^(z_k − lse) = softmax(z)_k.  The rules are written
    with traced operations, so derivatives of any order follow."""
    return _logsumexp_keepdims(z, axis) if keepdims else np.squeeze(_logsumexp_keepdims(z, axis), axis=axis)


@primitive
def _logsumexp_keepdims(z, axis):
    m = _np.max(z, axis=axis, keepdims=True)
    m = _np.where(_np.isfinite(m), m, 0.0)
    return _np.log(_np.sum(_np.exp(z - m), axis=axis, keepdims=True)) + m


# d lse / dz = exp(z − lse) = softmax(z)
defvjp(_logsumexp_keepdims, lambda ans, z, axis: lambda g: g * np.exp(z - ans))
defjvp(_logsumexp_keepdims, lambda dz, ans, z, axis: np.sum(dz * np.exp(z - ans), axis=axis, keepdims=True))


def log_softmax(z: Any, axis: int = -1) -> Any:
    """log y_k = z_k − log Σ_j e^(z_j)."""
    return z - logsumexp(z, axis=axis, keepdims=True)


def softmax(z: Any, axis: int = -1) -> Any:
    """y_k = e^(z_k) / Σ_j e^(z_j), computed as exp(log_softmax(z))."""
    return np.exp(log_softmax(z, axis=axis))


ACTIVATIONS: dict[str, tuple[Callable[[Any], Any], tuple[float, float]]] = {
    "logistic": (logistic, (0.0, 1.0)),
    "tanh": (tanh, (-1.0, 1.0)),
    "relu": (relu, (0.0, float("inf"))),
    "identity": (identity, (float("-inf"), float("inf"))),
    "hard_threshold": (hard_threshold, (0.0, 1.0)),
}


def get_activation(name: str) -> Callable[[Any], Any]:
    """The activation function registered under ``name``."""
    if name not in ACTIVATIONS:
        raise ConfigError(f"unknown activation {name!r}; choose one of {sorted(ACTIVATIONS)}.")
    return ACTIVATIONS[name][0]


def activation_range(name: str) -> tuple[float, float]:
    """The dynamic range (low, high) of the activation registered under ``name``."""
    get_activation(name)
    return ACTIVATIONS[name][1]
