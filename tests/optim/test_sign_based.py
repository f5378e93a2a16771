"""Rprop and QuickProp reproduce lecture 001's step rules step by step on 1-D quadratics."""

import numpy
import pytest

import ravine.numpy as np
from ravine import grad
from ravine.errors import ConfigError
from ravine.optim import apply_updates, minimize, quickprop, rprop, rprop_simple


def iterates(opt, loss, w0, steps):
    w = numpy.array([w0])
    state = opt.init(w)
    out = [w0]
    for _ in range(steps):
        u, state = opt.update(grad(loss)(w), state, w)
        w = apply_updates(w, u)
        out.append(float(w[0]))
    return out


half_square = lambda w: 0.5 * np.sum(w**2)  # noqa: E731   E' = w


def test_rprop_backtracking_variant_by_hand():
    # E = w²/2 from w = 1 with Δ = 0.3, α = 1.2, β = 0.5:
    # 1 → 0.7 → 0.34 (Δ .36) → −0.092 (Δ .432, sign change) → back to 0.34, Δ .216 → 0.124
    # → −0.1352 (Δ .2592, sign change) → back to 0.124, Δ .1296 → −0.0056
    got = iterates(rprop(delta0=0.3), half_square, 1.0, 6)
    numpy.testing.assert_allclose(got, [1.0, 0.7, 0.34, -0.092, 0.124, -0.1352, -0.0056], atol=1e-12)


def lecture_rprop_points(dloss, w, dw, alpha, beta, dmin, dmax, steps):
    """Lecture 001's "Rprop (simplified)" slide, transcribed literally for one weight; returns the
    locations where it computes D (after each ``w = w − Δw``)."""
    prev_d = dloss(w)
    dw = numpy.sign(prev_d) * dw
    points = []
    for _ in range(steps):
        w = w - dw
        points.append(w)
        d = dloss(w)
        if numpy.sign(prev_d) == numpy.sign(d):
            dw = numpy.sign(dw) * min(alpha * abs(dw), dmax)
            prev_d = d
        else:
            w = w + dw  # return to the previous location
            dw = numpy.sign(dw) * max(beta * abs(dw), dmin)
    return points


def test_rprop_matches_the_lecture_pseudocode_with_floor_and_ceiling():
    a, c = 3.0, 0.7
    loss = lambda w: 0.5 * a * np.sum((w - c) ** 2)  # noqa: E731
    dmin, dmax = 0.01, 0.4
    expected = lecture_rprop_points(lambda w: a * (w - c), -2.0, 0.25, 1.2, 0.5, dmin, dmax, 30)
    got = iterates(rprop(delta0=0.25, delta_min=dmin, delta_max=dmax), loss, -2.0, 30)
    numpy.testing.assert_allclose(got[1:], expected, atol=1e-12)
    steps = numpy.abs(numpy.diff(got))
    assert steps.max() <= dmax + 1e-12 and numpy.any(numpy.isclose(steps, dmax))  # the ceiling binds
    assert abs(got[-1] - c) < 0.02


def test_rprop_simple_reduces_and_reverses_without_returning():
    # 1 → 0.7 → 0.34 → −0.092 (sign change: Δ .216, reverse) → 0.124 (change: Δ .108) → 0.016
    # (same sign: Δ .1296) → −0.1136
    got = iterates(rprop_simple(delta0=0.3), half_square, 1.0, 6)
    numpy.testing.assert_allclose(got, [1.0, 0.7, 0.34, -0.092, 0.124, 0.016, -0.1136], atol=1e-12)


def test_quickprop_secant_step_with_growth_cap_by_hand():
    # E = (w − 1)², E' = 2(w − 1), from w = 3 with ε = 0.1, μ = 1.75:
    # GD start: −0.1·4 → 2.6; secant step −1.6 exceeds 1.75·0.4 = 0.7 → capped: 1.9;
    # secant step −0.9 ≤ 1.225 → exactly the minimum 1.0, where it stays.
    loss = lambda w: np.sum((w - 1.0) ** 2)  # noqa: E731
    got = iterates(quickprop(lr=0.1, mu=1.75), loss, 3.0, 5)
    numpy.testing.assert_allclose(got, [3.0, 2.6, 1.9, 1.0, 1.0, 1.0], atol=1e-12)


def test_quickprop_on_a_plane_grows_by_mu_instead_of_dividing_by_zero():
    plane = lambda w: 3.0 * np.sum(w)  # noqa: E731   E'' = 0: the difference of derivatives vanishes
    got = iterates(quickprop(lr=0.1, mu=1.5), plane, 0.0, 4)
    steps = numpy.diff(got)
    numpy.testing.assert_allclose(steps, [-0.3, -0.45, -0.675, -1.0125], rtol=1e-12)


def test_rprop_and_quickprop_minimise_a_2d_problem():
    loss = lambda w: (w[0] - 1.0) ** 2 + 10.0 * (w[1] + 2.0) ** 2  # noqa: E731
    for method in ("rprop", "rprop_simple", "quickprop"):
        res = minimize(loss, numpy.array([0.0, 0.0]), method, max_steps=300, tol_grad=1e-8)
        numpy.testing.assert_allclose(res.params, [1.0, -2.0], atol=1e-6)


@pytest.mark.parametrize("factory, kwargs, match", [
    (rprop, {"alpha": 0.9}, "alpha .* must be > 1; received 0.9"),
    (rprop, {"beta": 1.5}, "beta .* must be < 1; received 1.5"),
    (rprop_simple, {"delta0": 100.0}, "delta_min ≤ delta0 ≤ delta_max"),
    (quickprop, {"mu": 1.0}, "mu .* must be > 1; received 1.0"),
])
def test_bad_hyper_parameters(factory, kwargs, match):
    with pytest.raises(ConfigError, match=match):
        factory(**kwargs)
