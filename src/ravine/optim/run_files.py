"""A run's checkpoint directory: everything the driver needs to continue.

    params.npz            θ as a flat vector
    state.json/.npz       the optimiser state (:mod:`ravine.optim.checkpointing`)
    sampler.json/.npz     the mini-batch sampler and its generator state (stochastic runs)
    history.json/.npz     the History so far
    run.json              step, evaluations, elapsed time, f_0 and f_(k−1) (exact reprs)

A checkpoint is written whole into a sibling staging folder (``<dir>.next``)
and then swapped in by renames, so a run killed while saving keeps its previous
checkpoint intact: never parameters of one step with the bookkeeping of another.
If the kill falls between the two renames, the previous checkpoint is found
in ``<dir>.old``.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as _np

from ravine.errors import DataError
from ravine.optim.checkpointing import load_arrays, load_state, save_arrays, save_state
from ravine.optim.history import History, atomic_write_bytes

__all__ = ["save_run", "load_run"]


def _num(v: float | None) -> str | None:
    return None if v is None else repr(float(v))


def save_run(directory: Any, *, x: _np.ndarray, state: Any, sampler: Any, history: History, step: int,
             evals: int, elapsed: float, f0: float | None, f_prev: float | None) -> Path:
    """Write the checkpoint of a run that is at the top of step ``step``."""
    d = Path(directory)
    staging, old = d.with_name(d.name + ".next"), d.with_name(d.name + ".old")
    shutil.rmtree(staging, ignore_errors=True)
    _write_files(staging, x=x, state=state, sampler=sampler, history=history, step=step, evals=evals,
                 elapsed=elapsed, f0=f0, f_prev=f_prev)
    shutil.rmtree(old, ignore_errors=True)
    if d.exists():
        os.replace(d, old)
    os.replace(staging, d)
    shutil.rmtree(old, ignore_errors=True)
    return d


def _write_files(d: Path, *, x: _np.ndarray, state: Any, sampler: Any, history: History, step: int,
                 evals: int, elapsed: float, f0: float | None, f_prev: float | None) -> None:
    d.mkdir(parents=True, exist_ok=True)
    save_arrays(d / "params.npz", {"x": x})
    save_state(d / "state", state)
    if sampler is not None:
        save_state(d / "sampler", sampler)
    history.save(d / "history")
    run = {"format": "ravine.optim.run/1", "step": int(step), "evals": int(evals), "elapsed": repr(float(elapsed)),
           "f0": _num(f0), "f_prev": _num(f_prev), "dim": int(x.size), "stochastic": sampler is not None}
    atomic_write_bytes(d / "run.json", json.dumps(run, indent=1).encode())


def load_run(directory: Any, x_template: _np.ndarray, state_template: Any, sampler_template: Any) -> dict | None:
    """The saved run in ``directory`` (None when there is none yet)."""
    d = Path(directory)
    if not (d / "run.json").exists():
        old = d.with_name(d.name + ".old")  # killed between the two renames of save_run
        if not (old / "run.json").exists():
            return None
        d = old
    run = json.loads((d / "run.json").read_text())
    x = load_arrays(d / "params.npz")["x"]
    if x.shape != x_template.shape:
        raise DataError(f"the checkpoint in {d} holds {x.size} parameters but this problem has {x_template.size}.")
    sampler = None
    if sampler_template is not None:
        if not run.get("stochastic"):
            raise DataError(f"the checkpoint in {d} is of a full-batch run; resume it without data=.")
        sampler = load_state(d / "sampler", sampler_template)
    return {
        "x": x,
        "state": load_state(d / "state", state_template),
        "sampler": sampler,
        "history": History.load(d / "history"),
        "step": int(run["step"]),
        "evals": int(run["evals"]),
        "elapsed": float(run["elapsed"]),
        "f0": None if run["f0"] is None else float(run["f0"]),
        "f_prev": None if run["f_prev"] is None else float(run["f_prev"]),
    }
