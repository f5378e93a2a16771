"""Student's t with ν = df degrees of freedom, z = (x − loc)/scale:
log p = lnΓ((ν+1)/2) − lnΓ(ν/2) − ½ log(νπ) − log scale − (ν+1)/2 · log(1 + z²/ν).
cdf(z) = F_ν(z), SciPy's ``stdtr``, with ∂F_ν/∂z = the density of z (written from logpdf,
so higher derivatives follow, and finite at z = 0 where the incomplete-beta form
1 − ½ I_{ν/(ν+z²)}(ν/2, ½) gives 0·∞).
logpdf and pdf are differentiable in x, df, loc and scale; cdf, logcdf and sf in x, loc
and scale, and they refuse a traced df (F_ν has no closed-form derivative in ν)."""

import numpy as _np
import scipy.special as _sp
import scipy.stats as _scipy_stats

from ravine.autodiff.core import defjvp, defvjp
from ravine.autodiff.tracer import primitive
from ravine.numpy import wrapper as anp
from ravine.numpy.jvps import broadcast_tangent
from ravine.numpy.vjps import unbroadcast_f
from ravine.scipy import special
from ravine.scipy._untraced import distribution_fallback as _distribution_fallback
from ravine.scipy._untraced import refuse_traced_parameter


def logpdf(x, df, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    return (special.gammaln((df + 1) / 2.0) - special.gammaln(df / 2.0) - 0.5 * anp.log(df * _np.pi)
            - anp.log(scale) - (df + 1) / 2.0 * anp.log1p(z * z / df))


def pdf(x, df, loc=0.0, scale=1.0):
    return anp.exp(logpdf(x, df, loc, scale))


def cdf(x, df, loc=0.0, scale=1.0):
    refuse_traced_parameter("ravine.scipy.stats.t.cdf", "df", df, "x, loc and scale")
    return _standard_cdf((x - loc) / scale, df)


@primitive
def _standard_cdf(z, df):
    return _sp.stdtr(df, z)


# df is never traced here: cdf refuses a traced df before the call.
defvjp(_standard_cdf, lambda ans, z, df: unbroadcast_f(z, lambda g: g * pdf(z, df)), None)
defjvp(_standard_cdf, lambda g, ans, z, df: broadcast_tangent(g * pdf(z, df), ans), None)


def logcdf(x, df, loc=0.0, scale=1.0):
    refuse_traced_parameter("ravine.scipy.stats.t.logcdf", "df", df, "x, loc and scale")
    return anp.log(cdf(x, df, loc, scale))


def sf(x, df, loc=0.0, scale=1.0):
    refuse_traced_parameter("ravine.scipy.stats.t.sf", "df", df, "x, loc and scale")
    return cdf(-x, df, -loc, scale)


# SciPy's other methods (ppf, rvs, mean, entropy, ...) on plain arrays; traced values are refused.
__getattr__ = _distribution_fallback(__name__, _scipy_stats.t)

