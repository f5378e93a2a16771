"""Contour plots of a 2-D function with optimiser trajectories drawn over them.

Several optimisers share one plot, each in its own colour, line style and marker;
a hollow circle marks where a path starts and a filled star where it ends.  With
``log_levels=True`` the contour levels are spaced geometrically above the grid's
minimum, ``f_min + [0, geomspace(span·10^-d, span)]``, which is what makes the floor of
a narrow valley (Rosenbrock's banana, an ill-conditioned quadratic) visible.
"""

from __future__ import annotations

from typing import Any, Callable, Mapping, Sequence

import numpy
from matplotlib.figure import Figure

from ravine.errors import ConfigError, ShapeError
from ravine.plot.inputs import as_grid, as_trajectory, labelled
from ravine.plot.style import CONTOUR_CMAP, finish, legend_below, new_figure, series_style

__all__ = ["evaluate_grid", "contour_levels", "draw_contours", "draw_trajectories", "contour_plot"]


def evaluate_grid(
    fun: Callable[[Any, Any], Any],
    xlim: tuple[float, float],
    ylim: tuple[float, float],
    resolution: int = 150,
) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """``(x, y, z)`` with ``z[i, j] = fun(x[i], y[j])`` on a regular grid.

    ``fun`` is first called once on the whole meshgrid (fast for NumPy-written
    functions); if that fails or returns the wrong shape it is called point by point.
    """
    if resolution < 2:
        raise ConfigError(f"resolution must be at least 2; got {resolution}")
    for lim, name in ((xlim, "xlim"), (ylim, "ylim")):
        if len(lim) != 2 or not lim[0] < lim[1]:
            raise ConfigError(f"{name} must be (low, high) with low < high; got {lim!r}")
    x = numpy.linspace(xlim[0], xlim[1], resolution)
    y = numpy.linspace(ylim[0], ylim[1], resolution)
    xx, yy = numpy.meshgrid(x, y, indexing="ij")
    try:
        z = numpy.asarray(fun(xx, yy), dtype=float)
        if z.shape != xx.shape:
            raise ValueError("not vectorised")
    except Exception:  # a scalar-only function: evaluate point by point
        z = numpy.array([[float(fun(a, b)) for b in y] for a in x])
    return x, y, z


def contour_levels(z: numpy.ndarray, levels: int = 20, *, log_levels: bool = False, decades: float = 4.0) -> numpy.ndarray:
    """Contour levels over the finite values of ``z``: linear, or geometric above the minimum."""
    if levels < 2:
        raise ConfigError(f"levels must be at least 2; got {levels}")
    finite = z[numpy.isfinite(z)]
    if finite.size == 0:
        raise ShapeError("the grid has no finite values to draw contours of")
    low, high = float(finite.min()), float(finite.max())
    span = high - low
    if span == 0:
        raise ShapeError(f"the grid is constant ({low:g}); there are no contours to draw")
    if not log_levels:
        return numpy.linspace(low, high, levels)
    if decades <= 0:
        raise ConfigError(f"decades must be positive; got {decades}")
    # the first level is the minimum itself so the valley floor is filled too
    return low + numpy.concatenate(([0.0], numpy.geomspace(span * 10.0 ** (-decades), span, levels - 1)))


def draw_contours(ax: Any, x, y, z, *, levels: int = 20, log_levels: bool = False, filled: bool = True, colorbar_label: str = "loss") -> Any:
    """Draw the contours of ``z[i, j]`` at ``(x[i], y[j])`` on ``ax``; return the line ContourSet."""
    x, y, z = as_grid(x, y, z)
    values = contour_levels(z, levels, log_levels=log_levels)
    masked = numpy.ma.masked_invalid(z.T)  # matplotlib wants z[row = y, column = x]
    norm = None
    if log_levels:
        from matplotlib.colors import BoundaryNorm

        norm = BoundaryNorm(values, ncolors=256)
    if filled:
        filled_set = ax.contourf(x, y, masked, levels=values, cmap=CONTOUR_CMAP, norm=norm, alpha=0.35, extend="neither")
        colorbar = ax.figure.colorbar(filled_set, ax=ax, shrink=0.9)
        colorbar.set_label(colorbar_label)
        if log_levels:
            colorbar.ax.set_yticks(values[:: max(1, len(values) // 6)])
        colorbar.ax.yaxis.set_major_formatter("{x:.3g}")
    lines = ax.contour(x, y, masked, levels=values, colors="0.35", linewidths=0.6, alpha=0.7)
    ax.set_xlim(x[0], x[-1])
    ax.set_ylim(y[0], y[-1])
    return lines


def draw_trajectories(ax: Any, trajectories: Mapping[str, Any] | Sequence[Any]) -> list[Any]:
    """Draw each (steps, 2) path with its start (hollow circle) and end (star) marked.

    Non-finite points (a diverged run) end the drawn path.  Returns the path lines.
    """
    lines = []
    for i, (name, path) in enumerate(labelled(trajectories, "trajectories").items()):
        points = as_trajectory(path, name)
        finite = numpy.all(numpy.isfinite(points), axis=1)
        if not finite.all():
            points = points[: int(numpy.argmin(finite))]
        if points.shape[0] == 0:
            continue
        style = series_style(i)
        markevery = max(1, points.shape[0] // 40)
        (line,) = ax.plot(
            points[:, 0], points[:, 1], color=style["color"], linestyle=style["linestyle"],
            marker=style["marker"], markersize=3, markevery=markevery, linewidth=1.6, label=name, zorder=3,
        )
        ax.plot(points[0, 0], points[0, 1], marker="o", markersize=9, markerfacecolor="none",
                markeredgecolor=style["color"], markeredgewidth=2, linestyle="none", zorder=4)
        ax.plot(points[-1, 0], points[-1, 1], marker="*", markersize=13, color=style["color"],
                markeredgecolor="white", markeredgewidth=0.8, linestyle="none", zorder=5)
        lines.append(line)
    return lines


def contour_plot(
    x: Any,
    y: Any,
    z: Any,
    trajectories: Mapping[str, Any] | Sequence[Any] | None = None,
    *,
    levels: int = 20,
    log_levels: bool = False,
    filled: bool = True,
    minimum: tuple[float, float] | None = None,
    title: str = "Loss contours and optimiser paths",
    xlabel: str = "θ₁",
    ylabel: str = "θ₂",
    size: tuple[float, float] = (7.0, 5.6),
) -> Figure:
    """Contours of ``z[i, j] = f(x[i], y[j])`` with optimiser paths drawn over them.

    ``trajectories`` maps a name to a (steps, 2) array (or a History with a
    ``params`` trajectory); ``minimum`` marks the known minimiser with a cross.
    Build the grid from a function with :func:`evaluate_grid`.
    """
    fig = new_figure(*size)
    ax = fig.add_subplot()
    draw_contours(ax, x, y, z, levels=levels, log_levels=log_levels, filled=filled)
    if minimum is not None:
        ax.plot(minimum[0], minimum[1], marker="X", markersize=10, color="black", linestyle="none",
                label="minimum", zorder=6)
    if trajectories is not None and draw_trajectories(ax, trajectories):
        ax.plot([], [], marker="o", markerfacecolor="none", color="0.35", linestyle="none", label="start")
        ax.plot([], [], marker="*", markersize=10, color="0.35", linestyle="none", label="end")
    finish(ax, title=title, xlabel=xlabel, ylabel=ylabel)
    ax.grid(False)
    legend_below(fig, ax)
    return fig
