"""Rules for cumulative products.

y_j = Π_{k≤j} x_k, so ∂y_j/∂x_i = Π_{k≤j, k≠i} x_k for j ≥ i.  Without zeros this
is y_j / x_i, giving the cheap forms ḡ_x = revcumsum(ḡ y) / x and ẏ = y cumsum(ẋ / x);
when x has a zero the quotient is undefined, and the rules build the triangular
matrix M[i, j] = Π_{k<i} x_k · Π_{i<k≤j} x_k explicitly (O(n²) along the axis).
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.core import defjvp, defvjp
from ravine.autodiff.tracer import getval
from ravine.numpy import wrapper as anp


def _along_last(x, axis):
    """x as (..., n) with the cumulative axis last (flattened for axis=None)."""
    if axis is None:
        return anp.ravel(x), -1
    return anp.moveaxis(x, axis, -1), axis


def _cumprod_matrix(x):
    """M[..., i, j] = ∂y_j/∂x_i for y = cumprod(x, axis=-1), exact at zeros."""
    n = _np.shape(getval(x))[-1]
    after_i = _np.arange(n)[None, :] > _np.arange(n)[:, None]  # [i, k]: k > i
    tail = anp.cumprod(anp.where(after_i, anp.expand_dims(x, -2), 1.0), axis=-1)  # Π_{i<k≤j} x_k
    ones = anp.ones_like(x[..., :1])
    head = anp.cumprod(anp.concatenate([ones, x[..., :-1]], axis=-1), axis=-1)  # Π_{k<i} x_k
    return anp.expand_dims(head, -1) * tail * _np.triu(_np.ones((n, n)))


def grad_cumprod(ans, x, axis=None, dtype=None, out=None):
    shape = _np.shape(getval(x))
    if _np.all(getval(x) != 0):
        if axis is None:
            return lambda g: anp.reshape(anp.flip(anp.cumsum(anp.flip(g * ans, 0)), 0), shape) / x
        return lambda g: anp.flip(anp.cumsum(anp.flip(g * ans, axis), axis=axis), axis) / x

    def vjp(g):
        xl, ax = _along_last(x, axis)
        gl, _ = _along_last(g, None if axis is None else axis)
        gx = anp.sum(_cumprod_matrix(xl) * anp.expand_dims(gl, -2), axis=-1)
        return anp.reshape(gx, shape) if axis is None else anp.moveaxis(gx, -1, ax)

    return vjp


def jvp_cumprod(g, ans, x, axis=None, dtype=None, out=None):
    if _np.all(getval(x) != 0):
        return ans * anp.cumsum(g / x, axis=axis)
    xl, ax = _along_last(x, axis)
    gl, _ = _along_last(g, axis)
    dy = anp.sum(_cumprod_matrix(xl) * anp.expand_dims(gl, -1), axis=-2)
    return dy if axis is None else anp.moveaxis(dy, -1, ax)


defvjp(anp.cumprod, grad_cumprod)
defjvp(anp.cumprod, jvp_cumprod)
