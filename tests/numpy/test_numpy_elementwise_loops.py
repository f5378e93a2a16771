"""np.vectorize and np.ndenumerate on traced arrays: the derivative of code written for
scalars, entry by entry (before, both converted the traced array and raised)."""

import numpy
import pytest

import ravine
import ravine.numpy as np
from ravine.errors import NotDifferentiableError
from ravine.test_util import check_grads

X = numpy.array([[0.3, 1.2, -0.5], [2.0, -1.0, 0.7]])
Y = numpy.array([0.1, 0.5, 0.2])


def piece(a, b):
    return a * b if a > b else np.sin(a) - b  # Python control flow on scalars


def test_vectorize_matches_numpy_and_differentiates_each_entry():
    f = np.vectorize(piece)
    expected = numpy.vectorize(lambda a, b: a * b if a > b else numpy.sin(a) - b)(X, Y)
    numpy.testing.assert_allclose(f(X, Y), expected, rtol=1e-15)
    numpy.testing.assert_allclose(ravine.make_jvp(lambda x: f(x, Y))(X)(numpy.zeros_like(X))[0], expected)
    check_grads(lambda x: f(x, Y), modes=("fwd", "rev"), order=2)(X)
    check_grads(lambda y: f(X, y), modes=("fwd", "rev"), order=2)(Y)
    # ∂/∂x: b where a > b, cos a elsewhere
    b = numpy.broadcast_to(Y, X.shape)
    numpy.testing.assert_allclose(ravine.grad(lambda x: np.sum(f(x, Y)))(X), numpy.where(X > b, b, numpy.cos(X)))


def test_vectorize_options():
    two = np.vectorize(lambda a: (a ** 2, np.exp(a)))
    numpy.testing.assert_allclose(ravine.grad(lambda x: np.sum(two(x)[0] + two(x)[1]))(X), 2 * X + numpy.exp(X))

    @np.vectorize
    def cube(a):
        return a ** 3

    numpy.testing.assert_allclose(ravine.grad(lambda x: np.sum(cube(x)))(X), 3 * X ** 2)
    as_float32 = np.vectorize(otypes=[numpy.float32])(lambda a: a * 2)
    assert as_float32(X).dtype == numpy.float32
    assert ravine.grad(lambda x: np.sum(as_float32(x)))(X).dtype == X.dtype
    scaled = np.vectorize(lambda a, k: a * k, excluded={"k"})
    numpy.testing.assert_array_equal(ravine.grad(lambda x: np.sum(scaled(x, k=3.0)))(X), 3.0)
    # A function that closes over a traced value, applied to plain arrays.
    numpy.testing.assert_allclose(ravine.grad(lambda s: np.sum(np.vectorize(lambda a: a * s)(X)))(2.0), X.sum())
    with pytest.raises(NotDifferentiableError, match="signature"):
        ravine.grad(lambda x: np.sum(np.vectorize(lambda v: v * 2, signature="(n)->(n)")(x)))(X)


def test_ndenumerate_yields_traced_entries():
    weights = numpy.arange(6.0).reshape(2, 3)
    g = ravine.grad(lambda x: sum(v * weights[i] for i, v in np.ndenumerate(x)))(X)
    numpy.testing.assert_array_equal(g, weights)
    assert list(np.ndenumerate(numpy.arange(2.0))) == list(numpy.ndenumerate(numpy.arange(2.0)))
