"""The frozen record a run returns, and the one table of status messages."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ravine.optim.history import History

__all__ = ["STATUS_MESSAGES", "SUCCESS_STATUSES", "OptimizeResult"]

# status -> message template (filled with the run's numbers by the driver).
STATUS_MESSAGES: dict[str, str] = {
    "converged_f": "converged: |f_k − f_(k−1)| = {df:.3g} < tol_f = {tol_f:.3g} at step {step} (lecture 001's rule).",
    "converged_grad": "converged: ‖∇J‖ = {grad_norm:.3g} < tol_grad = {tol_grad:.3g} at step {step}.",
    "max_steps": "stopped after max_steps = {step} steps without meeting a convergence test.",
    "time_budget": "stopped at step {step}: the wall-time budget of {time_budget:.3g} s is spent.",
    "callback": "stopped at step {step}: the callback asked to stop.",
    "diverged": "diverged at step {step} with {lr_text}: {reason}. {advice}",
    "stalled": "stalled at step {step}: {reason}.",
}

SUCCESS_STATUSES = frozenset({"converged_f", "converged_grad"})


@dataclass(frozen=True)
class OptimizeResult:
    """What :func:`ravine.optim.minimize` returns.

    ``params`` has the structure of the params passed in, each floating-point
    leaf in its dtype (the run itself works in float64; integer leaves come
    back float64).  ``loss`` is J at
    ``params`` (the full-data loss for stochastic runs).  With iterate
    averaging, ``averaged_params``/``averaged_loss`` hold θ̃ and J(θ̃).
    ``state`` is the optimiser's final state (for a custom continuation).
    """

    params: Any
    loss: float
    status: str
    message: str
    success: bool
    n_steps: int
    n_evals: int
    history: History
    grad_norm: float = float("nan")
    averaged_params: Any = None
    averaged_loss: float | None = None
    state: Any = field(default=None, repr=False)

    def __repr__(self) -> str:
        return (f"OptimizeResult(status={self.status!r}, success={self.success}, loss={self.loss:.6g}, "
                f"n_steps={self.n_steps}, n_evals={self.n_evals}, message={self.message!r})")
