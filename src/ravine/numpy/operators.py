"""Raw functions for the hottest primitives: Python operators and array methods.

Calling a binary ufunc such as ``numpy.multiply`` on two NumPy scalars costs
about 1 µs (type resolution, output allocation), while ``x * y`` costs about
60 ns: NumPy scalars have their own arithmetic, with the same results and the
same warnings as the ufunc.  In scalar code (a loop of 0-d operations) that
difference is most of the forward pass, so the primitives ``add``,
``subtract``, ``multiply``, ``divide``, ``true_divide``, ``power`` and
``negative`` call these functions instead of the ufunc.

The operator is used only when at least one operand is a NumPy array or scalar
and the other is a number or one of these: then NumPy's rules apply either way
(``1.0 / np.float64(0)`` is ``inf`` with a warning, not a ZeroDivisionError,
and ``ndarray * ndarray`` is the ufunc itself).  Anything else (Python floats
only, lists, array subclasses, ``out=`` and other keyword arguments) goes to
the ufunc unchanged.

Likewise ``numpy.sum(a, axis)`` on an exact ``ndarray`` spends more time in
NumPy's Python dispatch layer than in the sum for small arrays (7 µs against 3
µs for ``a.sum(axis)`` on a 32 × 10 array); ``reshape``, ``transpose``,
``swapaxes``, ``ravel`` and ``squeeze`` call the array's method, which computes
the same thing, when their argument is an exact ``ndarray`` and the call uses
only arguments the method takes in the same positions.  ``sum``, ``max`` and
``min`` go one step further, to the ufunc reduction the method itself calls
(``np.add.reduce``...), and ``mean`` to that sum divided by the count, as
NumPy's ``_mean`` divides it, when only ``axis`` and ``keepdims`` are given.

:mod:`ravine.numpy.wrapper` builds each of these primitives around
``fast_raw(fallback)[name]`` (its reductions fall back to functions that also
take lists of traced values); ``FAST_RAW`` is the same table with NumPy's own
fallbacks, which ``tests/numpy/test_numpy_fast_raw.py`` checks against NumPy.
"""

from __future__ import annotations

import operator as _operator

import numpy as _np

__all__ = ["FAST_RAW", "fast_raw"]

_NUMPY_VALUE_TYPES = frozenset({
    _np.ndarray, _np.float64, _np.float32, _np.float16, _np.complex128, _np.complex64,
})
# NumPy integer scalars are left out: their operators warn about overflow where
# the ufunc does not.
_OPERAND_TYPES = _NUMPY_VALUE_TYPES | {float, int, complex}


def _binary(ufunc, operator_fn):
    def raw(x1, x2, *args, **kwargs):
        t1, t2 = type(x1), type(x2)
        if (not args and not kwargs and t1 in _OPERAND_TYPES and t2 in _OPERAND_TYPES
                and (t1 in _NUMPY_VALUE_TYPES or t2 in _NUMPY_VALUE_TYPES)):
            return operator_fn(x1, x2)
        return ufunc(x1, x2, *args, **kwargs)

    raw.__name__ = ufunc.__name__
    raw.__qualname__ = ufunc.__name__
    raw.__doc__ = ufunc.__doc__
    return raw


def _unary(ufunc, operator_fn):
    def raw(x, *args, **kwargs):
        if not args and not kwargs and type(x) in _NUMPY_VALUE_TYPES:
            return operator_fn(x)
        return ufunc(x, *args, **kwargs)

    raw.__name__ = ufunc.__name__
    raw.__qualname__ = ufunc.__name__
    raw.__doc__ = ufunc.__doc__
    return raw


def _as_method(function, method_name, keywords, max_positional=4):
    def raw(a, *args, **kwargs):
        if type(a) is _np.ndarray and len(args) <= max_positional and keywords.issuperset(kwargs):
            return getattr(a, method_name)(*args, **kwargs)
        return function(a, *args, **kwargs)

    raw.__name__ = function.__name__
    raw.__qualname__ = function.__name__
    raw.__doc__ = function.__doc__
    return raw


_REDUCTION_KEYWORDS = frozenset({"axis", "dtype", "out", "keepdims"})
_AXIS_KEYWORDS = frozenset({"axis", "keepdims"})
_MEAN_DTYPES = frozenset({_np.dtype(_np.float64), _np.dtype(_np.float32),
                          _np.dtype(_np.complex128), _np.dtype(_np.complex64)})


def _as_reduce(function, ufunc, method_name):
    """``function(a, axis=..., keepdims=...)`` on an exact ndarray as ``ufunc.reduce``,
    which is what the array method calls after a layer of Python (NumPy's
    ``_methods._sum``/``_amax``/``_amin``); anything else goes to the method or
    to ``function``."""
    keywords = _REDUCTION_KEYWORDS if method_name == "sum" else _REDUCTION_KEYWORDS - {"dtype"}
    by_method = _as_method(function, method_name, keywords)
    reduce = ufunc.reduce

    def raw(a, *args, **kwargs):
        if type(a) is _np.ndarray and not args and _AXIS_KEYWORDS.issuperset(kwargs):
            return reduce(a, axis=kwargs.get("axis"), keepdims=kwargs.get("keepdims", False))
        return by_method(a, *args, **kwargs)

    raw.__name__ = function.__name__
    raw.__qualname__ = function.__name__
    raw.__doc__ = function.__doc__
    return raw


def _as_mean(function):
    """``numpy.mean`` of a float or complex ndarray over ``axis`` (keyword), without
    its Python layer: the sum divided by the count, as NumPy's ``_mean`` does
    (the count a NumPy integer, the division in place), so the same bits."""
    ndarray_mean = _as_method(function, "mean", _REDUCTION_KEYWORDS)

    def raw(a, *args, **kwargs):
        if (type(a) is _np.ndarray and not args and a.dtype in _MEAN_DTYPES
                and _AXIS_KEYWORDS.issuperset(kwargs)):
            axis = kwargs.get("axis")
            shape = a.shape
            ndim = len(shape)
            axes = (axis,) if type(axis) is int else axis
            if axis is None:
                count = a.size
            elif type(axes) is tuple and all(type(ax) is int and -ndim <= ax < ndim for ax in axes):
                count = 1
                for ax in axes:
                    count *= shape[ax]
            else:
                count = 0  # an axis to check: NumPy raises the right error
            if count:
                total = _np.add.reduce(a, axis=axis, keepdims=kwargs.get("keepdims", False))
                if type(total) is _np.ndarray:
                    return _np.true_divide(total, _np.intp(count), out=total, casting="unsafe")
                return total.dtype.type(total / _np.intp(count))
        return ndarray_mean(a, *args, **kwargs)

    raw.__name__ = raw.__qualname__ = "mean"
    raw.__doc__ = function.__doc__
    return raw


def fast_raw(fallback=None) -> dict:
    """name in ravine.numpy -> raw function for its primitive.  A reduction
    (``sum``, ``mean``, ``max``, ``amax``, ``min``, ``amin``) called on anything but
    an exact ndarray calls ``fallback(name)`` (NumPy's function by default): the
    wrapper passes functions that also take a list of traced values there, where
    the check costs nothing on the fast path."""
    slow = fallback or (lambda name: getattr(_np, name))
    return {
        "sum": _as_reduce(slow("sum"), _np.add, "sum"),
        "mean": _as_mean(slow("mean")),
        "max": _as_reduce(slow("max"), _np.maximum, "max"),
        "amax": _as_reduce(slow("amax"), _np.maximum, "max"),
        "min": _as_reduce(slow("min"), _np.minimum, "min"),
        "amin": _as_reduce(slow("amin"), _np.minimum, "min"),
        # a.reshape(shape, "F") would read "F" as a dimension: one positional argument only.
        "reshape": _as_method(_np.reshape, "reshape", frozenset({"order"}), max_positional=1),
        "transpose": _as_method(_np.transpose, "transpose", frozenset(), max_positional=1),
        "swapaxes": _as_method(_np.swapaxes, "swapaxes", frozenset(), max_positional=2),
        "ravel": _as_method(_np.ravel, "ravel", frozenset({"order"}), max_positional=1),
        "squeeze": _as_method(_np.squeeze, "squeeze", frozenset({"axis"}), max_positional=1),
        "add": _binary(_np.add, _operator.add),
        "subtract": _binary(_np.subtract, _operator.sub),
        "multiply": _binary(_np.multiply, _operator.mul),
        "divide": _binary(_np.divide, _operator.truediv),
        "true_divide": _binary(_np.true_divide, _operator.truediv),
        "power": _binary(_np.power, _operator.pow),
        "negative": _unary(_np.negative, _operator.neg),
    }


FAST_RAW = fast_raw()
