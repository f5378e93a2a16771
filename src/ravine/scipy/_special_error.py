"""Inverse normal CDF and the scaled error functions of ``ravine.scipy.special``:

    ndtri' = 1/φ(ndtri p) = √(2π) e^{ndtri(p)²/2}
    ndtri_exp'(y) = eʸ/φ(ndtri_exp y) = √(2π) e^{y + ndtri_exp(y)²/2}
    erfcx' = 2x erfcx(x) − 2/√π      erfi' = 2/√π e^{x²}
    dawsn' = 1 − 2x dawsn(x)          wofz' = −2z w(z) + 2i/√π  (complex)

At p = 0 or 1 (y = 0 for ndtri_exp) the derivative is +∞, the limit; outside
[0, 1] (y > 0), where SciPy returns NaN, it is refused.  erfcx' and dawsn' lose
relative accuracy for large |x| (about x²·10⁻¹⁶), where the two terms cancel.
"""

from __future__ import annotations

import numpy as _np

from ravine.numpy import wrapper as anp
from ravine.scipy._special_rules import real_and, refuse, unary

__all__ = ["dawsn", "erfcx", "erfi", "ndtri", "ndtri_exp", "wofz"]

_SQRT_PI = float(_np.sqrt(_np.pi))
_SQRT_2PI = float(_np.sqrt(2 * _np.pi))


def _ndtri_domain(argnum, p):
    refuse(real_and(p, lambda v: (v < 0) | (v > 1)), "ndtri", "p", "outside [0, 1] (ndtri is NaN there)",
           "Keep p in [0, 1]; at p = 0 or 1 the derivative is +∞.")


def _ndtri_exp_domain(argnum, y):
    refuse(real_and(y, lambda v: v > 0), "ndtri_exp", "y", "where y > 0 (ndtri_exp is NaN there)",
           "Keep y ≤ 0; at y = 0 the derivative is +∞.")


ndtri = unary("ndtri", lambda ans, p: _SQRT_2PI * anp.exp(0.5 * ans * ans), _ndtri_domain)
ndtri_exp = unary("ndtri_exp", lambda ans, y: _SQRT_2PI * anp.exp(y + 0.5 * ans * ans), _ndtri_exp_domain)
erfcx = unary("erfcx", lambda ans, x: 2.0 * x * ans - 2.0 / _SQRT_PI)
erfi = unary("erfi", lambda ans, x: 2.0 / _SQRT_PI * anp.exp(x * x))
dawsn = unary("dawsn", lambda ans, x: 1.0 - 2.0 * x * ans)
wofz = unary("wofz", lambda ans, z: -2.0 * z * ans + 2j / _SQRT_PI)
