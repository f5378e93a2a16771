"""Input standardisation x̃_j = (x_j − μ_j) / σ_j as a fitted, reusable transform (lecture 000).

Lecture 000 shows why: with inputs in arbitrary units (x1 ≈ 100, x2 ≈ 0.003) or
far from zero (x1 ≈ x2 ≈ 1000) the Hessian of the squared error is badly
conditioned and gradient descent crawls along a ravine.  Centring each input to
zero mean and scaling it to unit variance fixes that for linear models.

μ and σ are estimated on the training inputs only (σ with ``ddof = 0``) and the
same numbers are then applied to validation and test inputs.  A feature that
never varies (σ_j = 0, e.g. a border pixel of the digits that is always blank)
gets σ_j := 1, so it becomes 0 after centring instead of NaN; ``constant``
marks those features.  "Never varies" means all training values are equal, not
that the computed σ_j is 0: ten copies of 0.1 have a rounded σ of about 1e−17,
which would otherwise blow the column up to ±1 and any later 0.1 + 1e−9 to 10⁸.
Inputs holding NaN or ±inf are refused (a DataError) rather than spreading NaN.

>>> import numpy as np
>>> from ravine.data import Standardizer
>>> s = Standardizer.fit(np.array([[1.0, 5.0], [3.0, 5.0]]))
>>> s.mean.tolist(), s.scale.tolist(), s.transform(np.array([[3.0, 6.0]])).tolist()
([2.0, 5.0], [1.0, 1.0], [[1.0, 1.0]])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ravine.errors import DataError, ShapeError

__all__ = ["Standardizer", "standardize"]


@dataclass(frozen=True)
class Standardizer:
    """Per-feature mean and scale fitted on a 2-D array (rows = examples)."""

    mean: np.ndarray
    scale: np.ndarray
    constant: np.ndarray

    @classmethod
    def fit(cls, x, ddof: int = 0, tolerance: float = 0.0) -> Standardizer:
        """μ and σ of each column of ``x``; columns with σ ≤ ``tolerance`` are
        treated as constant (scale 1)."""
        x = np.asarray(x, dtype=np.float64)
        if x.ndim != 2 or x.shape[0] < 1:
            raise ShapeError(f"Standardizer.fit expects a 2-D array with one example per row, "
                             f"got shape {x.shape}; reshape a single feature with x.reshape(-1, 1)")
        if x.shape[0] <= ddof:
            raise ShapeError(f"need more than ddof={ddof} rows to estimate a spread, got {x.shape[0]}")
        if not np.all(np.isfinite(x)):
            bad = np.flatnonzero(~np.all(np.isfinite(x), axis=0)).tolist()
            raise DataError(f"Standardizer.fit: columns {bad} hold NaN or infinite values, which would "
                            "make their mean and spread NaN; drop or impute those entries first")
        # A column of identical values is constant even when rounding makes its
        # computed σ about 1e−17 (0.1 repeated); centre it on that value exactly.
        same = x.max(axis=0) == x.min(axis=0)
        mean = np.where(same, x[0], x.mean(axis=0))
        std = x.std(axis=0, ddof=ddof)
        constant = same | (std <= tolerance)
        scale = np.where(constant, 1.0, std)
        for a in (mean, scale, constant):
            a.setflags(write=False)
        return cls(mean, scale, constant)

    @property
    def n_features(self) -> int:
        return int(self.mean.shape[0])

    def _check(self, x):
        if np.shape(x)[-1:] != (self.n_features,):
            raise ShapeError(f"this Standardizer was fitted on {self.n_features} features, "
                             f"got an array of shape {np.shape(x)}")

    def transform(self, x):
        """(x − μ) / σ.  Works on traced values too (plain arithmetic)."""
        self._check(x)
        return (x - self.mean) / self.scale

    def inverse_transform(self, z):
        """z · σ + μ, the inverse of :meth:`transform`."""
        self._check(z)
        return z * self.scale + self.mean

    def to_dict(self) -> dict:
        return {"mean": self.mean.tolist(), "scale": self.scale.tolist(),
                "constant": self.constant.tolist()}

    @classmethod
    def from_dict(cls, d: dict) -> Standardizer:
        return cls(np.asarray(d["mean"], np.float64), np.asarray(d["scale"], np.float64),
                   np.asarray(d["constant"], bool))


def standardize(x_train, *others):
    """Fit on ``x_train`` and transform it and each of ``others``; returns
    ``(standardizer, x_train_std, *others_std)``."""
    s = Standardizer.fit(x_train)
    return (s, s.transform(np.asarray(x_train, np.float64)),
            *(s.transform(np.asarray(o, np.float64)) for o in others))
