"""Public functions that route some calls around their primitive.

``atleast_1d(x, y, ...)`` with several arrays is a tuple of one call per array (the
primitive and its rules take one).

``pad`` with a statistic or a ramp is written from other functions (below).
Newer NumPy keywords are mapped onto the arguments ravine's primitives take:

``clip(a, min=lo, max=hi)`` (NumPy ≥ 2.1) is ``clip(a, lo, hi)``: the bounds are
moved to the positions where the primitive traces them, so a traced bound is
differentiated (∂clip/∂lo = [a < lo], ∂clip/∂hi = [a > hi], ∂clip/∂a = [lo ≤ a ≤ hi]).
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.tracer import Box, getval
from ravine.errors import NotDifferentiableError
from ravine.numpy import wrapper as _w

__all__ = ["atleast_1d", "atleast_2d", "atleast_3d", "clip", "nan_to_num", "pad"]

_NoValue = _np._NoValue


def clip(a, a_min=_NoValue, a_max=_NoValue, out=None, *, min=_NoValue, max=_NoValue, **kwargs):
    """``numpy.clip``, also with NumPy 2.1's ``min=``/``max=`` keywords."""
    if min is not _NoValue or max is not _NoValue:
        if (a_min is not _NoValue and min is not _NoValue) or (a_max is not _NoValue and max is not _NoValue):
            raise TypeError("clip: pass each bound once, either as a_min/a_max or as min/max, not both.")
        a_min = min if min is not _NoValue else a_min
        a_max = max if max is not _NoValue else a_max
    lower = None if a_min is _NoValue else a_min
    upper = None if a_max is _NoValue else a_max
    if out is not None:
        kwargs["out"] = out
    return _w.clip(a, lower, upper, **kwargs)


clip.__wrapped__ = _w.clip


# ---- pad: the modes whose padding is a statistic or a ramp -------------------------------------

_STATISTICS = {"mean": "mean", "maximum": "max", "minimum": "min", "median": "median"}


def _as_pairs(value, ndim):
    """NumPy's reading of ``pad_width``/``stat_length``/``end_values``: one (before, after)
    pair per axis from a number, a pair, or a per-axis sequence of pairs."""
    if value is None:
        return [(None, None)] * ndim
    raw = _np.asarray(getval(value) if isinstance(value, Box) else value, dtype=object)
    if raw.size == 1 and raw.ndim < 3:
        item = value if _np.ndim(raw) == 0 else _np.ravel(raw)[0]
        return [(item, item)] * ndim
    if raw.size == 2 and raw.shape != (2, 1):
        flat = _np.ravel(raw)
        return [(flat[0], flat[1])] * ndim
    return [tuple(pair) for pair in _np.broadcast_to(raw, (ndim, 2)).tolist()]


def _along(x, axis, start, stop):
    return _w.take(x, _np.arange(start, stop), axis=axis)


def _pad_by_formula(array, pad_width, mode, kwargs):
    """``pad`` axis by axis (as NumPy does: the statistic for axis k sees axes < k already
    padded), each side a broadcast statistic of ``stat_length`` entries, or the ramp
    end + (edge − end)·k/width from the end value towards the edge."""
    x = _w.asarray(array)
    ndim = _np.ndim(getval(x))
    widths = [(int(b), int(a)) for b, a in _as_pairs(pad_width, ndim)]
    if mode == "linear_ramp":
        extra = _as_pairs(kwargs.get("end_values", 0), ndim)
    else:
        extra = _as_pairs(kwargs.get("stat_length"), ndim)
    for axis, ((before, after), (first, second)) in enumerate(zip(widths, extra)):
        if not (before or after):
            continue
        n = _np.shape(getval(x))[axis]
        shape = list(_np.shape(getval(x)))
        sides = []
        for width, setting, at_start in ((before, first, True), (after, second, False)):
            shape[axis] = width
            if mode == "linear_ramp":
                edge = _along(x, axis, 0, 1) if at_start else _along(x, axis, n - 1, n)
                steps = _np.arange(width) / width if at_start else _np.arange(width)[::-1] / width
                steps = steps.reshape([-1 if k == axis else 1 for k in range(ndim)])
                sides.append(setting + (edge - setting) * steps)
            else:
                length = n if setting is None or int(setting) > n else int(setting)
                chunk = _along(x, axis, 0, length) if at_start else _along(x, axis, n - length, n)
                statistic = getattr(_public(), _STATISTICS[mode])(chunk, axis=axis, keepdims=True)
                sides.append(_w.broadcast_to(statistic, tuple(shape)))
        x = _w.concatenate([sides[0], x, sides[1]], axis=axis)
    return x


def _odd_reflection(array, pad_width, mode):
    """``pad(mode='reflect'|'symmetric', reflect_type='odd')`` axis by axis: each side is
    2·edge − the mirrored entries; None when a width needs more than one reflection."""
    x = _w.asarray(array)
    ndim = _np.ndim(getval(x))
    widths = [(int(b), int(a)) for b, a in _as_pairs(pad_width, ndim)]
    shift = 1 if mode == "reflect" else 0  # reflect skips the edge entry itself
    for axis, (before, after) in enumerate(widths):
        n = _np.shape(getval(x))[axis]
        if max(before, after) > n - shift or n == 1:
            return None
    for axis, (before, after) in enumerate(widths):
        if not (before or after):
            continue
        n = _np.shape(getval(x))[axis]
        first, last = _along(x, axis, 0, 1), _along(x, axis, n - 1, n)
        left = 2 * first - _w.take(x, _np.arange(before - 1 + shift, shift - 1, -1), axis=axis)
        right = 2 * last - _w.take(x, _np.arange(n - 1 - shift, n - 1 - shift - after, -1), axis=axis)
        x = _w.concatenate([left, x, right], axis=axis)
    return x


def _public():
    import ravine.numpy

    return ravine.numpy


def pad(array, pad_width, mode="constant", **kwargs):
    """``numpy.pad``.  The modes that copy entries (constant, edge, reflect, symmetric,
    wrap) are one primitive; ``mean``, ``maximum``, ``minimum``, ``median`` and
    ``linear_ramp`` are written from ``take``, the statistic and ``concatenate``, so a
    traced array (or traced ``end_values``) is differentiated through the statistic; so is
    the odd reflection 2·edge − mirror, when one reflection covers the width."""
    constant = kwargs.get("constant_values", 0)
    if mode == "constant" and isinstance(constant, Box):
        # pad(x, c) = pad(x, 0) + c · (1 on the padded entries): differentiable in c too.
        if _np.ndim(getval(constant)) != 0:
            raise NotDifferentiableError(
                "pad: traced constant_values must be one number; pad with 0 and add c_k times a mask of "
                "each side (np.pad(np.zeros(shape), width, constant_values=...)) for different values.")
        others = {k: v for k, v in kwargs.items() if k != "constant_values"}
        mask = _np.pad(_np.zeros(_np.shape(getval(array))), pad_width, mode="constant", constant_values=1.0)
        return _w.pad(array, pad_width, "constant", **others) + constant * mask
    traced = isinstance(array, Box) or isinstance(kwargs.get("end_values"), Box)
    if traced and mode in ("reflect", "symmetric") and kwargs.get("reflect_type") == "odd":
        odd = _odd_reflection(array, pad_width, mode)
        if odd is not None:
            return odd
    if not traced or not (mode in _STATISTICS or mode == "linear_ramp"):
        return _w.pad(array, pad_width, mode, **kwargs)
    _np.pad(getval(array), pad_width, mode, **{k: getval(v) for k, v in kwargs.items()})  # NumPy checks the call
    return _pad_by_formula(array, pad_width, mode, kwargs)


pad.__wrapped__ = _w.pad


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):
    """``numpy.nan_to_num``; replacement values that are traced are differentiated:
    the result is ``where(isnan(x), nan, where(x = +∞, posinf, where(x = −∞, neginf, x)))``."""
    if not any(isinstance(v, Box) for v in (nan, posinf, neginf)):
        return _w.nan_to_num(x, copy=copy, nan=nan, posinf=posinf, neginf=neginf)
    raw = getval(x)
    finfo = _np.finfo(_np.result_type(raw, float))
    posinf = finfo.max if posinf is None else posinf
    neginf = finfo.min if neginf is None else neginf
    result = _w.where(_np.isposinf(raw), posinf, _w.where(_np.isneginf(raw), neginf, x))
    return _w.where(_np.isnan(raw), nan, result)


def _one_array_per_call(primitive):
    """``primitive(*arys)`` as NumPy's atleast_nd: one array in, one out; several in,
    a tuple of one primitive call each."""
    def atleast(*arys):
        if len(arys) == 1:
            return primitive(arys[0])
        return tuple(primitive(a) for a in arys)

    numpy_function = getattr(_np, primitive.__name__)
    atleast.__name__ = atleast.__qualname__ = primitive.__name__
    atleast.__doc__ = numpy_function.__doc__
    atleast.__wrapped__ = primitive
    return atleast


atleast_1d = _one_array_per_call(_w.atleast_1d)
atleast_2d = _one_array_per_call(_w.atleast_2d)
atleast_3d = _one_array_per_call(_w.atleast_3d)

