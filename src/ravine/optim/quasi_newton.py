"""BFGS and L-BFGS (lecture 001's "approximate the Hessian"), each step with a
strong-Wolfe line search.

Both keep an approximation H ≈ (∇²J)⁻¹ built from the steps s = θ_{k+1} − θ_k
and gradient changes y = ∇J_{k+1} − ∇J_k, and step along p = −H∇J.
Their ``update`` needs ``loss_fn`` (the objective, for the line search).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

import numpy as _np

from ravine.differential_operators import value_and_grad
from ravine.errors import ConfigError
from ravine.optim.base import (
    GradientTransformation,
    check_fraction,
    check_int,
    vector_transformation,
)
from ravine.optim.linesearch import strong_wolfe

__all__ = ["BFGSState", "LBFGSState", "bfgs", "lbfgs"]


class BFGSState(NamedTuple):
    count: int
    lr: float              # the accepted step length t
    inv_hessian: _np.ndarray
    evals: int             # evaluations spent by line searches


class LBFGSState(NamedTuple):
    count: int
    lr: float
    s: _np.ndarray         # (m, n) recent steps, oldest first
    y: _np.ndarray         # (m, n) recent gradient changes
    n_pairs: int
    evals: int


def _need_loss_fn(owner: str, extra: dict) -> Callable:
    fn = extra.get("loss_fn")
    if fn is None:
        raise ConfigError(f"{owner} runs a line search on the objective: call update(grads, state, params, "
                          "loss_fn=<the loss as a function of params>).")
    return fn


def _first_step(g: _np.ndarray) -> float:
    # with H₀ = I the first direction is −g; start the search at a unit-length step
    return min(1.0, 1.0 / max(float(_np.abs(g).sum()), 1e-300))


def _check_wolfe(owner: str, c1: float, c2: float) -> tuple[float, float]:
    c1 = check_fraction(owner, "c1", c1, low_open=True)
    c2 = check_fraction(owner, "c2", c2, low_open=True)
    if c1 >= c2:
        raise ConfigError(f"{owner}: the Wolfe constants need 0 < c1 < c2 < 1; received c1={c1!r}, c2={c2!r}.")
    return c1, c2


def bfgs(c1: float = 1e-4, c2: float = 0.9) -> GradientTransformation:
    """BFGS with the inverse-Hessian update (ρ = 1/yᵀs)::

        p = −H ∇J;  t from a strong-Wolfe line search;  s = t p
        H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ

    starting from H₀ = I (the first step searched from length 1).  An update
    with yᵀs ≤ 0 is skipped; a direction that is not downhill resets H to I.
    """
    c1, c2 = _check_wolfe("bfgs", c1, c2)

    def init(x: _np.ndarray) -> BFGSState:
        return BFGSState(0, 0.0, _np.eye(x.size), 0)

    def update(g: _np.ndarray, state: BFGSState, x: Any = None, **extra: Any):
        fn = _need_loss_fn("bfgs", extra)
        vg = value_and_grad(fn)
        f0 = float(extra["value"]) if extra.get("value") is not None else float(fn(x))
        H = state.inv_hessian
        p = -(H @ g)
        if not g @ p < 0:
            H, p = _np.eye(x.size), -g
        t0 = _first_step(g) if state.count == 0 else 1.0
        ls = strong_wolfe(vg, x, f0, g, p, t0=t0, c1=c1, c2=c2)
        s = ls.t * p
        if ls.success and ls.g is not None:
            y = ls.g - g
            ys = float(y @ s)
            if ys > 1e-12 * float(_np.sqrt((s @ s) * (y @ y))):
                rho = 1.0 / ys
                Hy = H @ y
                H_new = H - rho * (_np.outer(s, Hy) + _np.outer(Hy, s)) + (rho * rho * float(y @ Hy) + rho) * _np.outer(s, s)
                if _np.all(_np.isfinite(H_new)):  # at machine-precision convergence ρ² can overflow
                    H = H_new
        return s, BFGSState(state.count + 1, ls.t, H, state.evals + ls.evals)

    return vector_transformation(init, update, name="bfgs", needs_params=True)


def _two_loop(g: _np.ndarray, S: _np.ndarray, Y: _np.ndarray) -> _np.ndarray:
    """−H g for the L-BFGS H with H₀ = γI, γ = sᵀy / yᵀy of the newest pair."""
    q = g.copy()
    rho = 1.0 / _np.einsum("ij,ij->i", S, Y)
    alphas = _np.empty(len(S))
    for i in range(len(S) - 1, -1, -1):
        alphas[i] = rho[i] * (S[i] @ q)
        q -= alphas[i] * Y[i]
    gamma = (S[-1] @ Y[-1]) / (Y[-1] @ Y[-1])
    r = gamma * q
    for i in range(len(S)):
        beta = rho[i] * (Y[i] @ r)
        r += (alphas[i] - beta) * S[i]
    return -r


def lbfgs(memory: int = 10, c1: float = 1e-4, c2: float = 0.9) -> GradientTransformation:
    """L-BFGS: BFGS's direction p = −H∇J from the last m = ``memory`` pairs
    (s, y) by the two-loop recursion, H₀ = (sᵀy / yᵀy) I, O(mn) memory and time;
    step length from a strong-Wolfe line search."""
    memory = check_int("lbfgs", "memory", memory, minimum=1)
    c1, c2 = _check_wolfe("lbfgs", c1, c2)

    def init(x: _np.ndarray) -> LBFGSState:
        z = _np.zeros((memory, x.size))
        return LBFGSState(0, 0.0, z, z.copy(), 0, 0)

    def update(g: _np.ndarray, state: LBFGSState, x: Any = None, **extra: Any):
        fn = _need_loss_fn("lbfgs", extra)
        vg = value_and_grad(fn)
        f0 = float(extra["value"]) if extra.get("value") is not None else float(fn(x))
        n = state.n_pairs
        p = _two_loop(g, state.s[memory - n:], state.y[memory - n:]) if n else -g
        if not g @ p < 0:
            p, n = -g, 0
        t0 = _first_step(g) if n == 0 else 1.0
        ls = strong_wolfe(vg, x, f0, g, p, t0=t0, c1=c1, c2=c2)
        s = ls.t * p
        S, Y = state.s, state.y
        if ls.success and ls.g is not None:
            y = ls.g - g
            if float(y @ s) > 1e-12 * float(_np.sqrt((s @ s) * (y @ y))):
                S = _np.concatenate([state.s[1:], s[None]])
                Y = _np.concatenate([state.y[1:], y[None]])
                n = min(n + 1, memory)
        return s, LBFGSState(state.count + 1, ls.t, S, Y, n, state.evals + ls.evals)

    return vector_transformation(init, update, name="lbfgs", needs_params=True)
