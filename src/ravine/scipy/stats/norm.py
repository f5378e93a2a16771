"""Normal distribution N(loc, scale²): z = (x − loc)/scale,
log p = −z²/2 − log scale − ½ log 2π, cdf = Φ(z), sf = Φ(−z)."""

import numpy as _np
import scipy.stats as _scipy_stats

from ravine.numpy import wrapper as anp
from ravine.scipy import special
from ravine.scipy._untraced import distribution_fallback as _distribution_fallback

_HALF_LOG_2PI = float(0.5 * _np.log(2 * _np.pi))


def logpdf(x, loc=0.0, scale=1.0):
    z = (x - loc) / scale
    return -0.5 * z * z - anp.log(scale) - _HALF_LOG_2PI


def pdf(x, loc=0.0, scale=1.0):
    return anp.exp(logpdf(x, loc, scale))


def cdf(x, loc=0.0, scale=1.0):
    return special.ndtr((x - loc) / scale)


def logcdf(x, loc=0.0, scale=1.0):
    return special.log_ndtr((x - loc) / scale)


def sf(x, loc=0.0, scale=1.0):
    return special.ndtr(-(x - loc) / scale)


def logsf(x, loc=0.0, scale=1.0):
    return special.log_ndtr(-(x - loc) / scale)


# SciPy's other methods (ppf, rvs, mean, entropy, ...) on plain arrays; traced values are refused.
__getattr__ = _distribution_fallback(__name__, _scipy_stats.norm)

