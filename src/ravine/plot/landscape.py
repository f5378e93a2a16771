"""Pictures of loss landscapes computed by ravine.landscape: 1-D cross-sections and 2-D slices.

A cross-section is the loss along a line, L(θ₀ + t·d) or L((1 − t)·θ_a + t·θ_b);
a slice is L(θ* + α·δ + β·η) over two direction coefficients (random or
filter-normalised directions, Li et al. 2017).  This module only draws the arrays.
"""

from __future__ import annotations

from typing import Any, Mapping

from matplotlib.figure import Figure

from ravine.plot.contour import draw_contours
from ravine.plot.inputs import as_vector, series_over
from ravine.plot.style import draw_curves, finish, legend_below, new_figure

__all__ = ["cross_section_plot", "slice_plot"]


def cross_section_plot(
    t: Any,
    values: Any,
    *,
    marks: Mapping[str, float] | None = None,
    log_y: bool = False,
    title: str = "Loss along a line through parameter space",
    xlabel: str = "t (position along the direction)",
    ylabel: str = "loss",
    size: tuple[float, float] = (6.4, 4.2),
) -> Figure:
    """Loss against the line coordinate ``t``; ``values`` is one array or name → array.

    ``marks`` draws labelled vertical lines at chosen positions (``{"start": 0,
    "trained": 1}``).
    """
    ts = as_vector(t, "t", min_length=2)
    series = series_over(ts, values, "t", "values")
    fig = new_figure(*size)
    ax = fig.add_subplot()
    draw_curves(ax, ts, series)
    for j, (label, position) in enumerate((marks or {}).items()):
        ax.axvline(position, color="0.3", linestyle=":", linewidth=1.0)
        ax.annotate(label, xy=(position, 1.0), xycoords=("data", "axes fraction"), xytext=(3, -12 - 11 * (j % 2)),
                    textcoords="offset points", fontsize="small", color="0.2")
    if log_y:
        ax.set_yscale("log")
    finish(ax, title=title, xlabel=xlabel, ylabel=ylabel, legend=len(series) > 1)
    return fig


def slice_plot(
    alphas: Any,
    betas: Any,
    z: Any,
    *,
    levels: int = 20,
    log_levels: bool = False,
    centre: tuple[float, float] | None = (0.0, 0.0),
    title: str = "Loss on a 2-D slice of parameter space",
    xlabel: str = "α (coefficient of direction 1)",
    ylabel: str = "β (coefficient of direction 2)",
    size: tuple[float, float] = (6.4, 5.2),
) -> Figure:
    """Contours of ``z[i, j] = L(θ* + alphas[i]·δ + betas[j]·η)``; ``centre`` marks θ*."""
    fig = new_figure(*size)
    ax = fig.add_subplot()
    draw_contours(ax, alphas, betas, z, levels=levels, log_levels=log_levels)
    if centre is not None:
        ax.plot(*centre, marker="*", markersize=13, color="black", markeredgecolor="white", linestyle="none", label="θ*")
    finish(ax, title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(False)
    legend_below(fig, ax)
    return fig

