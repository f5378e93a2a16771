"""Sequence and signal functions of NumPy, differentiable: ``convolve``, ``correlate``,
``interp``, ``trapezoid``, ``unwrap``, ``ediff1d``.

With no traced argument each function returns NumPy's own result; with one, the
result is built from traced operations (or one linear primitive), so derivatives of
every order follow.

convolve / correlate (1-d a of length n, v of length m, N = n + m − 1):
    full[k] = Σ_j a[j] v[k − j]                 (k = 0 … N − 1, zero outside the ranges)
    convolve(a, v, mode) = full[s : s + L],  correlate(a, v, mode) = full'[s' : s' + L]
    with full' the full convolution of a with conj(v reversed), so that
    correlate(a, v)[k] = Σ_n a[n + k] conj(v[n]) (NumPy's ``correlate2``).
    'full' keeps L = N (s = 0), 'valid' L = |n − m| + 1 (s = min(n, m) − 1), 'same'
    L = max(n, m) with NumPy's centring: s = (min(n, m) − 1) // 2 for convolve, and for
    correlate s = (m − 1) // 2 when n ≥ m, else n // 2 (NumPy mirrors that case).
    The full convolution is bilinear (no conjugate), one primitive: its JVP applies it to
    the tangents, and its VJP is a 'valid' correlation of the cotangent ḡ (length N):
        ā[k] = Σ_t ḡ[t] v[t − k],   v̄[k] = Σ_t ḡ[t] a[t − k],
    i.e. the entries m − 1 … m + n − 2 of the full convolution of ḡ with v reversed (and
    the other way round for v̄).  The conj in correlate is a traced ``conj``.

interp (x, knots xp increasing, values fp): on the segment j with xp[j] ≤ x < xp[j + 1],
    f(x) = fp[j] + s (x − xp[j]),   s = (fp[j + 1] − fp[j]) / (xp[j + 1] − xp[j]),
    left/right (default fp[0], fp[−1]) outside [xp[0], xp[−1]], fp[−1] at x = xp[−1].
    The segment index j is a constant (searchsorted on the values); derivatives:
    ∂f/∂x = s, ∂f/∂fp[j] = 1 − t, ∂f/∂fp[j + 1] = t (t = (x − xp[j])/(xp[j + 1] − xp[j])),
    ∂f/∂xp[j] = s (t − 1), ∂f/∂xp[j + 1] = −s t; at a knot the one-sided derivative of the
    segment starting there.  ``period`` maps x and xp into [0, period) with a traced
    ``mod`` and pads the sorted knots periodically, as NumPy does.

trapezoid: Σ_k d_k (y_k + y_{k+1}) / 2 with d = dx or diff(x): linear in y, smooth in x, dx.

unwrap: p + C with C the cumulated corrections, each an integer multiple n·period of the
    period: piecewise constant in p, so dp ↦ dp (the identity), and d/dperiod = Σ n.

ediff1d: [to_begin, a[1:] − a[:−1], to_end] (the pieces cast to a's dtype).
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.core import def_linear, defvjp
from ravine.autodiff.tracer import Box, getval, primitive
from ravine.numpy import wrapper as anp
from ravine.numpy.wrapper import _contains_box

__all__ = ["convolve", "correlate", "ediff1d", "interp", "trapezoid", "unwrap"]


def _traced(*args) -> bool:
    return any(_contains_box(a) for a in args)


def _real_if(like, x):
    """The real part of a cotangent whose input ``like`` is real."""
    if _np.iscomplexobj(getval(x)) and not _np.iscomplexobj(getval(like)):
        return anp.real(x)
    return x


# ---- convolve and correlate ------------------------------------------------------------------------


@primitive
def _convolve_full(a, v):
    """The full convolution of two 1-d arrays (NumPy's values)."""
    return _np.convolve(a, v, "full")


def _grad_convolve_full(argnum):
    def maker(ans, a, v):
        own, other = (a, v) if argnum == 0 else (v, a)
        n_own, n_other = len(getval(own)), len(getval(other))

        def vjp(g):
            out = _convolve_full(g, anp.flip(other))[n_other - 1:n_other - 1 + n_own]
            return _real_if(own, out)

        return vjp

    return maker


defvjp(_convolve_full, _grad_convolve_full(0), _grad_convolve_full(1))
def_linear(_convolve_full)

_MODES = {"valid": "valid", "same": "same", "full": "full", 0: "valid", 1: "same", 2: "full"}


def _mode(mode):
    if not isinstance(mode, (str, int, _np.integer)) or mode not in _MODES:
        raise ValueError("Use one of 'valid', 'same', or 'full' for convolve/correlate mode")
    return _MODES[mode]


def _vectors(name, a, v):
    a, v = anp.atleast_1d(anp.asarray(a)), anp.atleast_1d(anp.asarray(v))
    for what, x in (("a", a), ("v", v)):
        if _np.ndim(getval(x)) != 1:
            raise ValueError(f"{name}: {what} must be 1-d (it has shape {_np.shape(getval(x))}).")
        if len(getval(x)) == 0:
            raise ValueError(f"{what} cannot be empty")
    return a, v


def _window(mode, n, m, correlating):
    """(start, length) of the kept part of the full result, as NumPy aligns it."""
    if mode == "full":
        return 0, n + m - 1
    if mode == "valid":
        return min(n, m) - 1, abs(n - m) + 1
    if correlating and n < m:
        return n // 2, m
    return (min(n, m) - 1) // 2, max(n, m)


def convolve(a, v, mode="full"):
    """``numpy.convolve``: the discrete linear convolution of two 1-d sequences,
    differentiable in both (see the module docstring)."""
    if not _traced(a, v):
        return _np.convolve(a, v, mode)
    mode = _mode(mode)
    a, v = _vectors("convolve", a, v)
    start, length = _window(mode, len(getval(a)), len(getval(v)), correlating=False)
    return _convolve_full(a, v)[start:start + length]


def correlate(a, v, mode="valid"):
    """``numpy.correlate``: c[k] = Σ_n a[n + k] conj(v[n]), differentiable in both
    sequences (see the module docstring)."""
    if not _traced(a, v):
        return _np.correlate(a, v, mode)
    mode = _mode(mode)
    a, v = _vectors("correlate", a, v)
    start, length = _window(mode, len(getval(a)), len(getval(v)), correlating=True)
    return _convolve_full(a, anp.conj(anp.flip(v)))[start:start + length]


# ---- interp -------------------------------------------------------------------------------------------


def interp(x, xp, fp, left=None, right=None, period=None):
    """``numpy.interp``: piecewise-linear interpolation, differentiable in ``x``, ``xp``,
    ``fp``, ``left``, ``right`` and ``period`` (see the module docstring)."""
    if not _traced(x, xp, fp, left, right, period):
        return _np.interp(x, xp, fp, left, right, period)
    dtype = _np.complex128 if _np.iscomplexobj(getval(anp.asarray(fp))) else _np.float64
    x, xp, fp = anp.asarray(x, _np.float64), anp.asarray(xp, _np.float64), anp.asarray(fp, dtype)
    if period is not None:
        if getval(period) == 0:
            raise ValueError("period must be a non-zero value")
        period, left, right = anp.abs(period), None, None
        if _np.ndim(getval(xp)) != 1 or _np.ndim(getval(fp)) != 1:
            raise ValueError("Data points must be 1-D sequences")
        if len(getval(xp)) != len(getval(fp)):
            raise ValueError("fp and xp are not of the same length")
        x, xp = anp.mod(x, period), anp.mod(xp, period)
        order = _np.argsort(getval(xp))
        xp, fp = xp[order], fp[order]
        xp = anp.concatenate([xp[-1:] - period, xp, xp[0:1] + period])
        fp = anp.concatenate([fp[-1:], fp, fp[0:1]])
    return _interp_sorted(x, xp, fp, left, right)


def _interp_sorted(x, xp, fp, left, right):
    """Interpolation on increasing knots (NumPy's compiled ``interp``, traced)."""
    xv, xpv = getval(x), getval(xp)
    if _np.ndim(xpv) != 1 or _np.ndim(getval(fp)) != 1:
        raise ValueError("object too deep for desired array" if _np.ndim(xpv) > 1 else "xp and fp must be 1-d")
    n = len(xpv)
    if n == 0:
        raise ValueError("array of sample points is empty")
    if len(getval(fp)) != n:
        raise ValueError("fp and xp are not of the same length.")
    left = fp[0] if left is None else left
    right = fp[-1] if right is None else right
    if n == 1:  # NumPy's special case: fp[0] unless x is below or above the knot (NaN included)
        return anp.where(xv < xpv[0], left, anp.where(xv > xpv[0], right, fp[0] + anp.zeros_like(xv)))
    j = _np.clip(_np.searchsorted(xpv, xv, side="right") - 1, 0, n - 2)  # the segment: a constant
    width = xp[j + 1] - xp[j]
    width = anp.where(getval(width) == 0, 1.0, width)  # repeated knots: a segment never used
    slope = (fp[j + 1] - fp[j]) / width
    inside = anp.where(xv == xpv[-1], fp[-1], slope * (x - xp[j]) + fp[j])
    out = anp.where(xv < xpv[0], left, anp.where(xv > xpv[-1], right, inside))
    return anp.where(_np.isnan(xv), x, out)


# ---- trapezoid, unwrap, ediff1d ---------------------------------------------------------------------------


def trapezoid(y, x=None, dx=1.0, axis=-1):
    """``numpy.trapezoid``: Σ d (y_k + y_{k+1}) / 2 along ``axis``, differentiable in
    ``y``, ``x`` and ``dx``."""
    if not _traced(y, x, dx):
        return _np.trapezoid(y, x, dx, axis)
    y = anp.asarray(y)
    nd = _np.ndim(getval(y))
    if x is None:
        d = dx
    else:
        x = anp.asarray(x)
        if _np.ndim(getval(x)) == 1:
            d = anp.diff(x)
            shape = [1] * nd
            shape[axis] = _np.shape(getval(d))[0]
            d = anp.reshape(d, shape)
        else:
            d = anp.diff(x, axis=axis)
    upper, lower = [slice(None)] * nd, [slice(None)] * nd
    upper[axis], lower[axis] = slice(1, None), slice(None, -1)
    return anp.sum(d * (y[tuple(upper)] + y[tuple(lower)]) / 2.0, axis)


def unwrap(p, discont=None, axis=-1, *, period=2 * _np.pi):
    """``numpy.unwrap``: p plus piecewise-constant multiples of ``period`` (derivative:
    the identity in ``p``; Σ n in ``period``; ``discont`` is a threshold, no derivative)."""
    if not _traced(p, period):
        return _np.unwrap(p, getval(discont), axis, period=period)
    p = anp.asarray(p)
    p_value, period_value = _np.asarray(getval(p)), getval(period)
    exact = _np.unwrap(p_value, getval(discont), axis, period=period_value)
    # exact = p + C; adding the zero-valued traced differences keeps NumPy's values bit for bit
    out = exact + (p - p_value)
    if isinstance(period, Box):
        multiples = _np.round((exact - p_value) / period_value)
        out = out + multiples * (period - period_value)
    return out


def ediff1d(ary, to_end=None, to_begin=None):
    """``numpy.ediff1d``: the differences of the flattened array, with ``to_begin`` and
    ``to_end`` (cast to its dtype) around them; linear in every argument."""
    if not _traced(ary, to_end, to_begin):
        return _np.ediff1d(ary, to_end, to_begin)
    ary = anp.ravel(anp.asarray(ary))
    dtype = getval(ary).dtype
    pieces = []
    for name, extra in (("to_begin", to_begin), ("to_end", to_end)):
        if extra is not None:
            extra = anp.asarray(extra)
            if not _np.can_cast(getval(extra), dtype, casting="same_kind"):
                raise TypeError(f"dtype of `{name}` must be compatible with input `ary` under the "
                                "`same_kind` rule.")
            pieces.append(anp.ravel(extra) if getval(extra).dtype == dtype else anp.ravel(anp.astype(extra, dtype)))
        else:
            pieces.append(None)
    middle = ary[1:] - ary[:-1]
    return anp.concatenate([piece for piece in (pieces[0], middle, pieces[1]) if piece is not None])
