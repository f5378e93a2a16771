"""Losses, computed stably, averaged over the N examples of a batch.

* squared error        L = 1/N Σ_n ½ ‖y_n − t_n‖²
* logistic cross-entropy from logits z (t ∈ {0, 1}):
      L = 1/N Σ_n [ t_n log(1 + e^(−z_n)) + (1 − t_n) log(1 + e^(z_n)) ]
        = 1/N Σ_n [ log(1 + e^(z_n)) − t_n z_n ],
  with log(1 + e^z) = max(z, 0) + log(1 + e^(−|z|)) (``logaddexp(0, z)``), so no
  exponential ever overflows and a confident wrong answer costs ≈ |z| instead of inf;
* softmax cross-entropy from logits z ∈ R^{N×K} and integer labels t_n (or their one-hot rows):
      L = 1/N Σ_n [ log Σ_k e^(z_nk) − z_{n t_n} ]   (log-sum-exp, lecture 004's −Σ t log y).

Each takes raw values or traced ones; labels are plain arrays.  An empty batch,
mismatched shapes or labels outside [0, K) raise a ShapeError (never a NaN or a
silently broadcast answer).
"""

from __future__ import annotations

from typing import Any

import numpy as _np

import ravine.numpy as np
from ravine.autodiff.tracer import getval
from ravine.errors import ShapeError
from ravine.nn.activations import logsumexp
from ravine.nn.labels import labels_from_targets, one_hot

__all__ = ["squared_error", "logistic_cross_entropy", "softmax_cross_entropy", "one_hot"]


def _check_nonempty(n: int, what: str) -> None:
    if n == 0:
        raise ShapeError(f"{what}: the batch is empty, and a mean over 0 examples is undefined (NaN); "
                         "pass at least one example.")


def squared_error(outputs: Any, targets: Any) -> Any:
    """1/N Σ_n ½ ‖y_n − t_n‖² (N = number of rows)."""
    targets = _np.asarray(targets, dtype=float)
    if _np.shape(getval(outputs)) != targets.shape:
        raise ShapeError(f"squared_error: outputs have shape {_np.shape(getval(outputs))} but targets "
                         f"have shape {targets.shape}; reshape the targets to match.")
    n = targets.shape[0] if targets.ndim else 1
    _check_nonempty(n, "squared_error")
    return 0.5 * np.sum((outputs - targets) ** 2) / n


def logistic_cross_entropy(logits: Any, targets: Any) -> Any:
    """1/N Σ_n [log(1 + e^(z_n)) − t_n z_n] for logits z and targets t ∈ [0, 1].

    z and t must have the same shape: an N×1 column of logits against N targets
    would broadcast to N×N pairs and average the wrong thing."""
    targets = _np.asarray(targets, dtype=float)
    shape = _np.shape(getval(logits))
    if shape != targets.shape:
        raise ShapeError(f"logistic_cross_entropy: logits have shape {shape} but targets have shape "
                         f"{targets.shape}; give one logit per target (e.g. logits[:, 0] for an N×1 column).")
    _check_nonempty(targets.size, "logistic_cross_entropy")
    if not _np.all((targets >= 0) & (targets <= 1)):
        raise ShapeError("logistic_cross_entropy: targets are probabilities of class 1 and must lie in "
                         f"[0, 1]; received values from {_np.min(targets):g} to {_np.max(targets):g}.")
    return np.mean(np.logaddexp(0.0, logits) - targets * logits)


def softmax_cross_entropy(logits: Any, labels: Any) -> Any:
    """1/N Σ_n [log Σ_k e^(z_nk) − z_{n,t_n}] for logits z (N×K) and labels t:
    N integer class labels, or an N×K one-hot matrix (lecture 004's −Σ_k t_nk log y_nk)."""
    shape = _np.shape(getval(logits))
    if len(shape) != 2:
        raise ShapeError(f"softmax_cross_entropy needs logits of shape (N, K), one row per example; "
                         f"received {shape}.")
    n, k = shape
    _check_nonempty(n, "softmax_cross_entropy")
    labels = labels_from_targets(labels, n, k, "softmax_cross_entropy")
    picked = logits[_np.arange(n), labels]
    return np.mean(logsumexp(logits, axis=1) - picked)
