"""Multivariate normal N(mean, cov) in d dimensions, with Σ = cov = LLᵀ:
log p(x) = −½ (d log 2π + log det Σ + (x − μ)ᵀ Σ⁻¹ (x − μ)).  x may be (d,) or (n, d).

With ``allow_singular=True`` Σ may be singular, of rank r (see ``_psd`` for the
threshold): the density lives on μ + range Σ, and there
log p(x) = −½ (r log 2π + log pdet Σ + (x − μ)ᵀ Σ⁺ (x − μ)), with the pseudo-determinant
and pseudo-inverse; it is −∞ off that subspace, as in SciPy.  Derivatives in cov
hold along covariances of the same rank.  entropy = ½ (r (1 + log 2π) + log pdet Σ)."""

import numpy as _np
import scipy.stats as _scipy_stats

from ravine.autodiff.tracer import getval
from ravine.numpy import linalg
from ravine.numpy import wrapper as anp
from ravine.scipy._untraced import distribution_fallback as _distribution_fallback
from ravine.scipy.stats import _psd

_LOG_2PI = float(_np.log(2 * _np.pi))


def logpdf(x, mean=None, cov=1, allow_singular=False):
    d = _np.shape(getval(x))[-1]
    mean = _np.zeros(d) if mean is None else mean
    cov = cov * _np.eye(d) if _np.ndim(getval(cov)) == 0 else cov
    centred = x - mean
    if allow_singular:
        return _logpdf_singular(centred, cov)
    L = linalg.cholesky(cov)
    whitened = linalg.solve(L, anp.swapaxes(anp.atleast_2d(centred), -1, -2))  # L⁻¹ (x − μ)
    maha = anp.sum(whitened * whitened, axis=0)
    log_det = 2.0 * anp.sum(anp.log(anp.diagonal(L)))
    out = -0.5 * (d * _np.log(2 * _np.pi) + log_det + maha)
    return out[0] if _np.ndim(getval(centred)) == 1 else out


def _logpdf_singular(centred, cov):
    rows = anp.atleast_2d(centred)
    maha = anp.sum(anp.matmul(rows, _psd.pinv(cov)) * rows, axis=-1)
    rank, in_support = _psd.rank_and_support(cov, rows)
    out = anp.where(in_support, -0.5 * (rank * _LOG_2PI + _psd.logpdet(cov) + maha), -_np.inf)
    return out[0] if _np.ndim(getval(centred)) == 1 else out


def pdf(x, mean=None, cov=1, allow_singular=False):
    return anp.exp(logpdf(x, mean, cov, allow_singular))


def entropy(mean=None, cov=1):
    """½ (r (1 + log 2π) + log pdet Σ): ½ log det(2πe Σ) when Σ has full rank."""
    if _np.ndim(getval(cov)) == 0:  # a scalar variance, in as many dimensions as the mean has
        cov = cov * _np.eye(1 if mean is None else _np.size(getval(mean)))
    return 0.5 * (_psd.rank(cov) * (1.0 + _LOG_2PI) + _psd.logpdet(cov))


# SciPy's other methods (ppf, rvs, mean, entropy, ...) on plain arrays; traced values are refused.
__getattr__ = _distribution_fallback(__name__, _scipy_stats.multivariate_normal)

