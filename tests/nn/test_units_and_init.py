"""Lecture 003 through the models: zero initialisation never breaks the symmetry,
small random weights do; ReLU units with a negative bias are dead; the recorded
activations are the ones the network computes."""

import numpy
import pytest

import ravine.nn as nn
from ravine.errors import ConfigError
from ravine.optim import minimize

rng = numpy.random.default_rng(0)
X = rng.normal(size=(40, 5))
y = (X[:, 0] + X[:, 1] > 0).astype(int) + (X[:, 2] > 1).astype(int)


def _train(model, params):
    return minimize(model.objective(X, y), params, "gd", lr=0.5, max_steps=50, progress=False).params


def test_zero_initialisation_keeps_hidden_units_identical():
    model = nn.MLPClassifier(5, 3, hidden=(4,), activation="tanh", init_scheme="zeros")
    trained = _train(model, model.init(0))
    W = trained["hidden1"]["W"]
    # every hidden unit received the same gradient: all columns equal (here, all still zero)
    assert numpy.allclose(W, W[:, :1])
    # a symmetric but non-zero start stays symmetric too (a saddle of the loss)
    sym = model.init(0)
    sym["hidden1"]["W"] = numpy.tile(rng.normal(size=(5, 1)), (1, 4))
    sym["output"]["W"] = numpy.tile(rng.normal(size=(1, 3)), (4, 1))
    W = _train(model, sym)["hidden1"]["W"]
    assert numpy.allclose(W, W[:, :1]) and not numpy.allclose(W, sym["hidden1"]["W"])
    # small random weights break the symmetry
    model = nn.MLPClassifier(5, 3, hidden=(4,), activation="tanh", init_scheme="small_random")
    W = _train(model, model.init(0))["hidden1"]["W"]
    assert numpy.min(numpy.ptp(W, axis=1)) > 1e-4


def test_recorded_activations_are_the_networks_own():
    model = nn.MLPClassifier(5, 3, hidden=(6, 4), activation="relu")
    params = model.init(1)
    layers = nn.record_activations(model, params, X)
    assert list(layers) == ["hidden1", "hidden2"]
    z1 = X @ params["hidden1"]["W"] + params["hidden1"]["b"]
    assert numpy.allclose(layers["hidden1"].pre, z1)
    assert numpy.allclose(layers["hidden1"].post, numpy.maximum(z1, 0))
    assert numpy.allclose(layers["hidden2"].pre, numpy.maximum(z1, 0) @ params["hidden2"]["W"] + 0.1)
    assert (layers["hidden2"].low, layers["hidden2"].high) == (0.0, float("inf"))
    # default ReLU bias offset 0.1 (lecture 003), and He initialisation
    assert numpy.all(params["hidden1"]["b"] == 0.1) and model.init_scheme == "he"


def test_relu_units_with_a_large_negative_bias_are_dead():
    model = nn.MLPClassifier(5, 3, hidden=(6,), activation="relu", bias=-100.0)
    params = model.init(0)
    hidden = nn.record_activations(model, params, X)["hidden1"]
    assert numpy.all(hidden.post == 0)
    # dead units get exactly zero gradient (lecture 003)
    from ravine import grad
    g = grad(model.loss)(params, X, y)
    assert numpy.all(g["hidden1"]["W"] == 0) and numpy.all(g["hidden1"]["b"] == 0)


def test_batch_norm_mlp_predicts_with_training_statistics():
    model = nn.MLPClassifier(5, 3, hidden=(6,), activation="logistic", batch_norm=True)
    params = model.init(0)
    stats = model.batch_norm_stats(params, 1000.0 + X)  # badly centred inputs
    z = (1000.0 + X) @ params["hidden1"]["W"] + params["hidden1"]["b"]
    assert numpy.allclose(stats[0].mean, z.mean(axis=0)) and numpy.allclose(stats[0].var, z.var(axis=0))
    single = model.predict(params, 1000.0 + X[:1], stats=stats)
    assert single.shape == (1,) and single[0] == model.predict(params, 1000.0 + X, stats=stats)[0]
    hidden = nn.record_activations(model, params, 1000.0 + X)["hidden1"]
    assert numpy.allclose(hidden.pre.mean(axis=0), 0, atol=1e-8)  # centred despite the offset


def test_model_hyper_parameters_are_validated_at_construction():
    with pytest.raises(ConfigError, match="hidden\\[1\\] must be a positive integer; received 0"):
        nn.MLPClassifier(5, 3, hidden=(4, 0))
    with pytest.raises(ConfigError, match="hard-threshold"):
        nn.MLPClassifier(5, 3, activation="hard_threshold")
    with pytest.raises(ConfigError, match="l2 must be a finite number"):
        nn.SoftmaxRegression(5, 3, l2=-1.0)
    with pytest.raises(ConfigError, match="no hidden layers"):
        nn.record_activations(nn.SoftmaxRegression(5, 3), nn.SoftmaxRegression(5, 3).init(), X)


def test_linear_regression_closed_form_is_a_stationary_point():
    from ravine import grad
    targets = X @ numpy.array([1.0, -2.0, 0.5, 0.0, 3.0]) + 4.0 + 0.1 * rng.normal(size=40)
    model = nn.LinearRegression(5, l2=0.01)
    params = model.fit_closed_form(X, targets)
    g = grad(model.loss)(params, X, targets)
    assert numpy.allclose(g["W"], 0, atol=1e-10) and numpy.allclose(g["b"], 0, atol=1e-10)
    assert numpy.isclose(params["b"][0], 4.0, atol=0.1)
