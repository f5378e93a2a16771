"""np.r_[...] and np.c_[...] with traced items: values against NumPy's own r_/c_,
derivatives against central differences (forward and reverse, second order)."""

import numpy
import pytest

import ravine.numpy as np
from ravine import NotDifferentiableError, grad
from ravine.test_util import check_grads

rng = numpy.random.default_rng(7)
A, B = rng.standard_normal((3, 2)), rng.standard_normal((3, 2))
v = rng.standard_normal(4)

# (expression in a namespace `ns`, the traced input): each is evaluated with ravine.numpy
# on the traced input and with numpy on its value
CASES = [
    (lambda ns, x: ns.r_[x], A),
    (lambda ns, x: ns.r_[x, x], A),
    (lambda ns, x: ns.r_[x, B, x], A),
    (lambda ns, x: ns.r_[x, v, 1:10, 0:1:4j], v),
    (lambda ns, x: ns.r_[x[0], 2.5, x[1:] ** 2], v),  # traced and plain numbers become length-1 pieces
    (lambda ns, x: ns.c_[x, B, x], A),
    (lambda ns, x: ns.c_[x[:, 0], B, 1:4], A),  # vectors and slices become columns
    (lambda ns, x: ns.c_[x, x * 2.0], v),
    (lambda ns, x: ns.c_[[x[0], 1.0], [2.0, x[1]]], v),  # lists holding traced values
]


@pytest.mark.parametrize("expr, x", CASES)
def test_r_and_c_match_numpy_and_differentiate(expr, x):
    numpy.testing.assert_allclose(expr(np, x), expr(numpy, x))
    check_grads(lambda x: expr(np, x), modes=["fwd", "rev"], order=2)(x)


def test_the_derivative_counts_each_copy_of_a_repeated_item():
    numpy.testing.assert_allclose(grad(lambda x: np.sum(np.r_[x, 3.0 * x, x]))(v), numpy.full(4, 5.0))
    numpy.testing.assert_allclose(grad(lambda x: np.sum(np.c_[x, B] ** 2))(A), 2 * A)


def test_without_traced_items_numpy_answers_directives_included():
    numpy.testing.assert_array_equal(np.r_["0,2", v, v], numpy.r_["0,2", v, v])
    numpy.testing.assert_array_equal(np.c_[1:4, v[:3]], numpy.c_[1:4, v[:3]])
    assert len(np.r_) == len(numpy.r_) == 0


def test_a_directive_with_traced_items_is_refused_with_the_alternative():
    with pytest.raises(NotDifferentiableError, match=r"directive.*np.concatenate"):
        grad(lambda x: np.sum(np.r_["0,2", x, x]))(v)
