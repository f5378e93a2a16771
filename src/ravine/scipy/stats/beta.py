"""Beta(a, b) on [loc, loc + scale], y = (x − loc)/scale:
log p = (a − 1) log y + (b − 1) log(1 − y) − ln B(a, b) − log scale;  cdf = I_y(a, b).
As in SciPy, 0 · log 0 is 0 (xlogy, xlog1py: a = 1 at y = 0, b = 1 at y = 1), and off the
support [0, 1] the density is 0 and the cdf 0 below, 1 above, with derivative 0 there.
logpdf and pdf are differentiable in x, a, b, loc and scale; cdf and logcdf in x, loc and
scale, and they refuse a traced a or b (I has no closed-form derivative in a or b)."""

import numpy as _np
import scipy.stats as _scipy_stats

from ravine.autodiff.tracer import getval
from ravine.numpy import wrapper as anp
from ravine.scipy import special
from ravine.scipy._untraced import distribution_fallback as _distribution_fallback
from ravine.scipy._untraced import refuse_traced_parameter


def _on_support(y, formula, below, above):
    """formula(y) for 0 ≤ y ≤ 1, ``below``/``above`` outside; formula runs at y = ½
    there, so that its derivatives are 0 rather than NaN."""
    yv = getval(y)
    inside = (yv >= 0) & (yv <= 1)
    if _np.all(inside):
        return formula(y)
    return anp.where(inside, formula(anp.where(inside, y, 0.5)), anp.where(yv < 0, below, above))


def logpdf(x, a, b, loc=0.0, scale=1.0):
    def density(y):
        return special.xlogy(a - 1.0, y) + special.xlog1py(b - 1.0, -y) - special.betaln(a, b) - anp.log(scale)

    return _on_support((x - loc) / scale, density, -_np.inf, -_np.inf)


def pdf(x, a, b, loc=0.0, scale=1.0):
    return anp.exp(logpdf(x, a, b, loc, scale))


def cdf(x, a, b, loc=0.0, scale=1.0):
    refuse_traced_parameter("ravine.scipy.stats.beta.cdf", "a", a, "x, loc and scale")
    refuse_traced_parameter("ravine.scipy.stats.beta.cdf", "b", b, "x, loc and scale")
    return _on_support((x - loc) / scale, lambda y: special.betainc(a, b, y), 0.0, 1.0)


def logcdf(x, a, b, loc=0.0, scale=1.0):
    refuse_traced_parameter("ravine.scipy.stats.beta.logcdf", "a", a, "x, loc and scale")
    refuse_traced_parameter("ravine.scipy.stats.beta.logcdf", "b", b, "x, loc and scale")
    return _on_support((x - loc) / scale, lambda y: anp.log(special.betainc(a, b, y)), -_np.inf, 0.0)


# SciPy's other methods (ppf, rvs, mean, entropy, ...) on plain arrays; traced values are refused.
__getattr__ = _distribution_fallback(__name__, _scipy_stats.beta)

