"""The one registry of optimisers: name -> :class:`OptimizerSpec`.

The driver, the command line, the README table and the test matrices read it;
adding an optimiser means one entry here plus its tests.  The list is written
out explicitly (no registration by import side effect).
"""

from __future__ import annotations

import inspect
from dataclasses import dataclass, field
from typing import Any, Callable

from ravine.errors import ConfigError
from ravine.optim import first_order, least_squares, quasi_newton, second_order, sign_based

__all__ = ["OptimizerSpec", "OPTIMIZERS", "make_optimizer", "optimizer_table"]


@dataclass(frozen=True)
class OptimizerSpec:
    """What an optimiser is and what it needs from the driver.

    ``uses_lr``: takes a learning rate (so schedules and reduce-on-plateau apply).
    ``needs_loss_fn``: its update calls the objective (line search, Hessian).
    ``needs_hessian``: uses second derivatives (Hessian or H·v products).
    ``needs_residuals``: needs a residual function r(θ) (J = ½‖r‖²).
    ``stochastic``: meant for mini-batch gradients (the driver needs ``data``).
    """

    name: str
    factory: Callable[..., Any]
    lecture: str
    rule: str
    summary: str
    uses_lr: bool = True
    default_lr: float | None = None
    needs_loss_fn: bool = False
    needs_hessian: bool = False
    needs_residuals: bool = False
    stochastic: bool = False
    options: dict = field(default_factory=dict)

    def __post_init__(self) -> None:
        params = inspect.signature(self.factory).parameters
        opts = {n: p.default for n, p in params.items() if n != "lr" and p.default is not inspect.Parameter.empty}
        object.__setattr__(self, "options", opts)
        if self.default_lr is None and "lr" in params and params["lr"].default is not inspect.Parameter.empty:
            object.__setattr__(self, "default_lr", params["lr"].default)


def _spec(name, factory, lecture, rule, summary, **caps) -> OptimizerSpec:
    return OptimizerSpec(name, factory, lecture, rule, summary, **caps)


OPTIMIZERS: dict[str, OptimizerSpec] = {s.name: s for s in [
    _spec("gd", first_order.gd, "000, 001", "θ ← θ − α∇J(θ)", "gradient descent"),
    _spec("sgd", first_order.sgd, "003", "θ ← θ − α∇E_B(θ), B a shuffled mini-batch",
          "mini-batch SGD (data=, batch_size=, seed=)", stochastic=True),
    _spec("momentum", first_order.momentum, "000, 003", "p ← μp − α∇J; θ ← θ + p", "heavy-ball momentum"),
    _spec("nesterov", first_order.nesterov, "001",
          "ΔW ← βΔW − η∇Loss(W + βΔW); W ← W + ΔW", "Nesterov's accelerated gradient"),
    _spec("adagrad", first_order.adagrad, "001", "G ← G + g²; θ ← θ − αg/(√G + ε)", "Adagrad"),
    _spec("rmsprop", first_order.rmsprop, "000, 004", "s ← (1−γ)s + γg²; θ ← θ − αg/√(s + ε)", "RMSprop"),
    _spec("adam", first_order.adam, "000, 003",
          "m ← β1m + (1−β1)g; v ← β2v + (1−β2)g²; θ ← θ − α m̂/(√v̂ + ε)", "Adam (bias-corrected)"),
    _spec("adamw", first_order.adamw, "000", "θ ← θ − α(m̂/(√v̂ + ε) + λθ)", "Adam with decoupled weight decay"),
    _spec("rprop", sign_based.rprop, "001",
          "same sign: Δ ← min(αΔ, Δmax), w ← w − sign(D)Δ; sign change: back to previous w, Δ ← max(βΔ, Δmin)",
          "Rprop: per-coordinate steps, back to the previous w on a sign change", uses_lr=False),
    _spec("rprop_simple", sign_based.rprop_simple, "001",
          "same sign: Δ ← min(αΔ, Δmax); sign change: Δ ← max(βΔ, Δmin); w ← w − sign(D)Δ",
          "Rprop, simplified: per-coordinate steps that shrink and reverse on a sign change", uses_lr=False),
    _spec("quickprop", sign_based.quickprop, "001",
          "w ← w − ((E'(w⁽ᵏ⁾) − E'(w⁽ᵏ⁻¹⁾))/Δw⁽ᵏ⁻¹⁾)⁻¹ E'(w⁽ᵏ⁾), growth ≤ μ, GD step −εE' to start",
          "QuickProp: per-coordinate secant Newton steps with safeguards"),
    _spec("newton", second_order.newton, "001, 002", "w ← w − η H⁻¹∇E (plain), (H + τI)⁻¹ (damped), abs(H)⁻¹ = Q·abs(Λ)⁻¹·Qᵀ (saddle-free)",
          "Newton's method", needs_loss_fn=True, needs_hessian=True),
    _spec("bfgs", quasi_newton.bfgs, "001", "p = −H∇J, strong-Wolfe t; H ← (I − ρsyᵀ)H(I − ρysᵀ) + ρssᵀ",
          "BFGS quasi-Newton with a strong-Wolfe line search", uses_lr=False, needs_loss_fn=True),
    _spec("lbfgs", quasi_newton.lbfgs, "001", "p = −H∇J by the two-loop recursion over m pairs (s, y)",
          "limited-memory BFGS with a strong-Wolfe line search", uses_lr=False, needs_loss_fn=True),
    _spec("levenberg_marquardt", least_squares.levenberg_marquardt, "001",
          "(JᵀJ + λD)δ = −Jᵀr; λ ← λ/ν on success, λν on failure", "Levenberg-Marquardt for least squares (adaptive damping λ)",
          uses_lr=False, needs_residuals=True),
]}


def make_optimizer(name: str, lr: Any = None, **options: Any):
    """Build the optimiser ``name`` from the registry; unknown names or options are a ConfigError."""
    if name not in OPTIMIZERS:
        raise ConfigError(f"unknown method {name!r}; choose one of {sorted(OPTIMIZERS)}.")
    spec = OPTIMIZERS[name]
    unknown = sorted(set(options) - set(spec.options))
    if unknown:
        raise ConfigError(f"{name} has no option {', '.join(map(repr, unknown))}; its options are "
                          f"{sorted(spec.options) or 'none'}{' plus lr' if spec.uses_lr else ''}.")
    if spec.uses_lr:
        if lr is None:
            lr = spec.default_lr
        if lr is None:
            raise ConfigError(f"{name} needs a learning rate: pass lr=<number or schedule>.")
        return spec.factory(lr, **options)
    if lr is not None:
        raise ConfigError(f"{name} takes no learning rate: it chooses its own step sizes ({spec.summary}); "
                          "remove lr= or choose a method that uses one.")
    return spec.factory(**options)


def optimizer_table() -> str:
    """The Markdown table of every registered optimiser (the README embeds it)."""
    lines = ["| name | lecture | update rule | options | needs |", "|---|---|---|---|---|"]
    for s in OPTIMIZERS.values():
        opts = ", ".join(f"{k}={v!r}" for k, v in s.options.items()) or "—"
        if s.uses_lr:
            opts = "lr" + (f"={s.default_lr!r}" if s.default_lr is not None else "") + (", " + opts if opts != "—" else "")
        needs = [n for n, flag in (("loss_fn", s.needs_loss_fn), ("hessian", s.needs_hessian),
                                   ("residuals", s.needs_residuals), ("data", s.stochastic)) if flag]
        lines.append(f"| `{s.name}` | {s.lecture} | {s.rule} | {opts} | {', '.join(needs) or '—'} |")
    return "\n".join(lines)
