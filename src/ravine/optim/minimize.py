"""``minimize``: run an optimiser from the registry to a stopping rule and record it.

    result = minimize(loss, params, method="momentum", lr=0.1, max_steps=1000, mu=0.9)

The driver works on one float64 vector θ (float32 parameters come back float32
in the result) in a plain loop over the optimiser's ``init``/``update``:
evaluate J and ∇J at θ_k, test the stopping rules, take the step, record a
row of the :class:`~ravine.optim.history.History`.  Stopping rules: ``max_steps``;
|f_k − f_(k−1)| < ``tol_f`` (lecture 001); ‖∇J‖ < ``tol_grad``; a wall-time
budget; a callback returning True.  A NaN/Inf loss or gradient, or a loss that
has grown by more than ``divergence_factor`` × max(|f_0|, 1e-8) above f_0,
ends the run with status ``"diverged"`` (the message names the step and the
learning rate); the result then holds the last finite iterate.

Stochastic runs (``data=``, ``batch_size=``, ``seed=``) call ``loss(params, batch)``
on shuffled mini-batches (see :mod:`ravine.optim.batches`).  ``checkpoint_dir``
saves everything needed to continue — parameters, optimiser state, sampler
and generator state, History — every ``checkpoint_every`` steps and at the end;
``resume=True`` continues from it, bit-identically to an uninterrupted run.
"""

from __future__ import annotations

import math
import sys
import time as _time
from collections.abc import Callable
from typing import Any

import numpy as _np

from ravine.differential_operators import value_and_grad
from ravine.errors import ConfigError, DivergenceError
from ravine.misc.flatten import tree_map
from ravine.optim.base import chain, check_int, check_positive, to_vector
from ravine.optim.batches import (
    BatchState,
    data_length,
    init_batches,
    next_batch,
    take_batch,
)
from ravine.optim.history import History, HistoryWriter
from ravine.optim.registry import OPTIMIZERS, OptimizerSpec, make_optimizer
from ravine.optim.result import STATUS_MESSAGES, SUCCESS_STATUSES, OptimizeResult
from ravine.optim.run_files import load_run, save_run
from ravine.optim.schedules import Schedule
from ravine.optim.transforms import (
    add_weight_decay,
    averaged_params,
    clip_by_norm,
    clip_by_value,
    ema_average,
    polyak_average,
    reduce_on_plateau,
)

__all__ = ["StepInfo", "build_optimizer", "minimize"]


class StepInfo(dict):
    """What a callback receives each step: step, params, loss, grad_norm, step_norm, lr, state."""

    __getattr__ = dict.__getitem__


def build_optimizer(method: str, lr: Any = None, *, clip_norm: float | None = None,
                    clip_value: float | None = None, weight_decay: float | None = None,
                    average: str | None = None, average_tau: float = 100.0, average_start: int = 0,
                    plateau: dict | None = None, **options: Any):
    """The chain ``clip → weight decay → optimiser (reduce-on-plateau) → averaging``."""
    spec = OPTIMIZERS.get(method)
    opt = make_optimizer(method, lr, **options)
    if plateau is not None:
        if not spec.uses_lr:
            raise ConfigError(f"reduce-on-plateau scales a learning rate, and {method} has none.")
        if not isinstance(plateau, dict):
            raise ConfigError(f"plateau must be a dict of reduce_on_plateau options, e.g. "
                              f"{{'factor': 0.1, 'patience': 10}}; received {plateau!r}.")
        opt = reduce_on_plateau(opt, **plateau)
    parts = []
    if clip_norm is not None:
        parts.append(clip_by_norm(clip_norm))
    if clip_value is not None:
        parts.append(clip_by_value(clip_value))
    if weight_decay is not None:
        parts.append(add_weight_decay(weight_decay))
    parts.append(opt)
    if average == "ema":
        parts.append(ema_average(average_tau, average_start))
    elif average == "polyak":
        parts.append(polyak_average(average_start))
    elif average is not None:
        raise ConfigError(f"average must be 'ema', 'polyak' or None; received {average!r}.")
    return chain(*parts)


def _walk(state: Any):
    stack = [state]
    while stack:
        s = stack.pop()
        if isinstance(s, tuple):
            if hasattr(s, "_fields"):
                yield s
            stack.extend(reversed(s))


def _state_lr(state: Any) -> float:
    for s in _walk(state):
        if "lr" in s._fields:
            return float(s.lr)
    return float("nan")


def _state_evals(state: Any) -> int:
    return sum(int(s.evals) for s in _walk(state) if "evals" in s._fields)


def _describe(value: Any) -> Any:
    return value.describe() if isinstance(value, Schedule) else value


def _float_params(params: Any) -> Any:
    return tree_map(lambda leaf: _np.asarray(leaf, dtype=float), params)


def _like_input(tree: Any, params: Any) -> Any:
    """``tree`` (float64 leaves) with each leaf in the floating dtype of the matching input
    leaf: the run works in float64, float32 parameters come back float32."""
    def cast(leaf: Any, ref: Any) -> Any:
        dtype = _np.asarray(ref).dtype
        return leaf.astype(dtype) if dtype.kind == "f" and dtype != leaf.dtype else leaf

    return tree_map(cast, tree, params)


def minimize(loss: Callable | None, params: Any, method: str = "gd", *, lr: Any = None,
             max_steps: int = 1000, tol_f: float | None = None, tol_grad: float | None = None,
             time_budget: float | None = None, clip_norm: float | None = None, clip_value: float | None = None,
             weight_decay: float | None = None, average: str | None = None, average_tau: float = 100.0,
             average_start: int = 0, plateau: dict | None = None, data: Any = None,
             batch_size: int | None = None, seed: int = 0, residuals: Callable | None = None,
             val_loss: Callable | None = None, callback: Callable | None = None, progress: bool | None = None,
             record_params: bool | None = None, divergence_factor: float = 1e4, on_divergence: str = "stop",
             history_path: Any = None, checkpoint_dir: Any = None, checkpoint_every: int | None = None,
             resume: bool = False, **options: Any) -> OptimizeResult:
    """Minimise ``loss(params)`` (``loss(params, batch)`` with ``data``) with ``method``.

    ``options`` are the method's hyper-parameters (``mu=0.9`` for momentum; see
    ``ravine.optim.OPTIMIZERS[method].options``).  Returns an
    :class:`~ravine.optim.result.OptimizeResult`.
    """
    if method not in OPTIMIZERS:
        raise ConfigError(f"unknown method {method!r}; choose one of {sorted(OPTIMIZERS)}.")
    spec: OptimizerSpec = OPTIMIZERS[method]
    max_steps = check_int("minimize", "max_steps", max_steps)
    for name, value in (("tol_f", tol_f), ("tol_grad", tol_grad), ("time_budget", time_budget)):
        if value is not None:
            check_positive("minimize", name, value)
    check_positive("minimize", "divergence_factor", divergence_factor)
    if on_divergence not in ("stop", "raise"):
        raise ConfigError(f"on_divergence must be 'stop' or 'raise'; received {on_divergence!r}.")
    if spec.needs_residuals and residuals is None:
        raise ConfigError(f"{method} needs residuals=<function params -> residual vector r> (J = ½‖r‖²).")
    if loss is None:
        if residuals is None:
            raise ConfigError("minimize needs a loss function (or residuals= for least squares).")
        loss = lambda p, *batch: 0.5 * _sum_squares(residuals(p, *batch))
    stochastic = data is not None
    if spec.stochastic and not stochastic:
        raise ConfigError(f"{method} draws mini-batches: pass data=<arrays with one row per example>, "
                          "batch_size=B and seed=...; for full-batch descent use method='gd'.")
    if stochastic and batch_size is None:
        raise ConfigError("data= was given without batch_size=; pass batch_size=B (B = N for batch GD).")
    if stochastic and (spec.needs_loss_fn or spec.needs_residuals):
        raise ConfigError(f"{method} uses line searches or residuals on the full objective; it does not "
                          "take mini-batches (drop data=).")

    opt = build_optimizer(method, lr, clip_norm=clip_norm, clip_value=clip_value, weight_decay=weight_decay,
                          average=average, average_tau=average_tau, average_start=average_start,
                          plateau=plateau, **options)
    given, params = params, _float_params(params)
    x, unflatten = to_vector(params)
    x = _np.array(x, dtype=float, copy=True)
    dim = x.size
    record = dim <= 100 if record_params is None else bool(record_params)

    f_vec = lambda v, *batch: loss(unflatten(v), *batch)
    vg = value_and_grad(f_vec)
    r_vec = None if residuals is None else (lambda v: residuals(unflatten(v)))
    val_vec = None if val_loss is None else (lambda v: val_loss(unflatten(v)))

    meta = {"method": method, "lr": _describe(lr if lr is not None else spec.default_lr), "options": options,
            "max_steps": max_steps, "tol_f": tol_f, "tol_grad": tol_grad, "time_budget": time_budget,
            "clip_norm": clip_norm, "clip_value": clip_value, "weight_decay": weight_decay,
            "average": average, "average_tau": average_tau if average == "ema" else None,
            "average_start": average_start if average else None, "plateau": plateau,
            "stochastic": stochastic, "batch_size": batch_size, "seed": seed if stochastic else None,
            "dim": dim, "divergence_factor": divergence_factor}
    state = opt.init(x)
    sampler: BatchState | None = init_batches(data_length(data), batch_size, seed) if stochastic else None
    history = History(meta)
    k, evals, elapsed, f0, f_prev = 0, 0, 0.0, None, None
    if resume:
        if checkpoint_dir is None:
            raise ConfigError("resume=True needs checkpoint_dir=<the directory the first run saved to>.")
        run = load_run(checkpoint_dir, x, state, sampler)
        if run is not None:
            x, state, sampler, history = run["x"], run["state"], run["sampler"], run["history"]
            k, evals, elapsed, f0, f_prev = run["step"], run["evals"], run["elapsed"], run["f0"], run["f_prev"]
            history.truncate(k)
            history.meta.update(meta)
    writer = HistoryWriter(history_path, meta, append=resume) if history_path is not None else None
    bar = _progress(progress, max_steps)

    t_start = _time.perf_counter() - elapsed
    status, info, stop_requested = None, {}, False
    last_good = (x, None, float("nan"))  # (θ, f, ‖g‖) of the last finite iterate
    try:
        with _np.errstate(all="ignore"):
            while True:
                state_at_top, sampler_at_top, evals_at_top, batch = state, sampler, evals, ()
                if stochastic:
                    idx, sampler = next_batch(sampler, batch_size)
                    batch = (take_batch(data, idx),)
                f, g = vg(x, *batch)
                f, g = float(f), _np.asarray(g, dtype=float)
                evals += 1
                gnorm = float(_np.sqrt(g @ g))
                lr_now = _state_lr(state)
                if f0 is None:
                    f0 = f
                reason = _divergence(f, gnorm, f0, divergence_factor)
                if reason:
                    status = "diverged"
                    info = {"reason": reason, **_divergence_advice(spec, lr_now)}
                    break
                last_good = (x, f, gnorm)
                avg = averaged_params(state)
                avg_loss = float(f_vec(avg, *batch)) if avg is not None else None
                val = float(val_vec(x)) if val_vec is not None else None
                status = _stop_rule(k, f, f_prev, gnorm, tol_f, tol_grad, max_steps, time_budget,
                                    _time.perf_counter() - t_start, stop_requested)
                if status:
                    row = history.append(step=k, loss=f, grad_norm=gnorm, step_norm=0.0, lr=lr_now,
                                         time=_time.perf_counter() - t_start, evals=evals + _state_evals(state),
                                         avg_loss=avg_loss, val_loss=val, params=x if record else None)
                    if writer:
                        writer.write(row, x if record else None)
                    info = {"df": abs(f - f_prev) if f_prev is not None else float("nan"), "grad_norm": gnorm}
                    break
                extra = {"value": f, "val_value": val}
                if spec.needs_loss_fn:
                    extra["loss_fn"] = f_vec
                if spec.needs_residuals:
                    extra["residual_fn"] = r_vec
                u, state = opt.update(g, state, x, **extra)
                u = _np.asarray(u, dtype=float)
                step_norm = float(_np.sqrt(u @ u))
                if step_norm == 0.0 and gnorm > 0.0 and (spec.needs_loss_fn or spec.needs_residuals):
                    status = "stalled"
                    info = {"reason": "the optimiser took a zero step although ‖∇J‖ = "
                                      f"{gnorm:.3g} (a failed line search or exhausted damping: the "
                                      "gradient may be inaccurate, or J is flat to machine precision here)"}
                    row = history.append(step=k, loss=f, grad_norm=gnorm, step_norm=0.0, lr=_state_lr(state),
                                         time=_time.perf_counter() - t_start, evals=evals + _state_evals(state),
                                         avg_loss=avg_loss, val_loss=val, params=x if record else None)
                    if writer:
                        writer.write(row, x if record else None)
                    break
                row = history.append(step=k, loss=f, grad_norm=gnorm, step_norm=step_norm, lr=_state_lr(state),
                                     time=_time.perf_counter() - t_start, evals=evals + _state_evals(state),
                                     avg_loss=avg_loss, val_loss=val, params=x if record else None)
                if writer:
                    writer.write(row, x if record else None)
                if callback is not None:
                    stop_requested = bool(callback(StepInfo(step=k, params=unflatten(x), loss=f, grad_norm=gnorm,
                                                            step_norm=step_norm, lr=row["lr"], state=state)))
                x, f_prev, k = x + u, f, k + 1
                if bar is not None:
                    bar[0].update(bar[1], completed=k, description=f"{method} loss {f:.4g}")
                if checkpoint_dir is not None and checkpoint_every and k % checkpoint_every == 0:
                    save_run(checkpoint_dir, x=x, state=state, sampler=sampler, history=history, step=k,
                             evals=evals, elapsed=_time.perf_counter() - t_start, f0=f0, f_prev=f_prev)
    finally:
        if bar is not None:
            bar[0].stop()

    x_final, f_final, g_final = last_good if status == "diverged" else (x, f, gnorm)
    info.update(step=k, tol_f=tol_f or 0.0, tol_grad=tol_grad or 0.0, time_budget=time_budget or 0.0)
    message = STATUS_MESSAGES[status].format(**info)
    history.meta.update(status=status, message=message, n_steps=k)
    if writer:
        writer.update_meta({"status": status, "message": message, "n_steps": k})
        writer.close()
    if checkpoint_dir is not None:  # as at the top of step k, before its batch, evaluation and update
        save_run(checkpoint_dir, x=x, state=state_at_top, sampler=sampler_at_top, history=history, step=k,
                 evals=evals_at_top, elapsed=_time.perf_counter() - t_start, f0=f0, f_prev=f_prev)
    if status == "diverged" and on_divergence == "raise":
        raise DivergenceError(message)

    avg = averaged_params(state)
    full = (data,) if stochastic else ()
    with _np.errstate(all="ignore"):
        final_loss = float(f_vec(x_final, *full)) if (stochastic or f_final is None) else f_final
        avg_loss = float(f_vec(avg, *full)) if avg is not None else None
    return OptimizeResult(params=_like_input(unflatten(x_final), given), loss=final_loss, status=status, message=message,
                          success=status in SUCCESS_STATUSES, n_steps=k, n_evals=evals + _state_evals(state),
                          history=history, grad_norm=g_final,
                          averaged_params=None if avg is None else _like_input(unflatten(avg), given), averaged_loss=avg_loss,
                          state=state)


def _sum_squares(r: Any) -> Any:
    import ravine.numpy as rnp

    return rnp.sum(r * r)


def _divergence(f: float, gnorm: float, f0: float, factor: float) -> str:
    if not math.isfinite(f):
        return f"the loss became {f}"
    if not math.isfinite(gnorm):
        return f"the gradient norm became {gnorm}"
    if f - f0 > factor * max(abs(f0), 1e-8):
        return f"the loss grew from {f0:.4g} to {f:.4g}, more than {factor:.0e} times its scale"
    return ""


def _divergence_advice(spec: OptimizerSpec, lr: float) -> dict:
    if spec.uses_lr:
        return {"lr_text": f"learning rate {lr:.3g}",
                "advice": ("The step is too large for the curvature (for GD on a quadratic, α·λ_max > 2): "
                           f"lower lr (e.g. to {lr / 10:.3g}), clip the gradient, or use a decaying schedule.")}
    return {"lr_text": f"step length {lr:.3g}",
            "advice": f"{spec.name} chooses its own steps, so the objective itself is unbounded or not finite "
                      "along the path: check the loss and its gradient (ravine.test_util.check_grads)."}


def _stop_rule(k, f, f_prev, gnorm, tol_f, tol_grad, max_steps, time_budget, elapsed, stop_requested) -> str | None:
    if tol_grad is not None and gnorm < tol_grad:
        return "converged_grad"
    if tol_f is not None and f_prev is not None and abs(f - f_prev) < tol_f:
        return "converged_f"
    if stop_requested:
        return "callback"
    if k >= max_steps:
        return "max_steps"
    if time_budget is not None and elapsed >= time_budget:
        return "time_budget"
    return None


def _progress(progress: bool | None, total: int):
    """A Rich progress bar on a terminal (or when forced), else None."""
    if progress is None:
        progress = sys.stderr.isatty()
    if not progress:
        return None
    from rich.progress import Progress

    bar = Progress(transient=True)
    task = bar.add_task("optimising", total=total)
    bar.start()
    return bar, task
