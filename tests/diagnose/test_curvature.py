"""Curvature with known answers: the lecture's saddle, quadratics with a chosen
spectrum, an MLP's Hessian by products vs densely, and 2/λmax on real data."""

import numpy
import pytest

import ravine.numpy as np
from ravine import ConfigError, ShapeError
from ravine.diagnose.curvature import (classify_critical_point, condition_number, curvature_along,
                                       extreme_eigenpairs, hessian_matrix, hessian_operator)
from ravine.diagnose.krylov import hutchinson_trace

from diagnose_models import digits, mlp_loss, mlp_params


def quadratic_with_spectrum(eigenvalues, rng):
    """E(θ) = ½ θᵀAθ with A = Q diag(λ) Qᵀ for a random orthogonal Q."""
    n = len(eigenvalues)
    Q, _ = numpy.linalg.qr(rng.normal(size=(n, n)))
    A = Q @ numpy.diag(eigenvalues) @ Q.T
    A = 0.5 * (A + A.T)
    return (lambda p: 0.5 * np.dot(p["x"], np.dot(A, p["x"])) + np.sum(p["y"] ** 2)), A


def test_lecture_saddle_x1_squared_minus_x2_squared():
    f = lambda x: x[0] ** 2 - x[1] ** 2
    point = classify_critical_point(f, numpy.zeros(2))
    assert point.kind == "saddle"
    assert point.lambda_min == pytest.approx(-2.0, abs=1e-12)
    assert point.lambda_max == pytest.approx(2.0, abs=1e-12)
    pairs = extreme_eigenpairs(hessian_operator(f, numpy.zeros(2)), k=2)
    numpy.testing.assert_allclose(pairs.values, [-2.0, 2.0], atol=1e-12)
    # eigenvectors: x2 curves down, x1 curves up
    numpy.testing.assert_allclose(numpy.abs(pairs.vectors), [[0, 1], [1, 0]], atol=1e-12)


@pytest.mark.parametrize("sign,kind", [(1.0, "minimum"), (-1.0, "maximum")])
def test_minimum_and_maximum(sign, kind):
    f = lambda x: sign * (3.0 * x[0] ** 2 + 0.5 * x[1] ** 2 + x[0] * x[1])
    point = classify_critical_point(f, numpy.zeros(2))
    assert point.kind == kind
    expected = numpy.linalg.eigvalsh(sign * numpy.array([[6.0, 1.0], [1.0, 1.0]]))
    assert point.lambda_min == pytest.approx(expected[0], rel=1e-12)
    assert point.lambda_max == pytest.approx(expected[1], rel=1e-12)


def test_degenerate_point_and_user_tolerance():
    f = lambda x: x[0] ** 2 + x[1] ** 4  # λ = (2, 0): the second-order test cannot decide
    assert classify_critical_point(f, numpy.zeros(2)).kind == "degenerate"
    g = lambda x: x[0] ** 2 - 1e-6 * x[1] ** 2  # tiny negative curvature: saddle unless tolerated
    assert classify_critical_point(g, numpy.zeros(2)).kind == "saddle"
    assert classify_critical_point(g, numpy.zeros(2), tol=1e-3).kind == "degenerate"


def test_classification_refuses_a_non_critical_point():
    f = lambda x: x[0] ** 2 - x[1] ** 2
    with pytest.raises(ConfigError, match="not a critical point"):
        classify_critical_point(f, numpy.array([1.0, 0.0]))
    assert classify_critical_point(f, numpy.array([1e-4, 0.0]), grad_tol=1e-3).kind == "saddle"


def test_quadratic_with_chosen_spectrum_returns_it():
    rng = numpy.random.default_rng(0)
    spectrum = numpy.array([-3.0, -0.5, 0.01, 0.2, 1.0, 7.0, 40.0])
    f, _ = quadratic_with_spectrum(spectrum, rng)
    params = {"x": rng.normal(size=7), "y": numpy.zeros(3)}  # y adds eigenvalue 2 (three times)
    op = hessian_operator(f, params)
    got = extreme_eigenpairs(op, k=10, method="dense").values
    numpy.testing.assert_allclose(got, numpy.sort(numpy.r_[spectrum, 2.0, 2.0, 2.0]), atol=1e-8)
    assert op.shape == (10, 10)


def test_lanczos_on_a_10000_dimensional_quadratic_finds_the_extremes():
    rng = numpy.random.default_rng(1)
    n = 10_000
    lam = numpy.r_[1e-3, 2e-3, rng.uniform(0.1, 10.0, n - 4), 60.0, 100.0]
    f = lambda x: 0.5 * np.sum(lam * x**2)
    op = hessian_operator(f, rng.normal(size=n))
    top = extreme_eigenpairs(op, k=2, which="largest")
    bottom = extreme_eigenpairs(op, k=2, which="smallest")
    assert top.method == "lanczos"
    numpy.testing.assert_allclose(top.values, [60.0, 100.0], rtol=1e-8)
    numpy.testing.assert_allclose(bottom.values, [1e-3, 2e-3], rtol=1e-6)
    assert top.n_matvecs < 200  # products, not n of them
    kappa = condition_number(op)
    assert kappa.definite and kappa.value == pytest.approx(1e5, rel=1e-6)


def test_condition_number_of_an_indefinite_matrix_uses_magnitudes():
    A = numpy.diag([-10.0, 0.5, 2.0, 4.0])
    kappa = condition_number(A)
    assert not kappa.definite
    assert kappa.value == pytest.approx(20.0)
    assert (kappa.lambda_min, kappa.lambda_max) == (pytest.approx(-10.0), pytest.approx(4.0))


def test_curvature_along_a_direction_is_the_second_directional_derivative():
    f = lambda p: p["a"][0] ** 2 * 3.0 + p["a"][1] * p["b"] ** 2
    params = {"a": numpy.array([0.3, 2.0]), "b": numpy.array(1.5)}
    op = hessian_operator(f, params)
    d = {"a": numpy.array([1.0, 1.0]), "b": numpy.array(1.0)}
    # t -> f(θ + t d/‖d‖): second derivative by a central difference
    flat_d = numpy.array([1.0, 1.0, 1.0]) / numpy.sqrt(3.0)
    g = lambda t: f({"a": params["a"] + t * flat_d[:2], "b": params["b"] + t * flat_d[2]})
    h = 1e-4
    numeric = (g(h) - 2 * g(0.0) + g(-h)) / h**2
    assert curvature_along(op, d) == pytest.approx(numeric, rel=1e-5)
    with pytest.raises(ShapeError):
        curvature_along(op, numpy.ones(5))


def test_mlp_hessian_operator_equals_dense_hessian():
    X, Y = digits(40)
    rng = numpy.random.default_rng(2)
    params = mlp_params(64, 3, 10, rng)
    loss = mlp_loss(X, Y)
    op = hessian_operator(loss, params)
    n = op.shape[0]
    assert n == 64 * 3 + 3 + 3 * 10 + 10
    from_products = op.matmat(numpy.eye(n))
    dense = hessian_matrix(loss, params)
    numpy.testing.assert_allclose(from_products, dense, rtol=1e-9, atol=1e-12)
    numpy.testing.assert_allclose(dense, dense.T, atol=1e-12)
    assert op.n_matvecs == n


def test_hutchinson_trace_is_within_its_stated_error():
    X, Y = digits(40)
    params = mlp_params(64, 3, 10, numpy.random.default_rng(3))
    loss = mlp_loss(X, Y)
    true_trace = numpy.trace(hessian_matrix(loss, params))
    est = hutchinson_trace(hessian_operator(loss, params), n_samples=60, rng=4)
    assert est.stderr > 0
    assert abs(est.estimate - true_trace) <= 3 * est.stderr


def test_dense_hessian_refuses_large_problems_and_bad_arguments():
    with pytest.raises(ConfigError, match="hessian_operator"):
        hessian_matrix(lambda x: np.sum(x**2), numpy.zeros(50), max_dim=10)
    op = hessian_operator(lambda x: np.sum(x**2), numpy.zeros(5))
    with pytest.raises(ConfigError, match="which"):
        extreme_eigenpairs(op, which="middle")
    with pytest.raises(ConfigError, match="k must be"):
        extreme_eigenpairs(op, k=6)
