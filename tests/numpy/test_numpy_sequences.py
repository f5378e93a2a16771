"""Python lists and tuples holding traced values, given where NumPy takes an array:
reductions, append, array/asarray of a traced container.  Values against NumPy,
derivatives against central differences (forward and reverse, second order)."""

import numpy
import pytest

import ravine
import ravine.numpy as np
from ravine import grad
from ravine.numpy import wrapper
from ravine.test_util import check_grads

X = numpy.array([0.7, -1.3, 0.4])


def _pieces(x):
    # a list of traced scalars and a traced vector of different origins
    return [x[0] * x[1], np.sin(x[2]), x[0] ** 2]


@pytest.mark.parametrize("name", wrapper.SEQUENCE_ARGUMENT)
@pytest.mark.parametrize("container", [list, tuple])
def test_reduction_of_a_list_of_traced_values(name, container):
    reduce = getattr(np, name)

    def fun(x):
        return reduce(container(_pieces(x)))

    raw = numpy.array(_pieces(X))
    numpy.testing.assert_allclose(fun(X), getattr(numpy, name)(raw))
    check_grads(fun, modes=["fwd", "rev"], order=2)(X)


def test_reduction_of_a_nested_list_with_axis_and_constants():
    def fun(x):
        return np.mean([[x[0], 2.0, x[1]], [x[2] ** 2, x[0], -1.0]], axis=1)

    numpy.testing.assert_allclose(fun(X), [numpy.mean([X[0], 2.0, X[1]]), numpy.mean([X[2] ** 2, X[0], -1.0])])
    check_grads(fun, modes=["fwd", "rev"], order=2)(X)


def test_the_derivatives_of_mean_and_std_of_two_points():
    assert grad(lambda t: np.mean([t, t + 2.0]))(0.3) == pytest.approx(1.0)
    assert grad(lambda t: np.std((t, t + 2.0)))(0.3) == pytest.approx(0.0)
    assert grad(lambda t: np.var([t, 3.0 * t]))(1.0) == pytest.approx(2.0)  # var = t², d/dt = 2t


def test_reductions_of_plain_lists_stay_numpy():
    assert np.sum([1.0, 2.0]) == 3.0 and np.mean((1.0, 2.0)) == 1.5 and np.cumsum([1, 2]).tolist() == [1, 3]


@pytest.mark.parametrize("arr, values, axis", [
    ([1.0, 2.0, 3.0], 4.0, None), ([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], [[7.0, 8.0, 9.0]], 0),
    ([[1.0, 2.0], [3.0, 4.0]], [[5.0], [6.0]], 1),
])
def test_append_with_list_arguments(arr, values, axis):
    numpy.testing.assert_array_equal(np.append(arr, values, axis=axis), numpy.append(arr, values, axis=axis))
    check_grads(np.append, modes=["fwd", "rev"], order=2, argnum=(0, 1))(arr, values, axis=axis)


def test_array_of_a_traced_container_is_a_traced_array_of_its_entries():
    def fun(x):
        pair = ravine.tuple([x[0] * x[1], np.exp(x[2])])  # one traced value holding a tuple
        return np.array(pair) * np.asarray(pair)

    numpy.testing.assert_allclose(fun(X), numpy.array([X[0] * X[1], numpy.exp(X[2])]) ** 2)
    check_grads(fun, modes=["fwd", "rev"], order=2)(X)
