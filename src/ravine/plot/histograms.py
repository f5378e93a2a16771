"""Histograms of hidden-unit activations and of weights, one panel per layer.

Lecture 003 (§4.7): "diagnosing saturated units is simple: just look at a
histogram of the average activations, and make sure they're not concentrated at
the endpoints."  So by default each panel shows, per unit, its activation
averaged over the examples, and is annotated with

- dead fraction (ReLU): units whose activation is ≤ 0 on every example — no
  gradient reaches their incoming weights;
- saturated fraction (logistic, tanh): units whose average activation lies within
  ``edge`` (a fraction of the range, default 5 %) of either end of the range —
  since activations are bounded, such a unit is nearly always near that end,
  where φ′(z) ≈ 0.

The doctor (ravine.diagnose) may compute these fractions with its own rules;
pass them as ``dead=`` / ``saturated=`` and they are shown instead.
"""

from __future__ import annotations

import math
from typing import Any, Mapping

import numpy
from matplotlib.figure import Figure

from ravine.errors import ConfigError, ShapeError
from ravine.plot.style import OKABE_ITO, PALETTE, finish, new_figure

__all__ = ["ACTIVATION_RANGES", "unit_fractions", "activation_histograms", "weight_histograms"]

#: Dynamic range of each activation function (None: unbounded on that side).
ACTIVATION_RANGES = {"relu": (0.0, None), "logistic": (0.0, 1.0), "tanh": (-1.0, 1.0), "linear": (None, None)}


def _as_matrix(values: Any, name: str) -> numpy.ndarray:
    array = numpy.asarray(values, dtype=float)
    if array.ndim == 1:
        array = array[:, None]
    if array.ndim != 2 or array.size == 0:
        raise ShapeError(f"activations of {name!r} must have shape (examples, units); got {array.shape}")
    return array


def unit_fractions(activations: Any, activation: str, *, edge: float = 0.05) -> dict[str, float]:
    """``{"dead": …, "saturated": …}`` fractions of units (see the module docstring)."""
    if activation not in ACTIVATION_RANGES:
        raise ConfigError(f"activation must be one of {sorted(ACTIVATION_RANGES)}; got {activation!r}")
    if not 0 < edge < 0.5:
        raise ConfigError(f"edge must lie in (0, 0.5); got {edge!r}")
    a = _as_matrix(activations, activation)
    fractions: dict[str, float] = {}
    if activation == "relu":
        fractions["dead"] = float(numpy.mean(numpy.all(a <= 0.0, axis=0)))
    low, high = ACTIVATION_RANGES[activation]
    if low is not None and high is not None:
        width = edge * (high - low)
        mean = a.mean(axis=0)
        fractions["saturated"] = float(numpy.mean((mean <= low + width) | (mean >= high - width)))
    return fractions


def _panel_grid(fig: Figure, n: int, columns: int = 3) -> list[Any]:
    cols = min(columns, n)
    rows = math.ceil(n / cols)
    axes = fig.subplots(rows, cols, squeeze=False).ravel()
    for ax in axes[n:]:
        ax.set_visible(False)
    return list(axes[:n])


def _annotate(ax: Any, lines: list[str], warn: bool) -> None:
    if lines:
        ax.text(0.97, 0.95, "\n".join(lines), transform=ax.transAxes, ha="right", va="top", fontsize="small",
                bbox={"boxstyle": "round,pad=0.3", "facecolor": OKABE_ITO["orange"] if warn else "white",
                      "alpha": 0.35 if warn else 0.8, "edgecolor": "0.6"})


def activation_histograms(
    activations: Mapping[str, Any],
    *,
    activation: str | Mapping[str, str] = "relu",
    per_unit_mean: bool = True,
    dead: Mapping[str, float] | None = None,
    saturated: Mapping[str, float] | None = None,
    bins: int = 30,
    edge: float = 0.05,
    title: str = "Hidden-unit activations",
) -> Figure:
    """One histogram per layer of ``activations[layer]`` (shape (examples, units)).

    ``activation`` names the layer's nonlinearity (one name or layer → name) and
    fixes the dynamic range used for the dead/saturated fractions.
    """
    if not activations:
        raise ConfigError("activations is empty; give layer name → (examples, units) array")
    n = len(activations)
    fig = new_figure(min(3, n) * 3.4, math.ceil(n / 3) * 2.9 + 0.4)
    for i, (ax, (layer, values)) in enumerate(zip(_panel_grid(fig, n), activations.items())):
        kind = activation[layer] if isinstance(activation, Mapping) else activation
        a = _as_matrix(values, layer)
        fractions = unit_fractions(a, kind, edge=edge)
        if dead is not None and layer in dead:
            fractions["dead"] = float(dead[layer])
        if saturated is not None and layer in saturated:
            fractions["saturated"] = float(saturated[layer])
        data = a.mean(axis=0) if per_unit_mean else a.ravel()
        ax.hist(data, bins=bins, color=PALETTE[i % len(PALETTE)], alpha=0.85, edgecolor="white", linewidth=0.4)
        low, high = ACTIVATION_RANGES[kind]
        for end in (low, high):
            if end is not None:
                ax.axvline(end, color="0.4", linestyle=":", linewidth=1.0)
        lines = [f"{name} {value:.0%}" for name, value in fractions.items()]
        _annotate(ax, lines, warn=any(v > 0.1 for v in fractions.values()))
        finish(ax, title=f"{layer} ({kind}, {a.shape[1]} units)",
               xlabel="mean activation per unit" if per_unit_mean else "activation",
               ylabel="units" if per_unit_mean else "count")
    fig.suptitle(title)
    return fig


def weight_histograms(
    weights: Mapping[str, Any],
    *,
    bins: int = 40,
    title: str = "Weights by layer",
) -> Figure:
    """One histogram per weight array, annotated with its mean and standard deviation."""
    if not weights:
        raise ConfigError("weights is empty; give name → array")
    n = len(weights)
    fig = new_figure(min(3, n) * 3.4, math.ceil(n / 3) * 2.9 + 0.4)
    for i, (ax, (name, values)) in enumerate(zip(_panel_grid(fig, n), weights.items())):
        w = numpy.asarray(values, dtype=float).ravel()
        if w.size == 0:
            raise ShapeError(f"weights {name!r} is empty")
        ax.hist(w, bins=bins, color=PALETTE[i % len(PALETTE)], alpha=0.85, edgecolor="white", linewidth=0.4)
        _annotate(ax, [f"mean {w.mean():.3g}", f"std {w.std():.3g}", f"{w.size} values"], warn=False)
        finish(ax, title=str(name), xlabel="weight value", ylabel="count")
    fig.suptitle(title)
    return fig
