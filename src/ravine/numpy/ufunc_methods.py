"""The methods of NumPy's ufuncs on ravine's wrapped ufuncs: ``np.add.outer``,
``np.add.reduce``, ``np.maximum.accumulate``, ``np.add.reduceat``, ``np.add.at``.

On plain arrays each is NumPy's own method.  On traced values a differentiable
ufunc f gets methods written from f itself, so their derivatives follow:

* ``f.outer(A, B)[i..., j...] = f(A[i...], B[j...])``: f of A reshaped to
  ``A.shape + (1,) * B.ndim`` and B, by broadcasting;
* ``f.reduce(a, axis)``: ``sum``, ``prod``, ``max``, ``min`` for add, multiply,
  maximum, minimum (with ``where=`` and ``initial=``); any other f folds along the
  axis, r = f(…f(f(a₀, a₁), a₂)…, aₙ₋₁);
* ``f.accumulate(a, axis)``: ``cumsum``/``cumprod`` for add/multiply, otherwise the
  running fold rₖ = f(rₖ₋₁, aₖ), stacked;
* ``f.reduceat(a, indices, axis)``: ``f.reduce`` over each slice
  ``a[indices[i]:indices[i+1]]`` (or ``a[indices[i]]`` where the indices do not increase).

``f.at`` writes in place, which a traced value cannot take part in: it raises a
:class:`~ravine.errors.TracingError` that gives the functional form,
``a + np.untake(b, indices, a.shape, a.dtype)`` for ``np.add.at(a, indices, b)``.
A constant ufunc (``np.equal``, ``np.floor``...) gets NumPy's methods on the values.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as _np

from ravine.autodiff.tracer import Box, getval, notrace_primitive
from ravine.errors import NotDifferentiableError, TracingError
from ravine.numpy import wrapper as _w

__all__ = ["attach_ufunc_methods"]

_NoValue = _np._NoValue
_METHODS = ("reduce", "accumulate", "outer", "reduceat", "at")
_ATTRIBUTES = ("nin", "nout", "nargs", "ntypes", "types", "identity", "signature")
_SPECIAL_REDUCTIONS = {"add": "sum", "multiply": "prod", "maximum": "max", "minimum": "min"}
_SPECIAL_ACCUMULATIONS = {"add": "cumsum", "multiply": "cumprod"}


def _traced(*values) -> bool:
    return any(isinstance(v, Box) for v in values)


def attach_ufunc_methods(namespace) -> None:
    """Give every function of ``namespace`` (ravine.numpy) that wraps a NumPy ufunc
    that ufunc's methods and attributes."""
    for name in dir(_np):
        ufunc = getattr(_np, name, None)
        function = getattr(namespace, name, None)
        if not isinstance(ufunc, _np.ufunc) or function is None or function is ufunc:
            continue
        if getattr(function, "reduce", None) is not None:
            continue  # an alias of a function already given its methods
        for attribute in _ATTRIBUTES:
            setattr(function, attribute, getattr(ufunc, attribute))
        if getattr(function, "_is_primitive", True) is False:  # a constant: NumPy's methods on values
            for method in _METHODS:
                setattr(function, method, _named(notrace_primitive(getattr(ufunc, method)), ufunc, method))
            continue
        function.outer = _outer(function, ufunc)
        function.reduce = _reduce(function, ufunc, namespace)
        function.accumulate = _accumulate(function, ufunc, namespace)
        function.reduceat = _reduceat(function, ufunc)
        function.at = _at(ufunc)


def _refuse_keywords(ufunc, method: str, kwargs: dict) -> None:
    if kwargs:
        raise NotDifferentiableError(
            f"np.{ufunc.__name__}.{method}(..., {', '.join(f'{k}=' for k in kwargs)}) on a traced value: "
            f"ravine differentiates {method} without these keywords; cast or select the result instead."
        )


def _refuse_out(ufunc, method: str, out) -> None:
    if out is not None:
        raise TracingError(f"np.{ufunc.__name__}.{method}(..., out=...) cannot write a traced value into an "
                           "array; use the returned value.")


def _outer(function: Callable, ufunc) -> Callable:
    def outer(A, B, /, **kwargs):
        if not _traced(A, B):
            return ufunc.outer(A, B, **kwargs)
        _refuse_keywords(ufunc, "outer", kwargs)
        A, B = _w.asarray(A), _w.asarray(B)
        return function(_w.reshape(A, _np.shape(getval(A)) + (1,) * _np.ndim(getval(B))), B)

    return _named(outer, ufunc, "outer")


def _fold(function: Callable, a, axis: int, initial=_NoValue, keep_steps: bool = False):
    """f(…f(f(initial, a₀), a₁)…) along ``axis`` (from a₀ without ``initial``);
    with ``keep_steps`` the list of partial results."""
    pieces = [_w.take(a, i, axis=axis) for i in range(_np.shape(getval(a))[axis])]
    if initial is _NoValue:
        result, pieces = pieces[0], pieces[1:]
        steps = [result]
    else:
        result, steps = initial, []
    for piece in pieces:
        result = function(result, piece)
        steps.append(result)
    return steps if keep_steps else result


def _reduce(function: Callable, ufunc, namespace) -> Callable:
    special = _SPECIAL_REDUCTIONS.get(ufunc.__name__)

    def reduce(array, axis=0, dtype=None, out=None, keepdims=False, initial=_NoValue, where=True):
        if not _traced(array, initial):
            return ufunc.reduce(array, axis, dtype, out, keepdims, initial=initial, where=where)
        array = _w.asarray(array)
        raw = getval(array)
        # NumPy checks the call (an empty axis without an identity, a bad axis, ...).
        value = ufunc.reduce(raw, axis, dtype, None, keepdims, initial=getval(initial), where=getval(where))
        _refuse_out(ufunc, "reduce", out)
        if raw.size == 0 and not _traced(initial):
            return value  # the identity (or initial) of an empty reduction: a constant
        if special is not None:
            options = {} if initial is _NoValue else {"initial": initial}
            if where is not True:
                options["where"] = where
            if dtype is not None:
                if special in ("max", "min"):
                    _refuse_keywords(ufunc, "reduce", {"dtype": dtype})
                options["dtype"] = dtype
            return getattr(namespace, special)(array, axis=axis, keepdims=keepdims, **options)
        _refuse_keywords(ufunc, "reduce", {k: v for k, v in (("where", where), ("dtype", dtype))
                                            if v is not True and v is not None})
        ndim = _np.ndim(raw)
        if axis is None or isinstance(axis, tuple):
            axes = sorted({ax % ndim for ax in (range(ndim) if axis is None else axis)}, reverse=True)
        else:
            axes = [axis % ndim]
        result = array
        for k, ax in enumerate(axes):  # from the last axis, so the others keep their positions
            result = _fold(function, result, ax, initial if k == len(axes) - 1 else _NoValue)
        if keepdims:
            result = _w.reshape(result, tuple(1 if i in axes else s for i, s in enumerate(raw.shape)))
        return result

    return _named(reduce, ufunc, "reduce")


def _accumulate(function: Callable, ufunc, namespace) -> Callable:
    special = _SPECIAL_ACCUMULATIONS.get(ufunc.__name__)

    def accumulate(array, axis=0, dtype=None, out=None):
        if not _traced(array):
            return ufunc.accumulate(array, axis, dtype, out)
        ufunc.accumulate(getval(array), axis, dtype)  # NumPy checks the call
        _refuse_out(ufunc, "accumulate", out)
        if special is not None:
            return getattr(namespace, special)(array, axis=axis, dtype=dtype)
        _refuse_keywords(ufunc, "accumulate", {} if dtype is None else {"dtype": dtype})
        return _w.stack(_fold(function, array, axis, keep_steps=True), axis=axis)

    return _named(accumulate, ufunc, "accumulate")


def _reduceat(function: Callable, ufunc) -> Callable:
    def reduceat(array, indices, axis=0, dtype=None, out=None):
        if not _traced(array):
            return ufunc.reduceat(array, indices, axis, dtype, out)
        raw = getval(array)
        ufunc.reduceat(raw, indices, axis, dtype)  # NumPy checks the call
        _refuse_out(ufunc, "reduceat", out)
        _refuse_keywords(ufunc, "reduceat", {} if dtype is None else {"dtype": dtype})
        starts = [int(i) for i in _np.asarray(getval(indices)).ravel()]
        n = raw.shape[axis]
        pieces = []
        for i, start in enumerate(starts):
            stop = starts[i + 1] if i + 1 < len(starts) else n
            if start < stop:
                pieces.append(function.reduce(_w.take(array, _np.arange(start, stop), axis=axis), axis=axis))
            else:
                pieces.append(_w.take(array, start, axis=axis))
        return _w.stack(pieces, axis=axis)

    return _named(reduceat, ufunc, "reduceat")


def _at(ufunc) -> Callable:
    def at(a, indices, b=None, /):
        if _traced(a, b, indices):
            functional = ("a + np.untake(b, indices, a.shape, a.dtype)" if ufunc.__name__ == "add"
                          else f"np.where(mask, np.{ufunc.__name__}(a, b), a) with a mask of the indices")
            raise TracingError(
                f"np.{ufunc.__name__}.at changes an array in place, which a traced value cannot take part in. "
                f"Build the result as a new array instead: {functional}."
            )
        return ufunc.at(a, indices) if b is None else ufunc.at(a, indices, b)

    return _named(at, ufunc, "at")


def _named(method: Callable, ufunc, name: str) -> Callable:
    method.__name__ = name
    method.__qualname__ = f"{ufunc.__name__}.{name}"
    method.__doc__ = getattr(ufunc, name).__doc__
    return method
