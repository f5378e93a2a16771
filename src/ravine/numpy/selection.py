"""Functions that select, repeat, rearrange or assemble entries, for traced arrays.

Most of them only move entries around, so their derivative is a gather: the result
is ``take(flat, labels)``, where ``flat`` joins the inputs' entries and ``labels`` is
what NumPy's own function returns when it is given each input's *positions*
(0, 1, 2, ... laid out in the input's shape) instead of its values.  The result
therefore has NumPy's exact layout (insert, delete, extract, compress, choose,
resize, block, broadcast_arrays, unstack), and the cotangent of every input is
scattered back by ``take``'s rule, with repeated entries (broadcasting, ``resize``
cycling) accumulating.  Integer or boolean results are constants.

* ``trim_zeros`` reads the values to find the zeros to trim, then slices the traced array.
* ``apply_along_axis`` / ``apply_over_axes`` call the user's function on traced slices
  (or the whole array) and stack the results: the derivative is whatever the user's
  function's derivative is, assembled.
* ``piecewise`` evaluates fₖ on the entries where condition k holds (later conditions
  win, an extra function covers the rest) and scatters the results back with ``untake``
  and ``where``: the derivative on each piece is fₖ's.
* ``sort_complex`` sorts by (real, imaginary) part: a gather with the sorting order
  (read from the values), then a cast to complex.
* ``asanyarray``, ``ascontiguousarray``, ``asfortranarray``, ``asarray_chkfinite`` and
  ``require`` keep a traced value traced (memory layout is not observable in traced
  code); ``asarray_chkfinite`` reads the values to check them, as NumPy does.
"""

from __future__ import annotations

import itertools

import numpy as _np

from ravine.autodiff.tracer import Box, getval, read_value
from ravine.errors import TracingError
from ravine.numpy import wrapper as _w
from ravine.numpy.wrapper import _contains_box

__all__ = [
    "apply_along_axis",
    "apply_over_axes",
    "asanyarray",
    "asarray_chkfinite",
    "ascontiguousarray",
    "asfortranarray",
    "block",
    "broadcast_arrays",
    "choose",
    "compress",
    "delete",
    "extract",
    "insert",
    "piecewise",
    "require",
    "resize",
    "sort_complex",
    "trim_zeros",
    "unstack",
]


# ---- gathers: NumPy's function applied to positions --------------------------------------------


class _Positions:
    """The leaves of the inputs (traced or not), and their positions in one flat array."""

    def __init__(self):
        self.leaves = []
        self.size = 0

    def label(self, leaf):
        """An int array of ``leaf``'s shape holding the flat positions of its entries."""
        leaf = _w.asarray(leaf)
        shape = _np.shape(getval(leaf))
        labels = self.size + _np.arange(int(_np.prod(shape)), dtype=_np.intp).reshape(shape)
        self.leaves.append(leaf)
        self.size += labels.size
        return labels

    def gather(self, labels, like):
        """The traced array whose entries sit at ``labels`` of the joined leaves, with the
        dtype of ``like`` (NumPy's result on the raw values); a constant if that is not
        a float or complex array."""
        if _np.asarray(like).dtype.kind not in "fc":
            return like
        flat = _w.concatenate([_w.ravel(leaf) for leaf in self.leaves]) if len(self.leaves) > 1 \
            else _w.ravel(self.leaves[0])
        out = _w.take(flat, labels)
        return out if getval(out).dtype == like.dtype else _w.astype(out, like.dtype)


def _gathered(numpy_function, arrays, *args, **kwargs):
    """``numpy_function(*arrays, *args, **kwargs)`` for traced arrays, as a gather."""
    positions = _Positions()
    labels = numpy_function(*[positions.label(a) for a in arrays], *args, **kwargs)
    raw = numpy_function(*[read_value(_w.asarray(a)) for a in arrays], *args, **kwargs)
    if isinstance(raw, (tuple, list)):
        return type(raw)(positions.gather(lab, r) for lab, r in zip(labels, raw))
    return positions.gather(labels, raw)


def unstack(x, /, *, axis=0):
    """``numpy.unstack``: the slices of ``x`` along ``axis`` (a tuple of traced arrays)."""
    if not isinstance(x, Box):
        return _np.unstack(x, axis=axis)
    return _gathered(_np.unstack, [x], axis=axis)


def broadcast_arrays(*args, subok=False):
    """``numpy.broadcast_arrays``: each argument broadcast to the common shape; the
    cotangents are summed over the broadcast axes."""
    if not _contains_box(list(args)):
        return _np.broadcast_arrays(*args, subok=subok)
    return _gathered(_np.broadcast_arrays, args)


def resize(a, new_shape):
    """``numpy.resize``: the entries of ``a`` repeated cyclically to fill ``new_shape``."""
    if not isinstance(a, Box):
        return _np.resize(a, new_shape)
    return _gathered(_np.resize, [a], new_shape)


def insert(arr, obj, values, axis=None):
    """``numpy.insert``; differentiable in ``arr`` and ``values`` (``obj`` is read as indices)."""
    if not _contains_box([arr, values]):
        return _np.insert(arr, read_value(obj), values, axis=axis)
    return _gathered(lambda a, v: _np.insert(a, read_value(obj), v, axis=axis), [arr, values])


def delete(arr, obj, axis=None):
    """``numpy.delete``: the entries of ``arr`` that are kept, traced."""
    if not isinstance(arr, Box):
        return _np.delete(arr, read_value(obj), axis=axis)
    return _gathered(_np.delete, [arr], read_value(obj), axis=axis)


def extract(condition, arr):
    """``numpy.extract``: ``ravel(arr)[ravel(condition)]``; ``condition`` is read as a mask."""
    if not isinstance(arr, Box):
        return _np.extract(read_value(condition), arr)
    return _gathered(lambda a: _np.extract(read_value(condition), a), [arr])


def _refuse_out(name, out):
    if out is not None:
        raise TracingError(f"np.{name}(..., out=...) cannot write a traced value into an array; "
                           f"use the returned value: y = np.{name}(...).")


def compress(condition, a, axis=None, out=None):
    """``numpy.compress``: the slices of ``a`` along ``axis`` where ``condition`` holds."""
    if not isinstance(a, Box):
        return _np.compress(read_value(condition), a, axis=axis, out=out)
    _refuse_out("compress", out)
    return _gathered(lambda x: _np.compress(read_value(condition), x, axis=axis), [a])


def choose(a, choices, out=None, mode="raise"):
    """``numpy.choose``: entry-wise ``choices[a]``; differentiable in the choices
    (``a`` holds integer indices)."""
    if not _contains_box(list(choices)):
        return _np.choose(read_value(a), choices, out=out, mode=mode)
    _refuse_out("choose", out)
    return _gathered(lambda *c: _np.choose(read_value(a), c, mode=mode), list(choices))


def block(arrays):
    """``numpy.block``: nested lists of arrays assembled into one array."""
    if not _contains_box(arrays):
        return _np.block(arrays)
    positions = _Positions()

    def relabel(item, read):
        if type(item) is list:
            return [relabel(i, read) for i in item]
        if type(item) is tuple:
            raise TypeError(f"block: arrays is a tuple; only lists can be used to arrange blocks, got {item!r}")
        return read_value(_w.asarray(item)) if read else positions.label(item)

    return positions.gather(_np.block(relabel(arrays, False)), _np.block(relabel(arrays, True)))


# ---- value-dependent slicing ----------------------------------------------------------------------


class _SliceRecorder:
    """Lends NumPy the raw values (``__array__``) and slices the traced array when NumPy
    indexes it, so NumPy's own choice of slice is applied to the traced value."""

    def __init__(self, traced):
        self.traced = traced

    def __array__(self, dtype=None, copy=None):
        value = _np.asarray(read_value(self.traced))
        return value if dtype is None else value.astype(dtype)

    def __getitem__(self, index):
        return _w.getitem(self.traced, index)


def trim_zeros(filt, trim="fb", axis=None):
    """``numpy.trim_zeros``: ``filt`` without its leading and/or trailing zeros (along
    ``axis``); the kept entries are a traced slice."""
    if not isinstance(filt, Box):
        return _np.trim_zeros(filt, trim, axis)
    out = _np.trim_zeros(_SliceRecorder(filt), trim, axis)
    return filt if isinstance(out, _SliceRecorder) else out


def sort_complex(a):
    """``numpy.sort_complex``: sorted by real part, then imaginary part, along the last
    axis, as a complex array."""
    if not isinstance(a, Box):
        return _np.sort_complex(a)
    raw = read_value(a)
    out = _w.take_along_axis(a, _np.argsort(raw, axis=-1, kind="stable"), -1)
    return out if raw.dtype.kind == "c" else _w.astype(out, _np.sort_complex(raw[..., :0]).dtype)


# ---- user functions over slices and axes -----------------------------------------------------------


def apply_along_axis(func1d, axis, arr, *args, **kwargs):
    """``numpy.apply_along_axis``: ``func1d`` applied to each 1-d slice of ``arr`` along
    ``axis``; the results (traced when ``arr`` or the function's closure is) are stacked,
    their own shape taking the place of ``axis``."""
    if not isinstance(arr, Box):
        arr = _np.asarray(arr)
    shape = _np.shape(getval(arr))
    ndim = len(shape)
    axis = _normalize_axis(axis, ndim)
    moved = _w.moveaxis(arr, axis, -1) if isinstance(arr, Box) else _np.moveaxis(arr, axis, -1)
    outer = moved.shape[:-1] if not isinstance(moved, Box) else _np.shape(getval(moved))[:-1]
    if int(_np.prod(outer)) == 0:
        raise ValueError("Cannot apply_along_axis when any iteration dimensions are 0")
    results = [func1d(moved[index], *args, **kwargs) for index in itertools.product(*map(range, outer))]
    if not any(_contains_box(r) for r in results):
        answers = iter(results)  # NumPy assembles the answers it would get, in its own order
        return _np.apply_along_axis(lambda _row: next(answers), axis, getval(arr))
    results = [_w.asarray(r) for r in results]
    result_shape = _np.shape(getval(results[0]))
    out = _w.reshape(_w.stack(results), outer + result_shape)
    k = len(result_shape)
    return _w.moveaxis(out, list(range(len(outer), len(outer) + k)), list(range(axis, axis + k))) if k else out


def _normalize_axis(axis, ndim):
    if not -ndim <= axis < ndim:
        raise _np.exceptions.AxisError(axis, ndim)
    return axis % ndim


def apply_over_axes(func, a, axes):
    """``numpy.apply_over_axes``: ``func(a, axis)`` for each axis in turn, a reduced axis
    kept with length 1; ``func`` is given the traced array (use ravine.numpy's functions).
    NumPy's own loop, run on plain or traced values alike."""
    val = a if isinstance(a, Box) else _np.asarray(a)
    ndim = len(_np.shape(getval(a)))
    for axis in (axes,) if _np.ndim(axes) == 0 else axes:
        axis = axis + ndim if axis < 0 else axis
        res = func(val, axis)
        if _np.ndim(getval(res)) != ndim:
            res = _w.expand_dims(res, axis)
            if _np.ndim(getval(res)) != ndim:
                raise ValueError("function is not returning an array of the correct shape")
        val = res
    return val


# ---- conversions that keep a traced value traced ----------------------------------------------------


def asanyarray(a, dtype=None, order=None, *, device=None, copy=None, like=None):
    """``numpy.asanyarray``; a traced value stays traced."""
    if not _contains_box(a):
        return _np.asanyarray(a, dtype=dtype, order=order, device=device, copy=copy, like=like)
    return _w.asarray(a, dtype=dtype, device=device)


def _at_least_1d(a, dtype):
    out = _w.asarray(a, dtype=dtype)
    return _w.reshape(out, (1,)) if _np.ndim(getval(out)) == 0 else out


def ascontiguousarray(a, dtype=None, *, like=None):
    """``numpy.ascontiguousarray``; a traced value stays traced (0-d becomes shape (1,), as in NumPy)."""
    if not _contains_box(a):
        return _np.ascontiguousarray(a, dtype=dtype, like=like)
    return _at_least_1d(a, dtype)


def asfortranarray(a, dtype=None, *, like=None):
    """``numpy.asfortranarray``; a traced value stays traced (0-d becomes shape (1,), as in NumPy)."""
    if not _contains_box(a):
        return _np.asfortranarray(a, dtype=dtype, like=like)
    return _at_least_1d(a, dtype)


def asarray_chkfinite(a, dtype=None, order=None):
    """``numpy.asarray_chkfinite``: reads the values and raises ValueError on inf or NaN;
    a traced value stays traced."""
    if not _contains_box(a):
        return _np.asarray_chkfinite(a, dtype=dtype, order=order)
    out = _w.asarray(a, dtype=dtype)
    raw = read_value(out)
    if raw.dtype.kind in "fc" and not _np.isfinite(raw).all():
        raise ValueError("array must not contain infs or NaNs")
    return out


def require(a, dtype=None, requirements=None, *, like=None):
    """``numpy.require``; a traced value stays traced (its memory flags are not observable
    in traced code, so the requirements hold trivially)."""
    if not _contains_box(a):
        return _np.require(a, dtype=dtype, requirements=requirements, like=like)
    return _w.asarray(a, dtype=dtype)


def piecewise(x, condlist, funclist, *args, **kw):
    """``numpy.piecewise``: y = fₖ(x) where condition k holds, a constant fₖ as is, 0 elsewhere;
    differentiable in x (through each fₖ), in traced constants, and in whatever the fₖ close over."""
    traced = _contains_box([x, *args, *kw.values(), *[f for f in funclist if not callable(f)]])
    if not traced:
        try:
            return _np.piecewise(x, condlist, funclist, *args, **kw)
        except TracingError:
            pass  # a function closes over a traced value: assemble the result as below
    x = _w.asarray(x)
    raw = getval(x)
    if _np.isscalar(condlist) or (not isinstance(condlist[0], (list, _np.ndarray, Box)) and raw.ndim != 0):
        condlist = [condlist]
    conditions = _np.asarray([read_value(c) for c in condlist], dtype=bool)
    if len(conditions) == len(funclist) - 1:  # the last function covers what no condition does
        conditions = _np.concatenate([conditions, ~_np.any(conditions, axis=0, keepdims=True)], axis=0)
    elif len(conditions) != len(funclist):
        raise ValueError(f"with {len(conditions)} condition(s), either {len(conditions)} or "
                         f"{len(conditions) + 1} functions are expected")
    y = _np.zeros_like(raw)
    for condition, function in zip(conditions, funclist):
        condition = _np.broadcast_to(condition, raw.shape)
        if not callable(function):
            y = _w.where(condition, function, y)
        elif condition.any():
            where = _np.nonzero(condition)
            values = _w.broadcast_to(function(_w.getitem(x, where), *args, **kw), (len(where[0]),))
            y = _w.where(condition, _w.untake(values, where, raw.shape, raw.dtype), y)
    return _w.astype(y, raw.dtype) if isinstance(y, Box) else y
