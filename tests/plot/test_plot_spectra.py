"""Hessian spectra, densities and histograms: the drawn data are the inputs."""

import numpy
import pytest

from ravine.errors import ConfigError, ShapeError
from ravine.plot import activation_histograms, hessian_spectrum_plot, spectral_density_plot, unit_fractions, weight_histograms
from ravine.plot.spectrum import stability_bounds


def test_spectrum_sorted_largest_first_with_two_over_alpha_lines(assert_labelled):
    eig = numpy.array([0.5, 4.0, -0.2, 1.0])
    fig = hessian_spectrum_plot({"init": eig}, step_sizes=[0.25, 1.0])
    ax = fig.axes[0]
    points = next(l for l in ax.lines if l.get_label() == "init")
    numpy.testing.assert_array_equal(points.get_xydata(), [[1, 4.0], [2, 1.0], [3, 0.5], [4, -0.2]])
    bounds = {l.get_label(): l.get_ydata()[0] for l in ax.lines if l.get_label().startswith("2/α")}
    assert bounds == {"2/α, α = 0.25": 8.0, "2/α, α = 1": 2.0}
    assert_labelled(fig)


def test_stability_bounds_validate_and_accept_labels():
    assert stability_bounds({"lr that diverged": 0.5}) == {"lr that diverged": 4.0}
    assert stability_bounds(0.1) == {"2/α, α = 0.1": 20.0}
    with pytest.raises(ConfigError, match="positive"):
        stability_bounds([-0.1])


def test_spectrum_scales():
    eig = numpy.array([10.0, 1.0, -1.0])
    assert hessian_spectrum_plot(eig, yscale="symlog").axes[0].get_yscale() == "symlog"
    with pytest.raises(ConfigError, match="symlog"):
        hessian_spectrum_plot(eig, yscale="log")
    with pytest.raises(ConfigError, match="yscale must be"):
        hessian_spectrum_plot(eig, yscale="cubic")


def test_spectral_density_curve_rug_and_bound(assert_labelled):
    grid = numpy.linspace(0, 5, 50)
    phi = numpy.exp(-((grid - 2) ** 2))
    fig = spectral_density_plot(grid, {"trained": phi}, eigenvalues=[1.9, 2.1], step_sizes=[0.5])
    ax = fig.axes[0]
    lines = {l.get_label(): l for l in ax.lines}
    numpy.testing.assert_array_equal(lines["trained"].get_xydata(), numpy.column_stack([grid, phi]))
    numpy.testing.assert_array_equal(lines["eigenvalues"].get_xdata(), [1.9, 2.1])
    assert lines["2/α, α = 0.5"].get_xdata()[0] == 4.0
    assert_labelled(fig)
    with pytest.raises(ShapeError, match="give one value per grid"):
        spectral_density_plot(grid, phi[:-1])


def test_unit_fractions_dead_relu_and_saturated_logistic():
    relu = numpy.array([[0.0, 1.0, 0.0, 0.2], [0.0, 0.0, 0.0, 0.3], [0.0, 2.0, 0.0, 0.0]])
    assert unit_fractions(relu, "relu") == {"dead": 0.5}
    logistic = numpy.array([[0.01, 0.99, 0.5, 0.03], [0.02, 0.98, 0.4, 0.2]])
    assert unit_fractions(logistic, "logistic") == {"saturated": 0.5}  # means 0.015, 0.985 saturate; 0.45, 0.115 do not
    assert unit_fractions(numpy.array([[0.97], [-0.2]]), "tanh") == {"saturated": 0.0}
    with pytest.raises(ConfigError, match="activation must be one of"):
        unit_fractions(relu, "swish")


def test_activation_histograms_count_units_and_annotate_fractions(assert_labelled):
    rng = numpy.random.default_rng(1)
    relu = numpy.maximum(rng.standard_normal((50, 40)) - numpy.linspace(-1, 4, 40), 0.0)
    logistic = 1 / (1 + numpy.exp(-rng.standard_normal((50, 20))))
    fig = activation_histograms({"h1": relu, "h2": logistic}, activation={"h1": "relu", "h2": "logistic"},
                                saturated={"h2": 0.25}, bins=10)
    ax1, ax2 = fig.axes[:2]
    heights = numpy.array([p.get_height() for p in ax1.patches])
    expected, _ = numpy.histogram(relu.mean(axis=0), bins=10)
    numpy.testing.assert_array_equal(heights, expected)
    dead = unit_fractions(relu, "relu")["dead"]
    assert 0 < dead < 1
    assert ax1.texts[0].get_text() == f"dead {dead:.0%}"
    assert ax2.texts[0].get_text() == "saturated 25%"  # the doctor's value replaces the default rule
    assert "40 units" in ax1.get_title()
    assert_labelled(fig)


def test_weight_histograms_annotate_statistics(assert_labelled):
    w = numpy.arange(12.0).reshape(3, 4)
    fig = weight_histograms({"W1": w, "b1": [0.1, 0.1]}, bins=4)
    ax = fig.axes[0]
    assert sum(p.get_height() for p in ax.patches) == 12
    assert ax.texts[0].get_text() == f"mean {w.mean():.3g}\nstd {w.std():.3g}\n12 values"
    assert [a.get_visible() for a in fig.axes] == [True, True]
    assert_labelled(fig)


def test_symlog_spectrum_has_plain_tick_labels_and_wraps_long_titles():
    import numpy as _numpy
    from ravine.plot.spectrum import hessian_spectrum_plot as _plot

    fig = _plot({"a": _numpy.array([1.2, 0.9, -0.6]), "b": _numpy.array([0.4, 1e-10, -0.3])},
                yscale="symlog", title="x" * 40 + " " + "y" * 40)
    ax = fig.axes[0]
    fig.canvas.draw()
    labels = [t.get_text() for t in ax.get_yticklabels() if t.get_text()]
    assert labels and not any("times" in label or "^" in label for label in labels), labels
    assert "\n" in ax.get_title()
    assert ax.get_yaxis().get_scale() == "symlog"
