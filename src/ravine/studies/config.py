"""STUDY.toml: the schema of a user-described study, parsed with ``tomllib`` and validated.

A study file is data only: nothing in it is executed.  Every mistake raises a
:class:`~ravine.errors.ConfigError` that names the field, what was found and
what is allowed.  The schema::

    [study]                 name (required), output (folder), seed
    [problem]               name = a built-in problem, start = [x, y]      (surfaces)
                            or dataset = ..., model = ..., hidden, activation, standardize,
                            batch_size, n_train (learning from data)
    [[optimizer]]           name (required), lr, and the optimiser's own hyper-parameters;
                            one table or several ([[optimizer]]) to compare
    [schedule]              name and its arguments (optional)
    [budget]                max_steps, tol (|f_k − f_{k−1}| < tol), grad_tol, time_limit
    [sweep]                 method = "grid" | "random", restarts, samples (random);
                            [sweep.grid] lists of values; [sweep.random] {low, high, log}
                            keyed by field path, e.g.  optimizer.lr = [0.3, 0.1, 0.03]
"""

from __future__ import annotations

import copy
import math
import re
import tomllib
from pathlib import Path
from typing import Any

from ravine.errors import ConfigError

__all__ = ["load_study_file", "parse_study", "TABLES", "dotted_get", "dotted_set"]

TABLES = {
    "study": {"name", "output", "seed", "description"},
    "problem": {"name", "start", "dataset", "model", "hidden", "activation", "standardize", "batch_size",
                "n_train", "init", "loss"},
    "optimizer": None,  # the optimiser's own hyper-parameters are checked by the optimiser
    "schedule": None,
    "budget": {"max_steps", "tol", "grad_tol", "time_limit", "checkpoint_every"},
    "sweep": {"method", "restarts", "samples", "grid", "random"},
}
SWEEP_METHODS = ("grid", "random")
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")


def load_study_file(path: str | Path) -> dict:
    """Read and validate a STUDY.toml; return the normalised configuration (a plain dict)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"The study file {str(path)!r} does not exist. Give the path of a STUDY.toml.") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"Cannot read the study file {str(path)!r}: {exc}.") from None
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{str(path)!r} is not valid TOML: {exc}. Check quotes, brackets and '=' signs "
                          f"near that line.") from None
    return parse_study(raw, source=str(path))


def parse_study(raw: dict, source: str = "STUDY.toml") -> dict:
    """Validate the structure and values of a parsed study; names of optimisers, problems,
    datasets and models are checked against the registries by :mod:`ravine.studies.custom`."""
    unknown = sorted(set(raw) - set(TABLES))
    if unknown:
        raise ConfigError(f"{source}: unknown table [{unknown[0]}]; the allowed tables are "
                          f"{', '.join('[' + t + ']' for t in TABLES)}.")
    config = copy.deepcopy(raw)
    for table, allowed in TABLES.items():
        value = config.get(table)
        if value is None:
            continue
        entries = value if table == "optimizer" and isinstance(value, list) else [value]
        for entry in entries:
            if not isinstance(entry, dict):
                raise ConfigError(f"{source}: [{table}] must be a table (key = value lines), "
                                  f"got {type(entry).__name__} {entry!r:.60}.")
            if allowed is not None:
                extra = sorted(set(entry) - allowed)
                if extra:
                    raise ConfigError(f"{source}: unknown field {table}.{extra[0]}; the fields of [{table}] are "
                                      f"{', '.join(sorted(allowed))}.")

    study = config.setdefault("study", {})
    if "name" not in study:
        raise ConfigError(f"{source}: missing field study.name; add a [study] table with name = \"my-study\".")
    _check_name(study["name"], "study.name", source)
    if not isinstance(study.get("description", ""), str):
        raise ConfigError(f"{source}: study.description must be text (a string), got {study['description']!r:.60}.")
    study.setdefault("seed", 0)
    _check_int(study["seed"], "study.seed", source, minimum=0)
    study.setdefault("output", f"ravine-runs/{study['name']}")
    if not isinstance(study["output"], str) or not study["output"]:
        raise ConfigError(f"{source}: study.output must be a folder path (a string), got {study['output']!r}.")

    _check_problem(config.get("problem"), source)
    optimizers = config.get("optimizer")
    if optimizers is None:
        raise ConfigError(f"{source}: missing [optimizer] table; add one with name = \"gd\" and lr = 0.1 "
                          f"(see `ravine list optimizers`).")
    config["optimizer"] = optimizers if isinstance(optimizers, list) else [optimizers]
    for i, opt in enumerate(config["optimizer"]):
        where = "optimizer" if len(config["optimizer"]) == 1 else f"optimizer[{i}]"
        if "name" not in opt:
            raise ConfigError(f"{source}: missing field {where}.name (see `ravine list optimizers`).")
        _check_name(opt["name"], f"{where}.name", source)
        if "schedule" in opt:
            raise ConfigError(f"{source}: {where}.schedule: a schedule has its own table; write [schedule] with "
                              f"name = \"late_exponential\" and its parameters (see `ravine list schedules`).")
        _check_hyper_parameters(opt, where, source)
    if config.get("schedule") is not None:
        if "name" not in config["schedule"]:
            raise ConfigError(f"{source}: missing field schedule.name (see `ravine list schedules`).")
        _check_hyper_parameters(config["schedule"], "schedule", source)

    budget = config.setdefault("budget", {})
    budget.setdefault("max_steps", 1000)
    _check_int(budget["max_steps"], "budget.max_steps", source, minimum=1)
    budget.setdefault("checkpoint_every", 25)
    _check_int(budget["checkpoint_every"], "budget.checkpoint_every", source, minimum=1)
    for key in ("tol", "grad_tol", "time_limit"):
        if key in budget:
            _check_positive(budget[key], f"budget.{key}", source)

    if "sweep" in config:
        _check_sweep(config, source)
    return config


# ---------------------------------------------------------------- pieces


def _check_problem(problem: Any, source: str) -> None:
    if problem is None:
        raise ConfigError(f"{source}: missing [problem] table; give name = \"rosenbrock\" (a built-in problem) "
                          f"or dataset = \"digits\" with model = \"logistic\" (see `ravine list`).")
    has_name, has_data = "name" in problem, "dataset" in problem
    if has_name == has_data:
        raise ConfigError(f"{source}: [problem] needs exactly one of problem.name (a built-in problem) or "
                          f"problem.dataset (with problem.model); found "
                          f"{'both' if has_name else 'neither'}.")
    if has_data and "model" not in problem:
        raise ConfigError(f"{source}: problem.dataset needs problem.model too (see `ravine list models`).")
    for key in ("name", "dataset", "model"):
        if key in problem:
            _check_name(problem[key], f"problem.{key}", source)
    if "start" in problem:
        start = problem["start"]
        if not (isinstance(start, list) and start and all(_is_number(v) for v in start)):
            raise ConfigError(f"{source}: problem.start must be a list of numbers like [-1.2, 1.0], got {start!r}.")
    if "hidden" in problem:
        hidden = problem["hidden"]
        if not (isinstance(hidden, list) and all(isinstance(h, int) and not isinstance(h, bool) and h >= 1
                                                 for h in hidden)):
            raise ConfigError(f"{source}: problem.hidden must be a list of layer widths ≥ 1 like [32], "
                              f"got {hidden!r}.")
    for key in ("batch_size", "n_train"):
        if key in problem:
            _check_int(problem[key], f"problem.{key}", source, minimum=1)
    if "standardize" in problem and not isinstance(problem["standardize"], bool):
        raise ConfigError(f"{source}: problem.standardize must be true or false, got {problem['standardize']!r}.")


def _check_hyper_parameters(table: dict, where: str, source: str) -> None:
    for key, value in table.items():
        if key == "name":
            continue
        if key in ("lr", "eta0", "alpha0") and _is_number(value) and value <= 0:
            raise ConfigError(f"{source}: {where}.{key} must be a positive number (the learning rate η > 0), "
                              f"got {value!r}.")
        if not (_is_number(value) or isinstance(value, (str, bool))):
            raise ConfigError(f"{source}: {where}.{key} must be a number, string or boolean, got {value!r:.60}.")
        if _is_number(value) and not math.isfinite(value):
            raise ConfigError(f"{source}: {where}.{key} must be finite, got {value!r}.")


def _check_sweep(config: dict, source: str) -> None:
    sweep = config["sweep"]
    sweep.setdefault("method", "grid")
    if sweep["method"] not in SWEEP_METHODS:
        raise ConfigError(f"{source}: sweep.method must be one of {', '.join(SWEEP_METHODS)}, "
                          f"got {sweep['method']!r}.")
    sweep.setdefault("restarts", 1)
    _check_int(sweep["restarts"], "sweep.restarts", source, minimum=1)
    if sweep["method"] == "grid":
        grid = flatten_paths(sweep.get("grid", {}), "sweep.grid", source)
        for path, values in grid.items():
            if not (isinstance(values, list) and values):
                raise ConfigError(f"{source}: sweep.grid.{path} must be a non-empty list of values, got {values!r}.")
            for value in values:
                _check_swept_value(config, path, value, source)
        sweep["grid"] = grid
    else:
        sweep.setdefault("samples", 8)
        _check_int(sweep["samples"], "sweep.samples", source, minimum=1)
        ranges = flatten_paths(sweep.get("random", {}), "sweep.random", source, leaf_tables=True)
        if not ranges:
            raise ConfigError(f"{source}: sweep.method = \"random\" needs a [sweep.random] table, e.g. "
                              f"optimizer.lr = {{ low = 1e-4, high = 0.3, log = true }}.")
        for path, spec in ranges.items():
            if not (isinstance(spec, dict) and set(spec) <= {"low", "high", "log"} and {"low", "high"} <= set(spec)
                    and _is_number(spec["low"]) and _is_number(spec["high"]) and spec["low"] < spec["high"]):
                raise ConfigError(f"{source}: sweep.random.{path} must be {{ low = a, high = b, log = true|false }} "
                                  f"with a < b, got {spec!r}.")
            if spec.get("log") and spec["low"] <= 0:
                raise ConfigError(f"{source}: sweep.random.{path} has log = true, so low must be > 0, "
                                  f"got {spec['low']!r}.")
            _check_swept_value(config, path, spec["low"], source)
        sweep["random"] = ranges


def _check_swept_value(config: dict, path: str, value: Any, source: str) -> None:
    trial = copy.deepcopy(config)
    trial.pop("sweep", None)
    head = path.split(".")[0]
    if head not in ("optimizer", "problem", "schedule", "budget"):
        raise ConfigError(f"{source}: cannot sweep {path!r}; swept fields start with optimizer., problem., "
                          f"schedule. or budget.")
    dotted_set(trial, path, value)
    parse_study(trial, source)


def flatten_paths(table: Any, where: str, source: str, leaf_tables: bool = False) -> dict[str, Any]:
    """``{"optimizer": {"lr": [..]}}`` → ``{"optimizer.lr": [..]}`` (already-dotted keys kept)."""
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: {where} must be a table, got {table!r:.60}.")
    out: dict[str, Any] = {}
    for key, value in table.items():
        is_leaf = not isinstance(value, dict) or (leaf_tables and {"low", "high"} & set(value))
        if is_leaf:
            out[key] = value
        else:
            for sub, leaf in flatten_paths(value, f"{where}.{key}", source, leaf_tables).items():
                out[f"{key}.{sub}"] = leaf
    return out


def dotted_get(config: dict, path: str) -> Any:
    node: Any = config
    for part in path.split("."):
        node = node[0] if isinstance(node, list) else node
        node = node[part]
    return node


def dotted_set(config: dict, path: str, value: Any) -> None:
    """Set ``optimizer.lr`` (in every [[optimizer]] entry when there are several)."""
    parts = path.split(".")
    nodes = config.setdefault(parts[0], {})
    for node in nodes if isinstance(nodes, list) else [nodes]:
        for part in parts[1:-1]:
            node = node.setdefault(part, {})
        node[parts[-1]] = value


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _check_int(value: Any, field: str, source: str, minimum: int) -> None:
    if not (isinstance(value, int) and not isinstance(value, bool) and value >= minimum):
        raise ConfigError(f"{source}: {field} must be a whole number ≥ {minimum}, got {value!r}.")


def _check_positive(value: Any, field: str, source: str) -> None:
    if not (_is_number(value) and value > 0 and math.isfinite(value)):
        raise ConfigError(f"{source}: {field} must be a positive number, got {value!r}.")


def _check_name(value: Any, field: str, source: str) -> None:
    if not (isinstance(value, str) and _NAME.match(value)):
        raise ConfigError(f"{source}: {field} must be a name of letters, digits, '-', '_' or '.', got {value!r}.")
