"""Seeded train/test splits of arrays, and the record that holds them.

A split is a permutation drawn from ``numpy.random.default_rng(seed)``: the same
seed gives the same split on every machine.  With ``stratify=True`` each class is
split separately, so class proportions in the test set match those of the whole
table to within one example per class.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ravine.errors import ConfigError, ShapeError

__all__ = ["Split", "train_test_indices", "train_test_split"]


@dataclass(frozen=True)
class Split:
    """Inputs and targets cut into a training and a test part.

    ``x_*`` have one example per row; ``y_*`` are class indices (``int64``) for
    classification and real numbers for regression.  ``info`` holds the
    dataset's name, task, feature and class names.
    """

    x_train: np.ndarray
    y_train: np.ndarray
    x_test: np.ndarray
    y_test: np.ndarray
    info: dict = field(default_factory=dict)

    @property
    def n_features(self) -> int:
        return int(self.x_train.shape[1])

    @property
    def n_classes(self) -> int | None:
        """Number of classes, or ``None`` for a regression table."""
        return self.info.get("n_classes")

    def __repr__(self) -> str:
        name = self.info.get("name", "data")
        return (f"Split({name!r}: train {self.x_train.shape}, test {self.x_test.shape}, "
                f"task={self.info.get('task')!r})")


def _check_fraction(test_fraction: float) -> float:
    if not 0.0 < test_fraction < 1.0:
        raise ConfigError(f"test_fraction must lie strictly between 0 and 1, got {test_fraction!r}")
    return float(test_fraction)


def train_test_indices(n: int, test_fraction: float = 0.25, seed: int = 0,
                       labels: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Row indices ``(train, test)`` of a seeded split of ``n`` examples.

    With ``labels`` the split is stratified: each class contributes
    ``round(test_fraction * n_class)`` examples to the test part.  Both index
    arrays are sorted, so the original order of the rows is kept.
    """
    test_fraction = _check_fraction(test_fraction)
    rng = np.random.default_rng(seed)
    if labels is None:
        groups = [np.arange(n)]
    else:
        labels = np.asarray(labels)
        if labels.shape != (n,):
            raise ShapeError(f"labels must have shape ({n},) to stratify, got {labels.shape}")
        groups = [np.flatnonzero(labels == c) for c in np.unique(labels)]
    test = []
    for members in groups:
        members = rng.permutation(members)
        test.append(members[: int(round(test_fraction * len(members)))])
    test_idx = np.sort(np.concatenate(test)).astype(np.int64)
    if len(test_idx) == 0 or len(test_idx) == n:
        raise ConfigError(f"test_fraction={test_fraction} of {n} examples leaves an empty part; "
                          "choose a fraction that keeps at least one example on each side")
    train_mask = np.ones(n, dtype=bool)
    train_mask[test_idx] = False
    return np.flatnonzero(train_mask).astype(np.int64), test_idx


def train_test_split(x: np.ndarray, y: np.ndarray, test_fraction: float = 0.25, seed: int = 0,
                     stratify: bool = False, info: dict | None = None) -> Split:
    """Split the rows of ``x`` and ``y`` into a :class:`Split` (see :func:`train_test_indices`)."""
    x = np.asarray(x)
    y = np.asarray(y)
    if x.ndim == 0 or y.ndim == 0:
        raise ShapeError(f"x and y need one row per example; got shapes {x.shape} and {y.shape}")
    if x.shape[0] != y.shape[0]:
        raise ShapeError(f"x has {x.shape[0]} rows but y has {y.shape[0]}; they must match")
    train, test = train_test_indices(len(x), test_fraction, seed, y if stratify else None)
    return Split(x[train], y[train], x[test], y[test], dict(info or {}))
