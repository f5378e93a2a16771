"""Reverse-mode rules: one vector-Jacobian product per primitive and argument.

Each rule has autograd's form ``maker(ans, *args, **kwargs) -> (g -> ḡ)``: it
receives the forward output ``ans`` and the arguments, and returns the map from
the output's cotangent g to the argument's cotangent.  Rules are written with
wrapped primitives (``anp``), so that their own derivatives can be traced:
that is what makes ``grad(grad(f))`` work.  Broadcasting is undone in one place,
:func:`unbroadcast`.
"""

from __future__ import annotations

import math

import numpy as _np

from ravine.autodiff.core import defvjp, defvjp_argnum
from ravine.autodiff.tracer import Box, getval
from ravine.numpy import wrapper as anp
from ravine.numpy.sparse_grads import SparseArrayGrad

_LOG2, _LOG10 = float(_np.log(2)), float(_np.log(10))  # Python floats keep float32 float32

# ----------------------------------------------------------------------------
# broadcasting
# ----------------------------------------------------------------------------


_REAL_SCALAR_TYPES = frozenset({float, _np.float64, _np.float32})


def _shape_of(value):
    # ``value.shape`` costs ~30 ns; ``np.shape`` dispatches and costs ~650 ns, which
    # dominated the backward pass of scalar code (it runs for every argument).
    if type(value) is float:
        return ()
    shape = getattr(value, "shape", None)
    return shape if shape is not None else _np.shape(value)


def _is_complex(value):
    # Same answer as np.iscomplexobj, without its ~1.4 µs cost on scalars.
    dtype = getattr(value, "dtype", None)
    if dtype is not None:
        return dtype.kind == "c"
    if type(value) is float:
        return False
    return _np.iscomplexobj(value)


def unbroadcast(x, g):
    """Sum the cotangent ``g`` over the axes along which ``x`` was broadcast, so
    that it gets ``x``'s shape; drop the imaginary part if ``x`` is real."""
    if type(x) in _REAL_SCALAR_TYPES and type(g) in _REAL_SCALAR_TYPES:
        return g  # two real 0-d values: nothing to undo (the common case in scalar code)
    x_value, g_value = getval(x), getval(g)
    target = _shape_of(x_value)
    shape = _shape_of(g_value)
    if shape != target:
        while len(shape) > len(target):
            g = anp.sum(g, axis=0)
            shape = shape[1:]
        for axis, size in enumerate(target):
            if size == 1 and shape[axis] != 1:
                g = anp.sum(g, axis=axis, keepdims=True)
    if _is_complex(g_value) and not _is_complex(x_value):
        g = anp.real(g)
    return g


def unbroadcast_f(x, f):
    return lambda g: unbroadcast(x, f(g))


def balanced_eq(x, z, y):
    # Where x and y tie for the max/min, each gets half of the cotangent.
    return (x == z) / (1.0 + (x == y))


def exponent_minus_one(y):
    """y − 1 for d/dx xʸ = y xʸ⁻¹, with 1 where y = 0 (so 0·x⁻¹ cannot make a NaN at x = 0).
    A constant scalar exponent stays a Python number, so float32 stays float32 (and a
    complex exponent a Python complex, so complex64 stays complex64)."""
    if isinstance(y, (int, float, complex)) or (not isinstance(y, anp.Box) and _np.ndim(y) == 0):
        if y == 0:
            return 1.0
        return complex(y) - 1.0 if _np.iscomplexobj(y) else float(y) - 1.0
    return anp.where(y != 0, y - 1, 1.0)


def replace_zero(x, val):
    return anp.where(x != 0, x, val)


# ----------------------------------------------------------------------------
# arithmetic
# ----------------------------------------------------------------------------

defvjp(anp.negative, lambda ans, x: lambda g: -g)
defvjp(anp.positive, lambda ans, x: lambda g: g)
defvjp(anp.add, lambda ans, x, y: unbroadcast_f(x, lambda g: g),
                lambda ans, x, y: unbroadcast_f(y, lambda g: g))
defvjp(anp.subtract, lambda ans, x, y: unbroadcast_f(x, lambda g: g),
                     lambda ans, x, y: unbroadcast_f(y, lambda g: -g))
defvjp(anp.multiply, lambda ans, x, y: unbroadcast_f(x, lambda g: y * g),
                     lambda ans, x, y: unbroadcast_f(y, lambda g: x * g))
defvjp(anp.divide, lambda ans, x, y: unbroadcast_f(x, lambda g: g / y),
                   lambda ans, x, y: unbroadcast_f(y, lambda g: -g * x / y**2))
# d/dx x**y = y x**(y-1);  d/dy x**y = log(x) x**y  (taken as 0 where x = 0)
defvjp(anp.power,
       lambda ans, x, y: unbroadcast_f(x, lambda g: g * y * x ** exponent_minus_one(y)),
       lambda ans, x, y: unbroadcast_f(y, lambda g: g * anp.log(replace_zero(x, 1.0)) * ans))
defvjp(anp.float_power,
       lambda ans, x, y: unbroadcast_f(x, lambda g: g * y * anp.float_power(x, exponent_minus_one(y))),
       lambda ans, x, y: unbroadcast_f(y, lambda g: g * anp.log(replace_zero(x, 1.0)) * ans))
defvjp(anp.maximum, lambda ans, x, y: unbroadcast_f(x, lambda g: g * balanced_eq(x, ans, y)),
                    lambda ans, x, y: unbroadcast_f(y, lambda g: g * balanced_eq(y, ans, x)))
defvjp(anp.minimum, lambda ans, x, y: unbroadcast_f(x, lambda g: g * balanced_eq(x, ans, y)),
                    lambda ans, x, y: unbroadcast_f(y, lambda g: g * balanced_eq(y, ans, x)))
defvjp(anp.fmax, lambda ans, x, y: unbroadcast_f(x, lambda g: g * balanced_eq(x, ans, y)),
                 lambda ans, x, y: unbroadcast_f(y, lambda g: g * balanced_eq(y, ans, x)))
defvjp(anp.fmin, lambda ans, x, y: unbroadcast_f(x, lambda g: g * balanced_eq(x, ans, y)),
                 lambda ans, x, y: unbroadcast_f(y, lambda g: g * balanced_eq(y, ans, x)))
defvjp(anp.logaddexp, lambda ans, x, y: unbroadcast_f(x, lambda g: g * anp.exp(x - ans)),
                      lambda ans, x, y: unbroadcast_f(y, lambda g: g * anp.exp(y - ans)))
defvjp(anp.logaddexp2, lambda ans, x, y: unbroadcast_f(x, lambda g: g * 2 ** (x - ans)),
                       lambda ans, x, y: unbroadcast_f(y, lambda g: g * 2 ** (y - ans)))
defvjp(anp.arctan2, lambda ans, x, y: unbroadcast_f(x, lambda g: g * y / (x**2 + y**2)),
                    lambda ans, x, y: unbroadcast_f(y, lambda g: g * -x / (x**2 + y**2)))
# At the origin hypot has no derivative; like abs, take the subgradient 0 there.
defvjp(anp.hypot, lambda ans, x, y: unbroadcast_f(x, lambda g: g * x / replace_zero(ans, 1.0)),
                  lambda ans, x, y: unbroadcast_f(y, lambda g: g * y / replace_zero(ans, 1.0)))
defvjp(anp.mod, lambda ans, x, y: unbroadcast_f(x, lambda g: g),
                lambda ans, x, y: unbroadcast_f(y, lambda g: -g * anp.floor(x / y)))
defvjp(anp.fmod, lambda ans, x, y: unbroadcast_f(x, lambda g: g),
                 lambda ans, x, y: unbroadcast_f(y, lambda g: -g * anp.trunc(x / y)))

# ----------------------------------------------------------------------------
# elementwise functions of one argument
# ----------------------------------------------------------------------------

defvjp(anp.exp, lambda ans, x: lambda g: ans * g)
defvjp(anp.exp2, lambda ans, x: lambda g: ans * _LOG2 * g)
defvjp(anp.expm1, lambda ans, x: lambda g: (ans + 1) * g)
defvjp(anp.log, lambda ans, x: lambda g: g / x)
defvjp(anp.log2, lambda ans, x: lambda g: g / (x * _LOG2))
defvjp(anp.log10, lambda ans, x: lambda g: g / (x * _LOG10))
defvjp(anp.log1p, lambda ans, x: lambda g: g / (x + 1))
defvjp(anp.sqrt, lambda ans, x: lambda g: g * 0.5 / ans)
defvjp(anp.cbrt, lambda ans, x: lambda g: g / (3 * ans**2))
defvjp(anp.square, lambda ans, x: lambda g: g * 2 * x)
defvjp(anp.reciprocal, lambda ans, x: lambda g: -g / x**2)
defvjp(anp.sin, lambda ans, x: lambda g: g * anp.cos(x))
defvjp(anp.cos, lambda ans, x: lambda g: -g * anp.sin(x))
defvjp(anp.tan, lambda ans, x: lambda g: g / anp.cos(x) ** 2)
defvjp(anp.arcsin, lambda ans, x: lambda g: g / anp.sqrt(1 - x**2))
defvjp(anp.arccos, lambda ans, x: lambda g: -g / anp.sqrt(1 - x**2))
defvjp(anp.arctan, lambda ans, x: lambda g: g / (1 + x**2))
defvjp(anp.sinh, lambda ans, x: lambda g: g * anp.cosh(x))
defvjp(anp.cosh, lambda ans, x: lambda g: g * anp.sinh(x))
defvjp(anp.tanh, lambda ans, x: lambda g: g * (1 - ans**2))
defvjp(anp.arcsinh, lambda ans, x: lambda g: g / anp.sqrt(x**2 + 1))
defvjp(anp.arccosh, lambda ans, x: lambda g: g / anp.sqrt(x**2 - 1))
defvjp(anp.arctanh, lambda ans, x: lambda g: g / (1 - x**2))
defvjp(anp.abs, lambda ans, x: lambda g: g * replace_zero(anp.conj(x), 0.0) / replace_zero(ans, 1.0))
defvjp(anp.fabs, lambda ans, x: lambda g: g * anp.sign(x))
defvjp(anp.deg2rad, lambda ans, x: lambda g: g * _np.pi / 180.0)
defvjp(anp.radians, lambda ans, x: lambda g: g * _np.pi / 180.0)
defvjp(anp.rad2deg, lambda ans, x: lambda g: g * 180.0 / _np.pi)
defvjp(anp.degrees, lambda ans, x: lambda g: g * 180.0 / _np.pi)
# d/dx sin(πx)/(πx) = (cos(πx) - sinc(x)) / x, and 0 at x = 0
defvjp(anp.sinc, lambda ans, x: lambda g: g * anp.where(
    x == 0, 0.0, (anp.cos(_np.pi * x) - ans) / replace_zero(x, 1.0)))
defvjp(anp.real, lambda ans, x: lambda g: anp.real(g) if not _np.iscomplexobj(getval(x)) else anp.real(g) + 0j)
defvjp(anp.imag, lambda ans, x: unbroadcast_f(x, lambda g: -1j * g))
defvjp(anp.conj, lambda ans, x: lambda g: anp.conj(g))
defvjp(anp.real_if_close, lambda ans, x, tol=100: lambda g: g + 0j if _np.iscomplexobj(getval(x)) else g)
# d angle(z) = Im(conj(z) dz) / |z|²; constant (zero derivative) on the real line.
defvjp(anp.angle, lambda ans, x: unbroadcast_f(x, lambda g: g * anp.conj(x * 1j) / anp.abs(x) ** 2))


def clip_masks(x, a_min, a_max):
    """Where ``clip`` chose the lower bound, and where the upper one (constants)."""
    x = getval(x)
    below = _np.less(x, getval(a_min)) if a_min is not None else _np.zeros(_np.shape(x), bool)
    above = _np.greater(x, getval(a_max)) if a_max is not None else _np.zeros(_np.shape(x), bool)
    return below, above


# clip(x, lo, hi): the cotangent goes to whichever of x, lo, hi was chosen.
defvjp(anp.clip,
       lambda ans, x, a_min=None, a_max=None: unbroadcast_f(
           x, lambda g: g * ~_np.logical_or(*clip_masks(x, a_min, a_max))),
       lambda ans, x, a_min=None, a_max=None: unbroadcast_f(a_min, lambda g: g * clip_masks(x, a_min, a_max)[0]),
       lambda ans, x, a_min=None, a_max=None: unbroadcast_f(a_max, lambda g: g * clip_masks(x, a_min, a_max)[1]))
# The condition selects; it has no derivative of its own (zero, as in autograd).
defvjp(anp.where, lambda ans, c, x=None, y=None: lambda g: anp.zeros_like(c),
       lambda ans, c, x=None, y=None: unbroadcast_f(x, lambda g: anp.where(c, g, 0.0)),
       lambda ans, c, x=None, y=None: unbroadcast_f(y, lambda g: anp.where(c, 0.0, g)))
defvjp(anp.copy, lambda ans, x: lambda g: g)
# cast: the cotangent is cast back (its imaginary part dropped for a real input).
defvjp(anp.cast, lambda ans, x, dtype: lambda g: anp.cast(unbroadcast(x, g), _np.result_type(getval(x))))
defvjp(anp.nan_to_num, lambda ans, x, **kw: lambda g: anp.where(anp.isfinite(x), g, 0.0))

# ----------------------------------------------------------------------------
# reductions
# ----------------------------------------------------------------------------


def _expand_reduced(g, x_shape, axis, keepdims):
    """Give the reduced cotangent ``g`` back the reduced axes, ready to broadcast
    against the input of shape ``x_shape``."""
    if axis is None or keepdims:
        if axis is None and not keepdims:
            return anp.reshape(g, (1,) * len(x_shape)) if len(x_shape) else g
        return g
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    axes = tuple(a % len(x_shape) for a in axes)
    return anp.reshape(g, tuple(1 if i in axes else n for i, n in enumerate(x_shape)))


def _inverse_permutation(order):
    """The permutation that undoes ``order`` (``np.argsort`` of a short list of
    distinct axes, without the conversion to an array)."""
    return sorted(range(len(order)), key=list(order).__getitem__)


def _n_reduced(x_shape, axis):
    if axis is None:
        return math.prod(x_shape)  # math.prod: np.prod of a tuple costs microseconds
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    return math.prod(x_shape[a] for a in axes)


def grad_sum(ans, x, axis=None, dtype=None, keepdims=False, **kw):
    shape = _np.shape(getval(x))
    return lambda g: anp.broadcast_to(_expand_reduced(g, shape, axis, keepdims), shape)


def grad_mean(ans, x, axis=None, dtype=None, keepdims=False, **kw):
    shape = _np.shape(getval(x))
    n = _n_reduced(shape, axis)
    return lambda g: anp.broadcast_to(_expand_reduced(g, shape, axis, keepdims), shape) / n


def count_dtype(x):
    """The float dtype to count ties in: x's own (an integer count would turn a float32
    cotangent into float64)."""
    dtype = getattr(getval(x), "dtype", None)
    return dtype if dtype is not None and dtype.kind == "f" else _np.float64


def grad_chooser(ans, x, axis=None, keepdims=False, **kw):
    # d max / dx: the cotangent goes to the maximal entries, shared equally on ties.
    shape = _np.shape(getval(x))

    def vjp(g):
        g_full = _expand_reduced(g, shape, axis, keepdims)
        ans_full = _expand_reduced(ans, shape, axis, keepdims)
        chosen = anp.equal(x, ans_full)
        count = anp.sum(chosen, axis=axis, keepdims=True, dtype=count_dtype(x))
        return g_full * chosen / count

    return vjp


def grad_prod(ans, x, axis=None, keepdims=False, **kw):
    # d/dx_i Π x = Π_{j≠i} x_j; computed without dividing by x so zeros are exact.
    shape = _np.shape(getval(x))
    return lambda g: _expand_reduced(g, shape, axis, keepdims) * products_of_others(x, axis)


def products_of_others(x, axis):
    """Π_{j≠i} x_j over the reduced ``axis`` (None, an int or a tuple), for every
    entry i, as exclusive cumulative products from both ends."""
    shape = _np.shape(getval(x))
    ndim = len(shape)
    axes = tuple(range(ndim)) if axis is None else (axis,) if isinstance(axis, int) else tuple(axis)
    axes = tuple(a % ndim for a in axes)
    kept = [i for i in range(ndim) if i not in axes]
    moved = anp.transpose(x, kept + list(axes))
    merged = anp.reshape(moved, tuple(shape[i] for i in kept) + (-1,))
    ones = anp.ones_like(merged[..., :1])
    left = anp.cumprod(anp.concatenate([ones, merged[..., :-1]], axis=-1), axis=-1)
    right = anp.flip(anp.cumprod(anp.concatenate([ones, anp.flip(merged, -1)[..., :-1]], axis=-1), axis=-1), -1)
    others = anp.reshape(left * right, _np.shape(getval(moved)))
    return anp.transpose(others, _inverse_permutation(kept + list(axes)))


def grad_var(ans, x, axis=None, ddof=0, keepdims=False, **kw):
    shape = _np.shape(getval(x))
    n = _n_reduced(shape, axis)

    def vjp(g):
        g_full = _expand_reduced(g, shape, axis, keepdims)
        # var = Σ|c|²/(n − ddof) with c = x − mean(x); for complex x the cotangent of a
        # real output is 2 ḡ conj(c)/(n − ddof) (autograd's convention; conj is free on reals).
        centred = anp.conj(x - anp.mean(x, axis=axis, keepdims=True))
        return 2.0 * g_full * centred / (n - ddof)

    return vjp


def grad_std(ans, x, axis=None, ddof=0, keepdims=False, **kw):
    shape = _np.shape(getval(x))
    n = _n_reduced(shape, axis)

    def vjp(g):
        g_full = _expand_reduced(g, shape, axis, keepdims)
        if n == 1 and ddof == 0:
            # The std of one number is 0 whatever the number: its derivative is 0,
            # not the 0/0 of the general formula.
            return g_full * _np.zeros_like(getval(x))
        ans_full = _expand_reduced(ans, shape, axis, keepdims)
        centred = anp.conj(x - anp.mean(x, axis=axis, keepdims=True))
        zero = _np.asarray(getval(ans_full)) == 0
        if _np.any(zero):  # all entries equal: the subgradient 0 (as nanstd), not 0/0
            return anp.where(zero, 0.0, g_full * centred / ((n - ddof) * anp.where(zero, 1.0, ans_full)))
        return g_full * centred / ((n - ddof) * ans_full)

    return vjp


defvjp(anp.sum, grad_sum)
defvjp(anp.nansum, lambda ans, x, axis=None, keepdims=False, **kw: lambda g: anp.where(
    anp.isnan(x), 0.0, grad_sum(ans, x, axis=axis, keepdims=keepdims)(g)))
defvjp(anp.mean, grad_mean)
defvjp(anp.max, grad_chooser)
defvjp(anp.min, grad_chooser)
defvjp(anp.amax, grad_chooser)
defvjp(anp.amin, grad_chooser)
defvjp(anp.prod, grad_prod)
defvjp(anp.var, grad_var)
defvjp(anp.std, grad_std)


def grad_cumsum(ans, x, axis=None, **kw):
    shape = _np.shape(getval(x))
    if axis is None:
        return lambda g: anp.reshape(anp.flip(anp.cumsum(anp.flip(g, 0)), 0), shape)
    return lambda g: anp.flip(anp.cumsum(anp.flip(g, axis), axis=axis), axis)


defvjp(anp.cumsum, grad_cumsum)

# ----------------------------------------------------------------------------
# shapes
# ----------------------------------------------------------------------------

defvjp(anp.reshape, lambda ans, x, shape, order="C": lambda g: anp.reshape(g, _np.shape(getval(x)), order=order))
defvjp(anp.ravel, lambda ans, x, order="C": lambda g: anp.reshape(g, _np.shape(getval(x)), order=order))
defvjp(anp.squeeze, lambda ans, x, axis=None: lambda g: anp.reshape(g, _np.shape(getval(x))))
defvjp(anp.expand_dims, lambda ans, x, axis: lambda g: anp.reshape(g, _np.shape(getval(x))))
defvjp(anp.atleast_1d, lambda ans, x: lambda g: anp.reshape(g, _np.shape(getval(x))))
defvjp(anp.atleast_2d, lambda ans, x: lambda g: anp.reshape(g, _np.shape(getval(x))))
defvjp(anp.atleast_3d, lambda ans, x: lambda g: anp.reshape(g, _np.shape(getval(x))))
defvjp(anp.broadcast_to, lambda ans, x, shape, **kw: lambda g: unbroadcast(x, g))
defvjp(anp.swapaxes, lambda ans, x, axis1, axis2: lambda g: anp.swapaxes(g, axis2, axis1))
defvjp(anp.moveaxis, lambda ans, x, source, destination: lambda g: anp.moveaxis(g, destination, source))


def grad_transpose(ans, x, axes=None):
    if axes is not None:
        axes = _inverse_permutation([a % len(axes) for a in axes])
    return lambda g: anp.transpose(g, axes)


defvjp(anp.transpose, grad_transpose)
defvjp(anp.flip, lambda ans, x, axis=None: lambda g: anp.flip(g, axis))
defvjp(anp.fliplr, lambda ans, x: lambda g: anp.fliplr(g))
defvjp(anp.flipud, lambda ans, x: lambda g: anp.flipud(g))
defvjp(anp.triu, lambda ans, x, k=0: lambda g: anp.triu(g, k))
defvjp(anp.tril, lambda ans, x, k=0: lambda g: anp.tril(g, k))


def grad_getitem(ans, A, index):
    shape = _np.shape(getval(A))
    dtype = _np.result_type(getval(A))

    def vjp(g):
        if isinstance(g, Box):  # traced cotangent: untake stays differentiable
            return anp.untake(g, index, shape, dtype)
        return SparseArrayGrad(shape, dtype, index, g)  # O(1); see sparse_grads.py

    return vjp


defvjp(anp.getitem, grad_getitem)
# untake is linear in g: its VJP takes the same entries back out.
defvjp(anp.untake, lambda ans, g, index, shape, dtype: lambda h: anp.getitem(h, index))


def grad_concatenate(argnum, ans, args, kwargs):
    axis = args[0]
    sizes = [_np.shape(getval(a))[axis] for a in args[1:]]
    start = sum(sizes[: argnum - 1])
    stop = start + sizes[argnum - 1]

    def vjp(g):
        index = [slice(None)] * anp.ndim(g)
        index[axis] = slice(start, stop)
        return unbroadcast(x, g[tuple(index)])  # drops the imaginary part for a real piece

    x = args[argnum]
    return vjp


defvjp_argnum(anp.concatenate_args, grad_concatenate)


def grad_array_from_args(argnum, ans, args, kwargs):
    x = args[argnum]
    return lambda g: unbroadcast(x, g[argnum - 2])


defvjp_argnum(anp.array_from_args, grad_array_from_args)

# ----------------------------------------------------------------------------
# products
# ----------------------------------------------------------------------------


def _dot_vjp_a(ans, A, B):
    a, b = _np.ndim(getval(A)), _np.ndim(getval(B))
    if a == 0 or b == 0:
        return unbroadcast_f(A, lambda g: anp.sum(g * B) if a == 0 else g * B)
    if b == 1:
        return lambda g: anp.tensordot(g, B, 0)
    # gA[I, j] = Σ_{K,k} G[I, K, k] B[K, j, k]
    g_axes = list(range(a - 1, a - 1 + b - 1))
    b_axes = list(range(b - 2)) + [b - 1]
    return lambda g: anp.tensordot(g, B, (g_axes, b_axes))


def _dot_vjp_b(ans, A, B):
    a, b = _np.ndim(getval(A)), _np.ndim(getval(B))
    if a == 0 or b == 0:
        return unbroadcast_f(B, lambda g: anp.sum(g * A) if b == 0 else g * A)
    lead = list(range(a - 1))
    if b == 1:
        return lambda g: anp.tensordot(A, g, (lead, lead))
    # gB[K, j, k] = Σ_I A[I, j] G[I, K, k]
    return lambda g: anp.moveaxis(anp.tensordot(A, g, (lead, lead)), 0, -2)


# A real operand of a complex product gets the real part of its cotangent, as under
# broadcasting (unbroadcast is a no-op on shapes here).
defvjp(anp.dot, lambda ans, A, B: unbroadcast_f(A, _dot_vjp_a(ans, A, B)),
       lambda ans, A, B: unbroadcast_f(B, _dot_vjp_b(ans, A, B)))


def _matmul_vjp(argnum):
    def maker(ans, A, B):
        a, b = _np.ndim(getval(A)), _np.ndim(getval(B))
        target = A if argnum == 0 else B

        def vjp(g):
            if a == 1 and b == 1:
                return g * (B if argnum == 0 else A)
            if a == 2 and b == 2:  # the common case, without the reshapes below: gA = g Bᵀ, gB = Aᵀ g
                return (unbroadcast(A, anp.matmul(g, anp.swapaxes(B, -1, -2))) if argnum == 0
                        else unbroadcast(B, anp.matmul(anp.swapaxes(A, -1, -2), g)))
            A2 = A if a > 1 else anp.expand_dims(A, 0)
            B2 = B if b > 1 else anp.expand_dims(B, -1)
            g2 = g
            if a == 1:
                g2 = anp.expand_dims(g2, -2)
            if b == 1:
                g2 = anp.expand_dims(g2, -1)
            if argnum == 0:
                out = anp.matmul(g2, anp.swapaxes(B2, -1, -2))
                out = unbroadcast(A2, out)
            else:
                out = anp.matmul(anp.swapaxes(A2, -1, -2), g2)
                out = unbroadcast(B2, out)
            return anp.reshape(out, _np.shape(getval(target)))

        return vjp

    return maker


defvjp(anp.matmul, _matmul_vjp(0), _matmul_vjp(1))


def _tensordot_axes(axes, a_ndim, b_ndim):
    if isinstance(axes, int):
        return list(range(a_ndim - axes, a_ndim)), list(range(axes))
    a_axes, b_axes = axes
    a_axes = [a_axes] if isinstance(a_axes, int) else list(a_axes)
    b_axes = [b_axes] if isinstance(b_axes, int) else list(b_axes)
    return [x % a_ndim for x in a_axes], [x % b_ndim for x in b_axes]


def _tensordot_layout(A, B, axes):
    """(a_axes, b_axes, a_free, b_free): the contracted and the free axes of each operand."""
    a, b = _np.ndim(getval(A)), _np.ndim(getval(B))
    a_axes, b_axes = _tensordot_axes(axes, a, b)
    return a_axes, b_axes, [i for i in range(a) if i not in a_axes], [i for i in range(b) if i not in b_axes]


def grad_tensordot_a(ans, A, B, axes=2):
    # ans = A_free ⊗ B_free contracted over (a_axes, b_axes); gA contracts g with B
    # over B's free axes, then puts A's axes back in their original order.
    a_axes, b_axes, a_free, b_free = _tensordot_layout(A, B, axes)
    n_a_free = len(a_free)

    def vjp(g):
        g_b_axes = list(range(n_a_free, n_a_free + len(b_free)))
        out = anp.tensordot(g, B, (g_b_axes, b_free))  # axes: a_free..., B's contracted axes ascending
        order = a_free + [a_axes[k] for k in _inverse_permutation(b_axes)]
        return anp.transpose(out, _inverse_permutation(order))

    return vjp


def grad_tensordot_b(ans, A, B, axes=2):
    a_axes, b_axes, a_free, b_free = _tensordot_layout(A, B, axes)
    n_a_free = len(a_free)

    def vjp(g):
        g_a_axes = list(range(n_a_free))
        out = anp.tensordot(A, g, (a_free, g_a_axes))  # axes: A's contracted axes ascending, b_free...
        order = [b_axes[k] for k in _inverse_permutation(a_axes)] + b_free
        return anp.transpose(out, _inverse_permutation(order))

    return vjp


defvjp(anp.tensordot, lambda ans, A, B, axes=2: unbroadcast_f(A, grad_tensordot_a(ans, A, B, axes)),
       lambda ans, A, B, axes=2: unbroadcast_f(B, grad_tensordot_b(ans, A, B, axes)))
defvjp(anp.outer, lambda ans, x, y: lambda g: unbroadcast(x, anp.dot(g, anp.ravel(y)).reshape(_np.shape(getval(x)))),
                  lambda ans, x, y: lambda g: unbroadcast(y, anp.dot(anp.ravel(x), g).reshape(_np.shape(getval(y)))))
