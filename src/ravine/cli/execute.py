"""Running user-described studies: the plan of runs, one run in its folder, the doctor on a folder.

``ravine run`` executes one run per ``[[optimizer]]`` entry; ``ravine sweep``
(:mod:`ravine.cli.sweep`) executes the plan :func:`plan_runs` makes from the
``[sweep]`` table.  Each run lives in ``OUT/runs/<run id>/`` (see
:mod:`ravine.store`); :func:`execute_run` is what a worker process calls.
"""

from __future__ import annotations

import copy
import itertools
import math
from pathlib import Path
from typing import Any

import numpy as onp

from ravine.errors import ConfigError
from ravine.store import RunDir, ensure_writable_dir, to_jsonable, write_atomic
from ravine.studies.config import dotted_set, load_study_file

__all__ = ["plan_runs", "check_plans", "execute_run", "run_study_file", "diagnose_run_dir", "output_folder"]


def output_folder(config: dict, out: str | None) -> Path:
    return ensure_writable_dir(Path(out or config["study"]["output"]), "output folder")


def plan_runs(config: dict, sweep: bool) -> list[dict]:
    """The runs of a study: ``{run_id, config, swept, restart}`` each, in a fixed order.

    Without ``sweep``: one run per optimiser.  With it: every grid point (or
    ``samples`` random draws, seeded by study.seed) × every optimiser × ``restarts``
    random initialisations (seeds study.seed, study.seed + 1, ...).
    """
    base = {k: v for k, v in config.items() if k != "sweep"}
    points: list[dict[str, Any]] = [{}]
    restarts = 1
    if sweep:
        table = config.get("sweep")
        if not table:
            raise ConfigError("`ravine sweep` needs a [sweep] table in STUDY.toml, e.g. [sweep.grid] with "
                              "optimizer.lr = [0.3, 0.1, 0.03].")
        restarts = table["restarts"]
        points = _grid_points(table["grid"]) if table["method"] == "grid" else \
            _random_points(table["random"], table["samples"], config["study"]["seed"])
    plans = []
    for opt_index, optimizer in enumerate(config["optimizer"]):
        for point in points:
            for restart in range(restarts):
                run_config = copy.deepcopy(base)
                run_config["optimizer"] = copy.deepcopy(optimizer)
                for path, value in point.items():
                    dotted_set(run_config, path, value)
                run_config["seed"] = config["study"]["seed"] + restart
                run_config["restart"] = restart
                label = "-".join(f"{path.split('.')[-1]}{_short(v)}" for path, v in point.items())
                run_id = "-".join(p for p in (run_config["optimizer"]["name"], label, f"r{restart}") if p)
                plans.append({"run_id": run_id, "config": run_config, "swept": point, "restart": restart})
    ids = [p["run_id"] for p in plans]
    if len(set(ids)) != len(ids):  # e.g. two [[optimizer]] entries with the same name
        for i, plan in enumerate(plans):
            plan["run_id"] = f"{i:03d}-{plan['run_id']}"
    return plans


def _short(value: Any) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _grid_points(grid: dict[str, list]) -> list[dict[str, Any]]:
    paths = list(grid)
    return [dict(zip(paths, values)) for values in itertools.product(*(grid[p] for p in paths))]


def _random_points(ranges: dict[str, dict], samples: int, seed: int) -> list[dict[str, Any]]:
    rng = onp.random.default_rng(seed)
    points = []
    for _ in range(samples):
        point = {}
        for path, spec in ranges.items():
            low, high = float(spec["low"]), float(spec["high"])
            if spec.get("log"):
                value = math.exp(rng.uniform(math.log(low), math.log(high)))
            else:
                value = rng.uniform(low, high)
            is_int = isinstance(spec["low"], int) and isinstance(spec["high"], int) and not spec.get("log")
            point[path] = int(round(value)) if is_int else float(f"{value:.4g}")
        points.append(point)
    return points


def check_plans(plans: list[dict]) -> None:
    """Check every distinct optimiser and problem of the plan before running anything."""
    from ravine.cli.training import check_run_config

    seen = set()
    for plan in plans:
        key = _json({k: plan["config"].get(k) for k in ("optimizer", "problem", "schedule")})
        if key not in seen:
            seen.add(key)
            check_run_config(plan["config"])


def execute_run(run_dir: str, run_config: dict, resume: bool) -> dict:
    """Run one planned configuration in ``run_dir`` (resuming when asked); return its summary."""
    from ravine.cli.training import train

    run = RunDir.open(Path(run_dir), run_config, resume=resume)
    if run.done:
        return {**run.result(), "skipped": True}
    return {**train(run, run_config, resume=resume), "skipped": False}


def run_study_file(path: str, out: str | None = None, resume: bool = False) -> dict:
    """``ravine run``: every optimiser of the study, one after the other, in OUT/runs/."""
    config = load_study_file(path)
    plans = plan_runs(config, sweep=False)
    check_plans(plans)
    folder = output_folder(config, out)
    rows = []
    for plan in plans:
        summary = execute_run(str(folder / "runs" / plan["run_id"]), plan["config"], resume)
        rows.append({"run_id": plan["run_id"], **summary})
    write_atomic(folder / "summary.json", _json({"study": config["study"]["name"], "runs": rows}))
    from ravine.cli.run_report import write_run_report

    return {"folder": str(folder), "runs": rows, "report": str(write_run_report(config, folder, rows))}


def diagnose_run_dir(path: str) -> Any:
    """The doctor's :class:`~ravine.diagnose.doctor.Diagnosis` of the history saved in a run
    folder (finished or not).  When the folder holds its configuration and a checkpoint, the
    objective is rebuilt so the doctor also checks the gradient and the curvature at the last
    parameters, and the input statistics of a dataset."""
    run = RunDir(Path(path))
    history = run.history()
    if not len(history):
        raise ConfigError(f"The history in {path!r} is empty: the run stopped before its first step.")
    from ravine.diagnose import diagnose

    evidence: dict[str, Any] = {}
    config, saved = run.config(), run.checkpoint_dir / "params.npz"
    if config is not None and "problem" in config and saved.exists():
        from ravine.misc.flatten import flatten
        from ravine.optim.checkpointing import load_arrays
        from ravine.studies.custom import build_objective

        objective = build_objective(config["problem"], int(config.get("seed", 0)), int(config.get("restart", 0)))
        unflatten = flatten(objective.params)[1]
        evidence.update(loss=objective.loss, params=unflatten(load_arrays(saved)["x"]))
        if objective.inputs is not None:
            evidence["inputs"] = objective.inputs
    return diagnose(history, **evidence)


def _json(value: Any) -> str:
    import json

    return json.dumps(to_jsonable(value), indent=2, allow_nan=False)
