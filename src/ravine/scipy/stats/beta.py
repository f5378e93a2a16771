"""Beta(a, b) on [loc, loc + scale], y = (x − loc)/scale:
log p = (a − 1) log y + (b − 1) log(1 − y) − ln B(a, b) − log scale;  cdf = I_y(a, b).
logpdf and pdf are differentiable in x, a, b, loc and scale; cdf and logcdf in x, loc and
scale, and they refuse a traced a or b (I has no closed-form derivative in a or b)."""

import scipy.stats as _scipy_stats

from ravine.numpy import wrapper as anp
from ravine.scipy import special
from ravine.scipy._untraced import distribution_fallback as _distribution_fallback
from ravine.scipy._untraced import refuse_traced_parameter


def logpdf(x, a, b, loc=0.0, scale=1.0):
    y = (x - loc) / scale
    return (a - 1.0) * anp.log(y) + (b - 1.0) * anp.log1p(-y) - special.betaln(a, b) - anp.log(scale)


def pdf(x, a, b, loc=0.0, scale=1.0):
    return anp.exp(logpdf(x, a, b, loc, scale))


def cdf(x, a, b, loc=0.0, scale=1.0):
    refuse_traced_parameter("ravine.scipy.stats.beta.cdf", "a", a, "x, loc and scale")
    refuse_traced_parameter("ravine.scipy.stats.beta.cdf", "b", b, "x, loc and scale")
    return special.betainc(a, b, (x - loc) / scale)


def logcdf(x, a, b, loc=0.0, scale=1.0):
    refuse_traced_parameter("ravine.scipy.stats.beta.logcdf", "a", a, "x, loc and scale")
    refuse_traced_parameter("ravine.scipy.stats.beta.logcdf", "b", b, "x, loc and scale")
    return anp.log(cdf(x, a, b, loc, scale))


# SciPy's other methods (ppf, rvs, mean, entropy, ...) on plain arrays; traced values are refused.
__getattr__ = _distribution_fallback(__name__, _scipy_stats.beta)

