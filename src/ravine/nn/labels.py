"""Class labels: checking them and converting between the two encodings.

A classifier with K classes takes, for each example n, either an integer label
t_n ∈ {0, …, K−1} or its one-hot row (lecture 004's target vector: t_nk = 1 for
the true class k = t_n, 0 elsewhere).  A label outside [0, K) must never index
silently — NumPy would read −1 as the last class — so every function here
raises a :class:`~ravine.errors.ShapeError` that names the bad values.
"""

from __future__ import annotations

from typing import Any

import numpy as _np

from ravine.errors import ShapeError

__all__ = ["class_indices", "labels_from_targets", "one_hot"]


def class_indices(labels: Any, n_classes: int, what: str) -> _np.ndarray:
    """``labels`` as a 1-D ``int64`` array with every t_n in [0, K), K = ``n_classes``.

    Integer arrays pass; floats pass only when every value is a whole number
    (``0.0``/``1.0`` read from a file).  ``what`` names the caller in the error."""
    labels = _np.asarray(labels)
    if labels.ndim != 1:
        raise ShapeError(f"{what}: class labels must be a 1-D array (one integer per example); "
                         f"received shape {labels.shape}.")
    whole = labels.dtype.kind in "iu" or (labels.dtype.kind == "f" and _np.all(labels == _np.round(labels)))
    if not whole:
        raise ShapeError(f"{what}: class labels must be integers; received dtype {labels.dtype}.")
    if labels.size and (labels.min() < 0 or labels.max() >= n_classes):
        raise ShapeError(f"{what}: labels must lie in [0, {n_classes}); received values from "
                         f"{labels.min():g} to {labels.max():g}.")
    return labels.astype(_np.int64)


def one_hot(labels: Any, n_classes: int) -> _np.ndarray:
    """The N×K indicator matrix T with T_{n, t_n} = 1 and zeros elsewhere."""
    labels = class_indices(labels, n_classes, "one_hot")
    out = _np.zeros((labels.shape[0], n_classes))
    out[_np.arange(labels.shape[0]), labels] = 1.0
    return out


def labels_from_targets(targets: Any, n_rows: int, n_classes: int, what: str) -> _np.ndarray:
    """Integer labels t_n from either N integer labels or an N×K one-hot matrix.

    A 2-D ``targets`` must be one-hot: entries in {0, 1}, exactly one 1 per row;
    t_n is the column of that 1."""
    targets = _np.asarray(targets)
    if targets.ndim == 2:
        if targets.shape != (n_rows, n_classes):
            raise ShapeError(f"{what}: one-hot targets must have shape ({n_rows}, {n_classes}), one row "
                             f"per example and one column per class; received {targets.shape}.")
        if not (_np.all((targets == 0) | (targets == 1)) and _np.all(targets.sum(axis=1) == 1)):
            raise ShapeError(f"{what}: 2-D targets must be one-hot (a single 1 in each row, zeros "
                             "elsewhere); pass integer class labels instead.")
        return _np.argmax(targets, axis=1).astype(_np.int64)
    labels = class_indices(targets, n_classes, what)
    if labels.shape[0] != n_rows:
        raise ShapeError(f"{what}: {n_rows} outputs but {labels.shape[0]} targets; pass one target per example.")
    return labels
