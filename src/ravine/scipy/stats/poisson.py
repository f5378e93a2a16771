"""Poisson(μ) on k = loc, loc + 1, ...; with j = k − loc: log p(k) = j log μ − μ − lnΓ(j + 1);
cdf(k) = Q(⌊j⌋ + 1, μ) (the upper regularised incomplete gamma).  Differentiable in μ
(the pmf is also differentiable in k as written; the cdf is a step function of k)."""

import numpy as _np
import scipy.stats as _scipy_stats

from ravine.autodiff.tracer import getval
from ravine.numpy import wrapper as anp
from ravine.scipy import special
from ravine.scipy._untraced import distribution_fallback as _distribution_fallback


def logpmf(k, mu, loc=0):
    j = k - loc if _np.any(getval(loc) != 0) else k
    jv = getval(j)
    support = (jv >= 0) & (_np.floor(jv) == jv)
    if _np.all(support):
        return special.xlogy(j, mu) - mu - special.gammaln(j + 1.0)
    # Off the support (negative or non-integer j) the mass is 0, as in SciPy; the
    # formula runs at j = 0 there so that its derivative in μ is 0 rather than NaN.
    safe = anp.where(support, j, 0.0)
    return anp.where(support, special.xlogy(safe, mu) - mu - special.gammaln(safe + 1.0), -_np.inf)


def pmf(k, mu, loc=0):
    return anp.exp(logpmf(k, mu, loc))


def _on_support(k, mu, loc, of_cdf, below):
    # A step function of k and loc: their derivative is zero wherever it exists.  Below
    # the support the result is the constant ``below``: the formula runs at j = 0 there,
    # so that no 0/0 of the logarithm reaches a derivative in μ.
    j = _np.floor(getval(k) - getval(loc))
    if _np.all(j >= 0):
        return of_cdf(special.gammaincc(j + 1.0, mu))
    return anp.where(j >= 0, of_cdf(special.gammaincc(_np.maximum(j, 0.0) + 1.0, mu)), below)


def cdf(k, mu, loc=0):
    return _on_support(k, mu, loc, lambda c: c, 0.0)


def logcdf(k, mu, loc=0):
    return _on_support(k, mu, loc, anp.log, -_np.inf)


# SciPy's other methods (ppf, rvs, mean, entropy, ...) on plain arrays; traced values are refused.
__getattr__ = _distribution_fallback(__name__, _scipy_stats.poisson)

