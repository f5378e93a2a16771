"""Forward-mode shortcuts for the hottest primitives.

Forward mode pushes a tangent through every primitive with the rules of
:mod:`ravine.numpy.jvps`: one lambda per argument, a shape check that broadcasts
the tangent to the output, and the rule's operations as wrapped primitives.
When the arguments, the answer and the tangents are raw values (no trace above
this one, see :func:`ravine.autodiff.core.def_fast_jvp`), the same tangent is
computed directly with NumPy.  That is the case for every operation of a
Hessian-vector product (forward over reverse: the forward trace is the outer
one), in the forward pass and in the backward pass alike.

Each rule returns exactly what the ``defjvp`` rules give (same formula and
order of operations, so the same rounding; ``tests/numpy/test_fast_jvps.py``
compares them), or None for a call it does not handle.

Signature: ``rule(tangents, ans, args, kwargs, argnums) -> tangent | None``, with
one tangent per entry of ``argnums``.
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.core import def_fast_jvp
from ravine.numpy import wrapper as anp
from ravine.numpy.fast_vjps import _expand_reduced_raw, _reduction_call
from ravine.numpy.vjps import _shape_of, count_dtype

_ndarray = _np.ndarray


def _to_output_shape(t, ans):
    """:func:`~ravine.numpy.jvps.broadcast_tangent` for raw values."""
    shape = _shape_of(ans)
    if _shape_of(t) == shape:
        return t
    return _np.broadcast_to(t, shape)


# ----------------------------------------------------------------------------
# elementwise
# ----------------------------------------------------------------------------


def _binary(rule_x, rule_y):
    """Shortcut of a broadcasting binary function from ``rule_i(t, ans, x, y)``;
    with both tangents, the sum of the two (as forward mode adds them)."""

    def fast(tangents, ans, args, kwargs, argnums):
        if kwargs or len(args) != 2:
            return None
        x, y = args
        if len(argnums) == 2:
            tx, ty = tangents
            # The sum broadcasts by itself: the same values as broadcasting each term first.
            return _to_output_shape(rule_x(tx, ans, x, y) + rule_y(ty, ans, x, y), ans)
        if argnums[0] == 0:
            return _to_output_shape(rule_x(tangents[0], ans, x, y), ans)
        return _to_output_shape(rule_y(tangents[0], ans, x, y), ans)

    return fast


def _unary(rule):
    def fast(tangents, ans, args, kwargs, argnums):
        if kwargs or len(args) != 1:
            return None
        return rule(tangents[0], ans, args[0])

    return fast


# The formulas are those of jvps.py, written in the same order.
def_fast_jvp(anp.add, _binary(lambda t, ans, x, y: t, lambda t, ans, x, y: t))
def_fast_jvp(anp.subtract, _binary(lambda t, ans, x, y: t, lambda t, ans, x, y: -t))
def_fast_jvp(anp.multiply, _binary(lambda t, ans, x, y: y * t, lambda t, ans, x, y: x * t))
for _divide in (anp.divide, anp.true_divide):
    def_fast_jvp(_divide, _binary(lambda t, ans, x, y: t / y, lambda t, ans, x, y: -t * x / y**2))
def_fast_jvp(anp.negative, _unary(lambda t, ans, x: -t))
def_fast_jvp(anp.exp, _unary(lambda t, ans, x: ans * t))
def_fast_jvp(anp.log, _unary(lambda t, ans, x: t / x))
def_fast_jvp(anp.log1p, _unary(lambda t, ans, x: t / (x + 1)))
def_fast_jvp(anp.tanh, _unary(lambda t, ans, x: t * (1 - ans**2)))
def_fast_jvp(anp.sin, _unary(lambda t, ans, x: t * _np.cos(x)))
def_fast_jvp(anp.cos, _unary(lambda t, ans, x: -t * _np.sin(x)))

# ----------------------------------------------------------------------------
# linear in their (one) traced argument: the function applied to the tangent
# ----------------------------------------------------------------------------


def _linear_in_each(fun):
    """Shortcut of a function linear in each argument separately (``"same"`` or
    :func:`~ravine.autodiff.core.def_linear`): ``f(t, y) + f(x, t')``."""
    raw = fun.fun

    def fast(tangents, ans, args, kwargs, argnums):
        total = None
        for i, t in zip(argnums, tangents):
            substituted = list(args)
            substituted[i] = t
            term = raw(*substituted, **kwargs)
            total = term if total is None else total + term
        return total

    return fast


for _linear in (anp.sum, anp.mean, anp.reshape, anp.ravel, anp.squeeze, anp.expand_dims,
                anp.swapaxes, anp.transpose, anp.getitem, anp.matmul, anp.dot):
    def_fast_jvp(_linear, _linear_in_each(_linear))

# ----------------------------------------------------------------------------
# max and min
# ----------------------------------------------------------------------------


def _chooser_fast(tangents, ans, args, kwargs, argnums):
    call = _reduction_call(args, kwargs)
    if call is None:
        return None
    x, axis, keepdims = call
    t = tangents[0]
    # jvps._chooser_jvp: the tangent of the chosen entries, averaged over ties.
    chosen = _np.equal(x, _expand_reduced_raw(ans, _shape_of(x), axis, keepdims))
    count = _np.sum(chosen, axis=axis, keepdims=keepdims, dtype=count_dtype(x))
    return _np.sum(t * chosen, axis=axis, keepdims=keepdims) / count


for _chooser in (anp.max, anp.amax, anp.min, anp.amin):
    def_fast_jvp(_chooser, _chooser_fast)
