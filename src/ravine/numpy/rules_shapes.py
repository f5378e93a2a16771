"""Rules for rearranging, tiling, padding, diagonals, sorting and gathering.

Every function here is linear in its array argument, so each forward rule is
the function applied to the tangent (``"same"``), and each reverse rule is the
adjoint: it sends each output entry's cotangent back to the input entry it came
from, adding where one input entry fed several outputs (``untake``).
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.core import defjvp, defvjp
from ravine.autodiff.tracer import getval
from ravine.errors import NotDifferentiableError
from ravine.numpy import wrapper as anp


def _shape(x):
    return _np.shape(getval(x))


def _dtype(x):
    return _np.result_type(getval(x))


def _scatter_along_axis(g, index, x, axis):
    """Adjoint of ``take(x, index, axis)``: add the slices of ``g`` back at ``index``."""
    shape = _shape(x)
    index = _np.asarray(index)
    moved = anp.moveaxis(g, list(range(axis, axis + index.ndim)), list(range(index.ndim)))
    moved_shape = (shape[axis],) + shape[:axis] + shape[axis + 1:]
    out = anp.untake(moved, index, moved_shape, _dtype(x))
    return anp.moveaxis(out, 0, axis)


# ---- permutations of axes ------------------------------------------------------------
defvjp(anp.roll, lambda ans, x, shift, axis=None: lambda g: anp.roll(g, -_np.asarray(shift), axis))
defvjp(anp.rot90, lambda ans, x, k=1, axes=(0, 1): lambda g: anp.rot90(g, -k, axes))


def _rollaxis_perm(ndim, axis, start):
    axis, start = axis % ndim, start % (ndim + 1)
    perm = [i for i in range(ndim) if i != axis]
    perm.insert(start - 1 if axis < start else start, axis)
    return perm


defvjp(anp.rollaxis, lambda ans, x, axis, start=0: lambda g: anp.transpose(
    g, _np.argsort(_rollaxis_perm(len(_shape(x)), axis, start))))


# ---- tiling and repetition -------------------------------------------------------------
def grad_tile(ans, x, reps):
    # out[r, i] = x[i] along each axis: reshape g to (r0, n0, r1, n1, ...) and sum the r's.
    shape = _shape(x)
    reps = (reps,) if _np.isscalar(reps) else tuple(reps)
    ndim = max(len(shape), len(reps))
    full = (1,) * (ndim - len(shape)) + shape
    reps = (1,) * (ndim - len(reps)) + reps
    split = [n for pair in zip(reps, full) for n in pair]

    def vjp(g):
        summed = anp.sum(anp.reshape(g, split), axis=tuple(range(0, 2 * ndim, 2)))
        return anp.reshape(summed, shape)

    return vjp


def grad_repeat(ans, x, repeats, axis=None):
    # repeat is take(x, i) with i = [0, 0, ..., 1, 1, ...]: its adjoint adds the copies.
    shape = _shape(x)
    if axis is None:
        source = _np.repeat(_np.arange(int(_np.prod(shape))), repeats)
        return lambda g: anp.reshape(anp.untake(g, source, (int(_np.prod(shape)),), _dtype(x)), shape)
    axis = axis % len(shape)
    source = _np.repeat(_np.arange(shape[axis]), repeats)
    return lambda g: _scatter_along_axis(g, source, x, axis)


defvjp(anp.tile, grad_tile)
defvjp(anp.repeat, grad_repeat)

# ---- padding ----------------------------------------------------------------------------------
_INDEX_PAD_MODES = ("constant", "edge", "reflect", "symmetric", "wrap")


def _pad_source(shape, pad_width, mode, kwargs):
    """For each entry of the padded array, the flat index of the input entry it
    copies (-1 for a constant)."""
    if mode not in _INDEX_PAD_MODES:
        raise NotDifferentiableError(
            f"pad(mode={mode!r}) has no derivative rule; differentiable modes are {_INDEX_PAD_MODES} and, "
            "through ravine.numpy.pad, 'mean', 'maximum', 'minimum', 'median' and 'linear_ramp'."
        )
    index = _np.arange(int(_np.prod(shape))).reshape(shape)
    extra = {"constant_values": -1} if mode == "constant" else {
        k: v for k, v in kwargs.items() if k == "reflect_type"}
    return _np.pad(index, pad_width, mode=mode, **extra)


def grad_pad(ans, x, pad_width, mode="constant", **kwargs):
    if kwargs.get("reflect_type", "even") != "even":
        # The odd extension 2·edge − reflection is linear but not a copy of entries.
        raise NotDifferentiableError(
            f"pad(mode={mode!r}, reflect_type='odd') has no reverse-mode rule (only the even extension "
            "copies entries); use forward mode (make_jvp), or build the odd extension from "
            "concatenate and flip: 2 * edge - reflected."
        )
    shape = _shape(x)
    source = _pad_source(shape, pad_width, mode, kwargs).ravel()
    kept = source >= 0

    def vjp(g):
        flat = anp.untake(anp.ravel(g)[kept], source[kept], (int(_np.prod(shape)),), _dtype(x))
        return anp.reshape(flat, shape)

    return vjp


def jvp_pad(g, ans, x, pad_width, mode="constant", **kwargs):
    _pad_source(_shape(x), pad_width, mode, kwargs)  # validates the mode
    if mode == "constant":
        return anp.pad(g, pad_width, mode="constant")  # padding values are constants: tangent 0
    return anp.pad(g, pad_width, mode=mode, **kwargs)


defvjp(anp.pad, grad_pad)
defjvp(anp.pad, jvp_pad)

# ---- diagonals -------------------------------------------------------------------------------------


def _diagonal_index(n_rows, n_cols, offset):
    length = max(0, min(n_rows + min(offset, 0), n_cols - max(offset, 0)))
    rows = _np.arange(length) + max(-offset, 0)
    return rows, rows + offset


def grad_diagonal(ans, x, offset=0, axis1=0, axis2=1):
    # diagonal(x) moves the two axes to the end and reads x[..., i, i + offset].
    shape = _shape(x)
    ndim = len(shape)
    axis1, axis2 = axis1 % ndim, axis2 % ndim
    moved_shape = tuple(n for i, n in enumerate(shape) if i not in (axis1, axis2)) + (shape[axis1], shape[axis2])
    rows, cols = _diagonal_index(shape[axis1], shape[axis2], offset)

    def vjp(g):
        out = anp.untake(g, (Ellipsis, rows, cols), moved_shape, _dtype(x))
        return anp.moveaxis(out, (-2, -1), (axis1, axis2))

    return vjp


def grad_diag(ans, x, k=0):
    shape = _shape(x)
    if len(shape) == 1:
        return lambda g: anp.diagonal(g, k)
    return grad_diagonal(ans, x, k)


def grad_trace(ans, x, offset=0, axis1=0, axis2=1, dtype=None, out=None):
    shape = _shape(x)
    ndim = len(shape)
    axis1, axis2 = axis1 % ndim, axis2 % ndim
    rows, cols = _diagonal_index(shape[axis1], shape[axis2], offset)
    mask = _np.zeros((shape[axis1], shape[axis2]), dtype=_dtype(x))
    mask[rows, cols] = 1

    def vjp(g):
        others = [n for i, n in enumerate(shape) if i not in (axis1, axis2)]
        spread = anp.reshape(g, others + [1, 1]) * mask
        return anp.moveaxis(spread, (-2, -1), (axis1, axis2))

    return vjp


defvjp(anp.diagonal, grad_diagonal)
defvjp(anp.diag, grad_diag)
defvjp(anp.diagflat, lambda ans, x, k=0: lambda g: anp.reshape(anp.diagonal(g, k), _shape(x)))
defvjp(anp.trace, grad_trace)
# make_diagonal writes D onto a diagonal: its adjoint reads that diagonal back.
defvjp(anp.make_diagonal, lambda ans, D, offset=0, axis1=0, axis2=1: lambda g: anp.diagonal(g, offset, axis1, axis2))

# ---- sorting and gathering -------------------------------------------------------------------------


def _sort_order(x, axis, kind=None, kth=None):
    """The permutation (along ``axis``) that sorts or partitions ``x``."""
    raw = getval(x)
    if axis is None:
        raw = _np.ravel(raw)
        axis = 0
    if kth is None:
        return _np.argsort(raw, axis=axis, kind=kind or "stable"), axis
    return _np.argpartition(raw, kth, axis=axis), axis


def _grad_permuted(x, order, axis):
    # ans = take_along_axis(x, order): the adjoint applies the inverse permutation.
    inverse = _np.argsort(order, axis=axis)
    return lambda g: anp.reshape(anp.take_along_axis(g, inverse, axis), _shape(x))


def _jvp_permuted(g, x, order, axis, flatten):
    return anp.take_along_axis(anp.ravel(g) if flatten else g, order, axis)


defvjp(anp.sort, lambda ans, x, axis=-1, kind=None, order=None, stable=None: _grad_permuted(
    x, *_sort_order(x, axis, kind)))
defjvp(anp.sort, lambda g, ans, x, axis=-1, kind=None, order=None, stable=None: _jvp_permuted(
    g, x, *_sort_order(x, axis, kind), axis is None))
defvjp(anp.partition, lambda ans, x, kth, axis=-1, kind="introselect", order=None: _grad_permuted(
    x, *_sort_order(x, axis, kth=kth)))
defjvp(anp.partition, lambda g, ans, x, kth, axis=-1, kind="introselect", order=None: _jvp_permuted(
    g, x, *_sort_order(x, axis, kth=kth), axis is None))


def grad_take(ans, x, indices, axis=None, out=None, mode="raise"):
    shape = _shape(x)
    if axis is None:
        n = int(_np.prod(shape))
        source = _np.take(_np.arange(n), indices, mode=mode)
        return lambda g: anp.reshape(anp.untake(g, source, (n,), _dtype(x)), shape)
    axis = axis % len(shape)
    source = _np.take(_np.arange(shape[axis]), indices, mode=mode)
    return lambda g: _scatter_along_axis(g, source, x, axis)


def grad_take_along_axis(ans, x, indices, axis):
    shape = _shape(x)
    if axis is None:
        n = int(_np.prod(shape))
        return lambda g: anp.reshape(anp.untake(g, _np.asarray(indices), (n,), _dtype(x)), shape)
    axis = axis % len(shape)
    out_shape = _shape(ans)
    index = []
    for d in range(len(shape)):
        if d == axis:
            index.append(_np.asarray(indices))
        else:
            # a size-1 axis of x was broadcast against indices: every copy reads entry 0
            span = _np.arange(out_shape[d]) if shape[d] != 1 else _np.zeros(out_shape[d], int)
            index.append(span.reshape([-1 if i == d else 1 for i in range(len(shape))]))
    return lambda g: anp.untake(g, tuple(index), shape, _dtype(x))


defvjp(anp.take, grad_take)
defvjp(anp.take_along_axis, grad_take_along_axis)

for _f in (anp.roll, anp.rot90, anp.rollaxis, anp.tile, anp.repeat, anp.diagonal, anp.diag,
           anp.diagflat, anp.trace, anp.make_diagonal, anp.take, anp.take_along_axis):
    defjvp(_f, "same")
