"""Hessian spectra and spectral densities, with the step-size bound 2/α marked.

Gradient descent with step α on a quadratic with Hessian eigenvalues λᵢ moves
each eigen-coordinate by the factor (1 − αλᵢ) per step, so it is stable only when
every λᵢ < 2/α (lecture 000: α < 2/λ_max).  Each step size given is drawn as the
line λ = 2/α; eigenvalues beyond it are the directions that step size would blow up.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import matplotlib.ticker
import numpy
from matplotlib.figure import Figure

from ravine.errors import ConfigError
from ravine.plot.inputs import as_series, as_vector, series_over
from ravine.plot.style import OKABE_ITO, draw_curves, finish, legend_below, new_figure, series_style

__all__ = ["hessian_spectrum_plot", "spectral_density_plot", "stability_bounds"]

_BOUND_STYLES = ("--", "-.", ":", (0, (5, 1, 1, 1)))


def stability_bounds(step_sizes: Mapping[str, float] | Sequence[float] | float | None) -> dict[str, float]:
    """``{label: 2/α}`` for each step size α (labels like ``"2/α, α = 0.1"`` when not given)."""
    if step_sizes is None:
        return {}
    if isinstance(step_sizes, (int, float)):
        step_sizes = [step_sizes]
    items = step_sizes.items() if isinstance(step_sizes, Mapping) else ((None, a) for a in step_sizes)
    bounds = {}
    for label, alpha in items:
        if not (isinstance(alpha, (int, float)) and alpha > 0):
            raise ConfigError(f"step sizes must be positive numbers; got {alpha!r}")
        bounds[label or f"2/α, α = {alpha:g}"] = 2.0 / alpha
    return bounds


def hessian_spectrum_plot(
    eigenvalues: Any,
    *,
    step_sizes: Mapping[str, float] | Sequence[float] | float | None = None,
    yscale: str = "linear",
    title: str = "Hessian eigenvalues",
    xlabel: str = "rank (largest first)",
    ylabel: str = "eigenvalue λ",
    size: tuple[float, float] = (6.8, 4.6),
) -> Figure:
    """Eigenvalues sorted largest first, as stems, one series per mapping entry.

    ``yscale="symlog"`` shows spectra spanning orders of magnitude with negative
    eigenvalues (saddle points) on the same axis.
    """
    if yscale not in ("linear", "log", "symlog"):
        raise ConfigError(f"yscale must be 'linear', 'log' or 'symlog'; got {yscale!r}")
    series = as_series(eigenvalues, "eigenvalues")
    fig = new_figure(*size)
    ax = fig.add_subplot()
    several = len(series) > 1
    for i, (name, values) in enumerate(series.items()):
        values = numpy.sort(values)[::-1]
        if yscale == "log" and numpy.any(values <= 0):
            raise ConfigError("yscale='log' needs positive eigenvalues; use yscale='symlog' to show negative ones")
        style = series_style(i)
        ranks = numpy.arange(1, values.size + 1) + (0.15 * i if several else 0.0)
        ax.vlines(ranks, 0 if yscale != "log" else values.min(), values, color=style["color"], linewidth=1.0, alpha=0.6)
        ax.plot(ranks, values, marker=style["marker"], markersize=4, linestyle="none", color=style["color"],
                label=name or None)
    for j, (label, bound) in enumerate(stability_bounds(step_sizes).items()):
        ax.axhline(bound, color=OKABE_ITO["black"], linestyle=_BOUND_STYLES[j % 4], linewidth=1.3, label=label)
    if yscale != "log":
        ax.axhline(0.0, color="0.5", linewidth=0.6)
    if yscale == "symlog":
        # Linear up to the smallest |λ| shown (but at most three decades below the
        # largest), logarithmic beyond; plain tick labels (matplotlib's default
        # writes 1.2058 × 10⁰ at the limits).
        magnitudes = numpy.abs(numpy.concatenate([numpy.ravel(v) for v in series.values()]))
        positive = magnitudes[magnitudes > 0]
        linthresh = max(float(positive.min()), 1e-3 * float(positive.max())) if positive.size else 1.0
        ax.set_yscale("symlog", linthresh=linthresh)
        ax.yaxis.set_major_formatter(matplotlib.ticker.FuncFormatter(lambda y, _pos: f"{y:.3g}"))
        ax.yaxis.set_minor_formatter(matplotlib.ticker.NullFormatter())
    else:
        ax.set_yscale(yscale)
    finish(ax, title=title, xlabel=xlabel, ylabel=ylabel)
    legend_below(fig, ax)
    return fig


def spectral_density_plot(
    grid: Any,
    density: Any,
    *,
    eigenvalues: Any = None,
    step_sizes: Mapping[str, float] | Sequence[float] | float | None = None,
    log_density: bool = False,
    title: str = "Spectral density of the Hessian",
    xlabel: str = "eigenvalue λ",
    ylabel: str = "density",
    size: tuple[float, float] = (6.8, 4.4),
) -> Figure:
    """A spectral density φ(λ) on ``grid`` (one array, or name → array), 2/α lines marked.

    ``eigenvalues``, if given, are drawn as a rug under the curve (e.g. the
    Lanczos Ritz values the density was smoothed from).
    """
    lam = as_vector(grid, "grid", min_length=2)
    series = series_over(lam, density, "grid", "density")
    fig = new_figure(*size)
    ax = fig.add_subplot()
    draw_curves(ax, lam, series, fill=not log_density)
    if eigenvalues is not None:
        rug = as_vector(eigenvalues, "eigenvalues")
        ax.plot(rug, numpy.zeros_like(rug), marker="|", markersize=12, linestyle="none", color="0.2",
                label="eigenvalues", clip_on=False)
    for j, (label, bound) in enumerate(stability_bounds(step_sizes).items()):
        ax.axvline(bound, color=OKABE_ITO["black"], linestyle=_BOUND_STYLES[j % 4], linewidth=1.3, label=label)
    if log_density:
        ax.set_yscale("log")
    finish(ax, title=title, xlabel=xlabel, ylabel=ylabel)
    legend_below(fig, ax)
    return fig
