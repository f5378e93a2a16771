"""Levenberg-Marquardt for J(θ) = ½‖r(θ)‖² given the residual function r
(lecture 001: "estimate Hessian from Jacobians", "diagonal load it").

With the Jacobian J_r = ∂r/∂θ from ravine (``ravine.jacobian``), the Hessian
is approximated by Gauss-Newton's J_rᵀJ_r and loaded on its diagonal::

    (J_rᵀJ_r + λ D) δ = −J_rᵀ r,   D = diag(J_rᵀJ_r) (Marquardt) or I (Levenberg)

If J(θ + δ) < J(θ) the step is taken and λ ← λ/ν (trust the quadratic model
more); otherwise λ ← λν and the step is solved again (closer to a short
gradient step).  ``update`` needs ``residual_fn``.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as _np

from ravine.differential_operators import jacobian
from ravine.errors import ConfigError
from ravine.optim.base import (
    GradientTransformation,
    check_int,
    check_positive,
    vector_transformation,
)

__all__ = ["LMState", "levenberg_marquardt"]


class LMState(NamedTuple):
    count: int
    lr: float      # λ after the step (the History's "lr" column)
    lam: float
    evals: int     # residual and Jacobian evaluations


def levenberg_marquardt(lam0: float = 1e-3, nu: float = 10.0, scaling: str = "marquardt",
                        max_tries: int = 40) -> GradientTransformation:
    """Levenberg-Marquardt; see the module docstring."""
    lam0 = check_positive("levenberg_marquardt", "lam0", lam0)
    nu = check_positive("levenberg_marquardt", "nu", nu)
    if nu <= 1:
        raise ConfigError(f"levenberg_marquardt: nu must be > 1; received {nu!r}.")
    if scaling not in ("marquardt", "levenberg"):
        raise ConfigError(f"levenberg_marquardt: scaling must be 'marquardt' or 'levenberg'; received {scaling!r}.")
    max_tries = check_int("levenberg_marquardt", "max_tries", max_tries, minimum=1)

    def init(x: _np.ndarray) -> LMState:
        return LMState(0, lam0, lam0, 0)

    def update(g: _np.ndarray, state: LMState, x: Any = None, **extra: Any):
        rfn = extra.get("residual_fn")
        if rfn is None:
            raise ConfigError("levenberg_marquardt needs residual_fn=<params -> residual vector> in update(...).")
        r = _np.asarray(rfn(x), dtype=float).ravel()
        Jr = _np.asarray(jacobian(rfn)(x), dtype=float).reshape(r.size, x.size)
        A, b = Jr.T @ Jr, Jr.T @ r
        D = _np.maximum(_np.diag(A), 1e-12 * max(1.0, float(_np.diag(A).max()))) if scaling == "marquardt" else 1.0
        f = 0.5 * float(r @ r)
        lam, evals = state.lam, 2
        for _ in range(max_tries):
            M = A.copy()
            M[_np.diag_indices_from(M)] += lam * D
            try:
                delta = -_np.linalg.solve(M, b)
            except _np.linalg.LinAlgError:
                lam *= nu
                continue
            r_new = _np.asarray(rfn(x + delta), dtype=float).ravel()
            evals += 1
            f_new = 0.5 * float(r_new @ r_new)
            if _np.isfinite(f_new) and f_new < f:
                lam = max(lam / nu, 1e-15)
                return delta, LMState(state.count + 1, lam, lam, state.evals + evals)
            lam *= nu
        return _np.zeros_like(x), LMState(state.count + 1, lam, lam, state.evals + evals)

    return vector_transformation(init, update, name="levenberg_marquardt", needs_params=True)
