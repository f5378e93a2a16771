"""np.gradient: values against numpy.gradient for even spacings, coordinates, axes and
both edge orders; derivatives (in the samples and in the coordinates) against central
differences, forward and reverse, second order."""

import numpy
import pytest

import ravine.numpy as np
from ravine import grad
from ravine.test_util import check_grads

rng = numpy.random.default_rng(3)
F1, F2, F3 = rng.standard_normal(7), rng.standard_normal((5, 4)), rng.standard_normal((3, 4, 5))
X5 = numpy.array([0.0, 0.5, 1.7, 2.0, 3.1])  # uneven coordinates for an axis of length 5


def _as_tuple(out):
    return out if isinstance(out, tuple) else (out,)


CALLS = [
    (F1, (), {}), (F1, (0.3,), {}), (F2, (), {}), (F3, (), {}), (F3, (2.0,), {"axis": (0, 2)}),
    (F2, (X5, 0.25), {}), (F2, (X5,), {"axis": 0}), (F3, (0.5,), {"axis": -1}), (F2, (), {"axis": 1}),
]


@pytest.mark.parametrize("edge_order", [1, 2])
@pytest.mark.parametrize("f, spacing, kwargs", CALLS)
def test_gradient_matches_numpy_and_differentiates(f, spacing, kwargs, edge_order):
    ours = np.gradient(f, *spacing, edge_order=edge_order, **kwargs)
    theirs = numpy.gradient(f, *spacing, edge_order=edge_order, **kwargs)
    assert type(ours) is type(theirs) and len(_as_tuple(ours)) == len(_as_tuple(theirs))
    for a, b in zip(_as_tuple(ours), _as_tuple(theirs)):
        numpy.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12)
    check_grads(lambda f: np.gradient(f, *spacing, edge_order=edge_order, **kwargs),
                modes=["fwd", "rev"], order=2)(f)


@pytest.mark.parametrize("edge_order", [1, 2])
def test_gradient_differentiates_the_coordinates_and_the_spacing(edge_order):
    check_grads(lambda f, x: np.gradient(f, x, edge_order=edge_order, axis=0), modes=["fwd", "rev"],
                order=2, argnum=(0, 1))(F2, X5)
    # even spacing h: every estimate is a difference of samples divided by h, so d/dh = -estimate / h
    h = 0.4
    dh = grad(lambda h: np.sum(np.gradient(F1, h, edge_order=edge_order)))(h)
    assert dh == pytest.approx(-numpy.sum(numpy.gradient(F1, h, edge_order=edge_order)) / h)


def test_gradient_is_exact_for_quadratics_with_second_order_edges():
    x = numpy.array([0.0, 0.3, 1.0, 1.2, 2.0, 3.5])
    numpy.testing.assert_allclose(np.gradient(x ** 2, x, edge_order=2), 2 * x, atol=1e-12)


def test_gradient_of_integers_is_float_like_numpy():
    out = np.gradient(numpy.array([1, 4, 9, 16]))
    assert out.dtype == numpy.float64
    numpy.testing.assert_allclose(out, numpy.gradient(numpy.array([1, 4, 9, 16])))


@pytest.mark.parametrize("call, match", [
    (lambda: np.gradient(F1[:2], edge_order=2), "too short"),
    (lambda: np.gradient(F2, 1.0, 2.0, 3.0), "3 spacings given for 2 axes"),
    (lambda: np.gradient(F2, X5[:3], 1.0), "3 coordinates given for axis 0 of length 5"),
    (lambda: np.gradient(F1, edge_order=3), "edge_order=3"),
])
def test_gradient_bad_arguments_name_the_problem(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()
