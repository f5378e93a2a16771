"""Constructors whose values depend on their arguments (linspace, logspace, full, full_like,
meshgrid) are differentiated when an argument is traced; bincount, histogram and unique refuse
traced values they would otherwise silently treat as constants (a zero derivative)."""

import numpy
import pytest

import ravine.numpy as np
from ravine import grad, jacobian
from ravine.errors import NotDifferentiableError
from ravine.test_util import check_grads

X = numpy.array([[0.3, -1.2, 0.8, 2.0], [1.1, 0.4, -0.6, 0.9]])


def test_plain_calls_are_numpys():
    assert numpy.array_equal(np.linspace(0, 1, 5), numpy.linspace(0, 1, 5))
    assert numpy.array_equal(np.logspace(0, 2, 3), numpy.logspace(0, 2, 3))
    assert numpy.array_equal(np.full((2, 2), 3.0), numpy.full((2, 2), 3.0))
    assert numpy.array_equal(np.full_like(X, 1.5), numpy.full_like(X, 1.5))
    for got, want in zip(np.meshgrid(X[0], X[1, :3]), numpy.meshgrid(X[0], X[1, :3])):
        assert numpy.array_equal(got, want)
    assert numpy.array_equal(np.unique([3, 1, 3]), [1, 3])
    assert numpy.array_equal(np.bincount([0, 2, 2], weights=[1.0, 2.0, 3.0]), [1.0, 0.0, 5.0])
    assert numpy.array_equal(np.histogram([0.1, 0.2, 0.9], bins=2)[0], [2, 1])


def test_linspace_derivative_closed_form():
    # y_k = a + t_k (b − a), t_k = k/(n−1):  ∂y_k/∂a = 1 − t_k, ∂y_k/∂b = t_k
    t = numpy.linspace(0.0, 1.0, 5)
    J = jacobian(lambda ab: np.linspace(ab[0], ab[1], 5))(numpy.array([0.5, 2.0]))
    assert numpy.allclose(J, numpy.stack([1 - t, t], axis=1))
    # the silent failure this guards against: the derivative used to be exactly zero
    assert grad(lambda b: np.sum(np.linspace(0.0, b, 4)))(3.0) == pytest.approx(2.0)


@pytest.mark.parametrize("kwargs", [{}, {"endpoint": False}, {"axis": 1}, {"retstep": True}])
def test_linspace_arrays_against_finite_differences(kwargs):
    def f(x):
        out = np.linspace(x[0], x[1], 5, **kwargs)
        return out[0] * out[1] if kwargs.get("retstep") else out

    assert numpy.allclose(np.linspace(X[0], X[1], 5, **kwargs)[0] if kwargs.get("retstep") else f(X),
                          numpy.linspace(X[0], X[1], 5, **kwargs)[0] if kwargs.get("retstep")
                          else numpy.linspace(X[0], X[1], 5, **kwargs))
    check_grads(f, modes=("fwd", "rev"), order=2)(X)


def test_logspace_full_full_like_meshgrid_against_finite_differences():
    check_grads(lambda x: np.logspace(x[0], x[1], 4, base=2.0), order=2)(X)
    check_grads(lambda b: np.logspace(0.0, 1.5, 4, base=b), order=2)(3.0)
    check_grads(lambda x: np.full((2, 3), x[0, 0]) * x[1, 1], order=2)(X)
    check_grads(lambda x: np.full_like(X, x[0, 1]) * x, order=2)(X)
    for indexing in ("xy", "ij"):
        check_grads(lambda x: np.meshgrid(x[0], x[1, :3], indexing=indexing)[0]
                    * np.meshgrid(x[0], x[1, :3], indexing=indexing)[1] ** 2, order=2)(X)


def test_full_like_of_a_traced_array_is_constant_in_that_array():
    assert numpy.allclose(grad(lambda x: np.sum(np.full_like(x, 2.0) * x))(X), 2.0)


@pytest.mark.parametrize("call, name", [
    (lambda x: np.sum(np.unique(x)), "unique"),
    (lambda x: np.sum(np.bincount([0, 1, 1, 2], weights=x[0])), "bincount"),
    (lambda x: np.sum(np.histogram([0.1, 0.5, 0.7, 0.9], bins=2, weights=x[0])[0]), "histogram"),
])
def test_refused_rather_than_silently_zero(call, name):
    with pytest.raises(NotDifferentiableError, match=rf"{name} has no derivative rule.*getval"):
        grad(call)(X)


def test_histogram_of_traced_data_is_a_constant():
    counts = {}

    def f(x):
        counts["h"] = np.histogram(x, bins=3)[0]
        return np.sum(x ** 2)

    assert numpy.allclose(grad(f)(X), 2 * X)
    assert counts["h"].sum() == X.size
