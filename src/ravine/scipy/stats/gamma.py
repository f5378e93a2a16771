"""Gamma(a) with loc and scale, y = (x − loc)/scale:
log p = (a − 1) log y − y − lnΓ(a) − log scale;  cdf = P(a, y).
As in SciPy, (a − 1) log y is 0 at a = 1, y = 0 (xlogy), and below the support
(y < 0) the density is 0 and the cdf 0, with derivative 0 there.
logpdf and pdf are differentiable in x, a, loc and scale; cdf and logcdf in x, loc and
scale, and they refuse a traced a (P has no closed-form derivative in a)."""

import numpy as _np
import scipy.stats as _scipy_stats

from ravine.autodiff.tracer import getval
from ravine.numpy import wrapper as anp
from ravine.scipy import special
from ravine.scipy._untraced import distribution_fallback as _distribution_fallback
from ravine.scipy._untraced import refuse_traced_parameter


def _on_support(y, formula, outside):
    """formula(y) where y ≥ 0, ``outside`` below; formula runs at y = 1 there, so that
    its derivatives are 0 rather than NaN."""
    inside = getval(y) >= 0
    if _np.all(inside):
        return formula(y)
    return anp.where(inside, formula(anp.where(inside, y, 1.0)), outside)


def logpdf(x, a, loc=0.0, scale=1.0):
    def density(y):
        return special.xlogy(a - 1.0, y) - y - special.gammaln(a) - anp.log(scale)

    return _on_support((x - loc) / scale, density, -_np.inf)


def pdf(x, a, loc=0.0, scale=1.0):
    return anp.exp(logpdf(x, a, loc, scale))


def cdf(x, a, loc=0.0, scale=1.0):
    refuse_traced_parameter("ravine.scipy.stats.gamma.cdf", "a", a, "x, loc and scale")
    return _on_support((x - loc) / scale, lambda y: special.gammainc(a, y), 0.0)


def logcdf(x, a, loc=0.0, scale=1.0):
    refuse_traced_parameter("ravine.scipy.stats.gamma.logcdf", "a", a, "x, loc and scale")
    return _on_support((x - loc) / scale, lambda y: anp.log(special.gammainc(a, y)), -_np.inf)


# SciPy's other methods (ppf, rvs, mean, entropy, ...) on plain arrays; traced values are refused.
__getattr__ = _distribution_fallback(__name__, _scipy_stats.gamma)

