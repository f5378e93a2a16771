"""Directions and slices: every value equals a direct evaluation of the loss."""

import numpy
import pytest

import ravine.landscape as ls
import ravine.nn as nn
from ravine.errors import ConfigError, ShapeError

rng = numpy.random.default_rng(0)
X = rng.normal(size=(20, 4))
y = rng.integers(0, 3, 20)
MODEL = nn.MLPClassifier(4, 3, hidden=(5, 6), activation="tanh")
PARAMS = MODEL.init(0)


def loss(p):
    return MODEL.loss(p, X, y)


def _shift(p, d, a):
    return {k: ({kk: p[k][kk] + a * d[k][kk] for kk in p[k]}) for k in p}


def test_filter_normalisation_matches_each_unit_norm():
    d = ls.filter_normalized_direction(PARAMS, seed=3)
    for layer in ("hidden1", "hidden2", "output"):
        W, D = PARAMS[layer]["W"], d[layer]["W"]
        assert numpy.allclose(numpy.linalg.norm(D, axis=0), numpy.linalg.norm(W, axis=0))
        assert numpy.all(d[layer]["b"] == 0)  # biases ignored, as in Li et al.
    d2 = ls.filter_normalize(ls.random_direction(PARAMS, seed=3), PARAMS, biases="normalize")
    assert numpy.isclose(numpy.linalg.norm(d2["output"]["b"]), numpy.linalg.norm(PARAMS["output"]["b"]))
    # the direction keeps each filter's orientation
    raw = ls.random_direction(PARAMS, seed=3)["hidden1"]["W"][:, 0]
    assert numpy.isclose(abs(numpy.dot(raw, d["hidden1"]["W"][:, 0])),
                         numpy.linalg.norm(raw) * numpy.linalg.norm(d["hidden1"]["W"][:, 0]))
    with pytest.raises(ConfigError, match="biases"):
        ls.filter_normalize(d, PARAMS, biases="keep")


def test_line_and_interpolation_slices_equal_direct_evaluations():
    d = ls.filter_normalized_direction(PARAMS, seed=1)
    alphas = numpy.linspace(-1, 1, 7)
    s = ls.line_slice(loss, PARAMS, d, alphas)
    assert numpy.array_equal(s.alphas, alphas)
    assert numpy.allclose(s.losses, [float(loss(_shift(PARAMS, d, a))) for a in alphas], rtol=1e-12)
    other = MODEL.init(5)
    s = ls.interpolation_slice(loss, PARAMS, other, [0.0, 0.25, 1.0])
    assert numpy.isclose(s.losses[0], loss(PARAMS)) and numpy.isclose(s.losses[2], loss(other))
    mid = ls.direction_between(PARAMS, other)
    assert numpy.isclose(s.losses[1], loss(_shift(PARAMS, mid, 0.25)))
    assert s.kind == "interpolation"


def test_plane_slice_grid_orientation_and_values():
    d1 = ls.filter_normalized_direction(PARAMS, seed=1)
    d2 = ls.orthogonalize(d1, ls.filter_normalized_direction(PARAMS, seed=2))
    assert abs(ls.tree_dot(d1, d2)) < 1e-10
    alphas, betas = numpy.linspace(-1, 1, 5), numpy.linspace(-0.5, 0.5, 3)
    grid = ls.plane_slice(loss, PARAMS, d1, d2, alphas, betas)
    assert grid.losses.shape == (5, 3)  # [i, j] at (alphas[i], betas[j]), ravine.plot's convention
    for i, a in enumerate(alphas):
        for j, b in enumerate(betas):
            assert numpy.isclose(grid.losses[i, j], loss(_shift(_shift(PARAMS, d1, a), d2, b)), rtol=1e-12)
    assert numpy.isclose(grid.losses[2, 1], loss(PARAMS))


def test_quadratic_slice_matches_its_closed_form():
    # J(θ) = ½ θᵀ A θ: along d from θ, f(α) = J(θ) + α θᵀ A d + ½ α² dᵀ A d
    A = numpy.diag([1.0, 10.0, 100.0])
    theta, d = {"w": numpy.array([1.0, -1.0, 0.5])}, {"w": numpy.array([0.3, 0.2, -0.1])}
    quad = lambda p: 0.5 * p["w"] @ A @ p["w"]  # noqa: E731
    alphas = numpy.linspace(-2, 2, 9)
    slope, curvature = theta["w"] @ A @ d["w"], d["w"] @ A @ d["w"]
    expected = quad(theta) + alphas * slope + 0.5 * alphas ** 2 * curvature
    assert numpy.allclose(ls.line_slice(quad, theta, d, alphas).losses, expected)


def test_trajectory_projection_recovers_plane_coordinates():
    d1, d2 = ls.random_direction(PARAMS, seed=1), ls.random_direction(PARAMS, seed=2)
    coords = numpy.array([[0.0, 0.0], [0.5, -0.2], [1.0, 0.3]])
    path = [_shift(_shift(PARAMS, d1, a), d2, b) for a, b in coords]
    assert numpy.allclose(ls.project_trajectory(path, PARAMS, d1, d2), coords)
    from ravine import flatten
    flat = numpy.array([numpy.asarray(flatten(p)[0]) for p in path])
    assert numpy.allclose(ls.project_trajectory(flat, PARAMS, d1, d2), coords)


def test_bad_inputs_are_named():
    d = ls.random_direction(PARAMS)
    with pytest.raises(ConfigError, match="alphas"):
        ls.line_slice(loss, PARAMS, d, [])
    with pytest.raises(ShapeError, match="direction's keys"):
        ls.line_slice(loss, PARAMS, {"w": numpy.ones(3)})
    with pytest.raises(ConfigError, match="parallel"):
        ls.orthogonalize(d, d)
