"""Elementwise functions that NumPy has and ravine's primitives did not cover.

Where no argument is traced each returns NumPy's own result.  On traced values:

* ``copysign(x1, x2) = |x1| · s`` with the constant s = ±1 read from the sign bit of x2:
  ∂/∂x1 = sign(x1)·s (= sign(x1)·sign(x2) away from 0; 0 at x1 = 0, the subgradient of
  |·|), ∂/∂x2 = 0 (the result only jumps where x2 changes sign).
* ``heaviside(x1, x2)`` is 0 for x1 < 0, x2 where x1 = 0 and 1 for x1 > 0 (NaN for NaN):
  piecewise constant in x1 (∂/∂x1 = 0), and ∂/∂x2 = [x1 = 0], since the value at 0 *is* x2.
* ``ldexp(x1, x2) = x1 · 2^x2`` with integer x2: a primitive, linear in x1, whose rules
  are ldexp(g, x2) itself (exact, no overflow of 2^x2 before the product); x2 is an
  integer and carries no derivative.
* ``frexp(x) = (m, e)`` with x = m · 2^e: e is a constant (an integer), m = ldexp(x, −e),
  so ∂m/∂x = 2^−e.
* ``modf(x) = (x − trunc x, trunc x)``: the fractional part has derivative 1, the
  integral part is a constant (derivative 0 away from the integers).
* ``divmod(x1, x2) = (floor_divide(x1, x2), mod(x1, x2))``: the quotient is a constant,
  the remainder is ravine's ``mod`` (∂/∂x1 = 1, ∂/∂x2 = −floor(x1/x2)).
* ``signbit``, ``spacing``, ``isneginf``, ``isposinf``, ``gcd``, ``lcm``, ``isin``: constants
  (booleans, integers, or — for ``spacing``, the gap to the next float — piecewise
  constant, so zero derivative almost everywhere is the true one).
* ``nextafter(x1, x2)``: the next float after x1 towards x2.  Its true derivative in x1
  is 1 (it moves x1 by one unit in the last place), so a constant would be silently
  wrong: a traced x1 is refused with :class:`~ravine.errors.NotDifferentiableError`
  (the message shows the differentiable spelling).  A traced x2 alone only picks the
  direction, so there the result is a constant (∂/∂x2 = 0 is the true derivative).
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.core import defjvp, defvjp
from ravine.autodiff.tracer import Box, getval, notrace_primitive, primitive, read_value
from ravine.errors import NotDifferentiableError
from ravine.numpy import wrapper as _w
from ravine.numpy.vjps import unbroadcast_f

__all__ = [
    "copysign",
    "divmod",
    "frexp",
    "gcd",
    "heaviside",
    "isin",
    "isneginf",
    "isposinf",
    "lcm",
    "ldexp",
    "modf",
    "nextafter",
    "signbit",
    "spacing",
]

signbit = notrace_primitive(_np.signbit)
spacing = notrace_primitive(_np.spacing)
isneginf = notrace_primitive(_np.isneginf)
isposinf = notrace_primitive(_np.isposinf)
gcd = notrace_primitive(_np.gcd)
lcm = notrace_primitive(_np.lcm)
isin = notrace_primitive(_np.isin)


def _traced(*args) -> bool:
    return any(isinstance(a, Box) for a in args)


def copysign(x1, x2):
    """``numpy.copysign``: |x1| with the sign of x2; ∂/∂x1 = sign(x1)·sign(x2), ∂/∂x2 = 0."""
    if not _traced(x1, x2):
        return _np.copysign(x1, x2)
    raw1, raw2 = read_value(x1), read_value(x2)
    signs = _np.copysign(_np.ones_like(_np.copysign(raw1, raw2)), raw2)  # ±1 in the result's dtype
    return _w.abs(x1) * signs


def heaviside(x1, x2):
    """``numpy.heaviside``: 0, x2 or 1 as x1 < 0, x1 = 0, x1 > 0; ∂/∂x1 = 0, ∂/∂x2 = [x1 = 0]."""
    if not _traced(x1, x2):
        return _np.heaviside(x1, x2)
    raw1 = read_value(x1)
    # where gives a 0-d array for scalars, where the ufunc gives a NumPy scalar
    return _w.numpy_scalar(
        _w.where(raw1 == 0, x2, _np.heaviside(raw1, _np.zeros((), _np.result_type(raw1, getval(x2))))))


ldexp = primitive(_np.ldexp)
ldexp.__doc__ = "``numpy.ldexp``: x1 · 2**x2 for integer x2; linear in x1 (∂/∂x1 = 2**x2)."
defvjp(ldexp, lambda ans, x1, x2: unbroadcast_f(x1, lambda g: ldexp(g, x2)))
defjvp(ldexp, lambda g, ans, x1, x2: _w.broadcast_to(ldexp(g, x2), _np.shape(getval(ans))))


def frexp(x):
    """``numpy.frexp``: (m, e) with x = m · 2**e and 0.5 ≤ |m| < 1; e is a constant,
    m = ldexp(x, −e), so ∂m/∂x = 2**−e."""
    if not _traced(x):
        return _np.frexp(x)
    exponent = _np.frexp(read_value(x))[1]
    return ldexp(x, -exponent), exponent


def modf(x):
    """``numpy.modf``: (fractional part, integral part); d frac/dx = 1, the integral part
    is a constant."""
    if not _traced(x):
        return _np.modf(x)
    raw = read_value(x)
    fractional, integral = _np.modf(raw)
    # x − trunc(x) is exact for finite x; ±inf has fractional part ±0 (kept from NumPy).
    return _w.where(_np.isfinite(raw), x - integral, fractional), integral


def divmod(x1, x2):
    """``numpy.divmod``: (floor_divide(x1, x2), mod(x1, x2)); the quotient is a constant,
    the remainder is differentiated as ``mod``."""
    if not _traced(x1, x2):
        return _np.divmod(x1, x2)
    return _w.floor_divide(x1, x2), _w.mod(x1, x2)


def nextafter(x1, x2):
    """``numpy.nextafter``; refuses a traced x1 (its derivative is 1, not 0), and is a
    constant in x2."""
    if isinstance(x1, Box):
        raise NotDifferentiableError(
            "nextafter(x1, x2) with a traced x1: the result is x1 moved by one unit in the last "
            "place, so its derivative in x1 is 1 and a constant would be silently wrong. Write "
            "x1 + (np.nextafter(ravine.getval(x1), x2) - ravine.getval(x1)) to keep derivative 1, "
            "or pass ravine.getval(x1) to hold it constant.")
    return _np.nextafter(x1, read_value(x2))
