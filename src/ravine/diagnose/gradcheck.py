"""Check a gradient against central finite differences, coordinate by coordinate.

Lecture 003, §4.1: "If your computed gradients are wrong, then all bets are off
… it's completely useless to do anything else until you're sure the gradients
are correct."  The check is the finite-difference method: for each coordinate i,

    ∂E/∂θᵢ ≈ (E(θ + hᵢeᵢ) − E(θ − hᵢeᵢ)) / 2hᵢ,    hᵢ = h · max(1, |θᵢ|),

whose error is O(h²·∂³E/∂θᵢ³) from truncation plus O(ε_mach·E/h) from rounding.
No single h suits every coordinate (a badly scaled input makes the third
derivative along its weights huge), so the check tries h ∈ {1e-3, 1e-5, 1e-7}
and keeps, per coordinate, the estimate closest to the analytic value: a correct
gradient matches at the step that balances the two errors, a wrong one at none.
The relative error of coordinate i is

    |aᵢ − nᵢ| / max(|aᵢ|, |nᵢ|, floor),   floor = 1e-4 · max(|E(θ)|, ‖n‖∞),

the floor keeping coordinates whose derivative is (nearly) zero from dividing
rounding noise by noise: it turns the test into an absolute one, |aᵢ − nᵢ| ≤
1e-9 · scale, a few times the rounding error ε_mach·|E|/h of the difference.  The default tolerance 1e-5 sits well above the finite-difference
error of smooth losses (≈1e-8) and far below what a real bug causes (a dropped
factor or a transposed matrix gives errors of order 1).  Kinks (ReLU at 0, max)
can exceed it; raise ``rtol`` there.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

import numpy as _np

from ravine.autodiff.tracer import getval
from ravine.differential_operators import grad as _grad
from ravine.diagnose.flat import coordinate_name, flat_loss
from ravine.errors import ConfigError, ShapeError
from ravine.misc.flatten import flatten

__all__ = ["GradientCheck", "check_gradient"]


@dataclass(frozen=True)
class GradientCheck:
    """The result of :func:`check_gradient`.  ``ok`` is False when any checked
    coordinate's relative error exceeds ``rtol``; ``worst`` lists the worst
    coordinates as (name, analytic, numerical, relative error)."""

    ok: bool
    max_rel_error: float
    rtol: float
    coordinates: _np.ndarray = field(repr=False)
    analytic: _np.ndarray = field(repr=False)
    numerical: _np.ndarray = field(repr=False)
    rel_errors: _np.ndarray = field(repr=False)
    worst: list[tuple[str, float, float, float]] = field(default_factory=list)
    n_params: int = 0

    @property
    def n_checked(self) -> int:
        return int(self.coordinates.size)

    @property
    def n_bad(self) -> int:
        return int(_np.sum(self.rel_errors > self.rtol))

    def summary(self) -> str:
        verdict = "correct" if self.ok else "WRONG"
        lines = [f"gradient {verdict}: max relative error {self.max_rel_error:.2e} (tolerance {self.rtol:g}); "
                 f"{self.n_bad} of {self.n_checked} checked coordinates (of {self.n_params}) exceed it"]
        for name, a, n, r in self.worst:
            lines.append(f"  {name}: analytic {a:.6g}, finite difference {n:.6g}, relative error {r:.2e}")
        return "\n".join(lines)


def check_gradient(loss: Callable[[Any], Any], params: Any, grad_fn: Callable[[Any], Any] | None = None,
                   rtol: float = 1e-5, steps: tuple[float, ...] = (1e-3, 1e-5, 1e-7), max_coords: int | None = 500, n_worst: int = 5,
                   rng: Any = 0) -> GradientCheck:
    """Compare ``grad_fn(params)`` (default: ravine's ``grad(loss)``) with central
    differences of ``loss`` at each relative step in ``steps``.  With more than ``max_coords`` parameters, a random
    subset of that many coordinates is checked (None checks all)."""
    if not rtol > 0:
        raise ConfigError(f"rtol must be positive; received {rtol!r}.")
    if not steps or not all(0 < h < 1 for h in steps):
        raise ConfigError(f"steps must be small positive step sizes, e.g. (1e-3, 1e-5, 1e-7); received {steps!r}.")
    if max_coords is not None and int(max_coords) < 1:
        raise ConfigError(f"max_coords must be positive or None; received {max_coords!r}.")
    flat = flat_loss(loss, params)
    theta = flat.theta
    analytic_tree = (grad_fn or _grad(loss))(params)
    analytic = _np.asarray(getval(flatten(analytic_tree)[0]), dtype=float)
    if analytic.shape != theta.shape:
        raise ShapeError(f"grad_fn returned {analytic.size} numbers for {theta.size} parameters; it must return a "
                         "gradient with the same structure as params.")
    n = theta.size
    if max_coords is None or n <= max_coords:
        coords = _np.arange(n)
    else:
        coords = _np.sort(_np.random.default_rng(rng).choice(n, size=int(max_coords), replace=False))

    def value(vec: _np.ndarray) -> float:
        out = getval(flat.fun(vec))
        if _np.size(out) != 1:
            raise ShapeError(f"loss must return a scalar; it returned shape {_np.shape(out)}.")
        return float(_np.real(out))

    # One central difference per step size; per coordinate keep the estimate closest to the
    # analytic value.  A correct gradient matches at the step that balances truncation
    # (h² times the third derivative, large where the curvature is large) against rounding
    # (ε·E/h); a wrong one matches at none.
    estimates = _np.empty((len(steps), coords.size))
    for s, h in enumerate(steps):
        for j, i in enumerate(coords):
            step = h * max(1.0, abs(theta[i]))
            plus, minus = theta.copy(), theta.copy()
            plus[i] += step
            minus[i] -= step
            estimates[s, j] = (value(plus) - value(minus)) / (2 * step)
    closest = _np.argmin(_np.abs(estimates - analytic[coords]), axis=0)
    numerical = estimates[closest, _np.arange(coords.size)]
    a = analytic[coords]
    scale = max(abs(value(theta)), float(_np.max(_np.abs(numerical))) if numerical.size else 0.0, 1e-300)
    floor = 1e-4 * scale
    rel = _np.abs(a - numerical) / _np.maximum(_np.maximum(_np.abs(a), _np.abs(numerical)), floor)
    rel = _np.where(_np.isfinite(rel), rel, _np.inf)
    order = _np.argsort(-rel)[: int(n_worst)]
    worst = [(coordinate_name(flat, int(coords[k])), float(a[k]), float(numerical[k]), float(rel[k])) for k in order]
    max_rel = float(rel.max()) if rel.size else 0.0
    return GradientCheck(bool(max_rel <= rtol), max_rel, float(rtol), coords, a, numerical, rel, worst, n)
