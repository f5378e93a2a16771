"""3-D surface plots of a 2-D function, optionally with optimiser paths on the surface."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy
from matplotlib.figure import Figure

from ravine.plot.inputs import as_grid, as_trajectory, labelled
from ravine.plot.style import SEQUENTIAL_CMAP, legend_below, new_figure, series_style

__all__ = ["surface_plot"]


def surface_plot(
    x: Any,
    y: Any,
    z: Any,
    trajectories: Mapping[str, Any] | Sequence[Any] | None = None,
    *,
    title: str = "Loss surface",
    xlabel: str = "θ₁",
    ylabel: str = "θ₂",
    zlabel: str = "loss",
    elevation: float = 35.0,
    azimuth: float = -60.0,
    size: tuple[float, float] = (7.0, 5.6),
) -> Figure:
    """The surface ``z[i, j] = f(x[i], y[j])`` in 3-D, paths drawn at their heights.

    A path's height at each point is interpolated from the grid (bilinearly), so
    only the (steps, 2) parameter trajectory is needed.
    """
    x, y, z = as_grid(x, y, z)
    fig = new_figure(*size)
    ax = fig.add_subplot(projection="3d", computed_zorder=False)  # paths stay on top
    xx, yy = numpy.meshgrid(x, y, indexing="ij")
    ax.plot_surface(xx, yy, numpy.ma.masked_invalid(z), cmap=SEQUENTIAL_CMAP, linewidth=0,
                    antialiased=True, alpha=0.8, rstride=1, cstride=1, zorder=1)
    if trajectories is not None:
        for i, (name, path) in enumerate(labelled(trajectories, "trajectories").items()):
            points = as_trajectory(path, name)
            inside = _inside(points, x, y)
            points = points[inside]
            if points.shape[0] == 0:
                continue
            heights = grid_interpolate(x, y, z, points)
            style = series_style(i)
            ax.plot(points[:, 0], points[:, 1], heights, color=style["color"], linestyle=style["linestyle"],
                    linewidth=1.8, label=name, zorder=5)
            ax.scatter([points[0, 0]], [points[0, 1]], [heights[0]], marker="o", s=50,
                       facecolors="none", edgecolors=style["color"], linewidths=2, zorder=6)
            ax.scatter([points[-1, 0]], [points[-1, 1]], [heights[-1]], marker="*", s=120, color=style["color"], zorder=7)
    ax.view_init(elev=elevation, azim=azimuth)
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.set_zlabel(zlabel, labelpad=10)
    legend_below(fig, ax)
    return fig


def _inside(points: numpy.ndarray, x: numpy.ndarray, y: numpy.ndarray) -> numpy.ndarray:
    finite = numpy.all(numpy.isfinite(points), axis=1)
    with numpy.errstate(invalid="ignore"):
        return finite & (points[:, 0] >= x.min()) & (points[:, 0] <= x.max()) & (points[:, 1] >= y.min()) & (points[:, 1] <= y.max())


def grid_interpolate(x: numpy.ndarray, y: numpy.ndarray, z: numpy.ndarray, points: numpy.ndarray) -> numpy.ndarray:
    """Bilinear interpolation of ``z[i, j]`` (at ``(x[i], y[j])``, both increasing) at ``points``."""
    i = numpy.clip(numpy.searchsorted(x, points[:, 0]) - 1, 0, x.size - 2)
    j = numpy.clip(numpy.searchsorted(y, points[:, 1]) - 1, 0, y.size - 2)
    tx = (points[:, 0] - x[i]) / (x[i + 1] - x[i])
    ty = (points[:, 1] - y[j]) / (y[j + 1] - y[j])
    return (
        z[i, j] * (1 - tx) * (1 - ty)
        + z[i + 1, j] * tx * (1 - ty)
        + z[i, j + 1] * (1 - tx) * ty
        + z[i + 1, j + 1] * tx * ty
    )
