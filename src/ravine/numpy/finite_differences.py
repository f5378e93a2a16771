"""``numpy.gradient`` written with traced operations, so it can be differentiated.

Along one axis with samples f_0, ..., f_{n-1} at spacings h_k = x_{k+1} − x_k:

* interior points use the second-order central difference for uneven spacing,
  f'_k ≈ −h_k/(h_{k−1}(h_{k−1} + h_k)) f_{k−1} + (h_k − h_{k−1})/(h_{k−1} h_k) f_k
         + h_{k−1}/(h_k(h_{k−1} + h_k)) f_{k+1},
  which for an even spacing h is (f_{k+1} − f_{k−1}) / 2h;
* the two end points use one-sided differences: (f_1 − f_0)/h_0 and
  (f_{n−1} − f_{n−2})/h_{n−2} for ``edge_order=1``, and the second-order
  three-point formulas for ``edge_order=2`` (for an even spacing,
  (−3f_0 + 4f_1 − f_2)/2h and (3f_{n−1} − 4f_{n−2} + f_{n−3})/2h).

Every output is a fixed linear combination of the samples, so the derivative
with respect to ``f`` follows from the traced slices and products; spacings or
coordinates that are traced are differentiated too.
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.tracer import getval
from ravine.numpy import wrapper as anp

__all__ = ["gradient"]


def _spacings(varargs, axes, shape):
    """One spacing per axis: a number (even spacing) or the coordinates along it."""
    if len(varargs) == 0:
        return [1.0] * len(axes)
    if len(varargs) == 1 and _np.ndim(getval(varargs[0])) == 0:
        return [varargs[0]] * len(axes)
    if len(varargs) != len(axes):
        raise TypeError(f"gradient: {len(varargs)} spacings given for {len(axes)} axes; pass none, one number "
                        "for every axis, or one number or coordinate array per axis.")
    for spacing, axis in zip(varargs, axes):
        if _np.ndim(getval(spacing)) not in (0, 1):
            raise ValueError("gradient: each spacing must be a number or a 1-d array of coordinates.")
        if _np.ndim(getval(spacing)) == 1 and len(getval(spacing)) != shape[axis]:
            raise ValueError(f"gradient: {len(getval(spacing))} coordinates given for axis {axis} of length "
                             f"{shape[axis]}; pass one coordinate per sample.")
    return list(varargs)


def _along_first_axis(f, spacing, edge_order):
    """The derivative estimate along axis 0 of ``f`` (float samples)."""
    n = _np.shape(getval(f))[0]
    if n < edge_order + 1:
        raise ValueError(f"gradient: an axis of length {n} is too short for edge_order={edge_order}; "
                         f"it needs at least {edge_order + 1} samples.")
    trailing = (1,) * (_np.ndim(getval(f)) - 1)
    if _np.ndim(getval(spacing)) == 0:
        h = spacing
        interior = (f[2:] - f[:-2]) / (2.0 * h)
        if edge_order == 1:
            first, last = (f[1] - f[0]) / h, (f[-1] - f[-2]) / h
        else:
            first = (-1.5 * f[0] + 2.0 * f[1] - 0.5 * f[2]) / h
            last = (1.5 * f[-1] - 2.0 * f[-2] + 0.5 * f[-3]) / h
    else:
        dx = anp.diff(anp.asarray(spacing, dtype=float))
        before, after = anp.reshape(dx[:-1], (-1,) + trailing), anp.reshape(dx[1:], (-1,) + trailing)
        interior = (-after / (before * (before + after)) * f[:-2]
                    + (after - before) / (before * after) * f[1:-1]
                    + before / (after * (before + after)) * f[2:])
        if edge_order == 1:
            first, last = (f[1] - f[0]) / dx[0], (f[-1] - f[-2]) / dx[-1]
        else:
            h1, h2 = dx[0], dx[1]
            first = (-(2.0 * h1 + h2) / (h1 * (h1 + h2)) * f[0] + (h1 + h2) / (h1 * h2) * f[1]
                     - h1 / (h2 * (h1 + h2)) * f[2])
            h1, h2 = dx[-2], dx[-1]
            last = (h2 / (h1 * (h1 + h2)) * f[-3] - (h1 + h2) / (h1 * h2) * f[-2]
                    + (2.0 * h2 + h1) / (h2 * (h1 + h2)) * f[-1])
    return anp.concatenate([anp.expand_dims(first, 0), interior, anp.expand_dims(last, 0)], axis=0)


def gradient(f, *varargs, axis=None, edge_order: int = 1):
    """``numpy.gradient``: second-order accurate differences of sampled values ``f``
    along each axis in ``axis`` (all by default), with even spacings (numbers) or
    sample coordinates (1-d arrays) given in ``varargs``.  Returns one array for
    one axis, else a tuple with one array per axis, as NumPy does."""
    if edge_order not in (1, 2):
        raise ValueError(f"gradient: edge_order={edge_order!r}; it must be 1 or 2.")
    f = anp.asarray(f)
    if _np.result_type(getval(f)).kind in "iub":
        f = anp.astype(f, float)
    shape = _np.shape(getval(f))
    ndim = len(shape)
    if axis is None:
        axes = list(range(ndim))
    else:
        axes = [a % ndim for a in ((axis,) if _np.ndim(axis) == 0 else axis)]
    spacings = _spacings(varargs, axes, shape)
    outputs = tuple(anp.moveaxis(_along_first_axis(anp.moveaxis(f, a, 0), h, edge_order), 0, a)
                    for a, h in zip(axes, spacings))
    return outputs[0] if len(outputs) == 1 else outputs
