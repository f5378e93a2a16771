"""The doctor's verdicts on real runs made with ravine.optim on real data
(sklearn's digits and wine): each lecture-003 problem is provoked and found,
and well-tuned runs are reported healthy with no false alarms."""

import json

import numpy
import pytest

import ravine.numpy as np
from ravine import ConfigError
from ravine.diagnose import curves
from ravine.diagnose.curvature import hessian_operator
from ravine.diagnose.doctor import diagnose
from ravine.diagnose.krylov import lanczos_top_eigenpair
from ravine.optim import minimize

from diagnose_models import (digits, least_squares_loss, mlp_loss, mlp_params, softmax_regression_loss,
                             standardized)

relu = lambda z: np.maximum(z, 0.0)


@pytest.fixture(scope="module")
def linear_problem():
    """Least squares on 300 digits; λmax of its (constant) Hessian."""
    X, Y = digits(300)
    loss = least_squares_loss(X, Y)
    p0 = {"W": numpy.zeros((64, 10)), "b": numpy.zeros(10)}
    lam = lanczos_top_eigenpair(hessian_operator(loss, p0), tol=1e-10).value
    return loss, p0, lam


def run_and_diagnose(loss, p0, method, steps, **kwargs):
    extra = {k: kwargs.pop(k) for k in ("activations", "inputs", "restarts") if k in kwargs}
    result = minimize(loss, p0, method, max_steps=steps, **kwargs)
    return result, diagnose(result.history, loss=loss, params=result.params, **extra)


def test_too_small_a_learning_rate_is_slow_progress(linear_problem):
    loss, p0, lam = linear_problem
    _, d = run_and_diagnose(loss, p0, "gd", 100, lr=0.01 / lam)
    assert d.names() == ["slow_progress"]
    assert "increase α" in d.findings[0].remedy.lower() or "Increase α" in d.findings[0].remedy


def test_too_large_a_learning_rate_is_instability(linear_problem):
    loss, p0, lam = linear_problem
    result, d = run_and_diagnose(loss, p0, "gd", 100, lr=2.2 / lam)
    assert result.status == "diverged"
    assert d.names() == ["instability"]
    assert d.findings[0].severity == "error"
    assert d.findings[0].evidence["alpha_lambda_max"] == pytest.approx(2.2, rel=1e-3)


def test_a_borderline_learning_rate_is_oscillations(linear_problem):
    loss, p0, lam = linear_problem
    _, d = run_and_diagnose(loss, p0, "gd", 100, lr=1.9 / lam)
    assert d.names() == ["oscillations"]
    assert d.findings[0].evidence["alpha_lambda_max"] == pytest.approx(1.9, rel=1e-3)


def test_a_well_tuned_gradient_descent_run_is_healthy(linear_problem):
    loss, p0, lam = linear_problem
    _, d = run_and_diagnose(loss, p0, "gd", 100, lr=0.8 / lam)
    assert d.healthy, d.to_text()
    assert "healthy" in d.to_text()


def test_oscillations_seen_in_weight_space_without_the_loss():
    # lecture 000's ravine: E = ½(θ₁² + 100 θ₂²), α just below 2/λmax; steps recorded
    quad = lambda th: 0.5 * (th[0] ** 2 + 100.0 * th[1] ** 2)
    result = minimize(quad, numpy.array([1.0, 1.0]), "gd", lr=0.0195, max_steps=60, record_params=True)
    d = diagnose(result.history)  # history only: no loss, no curvature
    assert d.names() == ["oscillations"]
    assert d.findings[0].evidence["mean_step_cosine"] < -0.3


def test_constant_step_sgd_fluctuates():
    X, Y = digits(600)
    batch_loss = lambda p, batch: softmax_regression_loss(batch[0], batch[1])(p)
    p0 = {"W": numpy.zeros((64, 10)), "b": numpy.zeros(10)}
    result = minimize(batch_loss, p0, "sgd", lr=0.5, max_steps=200, data=(X, Y), batch_size=10, seed=0)
    d = diagnose(result.history)
    assert d.names() == ["fluctuations"]
    assert "averaging" in d.findings[0].remedy


def test_constant_step_sgd_near_its_noise_floor_is_not_called_unstable():
    # Linear regression on the (standardised) diabetes data: SGD reaches its noise
    # floor early, after which the mini-batch cost only jitters.  A 9-step moving
    # average of that jitter "climbed back" by 0.8x the progress and raised a false
    # instability finding; the trend over blocks of n/20 steps does not.
    from ravine.data import Standardizer, load_diabetes
    from ravine.nn.models import LinearRegression

    data = load_diabetes(seed=0)
    x = Standardizer.fit(data.x_train).transform(data.x_train)
    t = (data.y_train - data.y_train.mean()) / data.y_train.std()
    model = LinearRegression(n_features=x.shape[1])
    result = minimize(lambda p, batch: model.loss(p, *batch), model.init(0), "sgd", lr=0.05,
                      data=(x, t), batch_size=8, seed=0, max_steps=1500, progress=False)
    assert result.status != "diverged"
    assert diagnose(result.history).names() == ["fluctuations"]


def test_sgd_with_a_learning_rate_far_too_large_is_instability():
    X, Y = digits(600)
    batch_loss = lambda p, batch: least_squares_loss(batch[0], batch[1])(p)
    p0 = {"W": numpy.zeros((64, 10)), "b": numpy.zeros(10)}
    result = minimize(batch_loss, p0, "sgd", lr=5.0, max_steps=300, data=(X, Y), batch_size=10, seed=0)
    assert "instability" in diagnose(result.history).names()


def test_zero_initialisation_is_a_symmetry_and_ends_at_a_saddle():
    X, Y = digits(200)
    loss = mlp_loss(X, Y)
    p0 = {k: numpy.zeros_like(v) for k, v in mlp_params(64, 8, 10, numpy.random.default_rng(0)).items()}
    _, d = run_and_diagnose(loss, p0, "gd", 150, lr=0.5)
    assert d.names() == ["symmetries", "saddle_points"]
    assert d.findings[0].evidence["all_zero_layers"] == ["W1", "W2"]
    assert d.findings[1].evidence["lambda_min"] < 0


def test_large_negative_relu_biases_kill_the_units():
    X, Y = digits(200)
    loss = mlp_loss(X, Y, relu)
    p0 = mlp_params(64, 16, 10, numpy.random.default_rng(1))
    p0["b1"] = numpy.full(16, -3.0)
    result = minimize(loss, p0, "gd", lr=0.5, max_steps=60)
    hidden = numpy.maximum(X @ result.params["W1"] + result.params["b1"], 0.0)
    d = diagnose(result.history, loss=loss, params=result.params, activations={"hidden": hidden})
    assert "dead_saturated_units" in d.names()
    evidence = d.findings[d.names().index("dead_saturated_units")].evidence["hidden"]
    assert evidence["dead"] == 16 and sum(evidence["histogram_counts"]) == 16
    assert "incorrect_gradients" not in d.names()


def test_unnormalised_inputs_are_badly_conditioned_and_standardised_ones_are_not():
    from sklearn.datasets import load_wine

    X, y = load_wine(return_X_y=True)  # features in arbitrary units: proline ~ 10³, hue ~ 1
    Y = numpy.eye(3)[y]
    verdicts = {}
    for name, inputs in (("raw", X), ("standardised", standardized(X))):
        loss = softmax_regression_loss(inputs, Y)
        p0 = {"W": numpy.zeros((13, 3)), "b": numpy.zeros(3)}
        lam = lanczos_top_eigenpair(hessian_operator(loss, p0), tol=1e-8).value
        _, verdicts[name] = run_and_diagnose(loss, p0, "gd", 150, lr=1.0 / lam, inputs=inputs)
    raw = verdicts["raw"]
    assert raw.names() == ["badly_conditioned_curvature"]
    ev = raw.findings[0].evidence
    assert ev["kappa_inputs"] > 1e3 * ev["kappa_inputs_standardised"]
    assert verdicts["standardised"].healthy, verdicts["standardised"].to_text()


def test_a_well_tuned_mlp_run_with_adam_is_healthy():
    X, Y = digits(300)
    Xs = standardized(X)
    loss = mlp_loss(Xs, Y, relu)
    p0 = mlp_params(Xs.shape[1], 16, 10, numpy.random.default_rng(2))
    p0["b1"] = numpy.full(16, 0.1)
    result = minimize(loss, p0, "adam", lr=0.01, max_steps=150)
    hidden = numpy.maximum(Xs @ result.params["W1"] + result.params["b1"], 0.0)
    d = diagnose(result.history, loss=loss, params=result.params, activations={"hidden": hidden}, inputs=Xs)
    assert d.healthy, d.to_text()
    assert len(d.checked) >= 8 and set(d.not_checked) == {"local_optima", "fluctuations"}


def test_local_optima_need_restarts_and_are_found_against_them(linear_problem):
    loss, p0, lam = linear_problem
    result = minimize(loss, p0, "gd", lr=0.8 / lam, max_steps=30)
    assert "local_optima" in diagnose(result.history).not_checked
    worse = diagnose(result.history, restarts=[0.5 * result.loss, 0.52 * result.loss])
    assert worse.names() == ["local_optima"]
    assert diagnose(result.history, restarts=[result.loss * 1.01]).healthy


def test_a_wrong_hand_written_gradient_is_reported_first():
    X, Y = digits(100)
    loss = least_squares_loss(X, Y)
    p = {"W": numpy.random.default_rng(3).normal(size=(64, 10)) * 0.1, "b": numpy.zeros(10)}
    wrong = lambda q: {"W": X.T @ (X @ q["W"] + q["b"] - Y) / X.shape[0], "b": numpy.zeros(10)}
    d = diagnose(loss=loss, params=p, grad_fn=wrong)
    assert d.names()[0] == "incorrect_gradients" and d.findings[0].severity == "error"


def test_plateau_then_drop_is_recognised():
    loss = numpy.r_[numpy.linspace(2.0, 1.9, 10), numpy.full(40, 1.9), numpy.linspace(1.9, 0.5, 20)]
    found = curves.plateaux(loss)
    assert len(found) == 1 and found[0][0] >= 9 and found[0][1] <= 50
    d = diagnose({"loss": loss, "meta": {"method": "gd"}})
    assert "plateaux" in d.names()


def test_rendering_as_text_dict_and_json(linear_problem):
    loss, p0, lam = linear_problem
    _, d = run_and_diagnose(loss, p0, "gd", 40, lr=2.2 / lam)
    text = d.to_text()
    assert "[ERROR] instability" in text and "remedy: Decrease α" in text and "\x1b" not in text
    data = json.loads(d.to_json())
    assert data["healthy"] is False and data["findings"][0]["name"] == "instability"
    assert data["findings"][0]["evidence"]["alpha_lambda_max"] == pytest.approx(2.2, rel=1e-3)


def test_bad_calls_are_refused_clearly():
    with pytest.raises(ConfigError, match="something to examine"):
        diagnose()
    with pytest.raises(ConfigError, match="together"):
        diagnose({"loss": [1.0, 0.5]}, loss=lambda p: p)


def test_logistic_units_with_huge_weights_are_saturated_and_xavier_ones_are_not():
    # Lecture 003: a logistic unit whose input is far from 0 sits at 0 or 1 for nearly
    # every example, so φ'(z) ≈ 0 and its weights stop learning.
    X, _ = digits(300)
    rng = numpy.random.default_rng(0)
    xavier = rng.standard_normal((64, 32)) * numpy.sqrt(1.0 / 64)
    history = {"loss": numpy.linspace(2.3, 2.0, 30), "grad_norm": numpy.linspace(1.0, 0.8, 30)}
    for scale, expect in ((30.0, True), (1.0, False)):
        h = 1.0 / (1.0 + numpy.exp(-(X @ (scale * xavier))))
        d = diagnose(history, activations={"hidden": h}, activation_kind="logistic")
        assert ("dead_saturated_units" in d.names()) is expect, (scale, d.to_text())


def test_escaping_a_saddle_is_not_slow_progress():
    # GD from a tiny perturbation of the saddle of E = x1² − x2²: the cost is flat, then
    # falls faster and faster (without bound).  An accelerating curve is a plateau or a
    # saddle being left, not the lecture's slow, linear progress.
    saddle = lambda x: x[0] ** 2 - x[1] ** 2
    result = minimize(saddle, numpy.array([1.0, 1e-6]), "gd", lr=0.1, max_steps=80)
    names = diagnose(result.history).names()
    assert "slow_progress" not in names and "plateaux" in names


def test_back_and_forth_steps_that_die_out_fast_are_not_oscillations():
    # GD at the optimal fixed step 2/(λmin + λmax) on a well-conditioned quadratic (κ = 1.5)
    # flips sign along the top eigenvector every step, but by |1 − αλ| = 0.2: it converges
    # at the best possible rate.  On κ = 100 at α·λmax = 1.9 the flips persist (0.9 per step).
    for lams, alpha_lam, expect in (((1.0, 1.5), 1.2, False), ((1.0, 100.0), 1.9, True)):
        quad = lambda th, lams=lams: 0.5 * (lams[0] * th[0] ** 2 + lams[1] * th[1] ** 2)
        result = minimize(quad, numpy.array([1.0, 1.0]), "gd", lr=alpha_lam / lams[1], max_steps=60,
                          record_params=True)
        assert ("oscillations" in diagnose(result.history).names()) is expect, lams

