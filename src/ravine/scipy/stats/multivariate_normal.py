"""Multivariate normal N(mean, cov) in d dimensions, with Σ = cov = LLᵀ:
log p(x) = −½ (d log 2π + log det Σ + (x − μ)ᵀ Σ⁻¹ (x − μ)).  x may be (d,) or (n, d)."""

import numpy as _np

from ravine.autodiff.tracer import getval
from ravine.numpy import linalg, wrapper as anp


def logpdf(x, mean=None, cov=1, allow_singular=False):
    d = _np.shape(getval(x))[-1]
    mean = _np.zeros(d) if mean is None else mean
    cov = cov * _np.eye(d) if _np.ndim(getval(cov)) == 0 else cov
    if allow_singular:
        raise ValueError("multivariate_normal.logpdf(allow_singular=True) is not supported; cov must be positive definite.")
    L = linalg.cholesky(cov)
    centred = x - mean
    whitened = linalg.solve(L, anp.swapaxes(anp.atleast_2d(centred), -1, -2))  # L⁻¹ (x − μ)
    maha = anp.sum(whitened * whitened, axis=0)
    log_det = 2.0 * anp.sum(anp.log(anp.diagonal(L)))
    out = -0.5 * (d * _np.log(2 * _np.pi) + log_det + maha)
    return out[0] if _np.ndim(getval(centred)) == 1 else out


def pdf(x, mean=None, cov=1, allow_singular=False):
    return anp.exp(logpdf(x, mean, cov, allow_singular))


def entropy(mean=None, cov=1):
    """½ log det(2πe Σ)."""
    d = _np.shape(getval(cov))[-1] if _np.ndim(getval(cov)) else 1
    cov = cov * _np.eye(d) if _np.ndim(getval(cov)) == 0 else cov
    return 0.5 * (d * (1.0 + _np.log(2 * _np.pi)) + linalg.slogdet(cov)[1])
