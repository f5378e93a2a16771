"""Poisson(μ) on k = 0, 1, ...: log p(k) = k log μ − μ − lnΓ(k + 1);
cdf(k) = Q(⌊k⌋ + 1, μ) (the upper regularised incomplete gamma), differentiable in μ."""

import numpy as _np
import scipy.stats as _scipy_stats

from ravine.autodiff.tracer import getval
from ravine.numpy import wrapper as anp
from ravine.scipy import special
from ravine.scipy._untraced import distribution_fallback as _distribution_fallback


def logpmf(k, mu):
    return special.xlogy(k, mu) - mu - special.gammaln(k + 1.0)


def pmf(k, mu):
    return anp.exp(logpmf(k, mu))


def cdf(k, mu):
    return special.gammaincc(_np.floor(getval(k)) + 1.0, mu)


def logcdf(k, mu):
    return anp.log(cdf(k, mu))


# SciPy's other methods (ppf, rvs, mean, entropy, ...) on plain arrays; traced values are refused.
__getattr__ = _distribution_fallback(__name__, _scipy_stats.poisson)

