"""Errors that teach (issue 2, item 6): each misuse raises a RavineError that names the
function, what it received and what to do instead."""

import numpy
import pytest

import ravine.numpy as np
from ravine import grad, jacobian
from ravine.errors import NotDifferentiableError, RavineError, ShapeError, TracingError


def test_grad_of_a_non_scalar_output():
    def vector_valued(x):
        return np.sin(x)

    with pytest.raises(ShapeError, match=r"vector_valued.*shape \(3,\).*elementwise_grad.*jacobian"):
        grad(vector_valued)(numpy.ones(3))


@pytest.mark.parametrize("x", [3, numpy.arange(3)])
def test_grad_with_respect_to_integers(x):
    with pytest.raises(NotDifferentiableError, match=r"integer.*float"):
        grad(lambda x: np.sum(x * 2.0))(x)


def test_assignment_into_a_traced_array():
    def assigns(x):
        x[0] = 1.0
        return np.sum(x)

    with pytest.raises(TracingError, match=r"a\[i\] = x.*np.where"):
        grad(assigns)(numpy.ones(3))


def test_raw_numpy_function_on_a_traced_value():
    with pytest.raises(TracingError, match=r"numpy.*ravine.numpy"):
        grad(lambda x: numpy.sum(numpy.sinc(x)))(numpy.ones(3))


@pytest.mark.parametrize("call, name, shapes", [
    (lambda x: x + numpy.ones(4), "add", r"\(3,\), \(4,\)"),
    (lambda x: np.dot(x, numpy.ones(4)), "dot", r"\(3,\), \(4,\)"),
    (lambda x: x @ numpy.ones((4, 2)), "matmul", r"\(3,\), \(4, 2\)"),
    (lambda x: np.reshape(x, (4,)), "reshape", r"\(3,\)"),
    (lambda x: np.linalg.solve(numpy.eye(2), x), "solve", r"\(2, 2\), \(3,\)"),
    (lambda x: np.einsum("i,i->", x, numpy.ones(2)), "einsum", r"\(3,\), \(2,\)"),
])
def test_mismatched_shapes_name_the_function_and_the_shapes(call, name, shapes):
    with pytest.raises(ShapeError, match=rf"{name}.*{shapes}.*reshape") as info:
        grad(lambda x: np.sum(call(x)))(numpy.ones(3))
    assert isinstance(info.value.__cause__, ValueError)  # NumPy's own message is kept as the cause


def test_shape_errors_are_raised_in_forward_mode_and_under_nesting():
    with pytest.raises(ShapeError, match="multiply"):
        jacobian(lambda x: x * numpy.ones(4))(numpy.ones(3))
    with pytest.raises(ShapeError, match="add"):
        grad(lambda y: grad(lambda x: np.sum(x + y * numpy.ones(4)))(numpy.ones(3)).sum())(numpy.ones(3))


def test_other_value_errors_are_not_restated_as_shape_errors():
    # a ValueError that is not about shapes passes through unchanged
    with pytest.raises(ValueError) as info:
        grad(lambda x: np.sum(np.sort(x, kind="no-such-kind")))(numpy.ones(3))
    assert not isinstance(info.value, RavineError)
