"""Dead, saturated and symmetric hidden units, from activations and weights.

Lecture 003, §4.7: a *saturated* unit has activations nearly always near the
ends of its dynamic range; there φ'(z) ≈ 0, so z̄ᵢ = h̄ᵢ φ'(zᵢ) ≈ 0 and the
weights feeding it get no gradient (w̄ᵢⱼ = z̄ᵢ xⱼ ≈ 0): a plateau.  A *dead*
unit is the special case of activations always (close to) zero; a ReLU whose
input zᵢ is always negative is dead with exactly zero derivatives.  The
diagnostic is "a histogram of the average activations": make sure they are not
concentrated at the endpoints.

§4.3: hidden units with identical incoming (and outgoing) weights get identical
derivatives and stay identical for ever (zero initialisation is the extreme
case); the diagnostic is to look at W.

Conventions: ``activations`` is an (examples, units) array for one layer;
``weights`` is an (inputs, units) matrix, a unit's incoming weights being a
column (the ``x @ W`` convention; pass ``W.T`` for ``W @ x`` layers).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as _np

from ravine.errors import ConfigError, ShapeError

__all__ = ["DYNAMIC_RANGES", "UnitStatistics", "unit_statistics", "identical_units"]

#: The dynamic range of each activation function (ReLU is unbounded above).
DYNAMIC_RANGES = {"relu": (0.0, _np.inf), "logistic": (0.0, 1.0), "sigmoid": (0.0, 1.0), "tanh": (-1.0, 1.0)}


@dataclass(frozen=True)
class UnitStatistics:
    """Per-unit activity of one layer.

    ``mean``: average activation of each unit; ``at_end``: fraction of examples
    within ``margin`` of an end of the dynamic range (for ReLU: exactly the lower
    end, |h| ≤ zero_tol); ``dead`` / ``saturated``: indices of units that are
    there on at least ``always`` of the examples; ``histogram``: counts and bin
    edges of the average activations (the lecture's plot)."""

    kind: str
    mean: _np.ndarray = field(repr=False)
    at_end: _np.ndarray = field(repr=False)
    dead: _np.ndarray
    saturated: _np.ndarray
    histogram: tuple[_np.ndarray, _np.ndarray] = field(repr=False)

    @property
    def n_units(self) -> int:
        return int(self.mean.size)

    @property
    def dead_fraction(self) -> float:
        return self.dead.size / max(self.n_units, 1)

    @property
    def saturated_fraction(self) -> float:
        return self.saturated.size / max(self.n_units, 1)


def unit_statistics(activations: Any, kind: str = "relu", margin: float = 0.05, always: float = 0.99,
                    zero_tol: float = 1e-8, bins: int = 20) -> UnitStatistics:
    """Dead and saturated units of one layer.  A unit is *dead* when its activation
    is within ``zero_tol`` (ReLU) — or ``margin`` of the range (bounded units) —
    of zero on at least ``always`` of the examples, and *saturated* when it sits
    within ``margin`` × range of either end of a bounded range that often."""
    if kind not in DYNAMIC_RANGES:
        raise ConfigError(f"activation kind must be one of {sorted(DYNAMIC_RANGES)}; received {kind!r}.")
    if not 0 < margin < 0.5 or not 0.5 <= always <= 1:
        raise ConfigError(f"need 0 < margin < 0.5 and 0.5 ≤ always ≤ 1; received margin={margin!r}, always={always!r}.")
    h = _np.asarray(activations, dtype=float)
    if h.ndim != 2 or h.shape[0] < 1:
        raise ShapeError(f"activations must be an (examples, units) array; received shape {h.shape}.")
    low, high = DYNAMIC_RANGES[kind]
    mean = h.mean(axis=0)
    if kind == "relu":
        near_zero = _np.mean(_np.abs(h) <= zero_tol, axis=0)
        dead = _np.flatnonzero(near_zero >= always)
        saturated = _np.zeros(0, dtype=int)
        at_end = near_zero
        edges = _np.linspace(0.0, max(float(mean.max()), 1e-12), bins + 1)
    else:
        width = high - low
        near_low = _np.mean(h <= low + margin * width, axis=0)
        near_high = _np.mean(h >= high - margin * width, axis=0)
        at_end = near_low + near_high
        # "Dead" for a bounded unit: stuck at the end that means "off" (0 for logistic;
        # tanh has no off end, 0 is its centre, so its stuck units are all "saturated").
        dead = _np.flatnonzero(near_low >= always) if low == 0.0 else _np.zeros(0, dtype=int)
        saturated = _np.setdiff1d(_np.flatnonzero(at_end >= always), dead)
        edges = _np.linspace(low, high, bins + 1)
    counts, edges = _np.histogram(mean, bins=edges)
    return UnitStatistics(kind, mean, at_end, dead, saturated, (counts, edges))


def identical_units(weights: Any, bias: Any = None, tol: float = 1e-8) -> list[list[int]]:
    """Groups (size ≥ 2) of units whose incoming weight columns (and biases, if
    given) agree to within ``tol`` × max(1, max |W|): units that cannot be told
    apart, so gradient descent keeps them identical."""
    W = _np.asarray(weights, dtype=float)
    if W.ndim != 2:
        raise ShapeError(f"weights must be an (inputs, units) matrix; received shape {W.shape}.")
    cols = W.T
    if bias is not None:
        b = _np.asarray(bias, dtype=float).ravel()
        if b.size != cols.shape[0]:
            raise ShapeError(f"bias has {b.size} entries for {cols.shape[0]} units.")
        cols = _np.column_stack([cols, b])
    scale = tol * max(1.0, float(_np.max(_np.abs(cols))) if cols.size else 1.0)
    unassigned = list(range(cols.shape[0]))
    groups = []
    while unassigned:
        i = unassigned.pop(0)
        dist = _np.max(_np.abs(cols[unassigned] - cols[i]), axis=1) if unassigned else _np.zeros(0)
        same = [unassigned[k] for k in _np.flatnonzero(dist <= scale)]
        if same:
            groups.append([i] + same)
            unassigned = [u for u in unassigned if u not in set(same)]
    return groups
