"""Training curves: loss against step on a log scale, several runs, findings marked.

Runs are histories read as plain data — any object with numpy array attributes
(or a mapping with keys) ``step``, ``loss``, ``grad_norm`` and optionally
``val_loss`` — so ravine.optim's History, a dict loaded from JSON, or a
hand-made record all work.  A run whose loss becomes NaN or infinite is drawn up
to its last finite value, where an ``×`` marks the divergence.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy
from matplotlib.figure import Figure

from ravine.errors import ConfigError, ShapeError
from ravine.plot.inputs import history_field, labelled
from ravine.plot.style import finish, legend_below, new_figure, series_style

__all__ = ["training_curves"]

Findings = Sequence[tuple[float, str]]


def _aligned(history: Any, name: str, key: str, steps: numpy.ndarray, required: bool) -> numpy.ndarray | None:
    values = history_field(history, key, required=required)
    if values is None:
        return None
    if values.shape != steps.shape:
        raise ShapeError(f"run {name!r}: {key!r} has shape {values.shape} but 'step' has shape {steps.shape}")
    return values


def _draw_run(ax: Any, steps: numpy.ndarray, values: numpy.ndarray, style: dict, label: str | None, **kwargs: Any) -> None:
    finite = numpy.isfinite(values)
    end = values.size if finite.all() else int(numpy.argmin(finite))
    ax.plot(steps[:end], values[:end], color=style["color"], linestyle=kwargs.pop("linestyle", style["linestyle"]),
            linewidth=1.6, label=label, **kwargs)
    if end < values.size and end > 0:
        ax.plot(steps[end - 1], values[end - 1], marker="X", markersize=10, color=style["color"],
                markeredgecolor="black", linestyle="none")


def _use_log(values: list[numpy.ndarray], log_y: bool | str, what: str) -> bool:
    finite = numpy.concatenate([v[numpy.isfinite(v)] for v in values]) if values else numpy.array([])
    positive = bool(finite.size) and bool(numpy.all(finite > 0))
    if log_y == "auto":
        return positive
    if log_y and not positive:
        raise ConfigError(
            f"a log scale needs positive {what} values, but some are ≤ 0; pass log_y=False "
            "(or plot loss − loss* for a loss that can be negative)"
        )
    return bool(log_y)


def _mark_findings(axes: Sequence[Any], findings: Findings) -> None:
    for k, (step, label) in enumerate(findings):
        for ax in axes:
            ax.axvline(step, color="0.25", linestyle=":", linewidth=1.1)
        axes[0].annotate(
            str(label), xy=(step, 1.0), xycoords=("data", "axes fraction"), xytext=(3, -12 - 11 * (k % 3)),
            textcoords="offset points", fontsize="small", color="0.15",
            bbox={"boxstyle": "round,pad=0.2", "facecolor": "white", "edgecolor": "none", "alpha": 0.8},
        )


def training_curves(
    runs: Mapping[str, Any] | Sequence[Any],
    *,
    findings: Findings = (),
    grad_norm: bool = True,
    log_y: bool | str = "auto",
    title: str = "Training curves",
    xlabel: str = "step",
    ylabel: str = "loss",
    size: tuple[float, float] | None = None,
) -> Figure:
    """Loss per step for each run (validation loss dashed, where recorded).

    ``findings`` are ``(step, label)`` pairs — the doctor's findings — drawn as
    labelled vertical lines.  With ``grad_norm=True`` a second panel shows ‖∇L‖ per
    step on a log scale.  ``log_y="auto"`` uses a log loss axis when every finite
    loss is positive.
    """
    named = labelled(runs, "runs")
    if not named:
        raise ConfigError("runs is empty; give at least one run history")
    for item in findings:
        if len(item) != 2:
            raise ConfigError(f"each finding must be a (step, label) pair; got {item!r}")
    fig = new_figure(*(size or (7.2, 6.4 if grad_norm else 4.4)))
    if grad_norm:
        loss_ax, grad_ax = fig.subplots(2, 1, sharex=True, height_ratios=(3, 2))
    else:
        loss_ax, grad_ax = fig.add_subplot(), None
    losses, norms = [], []
    for i, (name, history) in enumerate(named.items()):
        steps = history_field(history, "step", required=False)
        loss = history_field(history, "loss")
        if steps is None:
            steps = numpy.arange(loss.size, dtype=float)
        loss = _aligned(history, name, "loss", steps, True)
        style = series_style(i)
        _draw_run(loss_ax, steps, loss, style, name)
        losses.append(loss)
        val = _aligned(history, name, "val_loss", steps, False)
        if val is not None:
            _draw_run(loss_ax, steps, val, style, f"{name} (validation)", linestyle="--", alpha=0.8)
            losses.append(val)
        if grad_ax is not None:
            norm = _aligned(history, name, "grad_norm", steps, True)
            _draw_run(grad_ax, steps, norm, style, None)
            norms.append(norm)
    if _use_log(losses, log_y, "loss"):
        loss_ax.set_yscale("log")
    axes = [loss_ax]
    if grad_ax is not None:
        if _use_log(norms, "auto", "gradient norm"):
            grad_ax.set_yscale("log")
        finish(loss_ax, title=title, xlabel=xlabel, ylabel=ylabel)
        loss_ax.xaxis.label.set_visible(False)  # shared with the panel below, which shows it
        loss_ax.tick_params(labelbottom=False)
        finish(grad_ax, title="Gradient norm", xlabel=xlabel, ylabel="‖∇L‖")
        axes.append(grad_ax)
    else:
        finish(loss_ax, title=title, xlabel=xlabel, ylabel=ylabel)
    _mark_findings(axes, findings)
    legend_below(fig, loss_ax)
    return fig
