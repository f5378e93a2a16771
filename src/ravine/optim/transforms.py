"""Tricks that combine with any optimiser: clipping, weight decay, iterate
averaging, reduce-on-plateau.

Clipping and weight decay act on the gradient before the optimiser; averaging
watches the iterates after it (put it last in a :func:`~ravine.optim.base.chain`);
reduce-on-plateau wraps an optimiser and scales its learning rate.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as _np

from ravine.errors import ConfigError
from ravine.optim.base import (
    EmptyState,
    GradientTransformation,
    check_fraction,
    check_int,
    check_nonnegative,
    check_positive,
    find_states,
    vector_transformation,
)
from ravine.optim.guards import check_state

__all__ = [
    "AverageState",
    "PlateauState",
    "add_weight_decay",
    "averaged_params",
    "clip_by_norm",
    "clip_by_value",
    "ema_average",
    "polyak_average",
    "reduce_on_plateau",
]


def clip_by_norm(h: float) -> GradientTransformation:
    """Gradient clipping of lecture 002: if ‖∇θ‖ > h: ∇θ ← h/‖∇θ‖ · ∇θ (global 2-norm)."""
    h = check_positive("clip_by_norm", "h", h)

    def update(g: _np.ndarray, state: EmptyState, x: Any = None, **extra: Any):
        norm = float(_np.sqrt(g @ g))
        return (g * (h / norm) if norm > h else g), state

    return vector_transformation(lambda x: EmptyState(), update, name="clip_by_norm")


def clip_by_value(c: float) -> GradientTransformation:
    """Clip each coordinate: g_j ← min(max(g_j, −c), c)."""
    c = check_positive("clip_by_value", "c", c)

    def update(g: _np.ndarray, state: EmptyState, x: Any = None, **extra: Any):
        return _np.clip(g, -c, c), state

    return vector_transformation(lambda x: EmptyState(), update, name="clip_by_value")


def add_weight_decay(lam: float) -> GradientTransformation:
    """L2 weight decay, the gradient of λ/2·‖θ‖²: g ← g + λθ (put it before the optimiser;
    for Adam's decoupled form use :func:`ravine.optim.adamw`)."""
    lam = check_nonnegative("add_weight_decay", "lam", lam)

    def update(g: _np.ndarray, state: EmptyState, x: Any = None, **extra: Any):
        return g + lam * x, state

    return vector_transformation(lambda x: EmptyState(), update, name="add_weight_decay", needs_params=True)


class AverageState(NamedTuple):
    count: int
    average: _np.ndarray  # θ̃


def _averaging(owner: str, start: int, tau: float | None) -> GradientTransformation:
    def init(x: _np.ndarray) -> AverageState:
        return AverageState(0, _np.array(x, dtype=float, copy=True))

    def update(u: _np.ndarray, state: AverageState, x: Any = None, **extra: Any):
        k = state.count + 1  # index of the iterate θ_k = x + u this update produces
        theta = x + u
        if k <= start:
            avg = theta
        elif tau is not None:
            avg = (1.0 - 1.0 / tau) * state.average + theta / tau
        else:
            avg = state.average + (theta - state.average) / (k - start + 1)
        return u, AverageState(k, avg)

    return vector_transformation(init, update, name=owner, needs_params=True)


def ema_average(tau: float, start: int = 0) -> GradientTransformation:
    """Iterate averaging of lecture 003 (eq. 11), the exponential moving average::

        θ̃ ← (1 − 1/τ) θ̃ + θ/τ

    applied to the iterates after iterate ``start`` (before it, θ̃ follows θ).
    The updates pass unchanged: averaging does not change training; evaluate
    the model at θ̃ (:func:`averaged_params`).  Put it last in a chain.
    """
    tau = check_positive("ema_average", "tau", tau)
    if tau < 1:
        raise ConfigError(f"ema_average: tau must be ≥ 1 (1/τ is a weight); received {tau!r}.")
    return _averaging("ema_average", check_int("ema_average", "start", start), tau)


def polyak_average(start: int = 0) -> GradientTransformation:
    """Polyak averaging: θ̄_k = (θ_s + … + θ_k)/(k − s + 1) with s = ``start``,
    computed as θ̄ ← θ̄ + (θ − θ̄)/n.  Put it last in a chain."""
    return _averaging("polyak_average", check_int("polyak_average", "start", start), None)


def averaged_params(state: Any) -> _np.ndarray | None:
    """The averaged iterate θ̃ (a flat vector) held in a (chained) state, or None."""
    found = find_states(state, AverageState)
    return found[0].average if found else None


class PlateauState(NamedTuple):
    scale: float  # the factor applied to the learning rate so far
    best: float
    bad_steps: int
    cooldown_left: int
    inner: Any


def reduce_on_plateau(opt: GradientTransformation, factor: float = 0.1, patience: int = 10,
                      threshold: float = 1e-4, cooldown: int = 0, min_scale: float = 1e-6,
                      monitor: str = "value") -> GradientTransformation:
    """Lecture 001's recipe: train with a fixed η until the loss (or a held-out
    loss) stagnates, then η ← αη (α = ``factor``), and continue from where we
    left off.

    "Stagnates": the monitored value has not dropped below best − threshold·|best|
    for more than ``patience`` updates.  After a reduction the next ``cooldown``
    updates do not count towards ``patience`` (PyTorch's ReduceLROnPlateau), so
    reductions are at least cooldown + patience + 1 updates apart.  ``update`` needs ``value=`` (the loss at
    params; the driver passes it) or, with ``monitor="val_value"``, the held-out
    loss.  The wrapped optimiser receives ``lr_scale`` = the product of the
    reductions so far (at least ``min_scale``).
    """
    factor = check_fraction("reduce_on_plateau", "factor", factor, low_open=True)
    patience = check_int("reduce_on_plateau", "patience", patience)
    threshold = check_nonnegative("reduce_on_plateau", "threshold", threshold)
    cooldown = check_int("reduce_on_plateau", "cooldown", cooldown)
    min_scale = check_positive("reduce_on_plateau", "min_scale", min_scale)
    if monitor not in ("value", "val_value"):
        raise ConfigError(f"reduce_on_plateau: monitor must be 'value' or 'val_value'; received {monitor!r}.")

    def init(params: Any) -> PlateauState:
        return PlateauState(1.0, float("inf"), 0, 0, opt.init(params))

    def update(grads: Any, state: PlateauState, params: Any = None, **extra: Any):
        check_state("reduce_on_plateau", state, PlateauState, 0)
        if extra.get(monitor) is None:
            raise ConfigError(f"reduce_on_plateau needs {monitor}=<the loss at params> in update(...).")
        value = float(extra[monitor])
        scale, best, bad, cool = state.scale, state.best, state.bad_steps, state.cooldown_left
        if value < best - threshold * abs(best) or best == float("inf"):
            best, bad = value, 0
        else:
            bad += 1
        if cool > 0:  # one of the `cooldown` updates after a reduction: not counted
            cool, bad = cool - 1, 0
        if bad > patience:
            scale, bad, cool = max(scale * factor, min_scale), 0, cooldown
        extra["lr_scale"] = scale * float(extra.get("lr_scale", 1.0))
        updates, inner = opt.update(grads, state.inner, params, **extra)
        return updates, PlateauState(scale, best, bad, cool, inner)

    return GradientTransformation(init, update)
