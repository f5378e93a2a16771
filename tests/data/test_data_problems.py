"""The lectures' synthetic problems: seeded, with the properties the lectures claim."""

import numpy as np
import pytest

from ravine.data import (Standardizer, badly_scaled_regression, brady_spoiler, brady_spoiler_point,
                         brady_three_points, get_problem, off_centre_regression)
from ravine.data.problems import PROBLEM_FACTORIES
from ravine.errors import ConfigError


@pytest.mark.parametrize("name", sorted(PROBLEM_FACTORIES))
def test_every_problem_is_reproducible(name):
    a, b = get_problem(name), get_problem(name)
    np.testing.assert_array_equal(a.x, b.x)
    np.testing.assert_array_equal(a.y, b.y)
    assert a.x.ndim == 2 and a.x.shape[0] == a.y.shape[0] and a.description


@pytest.mark.parametrize("make", [badly_scaled_regression, off_centre_regression])
def test_regression_tables_hold_the_stated_model(make):
    d = make(n=200, noise=0.0, seed=1)
    np.testing.assert_allclose(d.y, d.x @ d.truth["weights"] + d.truth["bias"])
    assert 2.0 < d.y.min() and d.y.max() < 7.0
    assert not np.array_equal(make(seed=1).x, make(seed=2).x)


def _hessian_condition(x):
    """Condition number of the squared-error Hessian (1/N) Xᵀ X with a bias column."""
    design = np.column_stack([x, np.ones(len(x))])
    eig = np.linalg.eigvalsh(design.T @ design / len(x))
    return eig.max() / eig.min()


@pytest.mark.parametrize("make", [badly_scaled_regression, off_centre_regression])
def test_lecture_000_tables_are_ill_conditioned_until_standardised(make):
    d = make(seed=0)
    assert _hessian_condition(d.x) > 1e6
    assert _hessian_condition(Standardizer.fit(d.x).transform(d.x)) < 10


def test_badly_scaled_input_values_match_the_lecture_table():
    x = badly_scaled_regression(seed=0).x
    assert 50 <= x[:, 0].min() and x[:, 0].max() <= 350
    assert 0.001 <= x[:, 1].min() and x[:, 1].max() <= 0.004
    assert np.all(np.abs(off_centre_regression(seed=0).x - 1003) < 7)


def _separates(d):
    z = d.x @ d.truth["separator_weights"] + d.truth["separator_bias"]
    return np.all((z > 0) == (d.y == 1)) and np.abs(z).min() > 0


def test_brady_data_are_linearly_separable():
    for d in (brady_three_points(), brady_spoiler_point(100.0), brady_spoiler(), brady_spoiler(30, 3, 20.0, 5)):
        assert _separates(d), d


def test_three_point_solution_of_the_lecture_solves_the_three_equations():
    d = brady_three_points()
    u = np.log(0.99 / 0.01)  # σ⁻¹(0.99)
    z = d.x @ np.array([u, u]) + 0.0
    np.testing.assert_allclose(z, [u, u, -u])


def test_fourth_point_barely_moves_the_l2_logistic_gradient():
    """Lecture 001: near the three-point solution the spoiler's gradient vanishes as t grows."""
    d = brady_spoiler_point(t=100.0)
    eps = 0.01
    u = np.log((1 - eps) / eps)
    w, b = np.array([u, u]), 0.0
    target = np.where(d.y == 1, 1 - eps, eps)

    def point_gradient(i):
        z = d.x[i] @ w + b
        s = 1 / (1 + np.exp(-z))
        g = 2 * (s - target[i]) * s * (1 - s)
        return np.append(g * d.x[i], g)

    fourth = point_gradient(3)
    assert np.abs(fourth).max() < 1e-100
    assert d.x[3] @ w + b < 0  # ... and the fourth point is misclassified there


def test_spoilers_are_far_and_marked():
    d = brady_spoiler(n_per_class=10, n_spoilers=2, distance=10.0)
    assert d.x.shape == (22, 2) and d.truth["is_spoiler"].sum() == 2
    assert np.all(d.x[d.truth["is_spoiler"], 1] <= -10.0)
    assert np.all(d.y[d.truth["is_spoiler"]] == 0)


def test_bad_problem_parameters_raise_config_errors():
    with pytest.raises(ConfigError, match="distance"):
        brady_spoiler(distance=3.0)
    with pytest.raises(ConfigError, match="n must be"):
        badly_scaled_regression(n=0)
    with pytest.raises(ConfigError, match="noise"):
        off_centre_regression(noise=-1.0)
    with pytest.raises(ConfigError, match="unknown problem"):
        get_problem("xor")
    with pytest.raises(ConfigError, match="bad parameters"):
        get_problem("brady_three_points", t=3)


def test_a_nan_noise_level_is_refused_not_spread_into_every_target():
    with pytest.raises(ConfigError, match="noise"):
        badly_scaled_regression(noise=float("nan"))
    with pytest.raises(ConfigError, match="noise"):
        get_problem("off_centre_regression", noise=float("inf"))
