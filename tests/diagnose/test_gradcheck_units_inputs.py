"""check_gradient catches a wrong gradient and passes a right one; unit and
input statistics on constructed cases with known answers."""

import numpy
import pytest

import ravine.numpy as np
from ravine import ConfigError, ShapeError
from ravine.diagnose.gradcheck import check_gradient
from ravine.diagnose.inputs import input_statistics
from ravine.diagnose.units import identical_units, unit_statistics

from diagnose_models import digits, mlp_loss, mlp_params


def test_ravines_gradient_of_an_mlp_passes():
    X, Y = digits(50)
    params = mlp_params(64, 5, 10, numpy.random.default_rng(0))
    report = check_gradient(mlp_loss(X, Y), params)
    assert report.ok, report.summary()
    assert report.n_checked == report.n_params == 64 * 5 + 5 + 50 + 10


def test_a_hand_written_gradient_with_a_bug_is_caught_and_located():
    X, Y = digits(50)
    params = {"W": numpy.random.default_rng(1).normal(size=(64, 10)) * 0.1, "b": numpy.zeros(10)}

    def loss(p):
        z = np.dot(X, p["W"]) + p["b"]
        return 0.5 * np.mean(np.sum((z - Y) ** 2, axis=1))

    def right(p):
        r = (X @ p["W"] + p["b"] - Y) / X.shape[0]
        return {"W": X.T @ r, "b": r.sum(axis=0)}

    def wrong(p):  # the bias gradient forgot the 1/N
        g = right(p)
        return {"W": g["W"], "b": g["b"] * X.shape[0]}

    assert check_gradient(loss, params, grad_fn=right).ok
    bad = check_gradient(loss, params, grad_fn=wrong, max_coords=None)
    assert not bad.ok
    assert bad.n_bad == 10  # exactly the ten bias coordinates
    assert all(name.startswith("b[") for name, *_ in bad.worst)
    assert "WRONG" in bad.summary()


def test_subsampled_check_and_errors():
    f = lambda x: np.sum(np.sin(x) ** 2)
    report = check_gradient(f, numpy.linspace(0, 3, 1000), max_coords=50)
    assert report.ok and report.n_checked == 50 and report.n_params == 1000
    with pytest.raises(ShapeError, match="same structure"):
        check_gradient(f, numpy.ones(4), grad_fn=lambda x: numpy.ones(3))
    with pytest.raises(ConfigError, match="rtol"):
        check_gradient(f, numpy.ones(4), rtol=0)


def test_dead_relu_units_and_saturated_logistic_units():
    rng = numpy.random.default_rng(2)
    z = rng.normal(size=(500, 8))
    z[:, :3] -= 50.0  # three units whose input is always negative
    stats = unit_statistics(numpy.maximum(z, 0.0), "relu")
    assert list(stats.dead) == [0, 1, 2] and stats.dead_fraction == pytest.approx(3 / 8)
    z = rng.normal(size=(500, 6))
    z[:, 0] += 20.0
    z[:, 1] -= 20.0
    logistic = unit_statistics(1 / (1 + numpy.exp(-z)), "logistic")
    assert list(logistic.saturated) == [0] and list(logistic.dead) == [1]
    counts, edges = logistic.histogram
    assert counts.sum() == 6 and edges[0] == 0.0 and edges[-1] == 1.0
    with pytest.raises(ConfigError, match="kind"):
        unit_statistics(z, "softplus")


def test_identical_units_from_weights():
    W = numpy.zeros((4, 5))
    assert identical_units(W) == [[0, 1, 2, 3, 4]]
    rng = numpy.random.default_rng(3)
    W = rng.normal(size=(4, 5))
    assert identical_units(W) == []
    W[:, 3] = W[:, 1]
    assert identical_units(W) == [[1, 3]]
    assert identical_units(W, bias=numpy.array([0, 1.0, 0, 2.0, 0])) == []


def test_input_statistics_before_and_after_standardisation():
    rng = numpy.random.default_rng(4)
    X = numpy.column_stack([rng.normal(1000.0, 1.0, 400), rng.normal(0.0, 1e-3, 400), numpy.ones(400)])
    stats = input_statistics(X)
    assert stats.n_constant == 1
    assert stats.scale_ratio == pytest.approx(1000.0, rel=0.2)
    assert stats.max_offset == pytest.approx(1000.0, rel=0.2)
    assert stats.kappa_standardised < 1.5  # standardised, independent features: κ near 1
    assert stats.kappa_raw > 1e10
    plain = input_statistics(rng.normal(size=(400, 3)))
    assert plain.improvement < 2.0
