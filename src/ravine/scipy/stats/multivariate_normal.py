"""Multivariate normal N(mean, cov) in d dimensions, with Σ = cov = LLᵀ:
log p(x) = −½ (d log 2π + log det Σ + (x − μ)ᵀ Σ⁻¹ (x − μ)).

Arguments are read as SciPy reads them: d is the size of ``mean``, else the order of
``cov``, else 1; a scalar cov is cov·I and a vector cov the diagonal of Σ.  x holds
points along its last axis, (..., d), except that for d = 1 a vector x is that many
points; the result has x's leading shape with axes of length 1 squeezed out.

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


def _parameters(mean, cov):
    """(d, mean, Σ) from SciPy's forms of mean and cov (a scalar mean also broadcasts
    against a matrix cov, where SciPy raises)."""
    cov = 1.0 if cov is None else cov
    if _np.ndim(getval(mean)) > 0:
        d = int(_np.size(getval(mean)))
    else:
        d = _np.shape(getval(cov))[0] if _np.ndim(getval(cov)) > 0 else 1
    mean = _np.zeros(d) if mean is None else mean
    if _np.ndim(getval(cov)) == 0:
        cov = cov * _np.eye(d)
    elif _np.ndim(getval(cov)) == 1:
        cov = anp.diag(cov)
    return d, mean, cov


def _points(x, d):
    """x as rows of coordinates, and the shape of the result before squeezing.  As in
    SciPy, a row of one coordinate (a scalar x, or x of shape (..., 1)) broadcasts
    against the mean: every coordinate of that point is x."""
    shape = _np.shape(getval(x))
    if len(shape) <= 1 and (d == 1 or not shape):
        return anp.reshape(x, (-1, 1)), shape
    return anp.reshape(x, (-1, shape[-1])), shape[:-1]


def _squeezed(out, leading):
    return anp.reshape(out, tuple(n for n in leading if n != 1))


def logpdf(x, mean=None, cov=1, allow_singular=False):
    d, mean, cov = _parameters(mean, cov)
    rows, leading = _points(x, d)
    centred = rows - mean
    if allow_singular:
        return _squeezed(_logpdf_singular(centred, cov), leading)
    L = linalg.cholesky(cov)
    whitened = linalg.solve(L, anp.swapaxes(centred, -1, -2))  # L⁻¹ (x − μ), one column per point
    maha = anp.sum(whitened * whitened, axis=0)
    log_det = 2.0 * anp.sum(anp.log(anp.diagonal(L)))
    return _squeezed(-0.5 * (d * _LOG_2PI + log_det + maha), leading)


def _logpdf_singular(rows, cov):
    maha = anp.sum(anp.matmul(rows, _psd.pinv(cov)) * rows, axis=-1)
    rank, in_support = _psd.rank_and_support(cov, rows)
    return anp.where(in_support, -0.5 * (rank * _LOG_2PI + _psd.logpdet(cov) + maha), -_np.inf)


def pdf(x, mean=None, cov=1, allow_singular=False):
    return anp.exp(logpdf(x, mean, cov, allow_singular))


def entropy(mean=None, cov=1):
    """½ (r (1 + log 2π) + log pdet Σ): ½ log det(2πe Σ) when Σ has full rank."""
    _, _, cov = _parameters(mean, cov)
    return 0.5 * (_psd.rank(cov) * (1.0 + _LOG_2PI) + _psd.logpdet(cov))


# SciPy's other methods (ppf, rvs, mean, entropy, ...) on plain arrays; traced values are refused.
__getattr__ = _distribution_fallback(__name__, _scipy_stats.multivariate_normal)

