"""Losses, computed stably, averaged over the N examples of a batch.

* squared error        L = 1/N Σ_n ½ ‖y_n − t_n‖²
* logistic cross-entropy from logits z (t ∈ {0, 1}):
      L = 1/N Σ_n [ t_n log(1 + e^(−z_n)) + (1 − t_n) log(1 + e^(z_n)) ]
        = 1/N Σ_n [ log(1 + e^(z_n)) − t_n z_n ],
  with log(1 + e^z) = max(z, 0) + log(1 + e^(−|z|)) (``logaddexp(0, z)``), so no
  exponential ever overflows and a confident wrong answer costs ≈ |z| instead of inf;
* softmax cross-entropy from logits z ∈ R^{N×K} and integer labels t_n:
      L = 1/N Σ_n [ log Σ_k e^(z_nk) − z_{n t_n} ]   (log-sum-exp, lecture 004's −Σ t log y).

Each takes raw values or traced ones; labels are plain integer arrays.
"""

from __future__ import annotations

from typing import Any

import numpy as _np

import ravine.numpy as np
from ravine.autodiff.tracer import getval
from ravine.errors import ShapeError
from ravine.nn.activations import logsumexp

__all__ = ["squared_error", "logistic_cross_entropy", "softmax_cross_entropy", "one_hot"]


def _check_same_length(outputs: Any, targets: Any, what: str) -> None:
    n_out, n_t = _np.shape(getval(outputs))[0], _np.shape(getval(targets))[0]
    if n_out != n_t:
        raise ShapeError(f"{what}: {n_out} outputs but {n_t} targets; pass one target per example.")


def squared_error(outputs: Any, targets: Any) -> Any:
    """1/N Σ_n ½ ‖y_n − t_n‖² (N = number of rows)."""
    targets = _np.asarray(targets, dtype=float)
    if _np.shape(getval(outputs)) != targets.shape:
        raise ShapeError(f"squared_error: outputs have shape {_np.shape(getval(outputs))} but targets "
                         f"have shape {targets.shape}; reshape the targets to match.")
    n = targets.shape[0] if targets.ndim else 1
    return 0.5 * np.sum((outputs - targets) ** 2) / n


def logistic_cross_entropy(logits: Any, targets: Any) -> Any:
    """1/N Σ_n [log(1 + e^(z_n)) − t_n z_n] for logits z and targets t ∈ [0, 1]."""
    targets = _np.asarray(targets, dtype=float)
    _check_same_length(logits, targets, "logistic_cross_entropy")
    return np.mean(np.logaddexp(0.0, logits) - targets * logits)


def softmax_cross_entropy(logits: Any, labels: Any) -> Any:
    """1/N Σ_n [log Σ_k e^(z_nk) − z_{n,t_n}] for logits z (N×K) and integer labels t."""
    labels = _np.asarray(labels)
    _check_same_length(logits, labels, "softmax_cross_entropy")
    n, k = _np.shape(getval(logits))
    if labels.dtype.kind not in "iu":
        raise ShapeError(f"softmax_cross_entropy needs integer class labels; received dtype {labels.dtype}.")
    if labels.size and (labels.min() < 0 or labels.max() >= k):
        raise ShapeError(f"softmax_cross_entropy: labels must lie in [0, {k}); "
                         f"received values from {labels.min()} to {labels.max()}.")
    picked = logits[_np.arange(n), labels]
    return np.mean(logsumexp(logits, axis=1) - picked)


def one_hot(labels: Any, n_classes: int) -> _np.ndarray:
    """The N×K indicator matrix with a 1 at (n, t_n)."""
    labels = _np.asarray(labels)
    out = _np.zeros((labels.shape[0], n_classes))
    out[_np.arange(labels.shape[0]), labels] = 1.0
    return out
