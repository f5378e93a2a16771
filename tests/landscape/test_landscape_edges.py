"""Landscape slices and projections on bad input: a non-scalar loss, parallel
directions, iterates of the wrong size; and the slice at the origin is the loss."""

import numpy
import pytest

import ravine.landscape as ls
import ravine.numpy as np
from ravine.errors import ConfigError, ShapeError

PARAMS = {"W": numpy.array([[1.0, -2.0, 0.5], [0.3, 0.7, -1.1]]), "b": numpy.array([0.1, -0.2, 0.3])}


def loss(p):
    return np.sum(np.tanh(p["W"]) ** 2) + np.sum(p["b"] ** 2)


def test_slices_at_the_origin_are_the_loss_at_the_parameters():
    d1, d2 = ls.filter_normalized_direction(PARAMS, seed=0), ls.random_direction(PARAMS, seed=1)
    grid = ls.plane_slice(loss, PARAMS, d1, d2, [-0.5, 0.0, 0.5], [0.0, 1.0])
    assert grid.losses.shape == (3, 2) and grid.losses[1, 0] == float(loss(PARAMS))
    assert ls.line_slice(loss, PARAMS, d1, [0.0]).losses[0] == float(loss(PARAMS))


def test_a_non_scalar_loss_is_refused_by_name():
    # used to escape as "TypeError: only 0-dimensional arrays can be converted to Python scalars"
    per_entry = lambda p: p["W"] ** 2
    d = ls.random_direction(PARAMS)
    with pytest.raises(ShapeError, match="scalar.*shape \\(2, 3\\)"):
        ls.line_slice(per_entry, PARAMS, d, [0.0, 1.0])
    with pytest.raises(ShapeError, match="scalar"):
        ls.plane_slice(per_entry, PARAMS, d, d, [0.0])


def test_projection_onto_parallel_directions_is_refused():
    # (α, β) are not unique when d₂ ∥ d₁: lstsq silently returned its minimum-norm pick
    d = ls.random_direction(PARAMS, seed=2)
    twice = {k: 2 * v for k, v in d.items()}
    path = [{k: PARAMS[k] + 0.3 * d[k] for k in PARAMS}]
    with pytest.raises(ConfigError, match="parallel"):
        ls.project_trajectory(path, PARAMS, d, twice)


def test_iterates_of_the_wrong_size_are_refused_by_name():
    d1, d2 = ls.random_direction(PARAMS, seed=0), ls.random_direction(PARAMS, seed=1)
    ragged = [PARAMS, {"W": PARAMS["W"], "b": numpy.zeros(4)}]  # used to be a NumPy "inhomogeneous shape" error
    with pytest.raises(ShapeError, match="iterates have"):
        ls.project_trajectory(ragged, PARAMS, d1, d2)
    with pytest.raises(ShapeError, match="iterates have"):
        ls.project_trajectory(numpy.zeros((4, 5)), PARAMS, d1, d2)
