"""Comparisons across runs: final loss against learning rate, and bar charts per optimiser."""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy
from matplotlib.figure import Figure

from ravine.errors import ConfigError, ShapeError
from ravine.plot.inputs import as_series, as_vector
from ravine.plot.style import OKABE_ITO, finish, legend_below, new_figure, series_style

__all__ = ["lr_sweep_plot", "comparison_bars"]


def lr_sweep_plot(
    learning_rates: Any,
    final_losses: Any,
    *,
    bound: float | None = None,
    bound_label: str = "2/λ_max",
    title: str = "Final loss against learning rate",
    xlabel: str = "learning rate α",
    ylabel: str = "final loss",
    size: tuple[float, float] = (6.6, 4.6),
) -> Figure:
    """Final loss per learning rate on log–log axes; one array or name → array.

    Runs that diverged (NaN or ∞ final loss) are drawn as ``×`` on the top edge of
    the plot; the best learning rate of each series is ringed.  ``bound`` draws a
    vertical line, e.g. the stability limit 2/λ_max.
    """
    lrs = as_vector(learning_rates, "learning_rates")
    if numpy.any(lrs <= 0):
        raise ConfigError("learning rates must be positive for a log axis")
    series = as_series(final_losses, "final_losses")
    fig = new_figure(*size)
    ax = fig.add_subplot()
    order = numpy.argsort(lrs)
    any_diverged = False
    for i, (name, losses) in enumerate(series.items()):
        if losses.shape != lrs.shape:
            raise ShapeError(f"final_losses {name!r} has {losses.size} values for {lrs.size} learning rates")
        style = series_style(i)
        x, y = lrs[order], losses[order]
        ok = numpy.isfinite(y)
        if numpy.any(ok & (y <= 0)):
            raise ConfigError(f"final_losses {name!r} has values ≤ 0, which a log axis cannot show; plot loss − loss*")
        ax.plot(x[ok], y[ok], color=style["color"], linestyle=style["linestyle"], marker=style["marker"],
                markersize=5, label=name or None)
        if numpy.any(~ok):
            any_diverged = True
            ax.plot(x[~ok], numpy.ones(int(numpy.sum(~ok))), marker="x", markersize=9, markeredgewidth=2,
                    linestyle="none", color=style["color"], transform=ax.get_xaxis_transform(), clip_on=False)
        if numpy.any(ok):
            best = numpy.flatnonzero(ok)[numpy.argmin(y[ok])]
            ax.plot(x[best], y[best], marker="o", markersize=13, markerfacecolor="none",
                    markeredgecolor=style["color"], markeredgewidth=1.5, linestyle="none")
    if bound is not None:
        ax.axvline(bound, color=OKABE_ITO["vermillion"], linestyle="--", linewidth=1.3, label=bound_label)
    if any_diverged:
        ax.plot([], [], marker="x", linestyle="none", color="0.3", label="diverged")
    ax.set_xscale("log")
    ax.set_yscale("log")
    finish(ax, title=title, xlabel=xlabel, ylabel=ylabel)
    legend_below(fig, ax)
    return fig


def comparison_bars(
    names: Sequence[str],
    values: Any,
    *,
    log: bool = False,
    missing_label: str = "not reached",
    title: str = "Steps to reach the tolerance",
    xlabel: str = "steps",
    ylabel: str = "optimiser",
    value_format: str | None = None,
    size: tuple[float, float] | None = None,
) -> Figure:
    """Horizontal bars, one row per name; ``values`` one array or metric → array.

    A missing value (None, NaN or ∞ — the run never reached the tolerance) gets no
    bar but the text ``missing_label``, so it cannot be mistaken for zero.  Bars are
    labelled with their values (whole numbers in full, others to 3 significant
    digits, or with ``value_format`` such as ``"{:.1%}"``).
    """
    names = [str(n) for n in names]
    if not names:
        raise ConfigError("names is empty; give one name per bar")
    raw = values if isinstance(values, Mapping) else {"": values}
    series = as_series({k: [numpy.nan if v is None else v for v in vs] for k, vs in raw.items()}, "values")
    for metric, vs in series.items():
        if vs.size != len(names):
            raise ShapeError(f"values {metric!r} has {vs.size} entries for {len(names)} names")
    k = len(series)
    height = 0.8 / k
    fig = new_figure(*(size or (6.8, 1.2 + 0.42 * len(names) * max(1, k * 0.7))))
    ax = fig.add_subplot()
    rows = numpy.arange(len(names))
    for j, (metric, vs) in enumerate(series.items()):
        offsets = rows - 0.4 + height * (j + 0.5)
        ok = numpy.isfinite(vs)
        style = series_style(j)
        ax.barh(offsets[ok], vs[ok], height=height * 0.9, color=style["color"], label=metric or None)
        for y, v, good in zip(offsets, vs, ok):
            if good:
                ax.annotate(_format_value(v, value_format), (v, y), xytext=(3, 0), textcoords="offset points",
                            va="center", fontsize="small", color="0.15")
            else:  # at the left edge of the axes, whatever the x scale
                ax.annotate(missing_label, (0.0, y), xycoords=("axes fraction", "data"), xytext=(4, 0),
                            textcoords="offset points", va="center", fontsize="small", color=OKABE_ITO["vermillion"])
    ax.set_yticks(rows, names)
    ax.invert_yaxis()
    if log:
        ax.set_xscale("log")
    ax.margins(x=0.15)
    finish(ax, title=title, xlabel=xlabel, ylabel=ylabel)
    if k > 1:
        legend_below(fig, ax)
    return fig


def _format_value(value: float, value_format: str | None) -> str:
    if value_format is not None:
        return value_format.format(value)
    if float(value).is_integer() and abs(value) < 1e9:
        return f"{int(value):,}"
    return f"{value:.3g}"
