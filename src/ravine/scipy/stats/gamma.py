"""Gamma(a) with loc and scale, y = (x − loc)/scale:
log p = (a − 1) log y − y − lnΓ(a) − log scale;  cdf = P(a, y).
logpdf and pdf are differentiable in x, a, loc and scale; cdf and logcdf in x, loc and
scale, and they refuse a traced a (P has no closed-form derivative in a)."""

import scipy.stats as _scipy_stats

from ravine.numpy import wrapper as anp
from ravine.scipy import special
from ravine.scipy._untraced import distribution_fallback as _distribution_fallback
from ravine.scipy._untraced import refuse_traced_parameter


def logpdf(x, a, loc=0.0, scale=1.0):
    y = (x - loc) / scale
    return (a - 1.0) * anp.log(y) - y - special.gammaln(a) - anp.log(scale)


def pdf(x, a, loc=0.0, scale=1.0):
    return anp.exp(logpdf(x, a, loc, scale))


def cdf(x, a, loc=0.0, scale=1.0):
    refuse_traced_parameter("ravine.scipy.stats.gamma.cdf", "a", a, "x, loc and scale")
    return special.gammainc(a, (x - loc) / scale)


def logcdf(x, a, loc=0.0, scale=1.0):
    refuse_traced_parameter("ravine.scipy.stats.gamma.logcdf", "a", a, "x, loc and scale")
    return anp.log(cdf(x, a, loc, scale))


# SciPy's other methods (ppf, rvs, mean, entropy, ...) on plain arrays; traced values are refused.
__getattr__ = _distribution_fallback(__name__, _scipy_stats.gamma)

