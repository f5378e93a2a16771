"""NumPy's reductions with all their keywords: ``where``, ``initial``, ``correction``, ``mean``.

The primitives ``sum``, ``prod``, ``max``/``amax``, ``min``/``amin``, ``mean``,
``var``, ``std`` and ``nansum`` of :mod:`ravine.numpy.wrapper` carry derivative
rules for ``axis``, ``dtype``, ``keepdims`` and ``ddof``.  The public functions
here take every keyword NumPy takes.  A call that uses one of the others is
written from the primitives, so its derivative follows from theirs:

* ``sum(a, where=m, initial=c)``   = Σ_{i: mᵢ} aᵢ + c
* ``prod(a, where=m, initial=c)``  = c · Π_{i: mᵢ} aᵢ
* ``max(a, where=m, initial=c)``   = max(max_{i: mᵢ} aᵢ, c)   (min likewise)
* ``mean(a, where=m)``             = Σ_{i: mᵢ} aᵢ / #{i: mᵢ}
* ``var(a, where=m, ddof=δ, mean=μ)`` = Σ_{i: mᵢ} |aᵢ − μ|² / (#{i: mᵢ} − δ), with
  μ = mean(a, where=m) unless given (``correction`` is NumPy 2's name for ``ddof``)
* ``std`` = √var (0, with derivative 0, over a slice of one entry)

Masked-out entries get a zero derivative; ``initial`` and a given ``mean`` are
differentiated too.  NumPy itself checks every call first, so a call NumPy
refuses (``max`` with ``where`` but no ``initial``, say) raises NumPy's error.
Without traced values the result is NumPy's own.
"""

from __future__ import annotations

import inspect as _inspect

import numpy as _np

from ravine.autodiff.tracer import Box, getval, read_value
from ravine.errors import TracingError
from ravine.numpy import wrapper as _w

__all__ = ["sum", "prod", "max", "amax", "min", "amin", "mean", "var", "std", "nansum"]

_NoValue = _np._NoValue


def _given(value) -> bool:
    return value is not _NoValue


def _keepdims(value) -> bool:
    return bool(value) if _given(value) else False


def _public(name: str, plain_positional: int, options: frozenset, composite):
    """The public ``name``: the primitive for the common keywords, ``composite``
    (called with NumPy's bound arguments) when one of ``options`` is used."""
    primitive = getattr(_w, name)
    numpy_function = getattr(_np, name)
    signature = _inspect.signature(numpy_function)

    def reduction(a, *args, **kwargs):
        if len(args) <= plain_positional and (not kwargs or options.isdisjoint(kwargs)):
            return primitive(a, *args, **kwargs)
        if type(a) in (list, tuple) and _w._contains_box(a):
            a = _w.array(a)
        bound = signature.bind(a, *args, **kwargs)
        bound.apply_defaults()
        values = bound.arguments
        traced = [k for k, v in values.items() if isinstance(v, Box)]
        if not traced:
            return numpy_function(*bound.args, **bound.kwargs)
        if values.get("out") is not None:
            raise TracingError(
                f"np.{name}(..., out=...) cannot write a traced value into an array; use the "
                f"returned value instead: y = np.{name}(...)."
            )
        # NumPy validates the call (shapes, the initial value max needs with where, ...).
        numpy_function(*[read_value(v) for v in bound.args],
                       **{k: read_value(v) for k, v in bound.kwargs.items()})
        return composite(**values)

    reduction.__name__ = reduction.__qualname__ = name
    reduction.__doc__ = (f"``numpy.{name}`` with all its keywords; see :mod:`{__name__}` for the "
                         "derivative of ``where``, ``initial`` and the other options.")
    reduction.__wrapped__ = primitive
    reduction.__signature__ = signature
    return reduction


def _mask(where, a):
    """The ``where`` mask broadcast to the shape of ``a`` (a constant), or None."""
    if not _given(where) or where is True:
        return None
    return _np.broadcast_to(_np.asarray(read_value(where), dtype=bool), _np.shape(getval(a)))


def _masked(a, mask, fill):
    return a if mask is None else _w.where(mask, a, fill)


def _sum(a, axis=None, dtype=None, out=None, keepdims=_NoValue, initial=_NoValue, where=_NoValue):
    total = _w.sum(_masked(a, _mask(where, a), 0.0), axis=axis, dtype=dtype, keepdims=_keepdims(keepdims))
    return total + initial if _given(initial) else total


def _prod(a, axis=None, dtype=None, out=None, keepdims=_NoValue, initial=_NoValue, where=_NoValue):
    product = _w.prod(_masked(a, _mask(where, a), 1.0), axis=axis, dtype=dtype, keepdims=_keepdims(keepdims))
    return product * initial if _given(initial) else product


def _extreme(primitive, fill, pick):
    def composite(a, axis=None, out=None, keepdims=_NoValue, initial=_NoValue, where=_NoValue):
        best = primitive(_masked(a, _mask(where, a), fill), axis=axis, keepdims=_keepdims(keepdims))
        return pick(best, initial) if _given(initial) else best

    return composite


def _count(mask, a, axis, keepdims):
    """How many entries each slice reduces over (a NumPy array, or a number)."""
    if mask is None:
        mask = _np.ones(_np.shape(getval(a)), dtype=bool)
    return _np.sum(mask, axis=axis, keepdims=keepdims)


def _divided(total, count):
    """``total / count`` with the count in the real dtype of ``total`` (float32 stays
    float32, as in NumPy's mean and var)."""
    dtype = _np.result_type(getval(total))
    real = _np.empty(0, dtype if dtype.kind in "fc" else _np.float64).real.dtype
    return total / _np.asarray(count, dtype=real)


def _mean(a, axis=None, dtype=None, out=None, keepdims=_NoValue, *, where=_NoValue):
    mask = _mask(where, a)
    keep = _keepdims(keepdims)
    total = _w.sum(_masked(a, mask, 0.0), axis=axis, dtype=dtype, keepdims=keep)
    return _divided(total, _count(mask, a, axis, keep))


def _var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=_NoValue, *, where=_NoValue, mean=_NoValue,
         correction=_NoValue):
    if _given(correction):
        ddof = correction
    mask = _mask(where, a)
    keep = _keepdims(keepdims)
    centre = mean if _given(mean) else _mean(a, axis=axis, dtype=dtype, keepdims=True, where=where)
    deviation = a - centre
    if _np.iscomplexobj(getval(deviation)):
        squares = _w.real(deviation * _w.conj(deviation))
    else:
        squares = deviation * deviation
    total = _w.sum(_masked(squares, mask, 0.0), axis=axis, dtype=dtype, keepdims=keep)
    return _divided(total, _np.maximum(_count(mask, a, axis, keep) - ddof, 0))


def _std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=_NoValue, *, where=_NoValue, mean=_NoValue,
         correction=_NoValue):
    variance = _var(a, axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims, where=where, mean=mean,
                    correction=correction)
    if _given(mean) or (ddof if not _given(correction) else correction) != 0:
        return _w.root_flat_at_zero(variance)
    # The std of a slice with one entry is 0 whatever the entry: derivative 0, not 0/0.
    single = _count(_mask(where, a), a, axis, _keepdims(keepdims)) == 1
    return _w.where(single, 0.0, _w.sqrt(_w.where(single, 1.0, variance)))


def _nansum(a, axis=None, dtype=None, out=None, keepdims=_NoValue, initial=_NoValue, where=_NoValue):
    return _sum(_w.where(_w.isnan(a), 0.0, a), axis=axis, dtype=dtype, keepdims=keepdims, initial=initial,
                where=where)


_WHERE_INITIAL = frozenset({"where", "initial"})
_max = _extreme(_w.max, -_np.inf, _w.maximum)
_min = _extreme(_w.min, _np.inf, _w.minimum)

# Positional parameters after ``a`` that the primitives take (axis, dtype, out, keepdims...).
sum = _public("sum", 4, _WHERE_INITIAL, _sum)
prod = _public("prod", 4, _WHERE_INITIAL, _prod)
nansum = _public("nansum", 4, _WHERE_INITIAL, _nansum)
max = _public("max", 3, _WHERE_INITIAL, _max)
amax = _public("amax", 3, _WHERE_INITIAL, _max)
min = _public("min", 3, _WHERE_INITIAL, _min)
amin = _public("amin", 3, _WHERE_INITIAL, _min)
mean = _public("mean", 4, frozenset({"where"}), _mean)
var = _public("var", 5, frozenset({"where", "mean", "correction"}), _var)
std = _public("std", 5, frozenset({"where", "mean", "correction"}), _std)

