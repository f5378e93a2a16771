"""Derivative-inspired optimisers of lecture 001: Rprop and QuickProp.

Both treat every coordinate on its own ("steps in different directions are
not coupled") and use the derivative for its trend, not its size.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as _np

from ravine.errors import ConfigError
from ravine.optim.base import (
    GradientTransformation,
    check_positive,
    learning_rate,
    vector_transformation,
)
from ravine.optim.schedules import Schedule, as_schedule

__all__ = ["QuickpropState", "RpropState", "quickprop", "rprop", "rprop_simple"]


class RpropState(NamedTuple):
    count: int
    lr: float              # mean per-coordinate step size Δ (what the History reports)
    delta: _np.ndarray     # Δw magnitudes
    prev_sign: _np.ndarray  # sign(prevD)
    step: _np.ndarray      # the signed forward step −sign(prevD)·Δw taken last


def _check_rprop(owner, delta0, alpha, beta, delta_min, delta_max):
    delta0 = check_positive(owner, "delta0", delta0)
    alpha = check_positive(owner, "alpha", alpha)
    beta = check_positive(owner, "beta", beta)
    delta_min = check_positive(owner, "delta_min", delta_min)
    delta_max = check_positive(owner, "delta_max", delta_max)
    if alpha <= 1:
        raise ConfigError(f"{owner}: alpha (the growth factor) must be > 1; received {alpha!r}.")
    if beta >= 1:
        raise ConfigError(f"{owner}: beta (the shrink factor) must be < 1; received {beta!r}.")
    if not delta_min <= delta0 <= delta_max:
        raise ConfigError(f"{owner}: need delta_min ≤ delta0 ≤ delta_max; received {delta_min!r}, {delta0!r}, "
                          f"{delta_max!r}.")
    return delta0, alpha, beta, delta_min, delta_max


def _rprop(owner: str, backtrack: bool, delta0, alpha, beta, delta_min, delta_max) -> GradientTransformation:
    delta0, alpha, beta, delta_min, delta_max = _check_rprop(owner, delta0, alpha, beta, delta_min, delta_max)

    def init(x: _np.ndarray) -> RpropState:
        z = _np.zeros_like(x)
        return RpropState(0, delta0, _np.full_like(x, delta0), z, z)

    def update(D: _np.ndarray, state: RpropState, x: Any = None, **extra: Any):
        s = _np.sign(D)
        if state.count == 0:
            step = -s * state.delta
            return step, RpropState(1, float(state.delta.mean()), state.delta, s, step)
        trend = state.prev_sign * s
        same, changed = trend > 0, trend < 0
        delta = _np.where(same, _np.minimum(alpha * state.delta, delta_max),
                          _np.where(changed, _np.maximum(beta * state.delta, delta_min), state.delta))
        if backtrack:
            # changed: return to the previous location (undo the last step), keep prevD and its
            # direction, and take the smaller step forward from there
            direction = _np.where(changed, state.prev_sign, s)
            step = -direction * delta
            undo = _np.where(changed, -state.step, 0.0)
            prev_sign = _np.where(changed | (s == 0), state.prev_sign, s)
            update_ = undo + step
        else:
            # changed: shrink the step and reverse direction (follow the new sign)
            step = -s * delta
            prev_sign = _np.where(s == 0, state.prev_sign, s)
            update_ = step
        return update_, RpropState(state.count + 1, float(delta.mean()), delta, prev_sign, step)

    return vector_transformation(init, update, name=owner)


def rprop(delta0: float = 0.1, alpha: float = 1.2, beta: float = 0.5, delta_min: float = 1e-6,
          delta_max: float = 50.0) -> GradientTransformation:
    """Rprop as lecture 001 writes it (α = 1.2, β = 0.5, floor and ceiling),
    the variant that returns to the previous location on a sign change.  Per coordinate::

        w ← w − Δw;  D = dLoss/dw
        if sign(prevD) == sign(D):  Δw ← min(αΔw, Δmax);  prevD ← D
        else:                       w ← w + Δw  (back);  Δw ← max(βΔw, Δmin)

    and the loop goes on with the smaller step from the previous location, in
    the previous direction (Δw carries sign(prevD)).  Each ``update`` returns
    the net move: the undo (when the sign changed) plus the next step.  Where D
    is exactly 0, Δ is kept and that coordinate waits.
    """
    return _rprop("rprop", True, delta0, alpha, beta, delta_min, delta_max)


def rprop_simple(delta0: float = 0.1, alpha: float = 1.2, beta: float = 0.5, delta_min: float = 1e-6,
                 delta_max: float = 50.0) -> GradientTransformation:
    """The simplified Rprop of lecture 001's first description: if the derivative
    kept its sign, increase the step and continue (Δ ← min(αΔ, Δmax)); if it
    changed, reduce the step and reverse direction (Δ ← max(βΔ, Δmin)), with no
    return to the previous location: w ← w − sign(D)·Δ."""
    return _rprop("rprop_simple", False, delta0, alpha, beta, delta_min, delta_max)


class QuickpropState(NamedTuple):
    count: int
    lr: float
    prev_grad: _np.ndarray  # E'(w⁽ᵏ⁻¹⁾)
    prev_step: _np.ndarray  # Δw⁽ᵏ⁻¹⁾ = w⁽ᵏ⁾ − w⁽ᵏ⁻¹⁾


def quickprop(lr: float | Schedule = 0.1, mu: float = 1.75, min_curvature: float = 1e-12) -> GradientTransformation:
    """QuickProp (lecture 001): a Newton step per coordinate with the second
    derivative replaced by the finite difference of the last two derivatives::

        w⁽ᵏ⁺¹⁾ = w⁽ᵏ⁾ − ( (E'(w⁽ᵏ⁾) − E'(w⁽ᵏ⁻¹⁾)) / Δw⁽ᵏ⁻¹⁾ )⁻¹ E'(w⁽ᵏ⁾),   Δw⁽ᵏ⁻¹⁾ = w⁽ᵏ⁾ − w⁽ᵏ⁻¹⁾

    exact in one step on a quadratic.  Safeguards (Fahlman's): where there is
    no previous step (the first update, or a coordinate that did not move) take
    a gradient step −ε E' (ε = ``lr``); never let a step grow beyond μ times the
    previous one (maximum growth factor μ = 1.75); where the difference of
    derivatives vanishes or the secant curvature is ≤ ``min_curvature`` (the
    quadratic model has no minimum there), take the capped step μ|Δw⁽ᵏ⁻¹⁾|
    downhill instead of dividing.
    """
    schedule = as_schedule(lr, owner="quickprop")
    mu = check_positive("quickprop", "mu", mu)
    if mu <= 1:
        raise ConfigError(f"quickprop: mu (the maximum growth factor) must be > 1; received {mu!r}.")
    min_curvature = check_positive("quickprop", "min_curvature", min_curvature)

    def init(x: _np.ndarray) -> QuickpropState:
        z = _np.zeros_like(x)
        return QuickpropState(0, schedule(0), z, z)

    def update(g: _np.ndarray, state: QuickpropState, x: Any = None, **extra: Any):
        eps = learning_rate(schedule, state.count, extra)
        prev = state.prev_step
        moved = prev != 0
        safe_prev = _np.where(moved, prev, 1.0)
        curvature = (g - state.prev_grad) / safe_prev
        convex = moved & (curvature > min_curvature)
        secant = -g / _np.where(convex, curvature, 1.0)
        cap = mu * _np.abs(prev)
        capped = -_np.sign(g) * cap
        step = _np.where(convex & (_np.abs(secant) <= cap), secant, capped)
        step = _np.where(moved, step, -eps * g)
        # a copy: g may be the caller's buffer, refilled in place before the next update
        return step, QuickpropState(state.count + 1, eps, g.copy(), step)

    return vector_transformation(init, update, name="quickprop")
