"""What the curvature says about the learning rate α.

Lecture 000 (gradient descent on the quadratic ½θᵀAθ): θ_k = (I − αA)^k θ₀, so in
the eigenbasis each coordinate is multiplied by (1 − αλᵢ) every step:

* 0 < αλᵢ ≤ 1: decays (monotonically),
* 1 < αλᵢ ≤ 2: oscillates (the sign flips every step; it still shrinks for αλᵢ < 2),
* αλᵢ > 2:     diverges,

hence the largest stable learning rate α < 2/λmax.  (For λᵢ < 0, negative
curvature, |1 − αλᵢ| > 1 and the coordinate grows: gradient descent moves away,
as it should near a saddle; labelled "diverges".  λᵢ = 0: "stalls".)

Lecture 002: one step θ − αg changes the cost by approximately
ΔE ≈ −α gᵀg + ½ α² gᵀHg (second-order Taylor), minimised at α* = gᵀg / gᵀHg
when gᵀHg > 0; the step makes things worse once ½α²gᵀHg > α gᵀg.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as _np

from ravine.autodiff.tracer import getval
from ravine.diagnose.curvature import HessianOperator, extreme_eigenpairs, hessian_operator
from ravine.errors import ConfigError

__all__ = [
    "StepSizeFacts",
    "step_size_facts",
    "Contraction",
    "contraction_factors",
    "TaylorCheck",
    "taylor_check",
]


@dataclass(frozen=True)
class StepSizeFacts:
    """λmax, the largest stable rate 2/λmax, and along the gradient g: gᵀg, gᵀHg
    and the optimal step α* = gᵀg/gᵀHg (None when gᵀHg ≤ 0: the quadratic model
    has no minimum along −g)."""

    lambda_max: float
    max_stable_lr: float
    grad_sq_norm: float
    grad_curvature: float
    optimal_step: float | None


def step_size_facts(hessian: HessianOperator, rng: Any = 0) -> StepSizeFacts:
    """The step-size facts of lectures 000 and 002 at the operator's point."""
    if not isinstance(hessian, HessianOperator):
        raise ConfigError("step_size_facts needs hessian_operator(loss, params) (it uses the gradient there); "
                          f"received {type(hessian).__name__}.")
    lam_max = float(extreme_eigenpairs(hessian, 1, "largest", rng=rng).values[-1])
    g = hessian.gradient
    gg = float(g @ g)
    gHg = float(g @ hessian.matvec(g)) if gg > 0 else 0.0
    return StepSizeFacts(
        lambda_max=lam_max,
        max_stable_lr=2.0 / lam_max if lam_max > 0 else _np.inf,
        grad_sq_norm=gg,
        grad_curvature=gHg,
        optimal_step=gg / gHg if gHg > 0 else None,
    )


@dataclass(frozen=True)
class Contraction:
    """Along the eigendirection of λ: the factor |1 − αλ| applied each step, and
    its behaviour ("decays", "oscillates", "diverges", "stalls")."""

    eigenvalue: float
    alpha_lambda: float
    factor: float
    behaviour: str


def _behaviour(alpha_lambda: float) -> str:
    if alpha_lambda > 2:
        return "diverges"
    if alpha_lambda > 1:
        return "oscillates"
    if alpha_lambda > 0:
        return "decays"
    if alpha_lambda == 0:
        return "stalls"
    return "diverges"


def contraction_factors(eigenvalues: Any, alpha: float) -> list[Contraction]:
    """|1 − αλᵢ| and its label for each eigenvalue λᵢ, for learning rate α."""
    if not (isinstance(alpha, (int, float, _np.floating)) and alpha > 0 and _np.isfinite(alpha)):
        raise ConfigError(f"alpha must be a positive finite learning rate; received {alpha!r}.")
    out = []
    for lam in _np.atleast_1d(_np.asarray(eigenvalues, dtype=float)):
        a_lam = float(alpha * lam)
        out.append(Contraction(float(lam), a_lam, abs(1.0 - a_lam), _behaviour(a_lam)))
    return out


@dataclass(frozen=True)
class TaylorCheck:
    """One gradient step of size α from θ: the first-order prediction −αgᵀg, the
    second-order prediction −αgᵀg + ½α²gᵀHg, and the actual change
    E(θ − αg) − E(θ).  Their gap is O(α³) for a smooth cost."""

    alpha: float
    first_order: float
    predicted: float
    actual: float

    @property
    def error(self) -> float:
        """actual − predicted (second-order)."""
        return self.actual - self.predicted


def taylor_check(loss: Callable[[Any], Any], params: Any, alpha: float) -> TaylorCheck:
    """Compare the second-order Taylor prediction of lecture 002 with the real
    change of ``loss`` after the gradient step params − α∇loss(params)."""
    if not (isinstance(alpha, (int, float, _np.floating)) and _np.isfinite(alpha) and alpha > 0):
        raise ConfigError(f"alpha must be a positive finite step size; received {alpha!r}.")
    op = hessian_operator(loss, params)
    g = op.gradient
    gg = float(g @ g)
    gHg = float(g @ op.matvec(g))
    before = float(getval(op.flat.fun(op.theta)))
    after = float(getval(op.flat.fun(op.theta - alpha * g)))
    return TaylorCheck(float(alpha), -alpha * gg, -alpha * gg + 0.5 * alpha**2 * gHg, after - before)
