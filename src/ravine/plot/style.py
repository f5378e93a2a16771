"""Figures without global state, on the Agg backend, in one colour-blind-safe style.

Figures are built as :class:`matplotlib.figure.Figure` objects with an Agg canvas
attached — never through ``pyplot`` — so nothing is shown, nothing accumulates in
pyplot's figure registry, and a user's interactive backend is left alone.  When
pyplot has not been imported yet we also select Agg as the default backend.

The palette is Okabe & Ito's (2008) eight colours, ordered for lines on white
(yellow last: it is faint on white).  Series beyond eight reuse colours with a
different line style and marker, so every series stays distinguishable without
colour too.
"""

from __future__ import annotations

import textwrap

import sys
from typing import Any

import matplotlib

if "matplotlib.pyplot" not in sys.modules:
    matplotlib.use("Agg")

from matplotlib.backends.backend_agg import FigureCanvasAgg  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402

__all__ = ["OKABE_ITO", "PALETTE", "CONTOUR_CMAP", "SEQUENTIAL_CMAP", "series_style", "new_figure", "finish", "legend_below", "draw_curves"]

#: Okabe–Ito colours by name.
OKABE_ITO = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
}
#: The order series take colours in.
PALETTE = tuple(
    OKABE_ITO[name]
    for name in ("blue", "vermillion", "bluish green", "orange", "reddish purple", "sky blue", "black", "yellow")
)
#: Perceptually uniform, colour-blind-safe maps (matplotlib's cividis and viridis).
CONTOUR_CMAP = "cividis"
SEQUENTIAL_CMAP = "viridis"

_LINESTYLES = ("-", "--", "-.", ":")
_MARKERS = ("o", "s", "^", "D", "v", "P", "X", "*")


def series_style(i: int) -> dict[str, Any]:
    """Colour, line style and marker of the ``i``-th series (distinct for i < 32)."""
    cycle, k = divmod(i, len(PALETTE))
    return {
        "color": PALETTE[k],
        "linestyle": _LINESTYLES[cycle % len(_LINESTYLES)],
        "marker": _MARKERS[(k + cycle) % len(_MARKERS)],
    }


def new_figure(width: float = 6.4, height: float = 4.8, **kwargs: Any) -> Figure:
    """A Figure with an Agg canvas, constrained layout, not registered with pyplot."""
    fig = Figure(figsize=(width, height), layout="constrained", **kwargs)
    FigureCanvasAgg(fig)
    return fig


def finish(ax: Any, *, title: str, xlabel: str, ylabel: str, legend: bool = False) -> None:
    """Give an axes its title, labels, a light grid and (if asked and useful) a legend.
    Long titles wrap onto a second line instead of running off the figure."""
    ax.set_title(textwrap.fill(title, 64))
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    ax.grid(True, which="major", alpha=0.3, linewidth=0.6)
    if legend and ax.get_legend_handles_labels()[0]:
        ax.legend(frameon=False, fontsize="small")


def legend_below(fig: Figure, ax: Any, max_columns: int = 5) -> None:
    """One legend for ``ax`` outside the plot, under it, so it never hides data."""
    handles, labels = ax.get_legend_handles_labels()
    if handles:
        fig.legend(handles, labels, loc="outside lower center", ncols=min(max_columns, len(handles)),
                   frameon=False, fontsize="small")


def draw_curves(ax: Any, x: Any, series: dict, *, fill: bool = False) -> None:
    """One line per ``label → y`` over ``x`` in series styles (shaded below if ``fill``)."""
    for i, (label, ys) in enumerate(series.items()):
        style = series_style(i)
        ax.plot(x, ys, color=style["color"], linestyle=style["linestyle"], linewidth=1.8, label=label or None)
        if fill:
            ax.fill_between(x, ys, color=style["color"], alpha=0.12)
