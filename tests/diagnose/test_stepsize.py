"""Step-size facts: 2/λmax against where gradient descent really diverges on
digits, α* = gᵀg/gᵀHg, the contraction factors |1 − αλ|, the Taylor check."""

import numpy
import pytest
import scipy.optimize

import ravine.numpy as np
from ravine import ConfigError, grad, value_and_grad
from ravine.diagnose.curvature import extreme_eigenpairs, hessian_operator
from ravine.diagnose.stepsize import contraction_factors, step_size_facts, taylor_check

from diagnose_models import digits, softmax_regression_loss


def _minimum(loss, params):
    """θ* by L-BFGS with ravine's gradient (tight tolerance)."""
    from ravine.misc.flatten import flatten

    x0, unflatten = flatten(params)
    f = lambda v: loss(unflatten(v))
    vg = value_and_grad(f)
    res = scipy.optimize.minimize(lambda v: tuple(map(numpy.asarray, vg(v))), x0, jac=True, method="L-BFGS-B",
                                  options={"gtol": 1e-10, "ftol": 1e-15, "maxiter": 5000})
    return res.x, f


def test_two_over_lambda_max_predicts_where_gradient_descent_diverges_on_digits():
    X, Y = digits(300)
    loss = softmax_regression_loss(X, Y, l2=1e-2)
    rng = numpy.random.default_rng(0)
    theta_star, f = _minimum(loss, {"W": numpy.zeros((64, 10)), "b": numpy.zeros(10)})
    facts = step_size_facts(hessian_operator(f, theta_star))
    predicted = facts.max_stable_lr
    g = grad(f)
    start = theta_star + 1e-3 * rng.normal(size=theta_star.size)

    def diverges(alpha, steps=150):
        theta = start.copy()
        for _ in range(steps):
            theta = theta - alpha * g(theta)
        return numpy.linalg.norm(theta - theta_star) > numpy.linalg.norm(start - theta_star)

    lo, hi = 0.5 * predicted, 1.5 * predicted
    assert not diverges(lo) and diverges(hi)
    for _ in range(7):  # bisection on the learning rate: the measured threshold
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if diverges(mid) else (mid, hi)
    measured = 0.5 * (lo + hi)
    assert measured == pytest.approx(predicted, rel=0.03)


def test_optimal_step_along_the_gradient_of_a_quadratic():
    A = numpy.array([[5.0, 1.0], [1.0, 2.0]])
    f = lambda x: 0.5 * np.dot(x, np.dot(A, x))
    x = numpy.array([1.0, -2.0])
    facts = step_size_facts(hessian_operator(f, x))
    g = A @ x
    assert facts.optimal_step == pytest.approx(g @ g / (g @ A @ g), rel=1e-12)
    assert facts.max_stable_lr == pytest.approx(2 / numpy.linalg.eigvalsh(A)[-1], rel=1e-12)
    # α* is the exact line minimiser on a quadratic
    line = [float(f(x - a * g)) for a in facts.optimal_step * numpy.array([0.99, 1.0, 1.01])]
    assert line[1] < line[0] and line[1] < line[2]


def test_optimal_step_is_none_along_negative_curvature():
    f = lambda x: x[0] ** 2 - x[1] ** 2
    facts = step_size_facts(hessian_operator(f, numpy.array([0.0, 1.0])))
    assert facts.grad_curvature == pytest.approx(-8.0)
    assert facts.optimal_step is None


def test_contraction_factors_follow_the_lecture_cases():
    eigenvalues = [0.5, 1.0, 1.5, 2.0, 2.5, -1.0, 0.0]
    got = contraction_factors(eigenvalues, alpha=1.0)
    assert [c.behaviour for c in got] == ["decays", "decays", "oscillates", "oscillates", "diverges",
                                          "diverges", "stalls"]
    numpy.testing.assert_allclose([c.factor for c in got], [0.5, 0.0, 0.5, 1.0, 1.5, 2.0, 1.0])
    # the factors really are what GD does to each eigen-coordinate of a quadratic
    lam = numpy.array([0.5, 1.5, 2.5])
    theta = numpy.ones(3)
    for _ in range(4):
        theta = theta - 1.0 * lam * theta
    numpy.testing.assert_allclose(numpy.abs(theta), [c.factor ** 4 for c in contraction_factors(lam, 1.0)])
    with pytest.raises(ConfigError, match="alpha"):
        contraction_factors(eigenvalues, alpha=-0.1)


def test_taylor_check_is_exact_on_a_quadratic_and_third_order_otherwise():
    A = numpy.array([[3.0, 0.5], [0.5, 1.0]])
    quad = lambda x: 0.5 * np.dot(x, np.dot(A, x)) + x[0]
    check = taylor_check(quad, numpy.array([0.4, -0.7]), alpha=0.3)
    assert check.actual == pytest.approx(check.predicted, rel=1e-12)
    X, Y = digits(100)
    loss = softmax_regression_loss(X, Y)
    params = {"W": numpy.random.default_rng(1).normal(size=(64, 10)) * 0.1, "b": numpy.zeros(10)}
    big, small = taylor_check(loss, params, 0.2), taylor_check(loss, params, 0.1)
    # second-order error is O(α³): halving α divides it by about 8; first order is off by O(α²)
    assert abs(big.error) / abs(small.error) == pytest.approx(8.0, rel=0.15)
    assert abs(big.error) < 0.1 * abs(big.actual - big.first_order)
