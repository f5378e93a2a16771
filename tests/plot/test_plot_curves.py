"""Training curves and landscape cross-sections: the drawn data are the inputs."""

import numpy
import pytest

from ravine.errors import ConfigError, ShapeError
from ravine.plot import cross_section_plot, slice_plot, training_curves


class History:
    """A stand-in with the optim History contract's array attributes."""

    def __init__(self, loss, grad_norm, step=None, val_loss=None):
        self.loss = numpy.asarray(loss, dtype=float)
        self.grad_norm = numpy.asarray(grad_norm, dtype=float)
        self.step = numpy.arange(self.loss.size) if step is None else numpy.asarray(step)
        self.val_loss = val_loss


def lines_by_label(ax):
    return {line.get_label(): line for line in ax.lines}


def test_runs_are_drawn_from_objects_and_dicts(assert_labelled):
    gd = History([4.0, 2.0, 1.0, 0.5], [3.0, 2.0, 1.0, 0.8], val_loss=numpy.array([5.0, 3.0, 2.0, 1.5]))
    adam = {"step": [0, 10, 20], "loss": [4.0, 0.4, 0.04], "grad_norm": [2.0, 0.2, 0.02]}
    fig = training_curves({"gd": gd, "adam": adam})
    loss_ax, grad_ax = fig.axes
    lines = lines_by_label(loss_ax)
    numpy.testing.assert_array_equal(lines["gd"].get_xydata(), numpy.column_stack([gd.step, gd.loss]))
    numpy.testing.assert_array_equal(lines["adam"].get_xydata(), [[0, 4.0], [10, 0.4], [20, 0.04]])
    assert lines["gd (validation)"].get_linestyle() == "--"
    numpy.testing.assert_array_equal(lines["gd (validation)"].get_ydata(), gd.val_loss)
    assert loss_ax.get_yscale() == "log" and grad_ax.get_yscale() == "log"
    grad_lines = [l for l in grad_ax.lines if l.get_linestyle() != ":"]
    numpy.testing.assert_array_equal(grad_lines[0].get_ydata(), gd.grad_norm)
    numpy.testing.assert_array_equal(grad_lines[1].get_ydata(), adam["grad_norm"])
    assert grad_ax.get_ylabel() == "‖∇L‖"
    assert_labelled(fig)


def test_findings_are_marked_on_every_panel_with_their_labels():
    run = History([1.0, 0.5, 0.6, 0.2, 0.1], [1, 1, 1, 1, 1])
    fig = training_curves([run], findings=[(2, "oscillation"), (3, "plateau <x>")])
    for ax in fig.axes:
        verticals = [l.get_xdata()[0] for l in ax.lines if l.get_linestyle() == ":"]
        assert verticals == [2, 3]
    assert [t.get_text() for t in fig.axes[0].texts] == ["oscillation", "plateau <x>"]
    with pytest.raises(ConfigError, match=r"\(step, label\) pair"):
        training_curves([run], findings=[(1, "a", "b")])


def test_diverged_run_stops_at_its_last_finite_loss_with_a_cross():
    run = History([1.0, 3.0, 50.0, numpy.inf, numpy.nan], [1.0, 4.0, 80.0, numpy.inf, numpy.nan])
    fig = training_curves({"too large η": run}, grad_norm=False)
    ax = fig.axes[0]
    numpy.testing.assert_array_equal(lines_by_label(ax)["too large η"].get_ydata(), [1.0, 3.0, 50.0])
    crosses = [l for l in ax.lines if l.get_marker() == "X"]
    assert len(crosses) == 1 and tuple(crosses[0].get_xydata()[0]) == (2, 50.0)
    assert len(fig.axes) == 1


def test_log_scale_only_for_positive_losses():
    saddle = History([0.0, -1.0, -4.0], [1.0, 2.0, 4.0])
    assert training_curves([saddle]).axes[0].get_yscale() == "linear"
    with pytest.raises(ConfigError, match="log scale needs positive loss"):
        training_curves([saddle], log_y=True)
    assert training_curves([History([1.0, 0.1], [1, 1])], log_y=False).axes[0].get_yscale() == "linear"


def test_missing_or_misaligned_fields_are_clear_errors():
    with pytest.raises(ConfigError, match="has no 'loss'"):
        training_curves({"r": {"grad_norm": [1.0]}})
    with pytest.raises(ShapeError, match="'grad_norm' has shape"):
        training_curves({"r": {"loss": [1.0, 0.5], "grad_norm": [1.0]}})
    with pytest.raises(ConfigError, match="empty"):
        training_curves({})


def test_cross_section_draws_each_series_and_marks(assert_labelled):
    t = numpy.linspace(-1, 2, 31)
    fig = cross_section_plot(t, {"train": t**2, "validation": (t - 0.2) ** 2 + 0.1}, marks={"θ_a": 0.0, "θ_b": 1.0})
    ax = fig.axes[0]
    lines = lines_by_label(ax)
    numpy.testing.assert_array_equal(lines["train"].get_ydata(), t**2)
    numpy.testing.assert_array_equal(lines["validation"].get_xdata(), t)
    assert [l.get_xdata()[0] for l in ax.lines if l.get_linestyle() == ":"] == [0.0, 1.0]
    assert [x.get_text() for x in ax.texts] == ["θ_a", "θ_b"]
    assert_labelled(fig)
    with pytest.raises(ShapeError, match="give one value per t"):
        cross_section_plot(t, t[:-1])


def test_slice_plot_contours_the_grid_and_marks_the_centre(assert_labelled):
    a = numpy.linspace(-1, 1, 11)
    b = numpy.linspace(-2, 2, 21)
    z = a[:, None] ** 2 + b[None, :] ** 2
    fig = slice_plot(a, b, z, levels=6)
    ax = fig.axes[0]
    line_set = next(c for c in ax.collections if hasattr(c, "levels") and not c.filled)
    numpy.testing.assert_allclose(line_set.levels, numpy.linspace(z.min(), z.max(), 6))
    assert tuple(lines_by_label(ax)["θ*"].get_xydata()[0]) == (0.0, 0.0)
    assert ax.get_xlim() == (-1.0, 1.0) and ax.get_ylim() == (-2.0, 2.0)
    assert_labelled(fig)
