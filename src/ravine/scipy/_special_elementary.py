"""Elementary functions of ``ravine.scipy.special``, accurate near 0 in SciPy,
with their derivatives:

    log1p' = 1/(1+x)          expm1' = eˣ            cbrt' = 1/(3 cbrt(x)²)
    exp2' = 2ˣ ln 2           exp10' = 10ˣ ln 10     cosm1' = −sin x
    exprel' = (x eˣ − eˣ + 1)/x² = ∫₀¹ t e^{xt} dt    (½ at x = 0)
    ∂ₓ powm1(x, y) = y x^{y−1}      ∂ᵧ powm1(x, y) = x^y log x

exprel and its derivatives are the moments Mₙ(x) = ∫₀¹ tⁿ e^{xt} dt
(exprel = M₀, Mₙ' = Mₙ₊₁), computed without the cancellation of the closed
form near 0; :func:`exprel_moment` is shared with the Box-Cox rules.

Domain edges: log1p' is +∞ at x = −1 and refused below it; cbrt' is +∞ at 0 (a
vertical tangent).  powm1 is refused in x where x < 0 and y is not an integer
or x = 0 and y < 0 (SciPy's value is NaN or ∞ there); in y where x < 0 or
x = 0 and y ≤ 0.  At x = 0 the derivative in x is y·0^{y−1} (+∞ for 0 < y < 1,
one-sided) and in y it is 0 (0^y is 0 for every y > 0).
"""

from __future__ import annotations

import numpy as _np
import scipy.special as _sp

from ravine.numpy import wrapper as anp
from ravine.numpy.vjps import exponent_minus_one
from ravine.scipy._special_rules import binary, order_first, real_and, refuse, unary

__all__ = ["cbrt", "cosm1", "exp2", "exp10", "expm1", "exprel", "log1p", "powm1"]

_LN2, _LN10 = float(_np.log(2.0)), float(_np.log(10.0))


def _log1p_domain(argnum, x):
    refuse(real_and(x, lambda v: v < -1), "log1p", "x", "where x < −1 (log1p is NaN there)",
           "Keep x ≥ −1; at x = −1 the derivative is +∞.")


log1p = unary("log1p", lambda ans, x: anp.reciprocal(1.0 + x), _log1p_domain)
expm1 = unary("expm1", lambda ans, x: anp.exp(x))
cbrt = unary("cbrt", lambda ans, x: 1.0 / (3.0 * ans * ans), quiet=True)
exp2 = unary("exp2", lambda ans, x: _LN2 * ans)
exp10 = unary("exp10", lambda ans, x: _LN10 * ans)
cosm1 = unary("cosm1", lambda ans, x: -anp.sin(x))


def _moment_series(n, x):
    """Σₖ xᵏ/(k!(n+k+1)): for |x| < 1, and for 0 ≤ x ≤ n + 1 (positive terms)."""
    total = _np.zeros_like(x)
    term = _np.ones_like(x)  # xᵏ/k!
    for k in range(400):
        add = term / (n + k + 1)
        total = total + add
        if _np.all(_np.abs(add) <= 1e-17 * _np.abs(total)):
            break
        term = term * x / (k + 1)
    return total


def _moment_negative(n, x):
    """n! P(n+1, −x)/(−x)^{n+1} for x ≤ −1 (P the regularised lower incomplete gamma)."""
    return _np.exp(_sp.gammaln(n + 1) - (n + 1) * _np.log(-x)) * _sp.gammainc(n + 1, -x)


def _moment_large(n, x):
    """eˣ Jₙ for x > n + 1, with J₀ = (1 − e⁻ˣ)/x and Jₖ = (1 − k Jₖ₋₁)/x (stable there)."""
    j = -_np.expm1(-x) / x
    for k in range(1, n + 1):
        j = (1.0 - k * j) / x
    with _np.errstate(over="ignore"):
        return _np.exp(x) * j


def _exprel_moment(n, x):
    x = _np.asarray(x, dtype=float)
    n = int(n)
    if n == 0:
        return _sp.exprel(x)
    out = _np.full(x.shape, _np.nan)
    small = (_np.abs(x) < 1) | ((x >= 0) & (x <= n + 1))
    neg, large = x <= -1, x > n + 1
    out[small] = _moment_series(n, x[small])
    out[neg] = _moment_negative(n, x[neg])
    out[large] = _moment_large(n, x[large])
    return out[()]


exprel_moment = order_first("exprel_moment", lambda ans, n, x: exprel_moment(int(n) + 1, x), raw=_exprel_moment)
exprel_moment.__doc__ = "Mₙ(x) = ∫₀¹ tⁿ e^{xt} dt for a constant integer n ≥ 0 (Mₙ' = Mₙ₊₁; exprel = M₀)."
exprel = unary("exprel", lambda ans, x: exprel_moment(1, x))


def _powm1_domain(argnum, x, y):
    x, y = _np.broadcast_arrays(x, y)
    if argnum == 0:
        refuse(((x < 0) & (y != _np.round(y))) | ((x == 0) & (y < 0)), "powm1", "x",
               "where x < 0 and y is not an integer, or x = 0 and y < 0 (powm1 is NaN or ∞ there)",
               "Keep x > 0 (or y an integer ≥ 0 where x ≤ 0).")
    else:
        refuse((x < 0) | ((x == 0) & (y <= 0)), "powm1", "y",
               "where x < 0 (xʸ is real only at integer y) or x = 0 and y ≤ 0",
               "Keep x > 0; at x = 0 and y > 0 the derivative in y is 0.")


def _powm1_dy(ans, x, y):
    # xʸ log x, with 0 where x = 0 (0ʸ = 0 for every y > 0)
    return (ans + 1.0) * anp.log(anp.where(x > 0, x, 1.0))


powm1 = binary("powm1", lambda ans, x, y: y * anp.power(x, exponent_minus_one(y)), _powm1_dy, _powm1_domain)
