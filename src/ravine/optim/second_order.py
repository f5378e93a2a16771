"""Newton's method (lecture 001) with the negative-curvature handling it asks for.

The lecture's normalised update is

    w⁽ᵏ⁺¹⁾ = w⁽ᵏ⁾ − η H_E(w⁽ᵏ⁾)⁻¹ ∇_w E(w⁽ᵏ⁾)ᵀ,   η = 1 for Newton,

exact in one step on a quadratic.  Where H is not positive definite that step
heads for saddles and maxima ("requires additional checks to avoid movement in
directions corresponding to −ve eigenvalues"), so three modes:

* ``"plain"`` — the formula above (η = ``lr``), no line search;
* ``"damped"`` — diagonal loading ("diagonal load it to ensure positive
  definiteness"): H + τI with the smallest τ ≥ 0 that lifts every eigenvalue
  to at least δ = ``damping``·max(1, |λ|max), then an Armijo line search from η;
* ``"saddle_free"`` — |H| = Q|Λ|Qᵀ (eigenvalues replaced by their absolute
  values, floored at δ; Dauphin et al. 2014, cited in lecture 002): descends
  along negative curvature instead of climbing, then the line search.

Up to ``dense_limit`` parameters the Hessian is formed (``ravine.hessian``);
above it only Hessian-vector products are used (``ravine.make_hvp``): damped
and plain steps by conjugate gradients on (H + τI)p = −g, τ = ``damping``,
stopping at negative curvature (Newton-CG); saddle-free steps in a Lanczos
Krylov subspace of dimension ``krylov_dim``, p = −V|T|⁻¹Vᵀg.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as _np

from ravine.differential_operators import hessian, make_hvp
from ravine.errors import ConfigError
from ravine.optim.base import (
    GradientTransformation,
    check_int,
    check_positive,
    learning_rate,
    vector_transformation,
)
from ravine.optim.linesearch import backtracking
from ravine.optim.schedules import Schedule, as_schedule

__all__ = ["NewtonState", "conjugate_gradient", "lanczos_solve", "newton"]

MODES = ("plain", "damped", "saddle_free")


class NewtonState(NamedTuple):
    count: int
    lr: float      # the step length used (η times the line-search factor)
    evals: int     # Hessians, H·v products and line-search evaluations spent


def _dense_direction(H: _np.ndarray, g: _np.ndarray, mode: str, damping: float) -> _np.ndarray:
    H = 0.5 * (H + H.T)
    if mode == "plain":
        try:
            return -_np.linalg.solve(H, g)
        except _np.linalg.LinAlgError:
            return -_np.linalg.lstsq(H, g, rcond=None)[0]
    lam, Q = _np.linalg.eigh(H)
    delta = damping * max(1.0, float(_np.abs(lam).max()))
    if mode == "damped":
        tau = max(0.0, delta - float(lam.min()))
        scaled = lam + tau
    else:
        scaled = _np.maximum(_np.abs(lam), delta)
    return -(Q @ ((Q.T @ g) / scaled))


def conjugate_gradient(matvec: Callable, b: _np.ndarray, tol: float = 1e-10, maxiter: int | None = None
                       ) -> tuple[_np.ndarray, int]:
    """Solve A p = b by CG; stop early at negative curvature dᵀAd ≤ 0 (then return
    the iterate so far, or b itself if that happens at the first iteration)."""
    p = _np.zeros_like(b)
    r = b.copy()
    d = r.copy()
    rr = float(r @ r)
    stop = tol * _np.sqrt(rr)
    n_mv = 0
    for _ in range(maxiter or 2 * b.size):
        Ad = matvec(d)
        n_mv += 1
        curv = float(d @ Ad)
        if curv <= 0:
            return (p if n_mv > 1 else b.copy()), n_mv
        a = rr / curv
        p = p + a * d
        r = r - a * Ad
        rr_new = float(r @ r)
        if _np.sqrt(rr_new) <= stop:
            break
        d = r + (rr_new / rr) * d
        rr = rr_new
    return p, n_mv


def lanczos_solve(matvec: Callable, g: _np.ndarray, k: int, floor: float) -> tuple[_np.ndarray, int]:
    """−V|T|⁻¹Vᵀg in the Krylov subspace K_k(H, g) (full reorthogonalisation)."""
    n = g.size
    k = min(k, n)
    V = _np.zeros((k, n))
    alpha, beta = _np.zeros(k), _np.zeros(k)
    beta_g = float(_np.sqrt(g @ g))
    V[0] = g / beta_g
    m = k
    for j in range(k):
        w = matvec(V[j])
        alpha[j] = V[j] @ w
        w = w - V[: j + 1].T @ (V[: j + 1] @ w)
        if j + 1 < k:
            beta[j] = float(_np.sqrt(w @ w))
            if beta[j] < 1e-12 * beta_g:
                m = j + 1
                break
            V[j + 1] = w / beta[j]
    T = _np.diag(alpha[:m]) + _np.diag(beta[: m - 1], 1) + _np.diag(beta[: m - 1], -1)
    theta, W = _np.linalg.eigh(T)
    abs_theta = _np.maximum(_np.abs(theta), floor * max(1.0, float(_np.abs(theta).max())))
    coeff = W @ ((W[0] * beta_g) / abs_theta)
    return -(V[:m].T @ coeff), m


def newton(lr: float | Schedule = 1.0, mode: str = "damped", damping: float = 1e-8, line_search: bool | None = None,
           dense_limit: int = 500, krylov_dim: int = 30, cg_tol: float = 1e-10) -> GradientTransformation:
    """Newton's method; see the module docstring for the modes.  ``line_search``
    defaults to False for ``"plain"`` (the lecture's rule as written) and True
    otherwise.  ``update`` needs ``loss_fn``."""
    schedule = as_schedule(lr, owner="newton")
    if mode not in MODES:
        raise ConfigError(f"newton: mode must be one of {MODES}; received {mode!r}.")
    damping = check_positive("newton", "damping", damping)
    dense_limit = check_int("newton", "dense_limit", dense_limit)
    krylov_dim = check_int("newton", "krylov_dim", krylov_dim, minimum=1)
    cg_tol = check_positive("newton", "cg_tol", cg_tol)
    search = (mode != "plain") if line_search is None else bool(line_search)

    def init(x: _np.ndarray) -> NewtonState:
        return NewtonState(0, schedule(0), 0)

    def update(g: _np.ndarray, state: NewtonState, x: Any = None, **extra: Any):
        fn = extra.get("loss_fn")
        if fn is None:
            raise ConfigError("newton needs the objective: call update(grads, state, params, loss_fn=<loss>).")
        eta = learning_rate(schedule, state.count, extra)
        if x.size <= dense_limit:
            p = _dense_direction(_np.asarray(hessian(fn)(x), dtype=float).reshape(x.size, x.size), g, mode, damping)
            evals = 1
        else:
            hvp, _ = make_hvp(fn)(x)
            if mode == "saddle_free":
                p, evals = lanczos_solve(lambda v: _np.asarray(hvp(v), dtype=float), g, krylov_dim, damping)
            else:
                tau = damping if mode == "damped" else 0.0
                p, evals = conjugate_gradient(lambda v: _np.asarray(hvp(v), dtype=float) + tau * v, -g, tol=cg_tol)
        if not search:
            return eta * p, NewtonState(state.count + 1, eta, state.evals + evals)
        if not g @ p < 0:  # not downhill even after the modification: fall back on −g
            p = -g
        f0 = float(extra["value"]) if extra.get("value") is not None else float(fn(x))
        ls = backtracking(fn, x, f0, g, p, t0=eta)
        return ls.t * p, NewtonState(state.count + 1, ls.t, state.evals + evals + ls.evals)

    return vector_transformation(init, update, name="newton", needs_params=True)
