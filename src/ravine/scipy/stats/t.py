"""Student's t with ν = df degrees of freedom, z = (x − loc)/scale:
log p = lnΓ((ν+1)/2) − lnΓ(ν/2) − ½ log(νπ) − log scale − (ν+1)/2 · log(1 + z²/ν).
cdf(z) = 1 − ½ I_{ν/(ν+z²)}(ν/2, ½) for z ≥ 0 (mirrored for z < 0).
logpdf and pdf are differentiable in x, df, loc and scale; cdf, logcdf and sf in x, loc
and scale, and they refuse a traced df (I has no closed-form derivative in ν/2)."""

import numpy as _np
import scipy.stats as _scipy_stats

from ravine.numpy import wrapper as anp
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
    z = (x - loc) / scale
    tail = 0.5 * special.betainc(df / 2.0, 0.5, df / (df + z * z))
    return anp.where(z >= 0, 1.0 - tail, tail)


def logcdf(x, df, loc=0.0, scale=1.0):
    refuse_traced_parameter("ravine.scipy.stats.t.logcdf", "df", df, "x, loc and scale")
    return anp.log(cdf(x, df, loc, scale))


def sf(x, df, loc=0.0, scale=1.0):
    refuse_traced_parameter("ravine.scipy.stats.t.sf", "df", df, "x, loc and scale")
    return cdf(-x, df, -loc, scale)


# SciPy's other methods (ppf, rvs, mean, entropy, ...) on plain arrays; traced values are refused.
__getattr__ = _distribution_fallback(__name__, _scipy_stats.t)

