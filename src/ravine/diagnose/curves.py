"""Statistics of training curves: what a History's loss and gradient-norm
series say about the run.

Lecture 003 reads the training curve: a slow, *linear* decrease means α is too
small; a cost that increases means instability; a curve that jitters means
oscillations (systematic, batch) or fluctuations (stochastic gradients).
Lecture 002 adds the ill-conditioning signal: the gradient norm grows while the
cost stays roughly constant.  Each function here turns one of those readings
into a number; :mod:`ravine.diagnose.doctor` decides with thresholds.

A History is read as plain data: an object with attributes, or a dict, holding
per-step arrays ``step, loss, grad_norm, step_norm, lr`` (``avg_loss``,
``val_loss``, ``params`` optional) and a ``meta`` dict.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as _np

from ravine.errors import ShapeError

__all__ = [
    "Curves",
    "first_nonfinite",
    "gradient_growth_at_flat_loss",
    "increase_fraction",
    "lost_progress",
    "plateaux",
    "rate_ratio",
    "read_history",
    "relative_decrease",
    "roughness",
    "step_cosines",
    "zigzag_fraction",
]


@dataclass(frozen=True)
class Curves:
    """The per-step arrays of a History (numpy, float), and its meta dict."""

    loss: _np.ndarray
    grad_norm: _np.ndarray | None = None
    step_norm: _np.ndarray | None = None
    lr: _np.ndarray | None = None
    avg_loss: _np.ndarray | None = None
    val_loss: _np.ndarray | None = None
    params: _np.ndarray | None = None
    meta: dict = field(default_factory=dict)

    @property
    def n_steps(self) -> int:
        return int(self.loss.size)


def _get(history: Any, key: str) -> Any:
    if isinstance(history, dict):
        return history.get(key)
    return getattr(history, key, None)


def _per_step(values: Any, key: str) -> _np.ndarray:
    """One number per step: a 1-D float array (a (steps, 1) column is accepted)."""
    try:
        array = _np.asarray(values, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ShapeError(f"history field {key!r} must hold one number per step; {exc}.") from exc
    if sum(d > 1 for d in array.shape) > 1:
        raise ShapeError(f"history field {key!r} must hold one number per step; received shape {array.shape} "
                         "(per-example values? record their mean per step).")
    return array.ravel()


def read_history(history: Any) -> Curves:
    """Read an optim History (object or dict, e.g. ``History.to_dict()``) as :class:`Curves`."""
    loss = _get(history, "loss")
    if loss is None:
        raise ShapeError(f"a history needs a per-step 'loss' array; received {type(history).__name__} without one.")
    loss = _per_step(loss, "loss")
    if loss.size == 0:
        raise ShapeError("the history is empty (no steps recorded); run the optimiser for some steps first.")
    arrays = {}
    for key in ("grad_norm", "step_norm", "lr", "avg_loss", "val_loss"):
        value = _get(history, key)
        if value is None:
            arrays[key] = None
            continue
        value = _per_step(value, key)
        if value.size == 0 or _np.all(_np.isnan(value)):
            arrays[key] = None
        elif value.size != loss.size:
            raise ShapeError(f"history field {key!r} has {value.size} entries but 'loss' has {loss.size}.")
        else:
            arrays[key] = value
    params = _get(history, "params")
    if params is not None:
        params = _np.asarray(params, dtype=float)
        params = params.reshape(params.shape[0], -1) if params.size else None
    meta = _get(history, "meta") or {}
    return Curves(loss, params=params, meta=dict(meta), **arrays)


def first_nonfinite(values: Any) -> int | None:
    """Index of the first NaN or ±Inf, or None."""
    bad = _np.flatnonzero(~_np.isfinite(_np.asarray(values, dtype=float)))
    return int(bad[0]) if bad.size else None


def relative_decrease(loss: _np.ndarray) -> float:
    """(E₀ − E_end) / |E₀|: the fraction of the initial cost removed."""
    return float((loss[0] - loss[-1]) / max(abs(loss[0]), 1e-300))


def rate_ratio(loss: _np.ndarray) -> float:
    """Decrease over the second half divided by decrease over the first half.
    ≈ 1 for a linear curve (slow progress: still heading down at the same
    rate), ≪ 1 for a converging one (fast early, flat late); nan when the first
    half did not decrease."""
    n = loss.size
    if n < 4:
        return _np.nan
    mid = n // 2
    first, second = loss[0] - loss[mid], loss[mid] - loss[-1]
    return float(second / first) if first > 0 else _np.nan


def increase_fraction(loss: _np.ndarray) -> float:
    """The fraction of steps on which the cost went up."""
    d = _np.diff(loss)
    return float(_np.mean(d > 0)) if d.size else 0.0


def lost_progress(loss: _np.ndarray) -> float:
    """max_k (E_k − min_{j≤k} E_j) / (E₀ − min E): the largest climb of the cost
    above its best value so far, as a fraction of the progress the run made (the
    denominator is floored at 1e-3·|E₀|, so a run that only climbs scores high).
    0 for a monotone curve, > 1 when the cost rose above where it started."""
    finite = loss[_np.isfinite(loss)]
    if finite.size < 2:
        return 0.0
    climb = float(_np.max(finite - _np.minimum.accumulate(finite)))
    progress = max(float(finite[0] - finite.min()), 1e-3 * abs(float(finite[0])), 1e-300)
    return climb / progress


def zigzag_fraction(values: _np.ndarray) -> float:
    """The fraction of consecutive differences that change sign (over the whole
    series): about 0.5 for noise, near 1 for a period-two oscillation, near 0
    for a monotone curve."""
    d = _np.diff(values)
    d = d[d != 0]
    if d.size < 3:
        return 0.0
    return float(_np.mean(_np.sign(d[1:]) != _np.sign(d[:-1])))


def roughness(values: _np.ndarray, window: int = 9) -> float:
    """Standard deviation of the curve around its centred moving average, over
    the last half of the run, relative to the mean level there: the size of the
    jitter as a fraction of the cost (0 for a smooth curve)."""
    tail = values[values.size // 2:]
    if tail.size < window + 2:
        return 0.0
    kernel = _np.ones(window) / window
    smooth = _np.convolve(tail, kernel, mode="valid")
    resid = tail[window // 2: window // 2 + smooth.size] - smooth
    return float(_np.std(resid) / max(abs(float(_np.mean(tail))), 1e-300))


def step_cosines(params: _np.ndarray) -> _np.ndarray:
    """cos∠(Δθ_k, Δθ_{k+1}) for a (steps, dim) parameter trajectory: near −1 when
    the iterates zig-zag across a ravine (oscillation in weight space)."""
    steps = _np.diff(_np.asarray(params, dtype=float), axis=0)
    if steps.shape[0] < 2:
        return _np.zeros(0)
    a, b = steps[:-1], steps[1:]
    norms = _np.linalg.norm(a, axis=1) * _np.linalg.norm(b, axis=1)
    ok = norms > 0
    return _np.sum(a[ok] * b[ok], axis=1) / norms[ok]


def plateaux(loss: _np.ndarray, min_length: int = 10, flat_tol: float = 2e-3, drop: float = 0.1) -> list[tuple[int, int, float]]:
    """Stretches where the cost is flat and *then* drops: each (start, end, drop)
    with at least ``min_length`` steps whose per-step change is below
    ``flat_tol`` × the cost's range, followed by a fall of at least ``drop`` ×
    range.  A plateau is only recognisable once training escapes it."""
    finite = loss[_np.isfinite(loss)]
    if finite.size < 2 * min_length:
        return []
    span = float(_np.ptp(finite))
    if span <= 0:
        return []
    flat = _np.abs(_np.diff(finite)) < flat_tol * span
    found = []
    k = 0
    while k < flat.size:
        if not flat[k]:
            k += 1
            continue
        start = k
        while k < flat.size and flat[k]:
            k += 1
        end = k  # loss[start..end] is flat
        if end - start >= min_length:
            fall = float(finite[end] - finite[end:].min())
            if fall >= drop * span:
                found.append((start, end, fall / span))
    return found


def gradient_growth_at_flat_loss(loss: _np.ndarray, grad_norm: _np.ndarray) -> tuple[float, float]:
    """Lecture 002's ill-conditioning signal over the second half of the run:
    (growth of the gradient norm, last quarter median / second quarter median;
    relative change of the cost over the same span).  Growth ≫ 1 with a change
    near 0 means ½α²gᵀHg is eating the α gᵀg the step should gain."""
    n = loss.size
    if n < 8 or grad_norm is None:
        return 1.0, 0.0
    q = n // 4
    early, late = grad_norm[q: 2 * q], grad_norm[3 * q:]
    growth = float(_np.median(late) / max(float(_np.median(early)), 1e-300))
    change = float(abs(_np.median(loss[3 * q:]) - _np.median(loss[q: 2 * q])) / max(abs(float(_np.median(loss[q: 2 * q]))), 1e-300))
    return growth, change
