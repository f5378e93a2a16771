"""First-order optimisers against the lectures' predictions and their own recurrences."""

import math

import numpy
import pytest

import ravine.numpy as np
from ravine import grad
from ravine.optim import (
    adagrad,
    adam,
    adamw,
    apply_updates,
    gd,
    minimize,
    momentum,
    nesterov,
    rmsprop,
)

from .problems import quadratic


def run(opt, loss, theta, steps):
    state = opt.init(theta)
    path = [theta]
    for _ in range(steps):
        u, state = opt.update(grad(loss)(theta), state, theta)
        theta = apply_updates(theta, u)
        path.append(theta)
    return numpy.array(path), state


@pytest.mark.parametrize("alpha", [0.05, 0.15, 0.21])
def test_gd_shrinks_each_eigendirection_by_one_minus_alpha_lambda(alpha):
    # Lecture 000: in the Q basis each coordinate is multiplied by (1 − αλ_i) per step.
    lam = numpy.array([1.0, 4.0, 9.0])
    loss, _, q = quadratic(lam, seed=1)
    path, _ = run(gd(alpha), loss, numpy.array([1.0, -2.0, 0.5]), 12)
    coords = path @ q  # coordinates in the eigenbasis
    ratios = coords[1:7] / coords[:6]  # later steps: round-off of the rotation dominates the fast directions
    numpy.testing.assert_allclose(ratios, numpy.broadcast_to(1 - alpha * lam, ratios.shape), rtol=1e-9)
    k = numpy.arange(13)[:, None]
    numpy.testing.assert_allclose(coords, coords[0] * (1 - alpha * lam) ** k, rtol=0, atol=1e-12 * numpy.abs(coords).max())
    # monotone where αλ < 1, oscillating (sign flips) where 1 < αλ < 2, growing where αλ > 2
    for i, al in enumerate(alpha * lam):
        signs = numpy.sign(coords[:, i])
        if al < 1:
            assert numpy.all(signs == signs[0]) and numpy.all(numpy.abs(numpy.diff(numpy.abs(coords[:, i]))) > 0)
        elif al < 2:
            assert numpy.all(signs[1:] == -signs[:-1]) and abs(coords[-1, i]) < abs(coords[0, i])
        else:
            assert abs(coords[-1, i]) > 10 * abs(coords[0, i])


def test_gd_with_alpha_lambda_above_two_is_reported_as_divergence():
    loss, _, _ = quadratic([1.0, 10.0])
    res = minimize(loss, numpy.array([1.0, 1.0]), "gd", lr=0.21, max_steps=1000)
    assert res.status == "diverged" and not res.success
    assert "step" in res.message and "0.21" in res.message
    assert numpy.all(numpy.isfinite(res.history.loss)) and math.isfinite(res.loss)
    assert res.n_steps < 1000


def test_best_fixed_step_contracts_at_kappa_rate():
    # α = 2/(λmin + λmax) gives max|1 − αλ| = (κ − 1)/(κ + 1) = 0.980198… for κ = 100.
    lam = numpy.array([1.0, 100.0])
    loss, _, q = quadratic(lam, seed=2)
    alpha = 2 / (lam[0] + lam[-1])
    path, _ = run(gd(alpha), loss, q @ numpy.array([1.0, 1.0]), 200)
    err = numpy.linalg.norm(path, axis=1)
    measured = (err[-1] / err[0]) ** (1 / 200)
    assert measured == pytest.approx(0.980198, abs=5e-7)
    assert (99 / 101) == pytest.approx(0.980198, abs=5e-7)


def test_heavy_ball_iteration_matrix_has_spectral_radius_sqrt_kappa_rate():
    # With α = 4/(√λmax + √λmin)², μ = ((√κ − 1)/(√κ + 1))², the map (θ_k, θ_{k−1}) -> (θ_{k+1}, θ_k)
    # has spectral radius (√κ − 1)/(√κ + 1).  Build the matrix column by column from the optimiser itself.
    lam = numpy.array([1.0, 7.0, 100.0])
    loss, _a, _ = quadratic(lam, seed=3)
    kappa = lam[-1] / lam[0]
    alpha = 4 / (math.sqrt(lam[-1]) + math.sqrt(lam[0])) ** 2
    mu = ((math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)) ** 2
    opt = momentum(alpha, mu)
    n = lam.size
    cols = []
    for j in range(2 * n):
        z = numpy.zeros(2 * n)
        z[j] = 1.0
        theta, theta_prev = z[:n], z[n:]
        state = opt.init(theta)._replace(velocity=theta - theta_prev)  # p_k = θ_k − θ_{k−1}
        u, _ = opt.update(grad(loss)(theta), state, theta)
        cols.append(numpy.concatenate([theta + u, theta]))
    m = numpy.array(cols).T
    rho = max(abs(numpy.linalg.eigvals(m)))
    expected = (math.sqrt(kappa) - 1) / (math.sqrt(kappa) + 1)
    assert rho == pytest.approx(expected, rel=1e-6)
    # and the measured rate over many steps approaches it (repeated root: slowly, from above)
    path, _ = run(opt, loss, numpy.array([1.0, 1.0, 1.0]), 600)
    rate = (numpy.linalg.norm(path[-1]) / numpy.linalg.norm(path[300])) ** (1 / 300)
    assert expected < rate < expected * 1.01


def test_momentum_on_a_quadratic_follows_the_closed_form_two_by_two_recurrence():
    # θ_{k+1} = θ_k + μ(θ_k − θ_{k−1}) − αλθ_k per eigencoordinate, i.e.
    # (c_{k+1}, c_k) = [[1 + μ − αλ, −μ], [1, 0]] (c_k, c_{k−1}) with c_{−1} = c_0 (p₀ = 0)
    lam = numpy.array([0.5, 4.0, 30.0])
    loss, _, q = quadratic(lam, seed=7)
    alpha, mu = 0.05, 0.8
    theta0 = numpy.array([1.0, -0.5, 2.0])
    path, _ = run(momentum(alpha, mu), loss, theta0, 30)
    c0 = q.T @ theta0
    for i, li in enumerate(lam):
        m = numpy.array([[1 + mu - alpha * li, -mu], [1.0, 0.0]])
        expected = [(numpy.linalg.matrix_power(m, k) @ [c0[i], c0[i]])[0] for k in range(31)]
        numpy.testing.assert_allclose((path @ q)[:, i], expected, rtol=1e-9, atol=1e-12)


def test_momentum_reaches_terminal_velocity_on_a_plane():
    # Lecture 000: on a plane the parameters reach −α/(1 − μ)·∂J/∂θ per step.
    c = numpy.array([3.0, -4.0])
    plane = lambda th: np.dot(c, th)
    alpha, mu = 0.01, 0.9
    path, _state = run(momentum(alpha, mu), plane, numpy.zeros(2), 300)
    step = path[-1] - path[-2]
    numpy.testing.assert_allclose(step, -alpha / (1 - mu) * c, rtol=1e-10)
    assert numpy.linalg.norm(step) == pytest.approx(alpha / (1 - mu) * 5.0, rel=1e-10)


def test_nesterov_follows_the_lecture_recurrence():
    loss, _, _ = quadratic([0.5, 3.0], seed=4)
    eta, beta = 0.1, 0.8
    w, dw = numpy.array([1.0, -1.0]), numpy.zeros(2)
    lecture = []
    for _ in range(25):  # ΔW ← βΔW − η∇Loss(W + βΔW); W ← W + ΔW
        dw = beta * dw - eta * grad(loss)(w + beta * dw)
        w = w + dw
        lecture.append(w)
    # the optimiser's params are the extended point W + βΔW; recover W from its state step by step
    opt, theta = nesterov(eta, beta), numpy.array([1.0, -1.0])
    state = opt.init(theta)
    for k in range(25):
        u, state = opt.update(grad(loss)(theta), state, theta)
        theta = theta + u
        numpy.testing.assert_allclose(theta - beta * state.velocity, lecture[k], rtol=1e-12, atol=1e-14)


def test_rmsprop_adagrad_adam_adamw_first_two_steps_by_hand():
    g1, g2 = numpy.array([0.5, -2.0]), numpy.array([1.0, 1.0])
    theta = numpy.array([1.0, 2.0])
    alpha, eps = 0.1, 1e-8

    def two_steps(opt):
        s = opt.init(theta)
        u1, s = opt.update(g1, s, theta)
        u2, s = opt.update(g2, s, theta + u1)
        return u1, u2

    # RMSprop (lecture 000): s ← (1 − γ)s + γg²; step −α g / √(s + ε)
    gamma = 0.1
    s1 = gamma * g1**2
    s2 = (1 - gamma) * s1 + gamma * g2**2
    u1, u2 = two_steps(rmsprop(alpha, gamma=gamma, eps=eps))
    numpy.testing.assert_allclose(u1, -alpha * g1 / numpy.sqrt(s1 + eps), rtol=1e-14)
    numpy.testing.assert_allclose(u2, -alpha * g2 / numpy.sqrt(s2 + eps), rtol=1e-14)
    # Adagrad: G ← G + g²
    u1, u2 = two_steps(adagrad(alpha, eps=eps))
    numpy.testing.assert_allclose(u2, -alpha * g2 / (numpy.sqrt(g1**2 + g2**2) + eps), rtol=1e-14)
    # Adam with bias correction: the first step is −α·g/(|g| + ε)
    b1, b2 = 0.9, 0.999
    u1, u2 = two_steps(adam(alpha, b1, b2, eps))
    numpy.testing.assert_allclose(u1, -alpha * g1 / (numpy.abs(g1) + eps), rtol=1e-12)
    m = b1 * (1 - b1) * g1 + (1 - b1) * g2
    v = b2 * (1 - b2) * g1**2 + (1 - b2) * g2**2
    numpy.testing.assert_allclose(u2, -alpha * (m / (1 - b1**2)) / (numpy.sqrt(v / (1 - b2**2)) + eps), rtol=1e-12)
    # AdamW adds the decoupled −αλθ
    u1w, _ = two_steps(adamw(alpha, b1, b2, eps, weight_decay=0.5))
    numpy.testing.assert_allclose(u1w - u1, -alpha * 0.5 * theta, rtol=1e-12)


def test_optimisers_work_on_pytrees_and_keep_the_structure():
    def loss(p):
        return np.sum((p["W"] - 1.0) ** 2) + np.sum(p["b"] ** 2) + (p["c"][0] - 2.0) ** 2

    params = {"W": numpy.zeros((2, 3)), "b": numpy.ones(3), "c": [numpy.array(0.0)]}
    for method in ["gd", "momentum", "nesterov", "rmsprop", "adam", "adagrad"]:
        res = minimize(loss, params, method, lr=0.05 if method != "adagrad" else 0.5, max_steps=3000, tol_grad=1e-6)
        assert set(res.params) == {"W", "b", "c"} and res.params["W"].shape == (2, 3)
        assert isinstance(res.params["c"], list)
        assert res.loss < 1e-9, method
        numpy.testing.assert_allclose(res.params["W"], 1.0, atol=1e-4)
