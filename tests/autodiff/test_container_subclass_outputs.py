"""A function may return a namedtuple, an OrderedDict or NumPy's own result tuples
(``EighResult``): the traced values inside are followed like those of a plain tuple.
Before the fix such an output looked like a constant, and ``make_vjp`` returned a zero
derivative without an error."""

from collections import OrderedDict, namedtuple

import numpy
import pytest

import ravine
import ravine.numpy as np

Pair = namedtuple("Pair", "a b")
X = numpy.array([0.3, 0.5, 0.9])
ONES = numpy.ones(3)


def test_vjp_of_a_namedtuple_output_is_the_sum_of_its_parts():
    vjp, value = ravine.make_vjp(lambda x: Pair(np.sin(x), np.cos(x)))(X)
    assert type(value) is Pair
    numpy.testing.assert_allclose(value.a, numpy.sin(X))
    numpy.testing.assert_allclose(vjp(Pair(ONES, 2 * ONES)), numpy.cos(X) - 2 * numpy.sin(X), rtol=1e-12)


def test_vjp_of_an_ordered_dict_holding_a_list_of_namedtuples():
    vjp, value = ravine.make_vjp(lambda x: OrderedDict(s=np.sin(x), c=[Pair(x, x * 2.0)]))(X)
    assert type(value) is OrderedDict and list(value) == ["s", "c"]
    got = vjp(OrderedDict(s=ONES, c=[Pair(ONES, ONES)]))
    numpy.testing.assert_allclose(got, numpy.cos(X) + 3.0, rtol=1e-12)


def test_jvp_of_a_namedtuple_output_keeps_its_type():
    value, tangent = ravine.make_jvp(lambda x: Pair(np.sin(x), np.exp(x)))(X)(ONES)
    assert type(value) is Pair and type(tangent) is Pair
    numpy.testing.assert_allclose(tangent.a, numpy.cos(X), rtol=1e-12)
    numpy.testing.assert_allclose(tangent.b, numpy.exp(X), rtol=1e-12)


@pytest.mark.parametrize("part", [0, 1])
def test_an_eigendecomposition_returned_whole_as_a_namedtuple(part):
    A = numpy.array([[2.0, 0.3, 0.1], [0.3, 1.0, -0.2], [0.1, -0.2, 3.0]])

    def f(s):
        w, v = np.linalg.eigh(s + s.T)
        return Pair(w, v * v)  # v ∘ v: free of the eigenvectors' signs

    vjp, _ = ravine.make_vjp(f)(A)
    rng = numpy.random.default_rng(part)
    cotangent = [numpy.zeros(3), numpy.zeros((3, 3))]
    cotangent[part] = rng.standard_normal(cotangent[part].shape)
    got = vjp(Pair(*cotangent))
    h = 1e-6
    E = rng.standard_normal((3, 3))
    fd = numpy.sum((f(A + h * E)[part] - f(A - h * E)[part]) * cotangent[part]) / (2 * h)
    assert abs(fd) > 1e-3  # a direction the test can see
    assert numpy.sum(got * E) == pytest.approx(fd, rel=1e-6)
