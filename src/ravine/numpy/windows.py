"""NumPy's window functions and the Bessel function I₀ behind ``kaiser``.

i0(x) = I₀(x), the modified Bessel function of the first kind of order 0 (NumPy's
Chebyshev values).  Its derivatives come from the recurrence
    I_n′(x) = (I_{n−1}(x) + I_{n+1}(x)) / 2,   I_{−1} = I_1,
so I₀′ = I₁, I₁′ = (I₀ + I₂)/2, …: one primitive ``_bessel_i(x, n)`` whose rule is
itself, which gives derivatives of every order (I₁ and I_n from SciPy's ``scipy.special``).
Only real x (NumPy refuses complex x).

bartlett, blackman, hamming, hanning (M): constants of the integer window length M.
kaiser(M, beta) = I₀(β √(1 − ((n − α)/α)²)) / I₀(β), α = (M − 1)/2, n = 0 … M − 1:
a constant for a plain β, differentiable in a traced β (through ``i0``).

M counts samples: a traced M is refused (NotDifferentiableError), since NumPy's
formulas accept a non-integer M and a zero derivative would be silently wrong there.
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.core import defjvp, defvjp
from ravine.autodiff.tracer import Box, getval, primitive
from ravine.errors import NotDifferentiableError
from ravine.numpy import wrapper as anp
from ravine.numpy.wrapper import _contains_box

__all__ = ["bartlett", "blackman", "hamming", "hanning", "i0", "kaiser"]


@primitive
def _bessel_i(x, n):
    """I_n(x) for a non-negative integer n: NumPy's ``i0`` for n = 0, SciPy otherwise."""
    if n == 0:
        return _np.i0(x)
    from scipy import special  # only when a derivative is asked for

    return special.i1(x) if n == 1 else special.iv(n, x)


def _bessel_derivative(x, n):
    return (_bessel_i(x, abs(n - 1)) + _bessel_i(x, n + 1)) / 2.0


defvjp(_bessel_i, lambda ans, x, n: lambda g: g * _bessel_derivative(x, n))
defjvp(_bessel_i, lambda g, ans, x, n: g * _bessel_derivative(x, n))


def i0(x):
    """``numpy.i0``: the modified Bessel function I₀ of real x; derivative I₁(x)."""
    if not _contains_box(x):
        return _np.i0(x)
    x = anp.asarray(x)
    if _np.iscomplexobj(getval(x)):
        raise TypeError("i0 not supported for complex values")
    return _bessel_i(x, 0)


def _refuse_traced_length(name, M):
    if isinstance(M, Box):
        raise NotDifferentiableError(
            f"{name}: the window length M is traced. M counts samples (an integer), so it has no "
            f"derivative, and NumPy's formula would give a silently wrong zero one for a non-integer M. "
            f"Pass an integer, or ravine.getval(M) to hold it constant."
        )


def _constant_window(name):
    numpy_window = getattr(_np, name)

    def window(M):
        _refuse_traced_length(name, M)
        return numpy_window(M)

    window.__name__ = window.__qualname__ = name
    window.__doc__ = f"``numpy.{name}``: the window of M samples, a constant (M an integer, not traced)."
    return window


bartlett = _constant_window("bartlett")
blackman = _constant_window("blackman")
hamming = _constant_window("hamming")
hanning = _constant_window("hanning")


def kaiser(M, beta):
    """``numpy.kaiser``: I₀(β √(1 − ((n − α)/α)²)) / I₀(β), differentiable in β."""
    _refuse_traced_length("kaiser", M)
    if not isinstance(beta, Box):
        return _np.kaiser(M, beta)
    M = float(M)
    if M == 1:
        return _np.ones(1)
    n = _np.arange(0, M)
    alpha = (M - 1) / 2.0
    return i0(beta * _np.sqrt(1 - ((n - alpha) / alpha) ** 2.0)) / i0(beta)
