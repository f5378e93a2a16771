"""Chi-squared with k = df degrees of freedom: Gamma(k/2) with scale 2, so with
y = (x − loc)/scale:
log p = (k/2 − 1) log y − y/2 − (k/2) log 2 − lnΓ(k/2) − log scale;  cdf = P(k/2, y/2).
logpdf and pdf are differentiable in x, df, loc and scale; cdf and logcdf in x, loc and scale, and they
refuse a traced df."""

from typing import Any

import scipy.stats as _scipy_stats

from ravine.scipy._untraced import distribution_fallback as _distribution_fallback
from ravine.scipy._untraced import refuse_traced_parameter
from ravine.scipy.stats import gamma


def logpdf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
    return gamma.logpdf(x, 0.5 * df, loc, 2.0 * scale)


def pdf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
    return gamma.pdf(x, 0.5 * df, loc, 2.0 * scale)


def cdf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
    refuse_traced_parameter("ravine.scipy.stats.chi2.cdf", "df", df, "x, loc and scale")
    return gamma.cdf(x, 0.5 * df, loc, 2.0 * scale)


def logcdf(x: Any, df: Any, loc: Any = 0.0, scale: Any = 1.0) -> Any:
    refuse_traced_parameter("ravine.scipy.stats.chi2.logcdf", "df", df, "x, loc and scale")
    return gamma.logcdf(x, 0.5 * df, loc, 2.0 * scale)


# SciPy's other methods (ppf, rvs, mean, entropy, ...) on plain arrays; traced values are refused.
__getattr__ = _distribution_fallback(__name__, _scipy_stats.chi2)

