"""Forward-mode rules: one Jacobian-vector product per primitive and argument.

Each rule has autograd's form ``jvp(g, ans, *args, **kwargs) -> ẏ``, where g is
the tangent of one argument; ``"same"`` (and :func:`def_linear`) marks a function
that is linear in that argument, so its JVP is the function applied to g.
Tangents of broadcast arguments broadcast by themselves, so only the few rules
that reduce need care.
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.core import def_linear, defjvp, defjvp_argnum
from ravine.autodiff.tracer import getval
from ravine.numpy import wrapper as anp

_LOG2, _LOG10 = float(_np.log(2)), float(_np.log(10))  # Python floats keep float32 float32
from ravine.numpy.vjps import balanced_eq, clip_masks, exponent_minus_one, replace_zero


def broadcast_tangent(g, ans):
    """Give the tangent the output's shape (arguments may have been broadcast)."""
    shape = _np.shape(getval(ans))
    if _np.shape(getval(g)) == shape:
        return g
    return anp.broadcast_to(g, shape)


def _bt(rule):
    return lambda g, ans, *args, **kwargs: broadcast_tangent(rule(g, ans, *args, **kwargs), ans)


# ---- arithmetic ---------------------------------------------------------------
defjvp(anp.negative, "same")
defjvp(anp.positive, "same")
defjvp(anp.add, _bt(lambda g, ans, x, y: g), _bt(lambda g, ans, x, y: g))
defjvp(anp.subtract, _bt(lambda g, ans, x, y: g), _bt(lambda g, ans, x, y: -g))
defjvp(anp.multiply, _bt(lambda g, ans, x, y: y * g), _bt(lambda g, ans, x, y: x * g))
defjvp(anp.divide, _bt(lambda g, ans, x, y: g / y), _bt(lambda g, ans, x, y: -g * x / y**2))
defjvp(anp.power,
       _bt(lambda g, ans, x, y: g * y * x ** exponent_minus_one(y)),
       _bt(lambda g, ans, x, y: g * anp.log(replace_zero(x, 1.0)) * ans))
defjvp(anp.float_power,
       _bt(lambda g, ans, x, y: g * y * anp.float_power(x, exponent_minus_one(y))),
       _bt(lambda g, ans, x, y: g * anp.log(replace_zero(x, 1.0)) * ans))
defjvp(anp.maximum, _bt(lambda g, ans, x, y: g * balanced_eq(x, ans, y)),
                    _bt(lambda g, ans, x, y: g * balanced_eq(y, ans, x)))
defjvp(anp.minimum, _bt(lambda g, ans, x, y: g * balanced_eq(x, ans, y)),
                    _bt(lambda g, ans, x, y: g * balanced_eq(y, ans, x)))
defjvp(anp.fmax, _bt(lambda g, ans, x, y: g * balanced_eq(x, ans, y)),
                 _bt(lambda g, ans, x, y: g * balanced_eq(y, ans, x)))
defjvp(anp.fmin, _bt(lambda g, ans, x, y: g * balanced_eq(x, ans, y)),
                 _bt(lambda g, ans, x, y: g * balanced_eq(y, ans, x)))
defjvp(anp.logaddexp, _bt(lambda g, ans, x, y: g * anp.exp(x - ans)),
                      _bt(lambda g, ans, x, y: g * anp.exp(y - ans)))
defjvp(anp.logaddexp2, _bt(lambda g, ans, x, y: g * 2 ** (x - ans)),
                       _bt(lambda g, ans, x, y: g * 2 ** (y - ans)))
defjvp(anp.arctan2, _bt(lambda g, ans, x, y: g * y / (x**2 + y**2)),
                    _bt(lambda g, ans, x, y: g * -x / (x**2 + y**2)))
# At the origin hypot has no derivative; like abs, take the subgradient 0 there.
defjvp(anp.hypot, _bt(lambda g, ans, x, y: g * x / replace_zero(ans, 1.0)),
                  _bt(lambda g, ans, x, y: g * y / replace_zero(ans, 1.0)))
defjvp(anp.mod, _bt(lambda g, ans, x, y: g), _bt(lambda g, ans, x, y: -g * anp.floor(x / y)))
defjvp(anp.fmod, _bt(lambda g, ans, x, y: g), _bt(lambda g, ans, x, y: -g * anp.trunc(x / y)))

# ---- elementwise functions of one argument ----------------------------------------
defjvp(anp.exp, lambda g, ans, x: ans * g)
defjvp(anp.exp2, lambda g, ans, x: ans * _LOG2 * g)
defjvp(anp.expm1, lambda g, ans, x: (ans + 1) * g)
defjvp(anp.log, lambda g, ans, x: g / x)
defjvp(anp.log2, lambda g, ans, x: g / (x * _LOG2))
defjvp(anp.log10, lambda g, ans, x: g / (x * _LOG10))
defjvp(anp.log1p, lambda g, ans, x: g / (x + 1))
defjvp(anp.sqrt, lambda g, ans, x: g * 0.5 / ans)
defjvp(anp.cbrt, lambda g, ans, x: g / (3 * ans**2))
defjvp(anp.square, lambda g, ans, x: g * 2 * x)
defjvp(anp.reciprocal, lambda g, ans, x: -g / x**2)
defjvp(anp.sin, lambda g, ans, x: g * anp.cos(x))
defjvp(anp.cos, lambda g, ans, x: -g * anp.sin(x))
defjvp(anp.tan, lambda g, ans, x: g / anp.cos(x) ** 2)
defjvp(anp.arcsin, lambda g, ans, x: g / anp.sqrt(1 - x**2))
defjvp(anp.arccos, lambda g, ans, x: -g / anp.sqrt(1 - x**2))
defjvp(anp.arctan, lambda g, ans, x: g / (1 + x**2))
defjvp(anp.sinh, lambda g, ans, x: g * anp.cosh(x))
defjvp(anp.cosh, lambda g, ans, x: g * anp.sinh(x))
defjvp(anp.tanh, lambda g, ans, x: g * (1 - ans**2))
defjvp(anp.arcsinh, lambda g, ans, x: g / anp.sqrt(x**2 + 1))
defjvp(anp.arccosh, lambda g, ans, x: g / anp.sqrt(x**2 - 1))
defjvp(anp.arctanh, lambda g, ans, x: g / (1 - x**2))
defjvp(anp.abs, lambda g, ans, x: anp.real(g * replace_zero(anp.conj(x), 0.0)) / replace_zero(ans, 1.0))
defjvp(anp.fabs, lambda g, ans, x: g * anp.sign(x))
defjvp(anp.deg2rad, "same")
defjvp(anp.radians, "same")
defjvp(anp.rad2deg, "same")
defjvp(anp.degrees, "same")
defjvp(anp.sinc, lambda g, ans, x: g * anp.where(
    x == 0, 0.0, (anp.cos(_np.pi * x) - ans) / replace_zero(x, 1.0)))
defjvp(anp.real, "same")
defjvp(anp.imag, "same")
defjvp(anp.conj, "same")
defjvp(anp.real_if_close, lambda g, ans, x, tol=100: anp.real(g) if not _np.iscomplexobj(getval(ans)) else g)
defjvp(anp.angle, lambda g, ans, x: anp.real(g * anp.conj(x * 1j) / anp.abs(x) ** 2))
defjvp(anp.clip,
       _bt(lambda g, ans, x, a_min=None, a_max=None: g * ~_np.logical_or(*clip_masks(x, a_min, a_max))),
       _bt(lambda g, ans, x, a_min=None, a_max=None: g * clip_masks(x, a_min, a_max)[0]),
       _bt(lambda g, ans, x, a_min=None, a_max=None: g * clip_masks(x, a_min, a_max)[1]))
defjvp(anp.where, lambda g, ans, c, x=None, y=None: anp.zeros_like(ans),
       lambda g, ans, c, x=None, y=None: anp.where(c, g, anp.zeros_like(ans)),
       lambda g, ans, c, x=None, y=None: anp.where(c, anp.zeros_like(ans), g))
defjvp(anp.copy, "same")
defjvp(anp.cast, lambda g, ans, x, dtype: anp.cast(
    anp.real(g) if not _np.iscomplexobj(getval(ans)) else g, dtype))
defjvp(anp.nan_to_num, lambda g, ans, x, **kw: anp.where(anp.isfinite(x), g, 0.0))

# ---- reductions --------------------------------------------------------------------
defjvp(anp.nansum, lambda g, ans, x, axis=None, keepdims=False, **kw: anp.sum(
    anp.where(anp.isnan(x), 0.0, g), axis=axis, keepdims=keepdims))
for _f in (anp.sum, anp.mean, anp.cumsum):
    defjvp(_f, "same")


def _chooser_jvp(g, ans, x, axis=None, keepdims=False, **kw):
    from ravine.numpy.vjps import _expand_reduced, count_dtype

    shape = _np.shape(getval(x))
    chosen = anp.equal(x, _expand_reduced(ans, shape, axis, keepdims))
    count = anp.sum(chosen, axis=axis, keepdims=keepdims, dtype=count_dtype(x))
    return anp.sum(g * chosen, axis=axis, keepdims=keepdims) / count


for _f in (anp.max, anp.min, anp.amax, anp.amin):
    defjvp(_f, _chooser_jvp)


def _prod_jvp(g, ans, x, axis=None, keepdims=False, **kw):
    from ravine.numpy.vjps import products_of_others

    return anp.sum(g * products_of_others(x, axis), axis=axis, keepdims=keepdims)


defjvp(anp.prod, _prod_jvp)


def _var_jvp(g, ans, x, axis=None, ddof=0, keepdims=False, **kw):
    from ravine.numpy.vjps import _n_reduced

    n = _n_reduced(_np.shape(getval(x)), axis)
    centred = x - anp.mean(x, axis=axis, keepdims=True)
    # d var = 2 Re Σ conj(c) ċ / (n − ddof): real even for complex x.
    return 2.0 * anp.real(anp.sum(anp.conj(centred) * g, axis=axis, keepdims=keepdims)) / (n - ddof)


defjvp(anp.var, _var_jvp)


def _std_jvp(g, ans, x, axis=None, ddof=0, keepdims=False, **kw):
    from ravine.numpy.vjps import _n_reduced

    if ddof == 0 and _n_reduced(_np.shape(getval(x)), axis) == 1:
        return _np.zeros_like(getval(ans))  # the std of one number is constantly 0
    # d std = d var / (2 std); where std = 0 (all entries equal) the subgradient 0, as in reverse mode
    zero = _np.asarray(getval(ans)) == 0
    d_var = _var_jvp(g, ans, x, axis=axis, ddof=ddof, keepdims=keepdims)
    if _np.any(zero):
        return anp.numpy_scalar(anp.where(zero, 0.0, d_var / (2.0 * anp.where(zero, 1.0, ans))))
    return d_var / (2.0 * ans)


defjvp(anp.std, _std_jvp)

# ---- shapes, indexing, products: linear in each argument ----------------------------------
for _f in (anp.reshape, anp.ravel, anp.squeeze, anp.expand_dims, anp.atleast_1d, anp.atleast_2d,
           anp.atleast_3d, anp.broadcast_to, anp.swapaxes, anp.moveaxis, anp.transpose,
           anp.flip, anp.fliplr, anp.flipud, anp.triu, anp.tril,
           anp.getitem, anp.untake):
    defjvp(_f, "same")

def_linear(anp.dot)
def_linear(anp.matmul)
def_linear(anp.tensordot)
def_linear(anp.outer)
defjvp_argnum(anp.concatenate_args, lambda argnum, g, ans, args, kwargs: anp.concatenate_args(
    args[0], *[g if i == argnum else anp.zeros_like(a) for i, a in enumerate(args[1:], 1)]))
defjvp_argnum(anp.array_from_args, lambda argnum, g, ans, args, kwargs: anp.array_from_args(
    args[0], args[1], *[g if i == argnum else anp.zeros_like(a) for i, a in enumerate(args[2:], 2)]))
