"""One planned run of a user study, driven by :func:`ravine.optim.minimize`.

The configuration maps onto the driver's arguments: ``[optimizer]`` gives the
method and every other key as a keyword (hyper-parameters such as ``mu``, and
driver options such as ``clip_norm`` or ``average``; unknown keys are rejected by
the optimiser registry with the allowed names); ``[schedule]`` becomes the
learning rate; ``[budget]`` the stopping rules.  The driver writes the history
row by row and checkpoints every ``budget.checkpoint_every`` steps into the run
folder, which is what makes ``--resume`` exact.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as onp

from ravine.errors import ConfigError, RavineError
from ravine.optim import OPTIMIZERS, make_schedule, minimize
from ravine.optim.minimize import build_optimizer
from ravine.store import RunDir
from ravine.studies.custom import build_objective

__all__ = ["train", "minimize_arguments", "check_run_config"]

_BUDGET = {"max_steps": "max_steps", "tol": "tol_f", "grad_tol": "tol_grad", "time_limit": "time_budget",
           "checkpoint_every": "checkpoint_every"}


def minimize_arguments(run_config: dict) -> dict:
    """The keyword arguments of ``minimize`` for one planned run (method, lr, options, budget)."""
    optimizer = dict(run_config["optimizer"])
    method = optimizer.pop("name")
    if method not in OPTIMIZERS:
        raise ConfigError(f"optimizer.name = {method!r} is not an optimiser; choose one of "
                          f"{', '.join(OPTIMIZERS)} (see `ravine list optimizers`).")
    schedule = run_config.get("schedule")
    if schedule is not None:
        if "lr" in optimizer:
            raise ConfigError("Give the learning rate either as optimizer.lr or through [schedule], not both.")
        arguments = {k: v for k, v in schedule.items() if k != "name"}
        try:
            optimizer["lr"] = make_schedule(schedule["name"], **arguments)
        except RavineError as exc:
            raise ConfigError(f"[schedule]: {exc}") from None
    kwargs = {"method": method, **optimizer}
    kwargs.update({_BUDGET[k]: v for k, v in run_config["budget"].items()})
    return kwargs


def check_run_config(run_config: dict) -> None:
    """Build the optimiser and the objective of a planned run once, so that a bad name or
    option is reported before any run starts."""
    kwargs = minimize_arguments(run_config)
    budget_keys = set(_BUDGET.values())
    options = {k: v for k, v in kwargs.items() if k not in budget_keys and k != "method"}
    try:
        build_optimizer(kwargs["method"], **options)
    except RavineError as exc:
        raise ConfigError(f"[optimizer] {kwargs['method']}: {exc}") from None
    build_objective(run_config["problem"], int(run_config.get("seed", 0)), int(run_config.get("restart", 0)))


def train(run: RunDir, run_config: dict, resume: bool) -> dict:
    """Run (or continue) one configuration in ``run``; return its summary for the sweep table."""
    kwargs = minimize_arguments(run_config)
    seed = int(run_config.get("seed", 0))
    objective = build_objective(run_config["problem"], seed, int(run_config.get("restart", 0)))
    loss: Callable[..., Any] = objective.loss
    batch_size = run_config["problem"].get("batch_size")
    if OPTIMIZERS[kwargs["method"]].stochastic or batch_size is not None:
        if objective.data is None:
            raise ConfigError(f"{kwargs['method']} draws mini-batches, so [problem] needs a dataset "
                              f"(problem.dataset or a data problem), not a 2-D surface.")
        x, y = objective.data
        kwargs.update(data=(x, y), batch_size=batch_size or len(x), seed=seed)
        batch_loss = objective.batch_loss
        loss = lambda params, batch: batch_loss(params, *batch)  # noqa: E731
    if resume:
        run.prepare_resume()
    try:
        result = minimize(loss, objective.params, val_loss=objective.val_loss, history_path=run.history_path,
                          checkpoint_dir=run.checkpoint_dir, resume=resume, progress=False, **kwargs)
    except RavineError as exc:
        raise ConfigError(f"{run.path.name}: {exc}") from None
    history = result.history
    losses = onp.asarray(history.loss, dtype=float)
    val = getattr(history, "val_loss", None) if "val_loss" in history.columns() else None
    summary = {"status": result.status, "message": result.message, "final_loss": result.loss,
               "best_loss": float(onp.nanmin(losses)) if losses.size else None,
               "final_grad_norm": result.grad_norm, "n_steps": result.n_steps, "n_evals": result.n_evals,
               "wall_time": float(history.time[-1]) if len(history) else 0.0,
               "val_loss": float(onp.asarray(val)[-1]) if val is not None and len(val) else None,
               "problem": objective.description}
    run.finish(summary, history)
    return summary
