"""Input statistics behind badly conditioned curvature.

Lecture 003, §4.8 (and lecture 000's linear-regression example): inputs with
very different scales, or far from zero mean, make the curvature badly
conditioned.  For a linear model with squared error the Hessian *is* the input
second-moment matrix

    H = (1/N) X̃ᵀX̃,   X̃ = [X, 1]  (a column of ones for the bias),

so its condition number κ(H) = λmax/λmin, before and after standardising
x̃ⱼ = (xⱼ − μⱼ)/σⱼ, measures exactly how much the lecture's workaround helps.
Constant features (σⱼ = 0) carry no information and make H singular either way;
they are counted and left out of both condition numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as _np

from ravine.errors import ShapeError

__all__ = ["InputStatistics", "input_statistics"]


@dataclass(frozen=True)
class InputStatistics:
    """Per-feature means and standard deviations, and the summaries the doctor
    uses: ``scale_ratio`` = max σⱼ / min σⱼ, ``max_offset`` = max |μⱼ|/σⱼ, and
    κ of (1/N)[X,1]ᵀ[X,1] before (``kappa_raw``) and after (``kappa_standardised``)
    standardisation, over the non-constant features."""

    means: _np.ndarray = field(repr=False)
    stds: _np.ndarray = field(repr=False)
    n_constant: int
    scale_ratio: float
    max_offset: float
    kappa_raw: float
    kappa_standardised: float

    @property
    def improvement(self) -> float:
        """κ before / κ after standardisation."""
        return self.kappa_raw / self.kappa_standardised


def _kappa(design: _np.ndarray) -> float:
    ones = _np.ones((design.shape[0], 1))
    full = _np.hstack([design, ones])
    eig = _np.linalg.eigvalsh(full.T @ full / full.shape[0])
    return float(eig[-1] / eig[0]) if eig[0] > 0 else _np.inf


def input_statistics(inputs: Any) -> InputStatistics:
    """Scale and centring statistics of an (examples, features) input matrix."""
    X = _np.asarray(inputs, dtype=float)
    if X.ndim != 2 or X.shape[0] < 2:
        raise ShapeError(f"inputs must be an (examples, features) array with at least 2 rows; received {X.shape}.")
    means, stds = X.mean(axis=0), X.std(axis=0)
    varying = stds > 1e-12 * max(1.0, float(_np.max(_np.abs(X))))
    if not varying.any():
        raise ShapeError("every input feature is constant; there is nothing to learn from these inputs.")
    Xv, mu, sd = X[:, varying], means[varying], stds[varying]
    return InputStatistics(
        means=means,
        stds=stds,
        n_constant=int((~varying).sum()),
        scale_ratio=float(sd.max() / sd.min()),
        max_offset=float(_np.max(_np.abs(mu) / sd)),
        kappa_raw=_kappa(Xv),
        kappa_standardised=_kappa((Xv - mu) / sd),
    )
