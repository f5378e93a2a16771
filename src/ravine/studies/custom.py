"""A user-described study (STUDY.toml) turned into something to minimise.

:func:`build_objective` reads the ``[problem]`` table of a validated config
(:mod:`ravine.studies.config`) and returns an :class:`Objective`: the loss as a
function of the parameters, the starting parameters, and — for learning from
data — the training rows (for mini-batch methods), a held-out loss and the
inputs (for the doctor's input statistics).  Names are checked against the
registries of :mod:`ravine.data` and :mod:`ravine.nn`.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Callable

import numpy as onp

from ravine.data import REGISTRY, Standardizer, load
from ravine.errors import ConfigError

__all__ = ["Objective", "build_objective", "tabular_models", "PROBLEM_KINDS", "DATASET_KINDS"]

PROBLEM_KINDS = ("surface", "problem")
DATASET_KINDS = ("table", "images")  # those that load without a path (MNIST needs the user's files)
_MODEL_OPTIONS = {"hidden": "hidden", "activation": "activation", "init": "init_scheme"}


@dataclass(frozen=True)
class Objective:
    """What one run minimises; ``batch_loss(params, X, y)`` and ``data`` serve mini-batch methods."""

    loss: Callable[[Any], Any]
    params: Any
    description: str
    data: tuple[onp.ndarray, onp.ndarray] | None = None
    batch_loss: Callable[..., Any] | None = None
    val_loss: Callable[[Any], Any] | None = None
    inputs: onp.ndarray | None = None


def build_objective(problem: dict, seed: int, restart: int = 0) -> Objective:
    """The objective named by a validated ``[problem]`` table, initialised with ``seed``.

    Random restarts (lecture 003): a model's parameters are drawn with ``seed``; on a
    2-D surface restart 0 starts at ``problem.start`` (or the surface's own start) and
    every later restart at a point drawn uniformly from the surface's plotting box.
    """
    if "name" in problem:
        return _named_problem(problem, seed, restart)
    return _dataset_problem(problem, seed)


def _named_problem(problem: dict, seed: int, restart: int) -> Objective:
    name = problem["name"]
    spec = REGISTRY.get(name)
    if spec is None or spec.kind not in PROBLEM_KINDS:
        allowed = [n for n, s in REGISTRY.items() if s.kind in PROBLEM_KINDS]
        raise ConfigError(f"problem.name = {name!r} is not a built-in problem; choose one of {', '.join(allowed)} "
                          f"(or use problem.dataset for learning from data).")
    extra = sorted(set(problem) - {"name", "start", "model", "hidden", "activation", "init", "standardize"})
    if spec.kind == "surface":
        if set(problem) - {"name", "start"}:
            raise ConfigError(f"problem {name!r} is a 2-D surface: it takes only problem.start, not "
                              f"{', '.join(sorted(set(problem) - {'name', 'start'}))}.")
        surface = load(name)
        start = onp.array(problem.get("start", surface.start), dtype=float)
        if restart > 0:
            (a, b), (c, d) = surface.bounds
            start = onp.random.default_rng(seed).uniform([a, c], [b, d])
        if start.shape != (2,):
            raise ConfigError(f"problem.start must have 2 numbers for the surface {name!r}, got {start.tolist()}.")
        return Objective(surface.f, start, f"{name}: {surface.formula}")
    if extra:
        raise ConfigError(f"problem {name!r} does not use {', '.join(extra)}.")
    data = load(name)
    default = "linear_regression" if data.task == "regression" else "logistic_regression"
    return _fit_rows(problem, problem.get("model", default), data.x, data.y, None, None, seed, data.description)


def _dataset_problem(problem: dict, seed: int) -> Objective:
    name = problem["dataset"]
    spec = REGISTRY.get(name)
    if spec is None or spec.kind not in DATASET_KINDS or spec.needs_path:
        allowed = [n for n, s in REGISTRY.items() if s.kind in DATASET_KINDS and not s.needs_path]
        raise ConfigError(f"problem.dataset = {name!r} is not a table dataset a STUDY.toml can use; choose one "
                          f"of {', '.join(allowed)}.")
    split = load(name, seed=seed)
    n = problem.get("n_train")
    x, y = (split.x_train, split.y_train) if n is None else (split.x_train[:n], split.y_train[:n])
    return _fit_rows(problem, problem["model"], x, y, split.x_test, split.y_test, seed, spec.description)


def tabular_models() -> dict[str, type]:
    """The models that learn from a table of rows: those of ``ravine.nn.models.MODELS`` with ``n_features``."""
    from ravine.nn.models import MODELS

    return {name: cls for name, cls in MODELS.items()
            if dataclasses.is_dataclass(cls) and "n_features" in {f.name for f in dataclasses.fields(cls)}}


def _fit_rows(problem: dict, model_name: str, x, y, x_val, y_val, seed: int, what: str) -> Objective:
    models = tabular_models()
    if model_name not in models:
        raise ConfigError(f"problem.model = {model_name!r} is not a model for tables of rows; choose one of "
                          f"{', '.join(models)}.")
    x = onp.asarray(x, dtype=float)
    if problem.get("standardize", False):
        scaler = Standardizer.fit(x)
        x = scaler.transform(x)
        x_val = None if x_val is None else scaler.transform(onp.asarray(x_val, dtype=float))
    cls = models[model_name]
    fields = {f.name for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {"n_features": x.shape[1]}
    if "n_classes" in fields:
        kwargs["n_classes"] = int(onp.max(y)) + 1 if x_val is None else int(max(onp.max(y), onp.max(y_val))) + 1
    for key, field_name in _MODEL_OPTIONS.items():
        if key in problem:
            if field_name not in fields:
                raise ConfigError(f"problem.{key} is not an option of model {model_name!r}.")
            kwargs[field_name] = tuple(problem[key]) if key == "hidden" else problem[key]
    model = cls(**kwargs)
    batch_loss = model.loss
    val_loss = None if x_val is None else model.objective(x_val, y_val)
    return Objective(model.objective(x, y), model.init(seed), f"{model_name} on {what}", data=(x, y),
                     batch_loss=batch_loss, val_loss=val_loss, inputs=x)
