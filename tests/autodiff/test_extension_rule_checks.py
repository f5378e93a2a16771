"""Rules registered through ravine.extend are checked where they run.

A user's VJP that returned a cotangent of another shape than its argument's, or a JVP that
returned a tangent of another shape than the output's, went through: ``grad`` handed back a
gradient of the wrong shape, or, when a later product broadcast the wrong cotangent, wrong
values in the right shape.  A VJP returning None made ``grad`` return None.
"""

from __future__ import annotations

import numpy
import pytest

import ravine
import ravine.numpy as np
from ravine.errors import NotDifferentiableError, ShapeError
from ravine.extend import (
    defjvp,
    defjvp_argnum,
    defjvp_argnums,
    defvjp,
    defvjp_argnum,
    defvjp_argnums,
    primitive,
    unbroadcast_f,
)
from ravine.test_util import check_grads

X = numpy.arange(1.0, 7.0).reshape(3, 2)
Y = numpy.array([[0.5, -1.0], [2.0, 0.25], [1.5, 3.0]])


def _column_sums():
    @primitive
    def column_sums(x):
        return numpy.sum(x, axis=0)

    return column_sums


def test_a_reduction_rule_that_forgets_to_spread_the_cotangent_names_the_fix():
    column_sums = _column_sums()
    defvjp(column_sums, lambda ans, x: lambda g: g)  # wrong: shape (2,) for x of shape (3, 2)
    with pytest.raises(ShapeError, match=r"'column_sums' returned a cotangent of shape \(2,\) for argument 0, "
                                         r"which has shape \(3, 2\).*np.broadcast_to"):
        ravine.grad(lambda x: np.sum(column_sums(x)))(X)


def test_a_wrong_cotangent_hidden_by_broadcasting_is_caught():
    # Before: the (2,) cotangent broadcast in Y * x and a (3, 2) gradient came back, wrong.
    column_sums = _column_sums()
    defvjp(column_sums, lambda ans, x: lambda g: g)
    with pytest.raises(ShapeError, match="column_sums"):
        ravine.grad(lambda x: np.sum(np.tanh(column_sums(Y * x))))(X)


def test_a_broadcast_argument_without_unbroadcast_names_unbroadcast_f():
    @primitive
    def scale(a, x):
        return a * x

    defvjp(scale, lambda ans, a, x: lambda g: g * x, lambda ans, a, x: lambda g: g * a)  # a's is not summed
    with pytest.raises(ShapeError, match=r"argument 0, which has shape \(\).*unbroadcast_f"):
        ravine.grad(lambda a: np.sum(scale(a, X)))(2.0)
    defvjp(scale, lambda ans, a, x: unbroadcast_f(a, lambda g: g * x))
    assert ravine.grad(lambda a: np.sum(scale(a, X)))(2.0) == pytest.approx(X.sum())


def test_a_vjp_returning_none_raises():
    @primitive
    def double(x):
        return 2 * x

    defvjp(double, lambda ans, x: lambda g: None)
    with pytest.raises(NotDifferentiableError, match="'double', argument 0, returned None"):
        ravine.grad(lambda x: np.sum(double(x)))(X)


def test_a_jvp_of_the_wrong_shape_raises_and_a_broadcastable_one_is_broadcast():
    column_sums = _column_sums()
    defjvp(column_sums, lambda g, ans, x: g)  # wrong: (3, 2) for an output of shape (2,)
    with pytest.raises(ShapeError, match=r"'column_sums' \(argument 0\) returned a tangent of shape \(3, 2\) "
                                         r"for an output of shape \(2,\)"):
        ravine.make_jvp(column_sums)(X)(numpy.ones_like(X))

    @primitive
    def spread(x):
        return x * numpy.ones(4)

    defjvp(spread, lambda g, ans, x: g)  # a scalar tangent: the same change in every entry
    _, tangent = ravine.make_jvp(spread)(1.5)(2.0)
    numpy.testing.assert_array_equal(tangent, numpy.full(4, 2.0))


def test_the_argnum_and_argnums_registrations_are_checked_too():
    column_sums = _column_sums()
    defvjp_argnum(column_sums, lambda argnum, ans, args, kwargs: lambda g: g)
    with pytest.raises(ShapeError, match="column_sums"):
        ravine.grad(lambda x: np.sum(column_sums(x)))(X)

    @primitive
    def product(x, y):
        return x * y

    defvjp_argnums(product, lambda argnums, ans, args, kwargs: lambda g: [g * args[1]])  # one for two
    with pytest.raises(ShapeError, match="returned 1 cotangents for the 2 arguments"):
        ravine.grad(lambda x: np.sum(product(x, x + 1.0)))(X)
    defjvp_argnum(column_sums, lambda argnum, g, ans, args, kwargs: g)
    with pytest.raises(ShapeError, match="tangent of shape"):
        ravine.make_jvp(column_sums)(X)(numpy.ones_like(X))
    defjvp_argnums(product, lambda argnums, gs, ans, args, kwargs: numpy.ones(5))
    with pytest.raises(ShapeError, match=r"arguments \(0, 1\)"):
        ravine.make_jvp(lambda x: product(x, x))(X)(numpy.ones_like(X))


def test_correct_rules_pass_to_second_order_in_both_modes():
    column_sums = _column_sums()
    defvjp(column_sums, lambda ans, x: lambda g: np.broadcast_to(g, np.shape(x)))
    defjvp(column_sums, lambda g, ans, x: np.sum(g, axis=0))

    @primitive
    def softplus(x):
        return numpy.logaddexp(0.0, x)

    defvjp(softplus, lambda ans, x: lambda g: g / (1.0 + np.exp(-x)))  # traced: second derivatives
    defjvp(softplus, lambda g, ans, x: g / (1.0 + np.exp(-x)))
    check_grads(lambda x: np.sum(column_sums(softplus(Y * x)) ** 2), modes=("fwd", "rev"), order=2)(X)
    check_grads(lambda a: np.sum(softplus(a * Y)), modes=("fwd", "rev"), order=2)(0.7)
