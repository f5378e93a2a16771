"""Forward-over-reverse shortcuts: VJPs of dual numbers for the hottest primitives.

A Hessian-vector product ``H v`` is the tangent of the gradient along ``v``:
``make_jvp(grad(f))(x)(v)``.  The backward pass of the gradient then runs on
dual numbers (value, tangent), boxes of the outer forward trace.  With the
general rules each VJP is a closure of wrapped primitives, each pushing its own
tangent along; here the cotangent ḡ_i and its tangent are written out with
NumPy (see :func:`ravine.autodiff.core.def_dual_vjp` for the signature; a
tangent of None is zero).

Three kinds of rule cover the hot primitives:

* linear in ḡ with the arguments entering only through constants (sums,
  means, differences, max/min through the chosen entries): ḡ_i = L(g), so
  its tangent is L(ġ) — the first-order shortcut applied twice;
* bilinear (products): ḡ_x = B(g, y), tangent B(ġ, y) + B(g, ẏ) — again the
  first-order shortcut, with y replaced by its tangent;
* nonlinear elementwise functions and division: the tangent by the product
  rule, written out per function.

``tests/numpy/test_dual_vjps.py`` compares every rule with the general path.
"""

from __future__ import annotations

from ravine.autodiff.core import def_dual_vjp
from ravine.numpy import wrapper as anp
from ravine.numpy.fast_vjps import unbroadcast_raw


def _plus(a, b):
    """a + b where None stands for zero."""
    if a is None:
        return b
    return a if b is None else a + b


def _linear(fun):
    """ḡ_i = L_i(g): the tangent is L_i(ġ)."""
    fast = fun.fast_vjp

    def rule(g, g_dot, ans, ans_dot, args, arg_dots, kwargs, argnums):
        values = fast(g, ans, args, kwargs, argnums)
        if values is None:
            return None
        if g_dot is None:
            return [(v, None) for v in values]
        tangents = fast(g_dot, ans, args, kwargs, argnums)
        if tangents is None:
            return None
        return list(zip(values, tangents))

    return rule


def _bilinear(fun):
    """ḡ_x = B(g, y) and ḡ_y = B'(g, x): the tangent of ḡ_x is B(ġ, y) + B(g, ẏ)."""
    fast = fun.fast_vjp

    def rule(g, g_dot, ans, ans_dot, args, arg_dots, kwargs, argnums):
        if len(args) != 2:
            return None
        pairs = []
        for i in argnums:
            value = fast(g, ans, args, kwargs, (i,))
            if value is None:
                return None
            tangent = None
            if g_dot is not None:
                term = fast(g_dot, ans, args, kwargs, (i,))
                if term is None:
                    return None
                tangent = term[0]
            other = 1 - i
            if arg_dots[other] is not None:
                swapped = list(args)
                swapped[other] = arg_dots[other]
                term = fast(g, ans, tuple(swapped), kwargs, (i,))
                if term is None:
                    return None
                tangent = _plus(tangent, term[0])
            pairs.append((value[0], tangent))
        return pairs

    return rule


for _fun in (anp.add, anp.subtract, anp.negative, anp.sum, anp.mean, anp.max, anp.amax, anp.min, anp.amin):
    def_dual_vjp(_fun, _linear(_fun))
for _fun in (anp.multiply, anp.matmul, anp.dot):
    def_dual_vjp(_fun, _bilinear(_fun))


# ----------------------------------------------------------------------------
# nonlinear: the product rule written out
# ----------------------------------------------------------------------------


def _unary(value_rule, tangent_rule):
    """``value_rule(g, ans, x)`` is ḡ; ``tangent_rule(g, g_dot, ans, ans_dot, x, x_dot)``
    its tangent (None when every tangent it depends on is None)."""

    def rule(g, g_dot, ans, ans_dot, args, arg_dots, kwargs, argnums):
        if kwargs or len(args) != 1:
            return None
        x, x_dot = args[0], arg_dots[0]
        return [(value_rule(g, ans, x), tangent_rule(g, g_dot, ans, ans_dot, x, x_dot))]

    return rule


# exp: ḡ = ans·g, its tangent ȧns·g + ans·ġ.
def_dual_vjp(anp.exp, _unary(
    lambda g, ans, x: ans * g,
    lambda g, g_dot, ans, ans_dot, x, x_dot: _plus(
        None if ans_dot is None else ans_dot * g, None if g_dot is None else ans * g_dot)))
# log: ḡ = g/x, its tangent ġ/x − g·ẋ/x².
def_dual_vjp(anp.log, _unary(
    lambda g, ans, x: g / x,
    lambda g, g_dot, ans, ans_dot, x, x_dot: _plus(
        None if g_dot is None else g_dot / x, None if x_dot is None else -(g * x_dot) / (x * x))))
# log1p: ḡ = g/(x+1), its tangent ġ/(x+1) − g·ẋ/(x+1)².
def_dual_vjp(anp.log1p, _unary(
    lambda g, ans, x: g / (x + 1),
    lambda g, g_dot, ans, ans_dot, x, x_dot: _plus(
        None if g_dot is None else g_dot / (x + 1), None if x_dot is None else -(g * x_dot) / ((x + 1) * (x + 1)))))


# tanh: ḡ = g·(1 − ans²), its tangent ġ·(1 − ans²) − 2·g·ans·ȧns.
def _tanh_tangent(g, g_dot, ans, ans_dot, x, x_dot):
    first = None if g_dot is None else g_dot * (1 - ans**2)
    second = None if ans_dot is None else -2 * (g * ans * ans_dot)
    return _plus(first, second)


def_dual_vjp(anp.tanh, _unary(lambda g, ans, x: g * (1 - ans**2), _tanh_tangent))


def _divide(g, g_dot, ans, ans_dot, args, arg_dots, kwargs, argnums):
    """ḡ_x = g/y with tangent ġ/y − g·ẏ/y²;  ḡ_y = −g·x/y² with tangent
    −(ġ·x + g·ẋ)/y² + 2·g·x·ẏ/y³."""
    if kwargs or len(args) != 2:
        return None
    (x, y), (x_dot, y_dot) = args, arg_dots
    pairs = []
    for i in argnums:
        if i == 0:
            value = g / y
            tangent = _plus(None if g_dot is None else g_dot / y,
                            None if y_dot is None else -(g * y_dot) / (y * y))
            pairs.append((unbroadcast_raw(x, value), None if tangent is None else unbroadcast_raw(x, tangent)))
        else:
            y2 = y**2
            value = -g * x / y2
            tangent = _plus(None if g_dot is None else -g_dot * x / y2,
                            None if x_dot is None else -g * x_dot / y2)
            if y_dot is not None:
                tangent = _plus(tangent, 2 * (g * x * y_dot) / (y2 * y))
            pairs.append((unbroadcast_raw(y, value), None if tangent is None else unbroadcast_raw(y, tangent)))
    return pairs


for _fun in (anp.divide, anp.true_divide):
    def_dual_vjp(_fun, _divide)
