"""First-order shortcuts for the VJP rules of the hottest primitives.

The rules in :mod:`ravine.numpy.vjps` are autograd's makers: each backward step
calls ``maker(ans, *args)``, which builds a closure (and often a second one for
:func:`~ravine.numpy.vjps.unbroadcast`), and the closure calls wrapped
primitives.  That generality is what makes derivatives of derivatives work, and
it costs 5–10 µs of Python per node, as much as the arithmetic of a small
network.  When nothing traces the backward pass (the cotangent and the node's
values are raw, see :func:`ravine.autodiff.core.def_fast_vjp`) the same
cotangents can be computed directly with NumPy: that is what these functions
do.  Each returns exactly what the maker rule returns (same formula, same
dtype, same shape; ``tests/numpy/test_fast_vjps.py`` compares them), or None
for a call it does not handle (keyword arguments it does not know, array
subclasses, matrix products of more than two dimensions).

Signature: ``rule(g, ans, args, kwargs, argnums) -> [ḡ_i for i in argnums] | None``.
"""

from __future__ import annotations

import math

import numpy as _np

from ravine.autodiff.core import def_fast_vjp
from ravine.numpy import wrapper as anp
from ravine.numpy.vjps import _REAL_SCALAR_TYPES, _is_complex, _shape_of, count_dtype

_ndarray = _np.ndarray
_add_reduce = _np.add.reduce


# (shape of ḡ, shape of x) -> (leading axes to sum away, size-1 axes of x to sum
# with keepdims): a network meets a handful of shape pairs, over and over.
_REDUCTION_PLANS: dict[tuple, tuple] = {}


def _reduction_plan(shape, target):
    plan = _REDUCTION_PLANS.get((shape, target))
    if plan is None:
        lead = len(shape) - len(target)
        ones = tuple(axis for axis, size in enumerate(target) if size == 1 and shape[lead + axis] != 1)
        plan = (tuple(range(lead)), ones)
        if len(_REDUCTION_PLANS) > 4096:  # programs whose shapes keep changing
            _REDUCTION_PLANS.clear()
        _REDUCTION_PLANS[(shape, target)] = plan
    return plan


def unbroadcast_raw(x, g):
    """:func:`~ravine.numpy.vjps.unbroadcast` for raw values: sum ``g`` over the
    axes along which ``x`` was broadcast; drop its imaginary part if ``x`` is real."""
    if type(g) is _ndarray and type(x) is _ndarray:  # the common case, without the probes below
        target = x.shape
        shape = g.shape
        if shape != target:
            lead, ones = _REDUCTION_PLANS.get((shape, target)) or _reduction_plan(shape, target)
            if lead:
                g = _add_reduce(g, axis=lead)
            if ones:
                g = _add_reduce(g, axis=ones, keepdims=True)
        if g.dtype.kind == "c" and x.dtype.kind != "c":
            g = g.real
        return g
    if type(x) in _REAL_SCALAR_TYPES and type(g) in _REAL_SCALAR_TYPES:
        return g
    target = _shape_of(x)
    shape = _shape_of(g)
    if shape != target:
        # add.reduce is what np.sum calls, without its ~4 µs of Python dispatch.
        total = _add_reduce if type(g) is _ndarray else _np.sum
        lead, ones = _reduction_plan(shape, target)
        if lead:
            g = total(g, axis=lead)
        if ones:
            g = total(g, axis=ones, keepdims=True)
    if _is_complex(g) and not _is_complex(x):
        g = _np.real(g)
    return g


# ----------------------------------------------------------------------------
# elementwise
# ----------------------------------------------------------------------------


def _binary(rule_x, rule_y):
    """Fast rule of a broadcasting binary function from ``rule_i(g, ans, x, y)``."""

    def fast(g, ans, args, kwargs, argnums):
        if kwargs or len(args) != 2:
            return None
        x, y = args
        if len(argnums) == 2:
            return [unbroadcast_raw(x, rule_x(g, ans, x, y)), unbroadcast_raw(y, rule_y(g, ans, x, y))]
        if argnums[0] == 0:
            return [unbroadcast_raw(x, rule_x(g, ans, x, y))]
        return [unbroadcast_raw(y, rule_y(g, ans, x, y))]

    return fast


def _unary(rule):
    """Fast rule of an elementwise function of one argument from ``rule(g, ans, x)``."""

    def fast(g, ans, args, kwargs, argnums):
        if kwargs or len(args) != 1:
            return None
        return [rule(g, ans, args[0])]

    return fast


def _add_fast(g, ans, args, kwargs, argnums):
    if kwargs or len(args) != 2:
        return None
    if len(argnums) == 2:
        return [unbroadcast_raw(args[0], g), unbroadcast_raw(args[1], g)]
    return [unbroadcast_raw(args[argnums[0]], g)]


def _subtract_fast(g, ans, args, kwargs, argnums):
    if kwargs or len(args) != 2:
        return None
    # −(Σ ḡ) is bit for bit Σ(−ḡ), and negates the smaller, reduced array.
    if len(argnums) == 2:
        return [unbroadcast_raw(args[0], g), -unbroadcast_raw(args[1], g)]
    if argnums[0] == 0:
        return [unbroadcast_raw(args[0], g)]
    return [-unbroadcast_raw(args[1], g)]


def _tanh_rule(g, ans, x):
    if type(ans) is _ndarray and type(g) is _ndarray and ans.ndim and ans.dtype == g.dtype:
        # g · (1 − ans²) in one scratch array: the same three roundings as the
        # expression, without allocating two temporaries (0-d values give scalars: skipped).
        out = _np.multiply(ans, ans)
        _np.subtract(1, out, out=out)
        return _np.multiply(g, out, out=out) if out.shape == g.shape else g * out
    return g * (1 - ans**2)


# The formulas are those of vjps.py, written in the same order.
def_fast_vjp(anp.add, _add_fast)
def_fast_vjp(anp.subtract, _subtract_fast)
def_fast_vjp(anp.multiply, _binary(lambda g, ans, x, y: y * g, lambda g, ans, x, y: x * g))
for _divide in (anp.divide, anp.true_divide):
    def_fast_vjp(_divide, _binary(lambda g, ans, x, y: g / y, lambda g, ans, x, y: -g * x / y**2))
def_fast_vjp(anp.negative, _unary(lambda g, ans, x: -g))
def_fast_vjp(anp.exp, _unary(lambda g, ans, x: ans * g))
def_fast_vjp(anp.log, _unary(lambda g, ans, x: g / x))
def _log1p_rule(g, ans, x):
    if type(x) is _ndarray and type(g) is _ndarray and x.ndim and x.shape == g.shape and x.dtype == g.dtype:
        out = _np.add(x, 1)  # ḡ/(x + 1), dividing into the scratch array x + 1
        return _np.divide(g, out, out=out)
    return g / (x + 1)


def_fast_vjp(anp.log1p, _unary(_log1p_rule))
def_fast_vjp(anp.tanh, _unary(_tanh_rule))
def_fast_vjp(anp.sin, _unary(lambda g, ans, x: g * _np.cos(x)))
def_fast_vjp(anp.cos, _unary(lambda g, ans, x: -g * _np.sin(x)))

# ----------------------------------------------------------------------------
# reductions
# ----------------------------------------------------------------------------

_AXIS_KEYWORDS = frozenset({"axis", "keepdims"})


def _reduction_call(args, kwargs):
    """(x, axis, keepdims) of ``f(x, axis=..., keepdims=...)``; None for other calls."""
    if len(args) != 1 or not _AXIS_KEYWORDS.issuperset(kwargs):
        return None
    return args[0], kwargs.get("axis"), kwargs.get("keepdims", False)


def _expand_reduced_raw(g, x_shape, axis, keepdims):
    """``g`` with the reduced axes back, as size 1, ready to broadcast against the
    input (a reduction over all axes leaves a 0-d ``g``, which broadcasts as it is)."""
    if keepdims or axis is None:
        return g
    axes = (axis,) if isinstance(axis, int) else tuple(axis)
    axes = tuple(a % len(x_shape) for a in axes)
    return _np.reshape(g, tuple(1 if i in axes else n for i, n in enumerate(x_shape)))


def _spread(g, shape):
    """``g`` repeated to ``shape`` as a new array: the values of ``broadcast_to``,
    whose Python layer costs three times as much for small arrays."""
    g = _np.asarray(g)
    out = _np.empty(shape, g.dtype)
    out[...] = g
    return out


def _sum_fast(g, ans, args, kwargs, argnums):
    if len(args) != 1:
        return None
    x = args[0]
    if not kwargs and type(x) is _ndarray:
        # np.sum(x): the usual loss; ḡ is 0-d and spreads as it is.
        out = _np.empty(x.shape, _np.result_type(g))
        out[...] = g
        return [out]
    call = _reduction_call(args, kwargs)
    if call is None:
        return None
    x, axis, keepdims = call
    shape = _shape_of(x)
    return [_spread(_expand_reduced_raw(g, shape, axis, keepdims), shape)]


def _mean_fast(g, ans, args, kwargs, argnums):
    call = _reduction_call(args, kwargs)
    if call is None:
        return None
    x, axis, keepdims = call
    shape = _shape_of(x)
    if axis is None:
        n = math.prod(shape)
    else:
        n = math.prod(shape[a] for a in ((axis,) if isinstance(axis, int) else axis))
    if n == 0:
        return None  # an empty mean: leave its NaN and warnings to the general rule
    # ḡ/n before spreading: each entry is the same single division as in vjps.py.
    return [_spread(_expand_reduced_raw(g / n, shape, axis, keepdims), shape)]


def _max_fast(g, ans, args, kwargs, argnums):
    call = _reduction_call(args, kwargs)
    if call is None:
        return None
    x, axis, keepdims = call
    shape = _shape_of(x)
    g_full = _expand_reduced_raw(g, shape, axis, keepdims)
    chosen = _np.equal(x, _expand_reduced_raw(ans, shape, axis, keepdims))
    x_dtype = getattr(x, "dtype", None)
    if (x_dtype is not None and getattr(g_full, "dtype", None) == x_dtype
            and _np.count_nonzero(chosen) == getattr(ans, "size", 1)):
        # One maximum per slice (no ties): every count is 1 and ḡ/1 is ḡ.
        return [g_full * chosen]
    count = _np.add.reduce(chosen, axis=axis, keepdims=True, dtype=count_dtype(x))
    # (ḡ / count) · chosen: bit for bit ḡ · chosen / count (chosen is 0 or 1), with
    # the division on the reduced shape rather than on the whole input.
    return [(g_full / count) * chosen]


def_fast_vjp(anp.sum, _sum_fast)
def_fast_vjp(anp.mean, _mean_fast)
for _chooser in (anp.max, anp.amax, anp.min, anp.amin):
    def_fast_vjp(_chooser, _max_fast)

# ----------------------------------------------------------------------------
# matrix products
# ----------------------------------------------------------------------------


def _real_if_real(x, g):
    return _np.real(g) if g.dtype.kind == "c" and x.dtype.kind != "c" else g


def _matmul_fast(g, ans, args, kwargs, argnums):
    """Matrix-matrix, matrix-vector and vector-matrix products of exact ndarrays:
    ḡ_A = ḡ Bᵀ and ḡ_B = Aᵀ ḡ, with an outer product where an operand is a vector."""
    if kwargs or len(args) != 2:
        return None
    A, B = args
    if type(A) is not _ndarray or type(B) is not _ndarray or type(g) is not _ndarray:
        return None
    a, b = A.ndim, B.ndim
    if a != 2 and b != 2 or a > 2 or b > 2 or a == 0 or b == 0:
        return None  # vector·vector, batched and 0-d products: the general rule
    complex_parts = A.dtype.kind == "c" or B.dtype.kind == "c" or g.dtype.kind == "c"
    out = []
    for i in argnums:
        if i == 0:
            grad = (g @ B.T if a == 2 else B @ g) if b == 2 else _np.multiply.outer(g, B)
            out.append(_real_if_real(A, grad) if complex_parts else grad)
        else:
            grad = A.T @ g if a == 2 else _np.multiply.outer(A, g)
            out.append(_real_if_real(B, grad) if complex_parts else grad)
    return out


def_fast_vjp(anp.matmul, _matmul_fast)
def_fast_vjp(anp.dot, _matmul_fast)  # equal to matmul for operands of one or two dimensions
