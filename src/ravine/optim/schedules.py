"""Learning-rate schedules: factories that return ``step -> value`` functions.

Every optimiser takes ``lr`` as a number or a :class:`Schedule`; the step k
counts the optimiser's updates from 0.  Arguments are validated when the
schedule is made (a :class:`~ravine.errors.ConfigError` names the bad value).

From lecture 001 ("Decaying learning rate"):

* linear decay        η_k = η0 / (k + 1)          -> :func:`inverse_time`
* quadratic decay     η_k = η0 / (k + 1)²         -> :func:`inverse_square`
* exponential decay   η_k = η0 · e^(−βk), β > 0    -> :func:`exponential`
* "train with a fixed η until the loss stagnates, then η ← αη" ->
  :func:`ravine.optim.transforms.reduce_on_plateau` (it needs the loss, so it
  is a transformation, not a function of k alone); the fixed-interval version
  is :func:`step_decay`.

From lecture 003 ("Fluctuations"): the late exponential decay α_t = α0·e^(−t/τ)
with t = 0 at the start of the decay -> :func:`late_exponential`.

What users of other libraries expect: :func:`linear_warmup` and :func:`cosine`.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ravine.errors import ConfigError
from ravine.optim.base import (
    check_fraction,
    check_int,
    check_nonnegative,
    check_positive,
)

__all__ = [
    "SCHEDULES",
    "Schedule",
    "as_schedule",
    "constant",
    "cosine",
    "exponential",
    "inverse_square",
    "inverse_time",
    "late_exponential",
    "linear_warmup",
    "make_schedule",
    "schedule_table",
    "step_decay",
]


@dataclass(frozen=True)
class Schedule:
    """A learning-rate schedule: ``schedule(k)`` is the value at step k.

    ``name`` and ``args`` describe it as plain data (they go into a run's History).
    """

    name: str
    args: dict
    fn: Callable[[int], float] = field(repr=False, compare=False)

    def __call__(self, step: int) -> float:
        """The value at step k; a ConfigError unless it is a finite number ≥ 0 (a negative
        rate climbs the loss, a NaN one makes every later iterate NaN)."""
        value = float(self.fn(int(step)))
        if not (math.isfinite(value) and value >= 0):
            raise ConfigError(f"schedule {self.name!r} gave the learning rate {value!r} at step {int(step)}; "
                              "a learning rate must be a finite number ≥ 0: fix the schedule's formula.")
        return value

    def describe(self) -> dict:
        """``{"schedule": name, **args}`` with nested schedules described too."""
        out: dict[str, Any] = {"schedule": self.name}
        for k, v in self.args.items():
            out[k] = v.describe() if isinstance(v, Schedule) else v
        return out


def constant(eta0: float) -> Schedule:
    """η_k = η0."""
    eta0 = check_positive("constant", "eta0", eta0)
    return Schedule("constant", {"eta0": eta0}, lambda k: eta0)


def inverse_time(eta0: float) -> Schedule:
    """Lecture 001's linear decay: η_k = η0 / (k + 1); Σ η_k diverges, so GD can
    still reach the minimum."""
    eta0 = check_positive("inverse_time", "eta0", eta0)
    return Schedule("inverse_time", {"eta0": eta0}, lambda k: eta0 / (k + 1))


def inverse_square(eta0: float) -> Schedule:
    """Lecture 001's quadratic decay: η_k = η0 / (k + 1)².  Σ η_k = η0·π²/6 is
    finite, so on x²/2 the iterate stalls at x0·Π(1 − η0/(k+1)²) = x0·sin(π√η0)/(π√η0)."""
    eta0 = check_positive("inverse_square", "eta0", eta0)
    return Schedule("inverse_square", {"eta0": eta0}, lambda k: eta0 / (k + 1) ** 2)


def exponential(eta0: float, beta: float) -> Schedule:
    """Lecture 001's exponential decay: η_k = η0 · e^(−βk), β > 0."""
    eta0 = check_positive("exponential", "eta0", eta0)
    beta = check_positive("exponential", "beta", beta)
    return Schedule("exponential", {"eta0": eta0, "beta": beta}, lambda k: eta0 * math.exp(-beta * k))


def step_decay(eta0: float, factor: float = 0.1, every: int = 1000) -> Schedule:
    """η_k = η0 · α^⌊k / every⌋ with α = ``factor`` in (0, 1): lecture 001's
    η ← αη applied at fixed intervals instead of on a plateau."""
    eta0 = check_positive("step_decay", "eta0", eta0)
    factor = check_fraction("step_decay", "factor", factor, low_open=True)
    every = check_int("step_decay", "every", every, minimum=1)
    return Schedule("step_decay", {"eta0": eta0, "factor": factor, "every": every},
                    lambda k: eta0 * factor ** (k // every))


def late_exponential(alpha0: float, tau: float, start: int) -> Schedule:
    """Lecture 003's late decay: α_k = α0 for k < start, then α_t = α0·e^(−t/τ)
    with t = k − start ("we don't begin the decay until late in training")."""
    alpha0 = check_positive("late_exponential", "alpha0", alpha0)
    tau = check_positive("late_exponential", "tau", tau)
    start = check_int("late_exponential", "start", start)
    return Schedule("late_exponential", {"alpha0": alpha0, "tau": tau, "start": start},
                    lambda k: alpha0 if k < start else alpha0 * math.exp(-(k - start) / tau))


def linear_warmup(target: float | Schedule, warmup_steps: int, init_value: float = 0.0) -> Schedule:
    """Linear warm-up: η_k = init + (η_peak − init)·k / W for k < W, then
    ``target(k − W)`` (η_peak = target(0); a number means a constant target)."""
    target = as_schedule(target, owner="linear_warmup")
    warmup_steps = check_int("linear_warmup", "warmup_steps", warmup_steps, minimum=1)
    init_value = check_nonnegative("linear_warmup", "init_value", init_value)
    peak = target(0)

    def fn(k: int) -> float:
        if k < warmup_steps:
            return init_value + (peak - init_value) * k / warmup_steps
        return target(k - warmup_steps)

    return Schedule("linear_warmup", {"target": target, "warmup_steps": warmup_steps, "init_value": init_value}, fn)


def cosine(eta0: float, decay_steps: int, final_value: float = 0.0) -> Schedule:
    """Cosine decay: η_k = η_T + (η0 − η_T)·½(1 + cos(π·min(k, T)/T)), T = ``decay_steps``."""
    eta0 = check_positive("cosine", "eta0", eta0)
    decay_steps = check_int("cosine", "decay_steps", decay_steps, minimum=1)
    final_value = check_nonnegative("cosine", "final_value", final_value)
    if final_value > eta0:
        raise ConfigError(f"cosine: final_value={final_value!r} exceeds eta0={eta0!r}; a decay must end lower.")

    def fn(k: int) -> float:
        t = min(k, decay_steps) / decay_steps
        return final_value + (eta0 - final_value) * 0.5 * (1.0 + math.cos(math.pi * t))

    return Schedule("cosine", {"eta0": eta0, "decay_steps": decay_steps, "final_value": final_value}, fn)


def as_schedule(value: Any, owner: str = "lr") -> Schedule:
    """A number becomes :func:`constant`; a :class:`Schedule` passes; anything else is a ConfigError."""
    if isinstance(value, Schedule):
        return value
    if callable(value):
        raise ConfigError(
            f"{owner}: received the plain function {value!r} as a learning rate; wrap it so it can be "
            "recorded and saved, e.g. ravine.optim.schedules.Schedule('mine', {}, fn)."
        )
    try:
        return constant(value)
    except ConfigError:
        raise ConfigError(
            f"{owner}: the learning rate must be a finite number > 0 or a schedule from "
            f"ravine.optim.schedules; received {value!r}."
        ) from None


# The one registry of schedules: name -> factory (the README table and the CLI read it).
SCHEDULES: dict[str, Callable[..., Schedule]] = {
    "constant": constant,
    "inverse_time": inverse_time,
    "inverse_square": inverse_square,
    "exponential": exponential,
    "step_decay": step_decay,
    "late_exponential": late_exponential,
    "linear_warmup": linear_warmup,
    "cosine": cosine,
}


def make_schedule(name: str, **kwargs: Any) -> Schedule:
    """``make_schedule("exponential", eta0=0.1, beta=0.01)``; unknown names are a ConfigError."""
    if name not in SCHEDULES:
        raise ConfigError(f"unknown schedule {name!r}; choose one of {sorted(SCHEDULES)}.")
    try:
        return SCHEDULES[name](**kwargs)
    except TypeError as exc:
        raise ConfigError(f"schedule {name!r}: {exc}") from None


def schedule_table() -> str:
    """The Markdown table of :data:`SCHEDULES` (the README embeds it): name, arguments, rule."""
    import inspect

    lines = ["| schedule | arguments | rule |", "|---|---|---|"]
    for name, factory in SCHEDULES.items():
        args = ", ".join(p if v.default is inspect.Parameter.empty else f"{p}={v.default!r}"
                         for p, v in inspect.signature(factory).parameters.items())
        rule = " ".join(factory.__doc__.split()).split(". ")[0].rstrip(".")
        lines.append(f"| `{name}` | {args} | {rule} |")
    return "\n".join(lines)
