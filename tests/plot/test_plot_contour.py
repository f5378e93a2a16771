"""Contours, optimiser paths and 3-D surfaces: the drawn data are the inputs."""

import math

import numpy
import pytest
from mpl_toolkits.mplot3d.art3d import Poly3DCollection

from ravine.errors import ConfigError, ShapeError
from ravine.plot import contour_plot, evaluate_grid, surface_plot
from ravine.plot.contour import contour_levels
from ravine.plot.surface import grid_interpolate


def tilted(a, b):
    return a + 10.0 * b


def test_evaluate_grid_is_ij_ordered_and_falls_back_to_scalar_calls():
    x, y, z = evaluate_grid(tilted, (0, 1), (-1, 1), resolution=5)
    numpy.testing.assert_allclose(z, x[:, None] + 10.0 * y[None, :])
    scalar_only = lambda a, b: math.hypot(a, b)  # raises on arrays
    x2, y2, z2 = evaluate_grid(scalar_only, (0, 1), (-1, 1), resolution=4)
    numpy.testing.assert_allclose(z2, numpy.hypot(x2[:, None], y2[None, :]))
    with pytest.raises(ConfigError, match="low < high"):
        evaluate_grid(tilted, (1, 0), (0, 1))


def test_log_levels_are_geometric_above_the_minimum():
    z = numpy.array([[1.0, 2.0], [3.0, 1001.0]])
    levels = contour_levels(z, 5, log_levels=True, decades=3)
    assert levels[0] == 1.0 and levels[-1] == pytest.approx(1001.0)
    numpy.testing.assert_allclose(levels[1:] - 1.0, [1.0, 10.0, 100.0, 1000.0])
    numpy.testing.assert_allclose(contour_levels(z, 3), [1.0, 501.0, 1001.0])
    with pytest.raises(ShapeError, match="constant"):
        contour_levels(numpy.ones((2, 2)))


def test_contour_plot_draws_paths_with_start_and_end(assert_labelled):
    x, y, z = evaluate_grid(lambda a, b: a**2 + 5 * b**2, (-2, 2), (-2, 2), 40)
    path_a = numpy.array([[-1.5, 1.0], [-1.0, 0.5], [-0.2, 0.1], [0.0, 0.0]])
    path_b = numpy.array([[1.5, -1.0], [0.5, -0.2], [numpy.inf, 0.0], [0.0, 0.0]])  # diverges at step 2
    fig = contour_plot(x, y, z, {"gd": path_a, "adam": path_b}, log_levels=True, minimum=(0, 0))
    ax = fig.axes[0]
    lines = {line.get_label(): line for line in ax.lines}
    numpy.testing.assert_array_equal(lines["gd"].get_xydata(), path_a)
    numpy.testing.assert_array_equal(lines["adam"].get_xydata(), path_b[:2])  # cut before the first non-finite point
    markers = [line for line in ax.lines if line.get_label().startswith("_")]
    starts = [tuple(m.get_xydata()[0]) for m in markers if m.get_marker() == "o"]
    ends = [tuple(m.get_xydata()[0]) for m in markers if m.get_marker() == "*"]
    assert starts == [(-1.5, 1.0), (1.5, -1.0)]
    assert ends == [(0.0, 0.0), (0.5, -0.2)]
    assert lines["gd"].get_color() != lines["adam"].get_color()
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["minimum", "gd", "adam", "start", "end"]
    assert ax.get_xlim() == (-2.0, 2.0)
    assert_labelled(fig)


def test_contour_lines_are_drawn_at_the_levels_in_the_right_orientation():
    # f(a, b) = a: every contour must be a vertical line a = level
    x, y, z = evaluate_grid(lambda a, b: a + 0 * b, (0, 1), (0, 3), 30)
    fig = contour_plot(x, y, z, levels=5, filled=False)
    line_set = next(c for c in fig.axes[0].collections if hasattr(c, "levels"))
    numpy.testing.assert_allclose(line_set.levels, [0, 0.25, 0.5, 0.75, 1.0])
    for level, path in zip(line_set.levels, line_set.get_paths()):
        if len(path.vertices):
            numpy.testing.assert_allclose(path.vertices[:, 0], level, atol=1e-9)
            assert numpy.ptp(path.vertices[:, 1]) == pytest.approx(3.0)


def test_grid_shape_errors_name_the_fix():
    x, y = numpy.linspace(0, 1, 3), numpy.linspace(0, 1, 4)
    with pytest.raises(ShapeError, match="looks transposed"):
        contour_plot(x, y, numpy.zeros((4, 3)))
    with pytest.raises(ShapeError, match=r"shape \(steps, 2\)"):
        contour_plot(x, y, numpy.arange(12.0).reshape(3, 4), {"bad": numpy.zeros((5, 3))})


def test_paths_may_be_histories_with_a_params_trajectory():
    class Run:
        params = numpy.array([[0.2, 0.2], [0.1, 0.1]])

    x, y, z = evaluate_grid(lambda a, b: a**2 + b**2, (-1, 1), (-1, 1), 10)
    fig = contour_plot(x, y, z, {"run": Run(), "dict run": {"params": [[0.5, 0.5], [0.4, 0.3]]}})
    lines = {line.get_label(): line for line in fig.axes[0].lines}
    numpy.testing.assert_array_equal(lines["run"].get_xydata(), Run.params)
    numpy.testing.assert_array_equal(lines["dict run"].get_xydata(), [[0.5, 0.5], [0.4, 0.3]])


def test_bilinear_interpolation_is_exact_on_bilinear_functions():
    x, y = numpy.linspace(-1, 2, 4), numpy.linspace(0, 1, 3)
    f = lambda a, b: 1 + 2 * a + 3 * b + 4 * a * b
    z = f(x[:, None], y[None, :])
    points = numpy.array([[-0.3, 0.7], [1.9, 0.05], [2.0, 1.0]])
    numpy.testing.assert_allclose(grid_interpolate(x, y, z, points), f(points[:, 0], points[:, 1]))


def test_surface_plot_draws_the_surface_and_paths_at_their_heights(assert_labelled):
    f = lambda a, b: a**2 + 2 * b**2
    x, y, z = evaluate_grid(f, (-1, 1), (-1, 1), 21)
    path = numpy.array([[0.9, 0.8], [0.5, 0.3], [0.1, 0.0], [5.0, 5.0]])  # last point outside the grid
    fig = surface_plot(x, y, z, {"gd": path})
    ax = fig.axes[0]
    assert ax.name == "3d"
    assert any(isinstance(c, Poly3DCollection) for c in ax.collections)
    line = next(l for l in ax.lines if l.get_label() == "gd")
    xs, ys, zs = line.get_data_3d()
    numpy.testing.assert_array_equal(numpy.column_stack([xs, ys]), path[:3])
    numpy.testing.assert_allclose(zs, f(path[:3, 0], path[:3, 1]), atol=0.02)  # grid step 0.1
    assert_labelled(fig)
