"""Every surface's closed-form derivatives agree with ravine's and with finite differences;
its critical points have zero gradient and the kinds their Hessians say."""

import math

import numpy as np
import pytest

from ravine import grad, hessian
from ravine.data import get_surface, surface_names
from ravine.data.surfaces import cliff, local_minima, quadratic
from ravine.errors import ConfigError

NAMES = surface_names()


def _random_points(surface, n=5, seed=0):
    rng = np.random.default_rng(seed)
    (a, b), (c, d) = surface.bounds
    return np.column_stack([rng.uniform(a, b, n), rng.uniform(c, d, n)])


def _central_difference(f, x, h=1e-6):
    out = np.zeros(2)
    for i in range(2):
        e = np.zeros(2)
        e[i] = h
        out[i] = (f(x + e) - f(x - e)) / (2 * h)
    return out


def test_all_six_surfaces_are_registered():
    assert set(NAMES) == {"quadratic", "rosenbrock", "saddle", "plateau", "local_minima", "cliff"}


@pytest.mark.parametrize("name", NAMES)
def test_closed_form_gradient_matches_ravine_and_finite_differences(name):
    s = get_surface(name)
    for x in _random_points(s):
        closed = s.gradient(x)
        np.testing.assert_allclose(grad(s.f)(x), closed, rtol=1e-10, atol=1e-10)
        scale = max(1.0, float(np.abs(closed).max()))
        np.testing.assert_allclose(_central_difference(s.f, x), closed, rtol=1e-5, atol=1e-6 * scale)


@pytest.mark.parametrize("name", NAMES)
def test_closed_form_hessian_matches_ravine(name):
    s = get_surface(name)
    for x in _random_points(s, n=3, seed=1):
        np.testing.assert_allclose(hessian(s.f)(x), s.hessian(x), rtol=1e-9, atol=1e-9)
        np.testing.assert_allclose(s.hessian(x), s.hessian(x).T)


@pytest.mark.parametrize("name", NAMES)
def test_critical_points_have_zero_gradient_and_the_right_kind(name):
    s = get_surface(name)
    assert s.critical_points
    for p in s.critical_points:
        assert np.abs(s.gradient(p.location)).max() < 1e-12
        assert np.abs(grad(s.f)(p.location)).max() < 1e-12
        eig = np.linalg.eigvalsh(s.hessian(p.location))
        expected = {"global minimum": eig.min() > 0, "local minimum": eig.min() > 0,
                    "saddle": eig.min() < 0 < eig.max(), "maximum": eig.max() < 0}
        assert expected[p.kind], (p, eig)
        assert p.value == pytest.approx(float(s.f(p.location)))


@pytest.mark.parametrize("name", NAMES)
def test_grid_matches_pointwise_values_and_no_grid_point_beats_the_global_minimum(name):
    s = get_surface(name)
    x1, x2, z = s.grid(21)
    assert z.shape == (21, 21)
    assert z[3, 7] == pytest.approx(float(s.f(np.array([x1[3, 7], x2[3, 7]]))))
    np.testing.assert_allclose(s.gradient(np.stack([x1, x2]))[:, 3, 7],
                               s.gradient(np.array([x1[3, 7], x2[3, 7]])))
    (a, b), (c, d) = s.bounds
    assert a < s.start[0] < b and c < s.start[1] < d
    if s.global_minimum is not None:
        assert z.min() >= s.global_minimum.value - 1e-12


def test_quadratic_has_the_chosen_eigenvalues_and_rotation():
    s = quadratic(eigenvalues=(2.0, 50.0), angle=0.3, center=(1.0, -1.0))
    np.testing.assert_allclose(np.linalg.eigvalsh(s.hessian(s.start)), [2.0, 50.0])
    v = np.array([math.cos(0.3), math.sin(0.3)])  # first column of R: eigenvector of λ1
    np.testing.assert_allclose(s.hessian(s.start) @ v, 2.0 * v)
    assert s.global_minimum.location.tolist() == [1.0, -1.0]
    assert quadratic(eigenvalues=(1.0, -1.0)).critical_points[0].kind == "saddle"
    with pytest.raises(ConfigError, match="non-zero"):
        quadratic(eigenvalues=(0.0, 1.0))


def test_saddle_is_the_lectures_x1_squared_minus_x2_squared():
    s = get_surface("saddle")
    assert float(s.f(np.array([3.0, 2.0]))) == 5.0
    assert s.global_minimum is None and s.critical_points[0].kind == "saddle"


def test_local_minima_has_four_minima_of_different_depths():
    s = local_minima()
    kinds = [p.kind for p in s.critical_points]
    assert kinds.count("global minimum") == 1 and kinds.count("local minimum") == 3
    assert kinds.count("saddle") == 4 and kinds.count("maximum") == 1
    depths = sorted(p.value for p in s.minima)
    assert min(np.diff(depths)) > 0.1
    # plain gradient descent from the start ends in the shallowest minimum, not the global one
    x = s.start.copy()
    for _ in range(2000):
        x = x - 0.02 * s.gradient(x)
    nearest = min(s.minima, key=lambda p: np.linalg.norm(p.location - x))
    assert nearest.value == depths[-1] and np.linalg.norm(nearest.location - x) < 1e-6


def test_plateau_gradient_is_tiny_at_the_start_and_rosenbrock_minimum_is_at_a_a_squared():
    p = get_surface("plateau")
    assert np.linalg.norm(p.gradient(p.start)) < 0.05
    r = get_surface("rosenbrock", a=2.0, b=10.0)
    assert r.global_minimum.location.tolist() == [2.0, 4.0]


def test_cliff_edge_is_steep_and_its_minimum_is_past_the_bowl_centre():
    s = cliff(height=20.0, steepness=20.0)
    edge_slope = abs(s.gradient(np.array([0.0, 0.0]))[0])
    assert edge_slope == pytest.approx(20.0 * 20.0 / 4 + 2.0)
    assert abs(s.gradient(s.start)[0]) < 5.0
    assert s.global_minimum.location[0] == pytest.approx(2.0, abs=1e-12)
    with pytest.raises(ConfigError, match="centre"):
        cliff(center=(-1.0, 0.0))


def test_unknown_surface_and_bad_parameters():
    with pytest.raises(ConfigError, match="unknown surface"):
        get_surface("himmelblau")
    with pytest.raises(ConfigError, match="bad parameters"):
        get_surface("saddle", depth=2)
    with pytest.raises(ConfigError, match="tilts"):
        local_minima(tilts=(0.2, 0.2))


@pytest.mark.parametrize("name", ["quadratic", "cliff"])
def test_a_centre_that_is_not_a_2d_point_is_a_config_error(name):
    # a 3-vector reached NumPy broadcasting as a raw ValueError
    with pytest.raises(ConfigError, match="center must be a"):
        get_surface(name, center=(3.0, 1.0, 2.0))
