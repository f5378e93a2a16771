"""Line searches along a descent direction p from x: φ(t) = J(x + t p).

* :func:`backtracking` — Armijo: the first t = t0·ρ^i with
  φ(t) ≤ φ(0) + c1·t·φ'(0).
* :func:`strong_wolfe` — a step satisfying the strong Wolfe conditions
  φ(t) ≤ φ(0) + c1·t·φ'(0) and |φ'(t)| ≤ c2·|φ'(0)| (0 < c1 < c2 < 1), by
  bracketing and zooming with cubic interpolation (Nocedal & Wright,
  Numerical Optimization, algorithms 3.5 and 3.6).  BFGS and L-BFGS use it:
  the curvature condition guarantees yᵀs > 0, so their updates stay positive
  definite.
"""

from __future__ import annotations

import math
from typing import Callable, NamedTuple

import numpy as _np

__all__ = ["LineSearchResult", "backtracking", "strong_wolfe"]


class LineSearchResult(NamedTuple):
    t: float                 # the step length (0 when the search failed)
    f: float                 # φ(t)
    g: _np.ndarray | None    # ∇J(x + t p) when the search computed it
    evals: int               # evaluations spent
    success: bool


def backtracking(f: Callable, x: _np.ndarray, f0: float, g0: _np.ndarray, p: _np.ndarray, t0: float = 1.0,
                 c1: float = 1e-4, rho: float = 0.5, max_iter: int = 60) -> LineSearchResult:
    """Armijo backtracking: shrink t by ρ until the sufficient-decrease condition holds."""
    slope = float(g0 @ p)
    t = t0
    for i in range(max_iter):
        ft = float(f(x + t * p))
        if math.isfinite(ft) and ft <= f0 + c1 * t * slope:
            return LineSearchResult(t, ft, None, i + 1, True)
        t *= rho
    return LineSearchResult(0.0, f0, None, max_iter, False)


def _cubic_min(a: float, fa: float, da: float, b: float, fb: float, db: float) -> float | None:
    """The minimiser of the cubic through (a, fa, da), (b, fb, db), or None."""
    d1 = da + db - 3.0 * (fa - fb) / (a - b)
    disc = d1 * d1 - da * db
    if disc < 0 or not math.isfinite(disc):
        return None
    d2 = math.copysign(math.sqrt(disc), b - a)
    denom = db - da + 2.0 * d2
    if denom == 0:
        return None
    t = b - (b - a) * (db + d2 - d1) / denom
    return t if math.isfinite(t) else None


def strong_wolfe(value_and_grad: Callable, x: _np.ndarray, f0: float, g0: _np.ndarray, p: _np.ndarray,
                 t0: float = 1.0, c1: float = 1e-4, c2: float = 0.9, t_max: float = 1e10,
                 max_iter: int = 30) -> LineSearchResult:
    """A step t satisfying the strong Wolfe conditions (see the module docstring)."""
    d0 = float(g0 @ p)
    if not d0 < 0:
        return LineSearchResult(0.0, f0, g0, 0, False)
    evals = 0

    def phi(t: float):
        nonlocal evals
        evals += 1
        ft, gt = value_and_grad(x + t * p)
        gt = _np.asarray(gt, dtype=float)
        return float(ft), gt, float(gt @ p)

    def zoom(lo, f_lo, d_lo, g_lo, hi, f_hi, d_hi):
        for _ in range(max_iter):
            width = hi - lo
            t = _cubic_min(lo, f_lo, d_lo, hi, f_hi, d_hi)
            low, high = min(lo, hi), max(lo, hi)
            if t is None or not (low + 0.1 * abs(width) <= t <= high - 0.1 * abs(width)):
                t = lo + 0.5 * width
            ft, gt, dt = phi(t)
            if ft > f0 + c1 * t * d0 or ft >= f_lo or not math.isfinite(ft):
                hi, f_hi, d_hi = t, ft, dt
            else:
                if abs(dt) <= -c2 * d0:
                    return LineSearchResult(t, ft, gt, evals, True)
                if dt * (hi - lo) >= 0:
                    hi, f_hi, d_hi = lo, f_lo, d_lo
                lo, f_lo, d_lo, g_lo = t, ft, dt, gt
            if abs(hi - lo) < 1e-16 * max(1.0, abs(lo)):
                break
        # no Wolfe point found: fall back on the best Armijo point, if any
        if lo > 0:
            return LineSearchResult(lo, f_lo, g_lo, evals, True)
        return LineSearchResult(0.0, f0, g0, evals, False)

    t_prev, f_prev, d_prev, g_prev = 0.0, f0, d0, g0
    t = t0
    for i in range(max_iter):
        ft, gt, dt = phi(t)
        if not math.isfinite(ft) or ft > f0 + c1 * t * d0 or (i > 0 and ft >= f_prev):
            return zoom(t_prev, f_prev, d_prev, g_prev, t, ft if math.isfinite(ft) else float("inf"), dt)
        if abs(dt) <= -c2 * d0:
            return LineSearchResult(t, ft, gt, evals, True)
        if dt >= 0:
            return zoom(t, ft, dt, gt, t_prev, f_prev, d_prev)
        t_prev, f_prev, d_prev, g_prev = t, ft, dt, gt
        t = min(2.0 * t, t_max)
    return LineSearchResult(t_prev, f_prev, g_prev, evals, t_prev > 0)
