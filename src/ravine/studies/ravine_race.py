"""Study 2 — the ravine: ten optimisers on an ill-conditioned quadratic and on Rosenbrock.

Lectures 000 and 003: with badly conditioned curvature gradient descent bounces
across the ravine and crawls along it; momentum, per-coordinate step sizes,
sign-based steps and curvature (Newton, L-BFGS) are the lectures' answers.
Each method runs from the same start until f − f* < tol (or the budget ends);
the table counts steps and gradient evaluations.
"""

from __future__ import annotations

import math

import numpy as onp

from ravine.data import get_surface
from ravine.diagnose import condition_number, hessian_operator
from ravine.optim import minimize
from ravine.studies.base import StudyConfig, StudyResult, StudySpec, Table
from ravine.studies.common import doctor, surface_contour

TOL = 1e-6
KAPPA = 100.0
EXPLANATION = """
When the Hessian has some large and some small eigenvalues the cost surface is a long,
narrow ravine. Gradient descent must keep its step below 2/λmax to stay stable in the
steep directions, and then progresses slowly along the floor of the ravine: at the best
fixed step 2/(λmin + λmax) the error shrinks by (κ − 1)/(κ + 1) per step, where κ = λmax/λmin
is the condition number (lecture 000).

Momentum lets the steps pile up along the floor while the zig-zags across it cancel;
Nesterov's method evaluates the gradient after the momentum step (lecture 001). Adagrad,
RMSprop and Adam rescale each coordinate; Rprop and QuickProp use only the signs or secants
of per-coordinate derivatives. Newton's method and L-BFGS use curvature itself and walk
down the ravine in a handful of steps: Newton solves a quadratic in one (lecture 001).
Rosenbrock's banana-shaped valley (lecture 003, Figure 5) adds a curved floor.
"""


def _methods(surface_name: str) -> dict[str, tuple[str, dict]]:
    """label → (registry name, hyper-parameters), tuned once per problem."""
    if surface_name == "quadratic":
        lmin, lmax = 1.0, KAPPA
        return {
            "GD": ("gd", {"lr": 2.0 / (lmin + lmax)}),
            "momentum": ("momentum", {"lr": 4.0 / (math.sqrt(lmax) + math.sqrt(lmin)) ** 2,
                                      "mu": ((math.sqrt(lmax) - 1) / (math.sqrt(lmax) + 1)) ** 2}),
            "Nesterov": ("nesterov", {"lr": 1.0 / lmax, "mu": 0.9}),
            "Adagrad": ("adagrad", {"lr": 1.0}),
            "RMSprop": ("rmsprop", {"lr": 0.01}),
            "Adam": ("adam", {"lr": 0.1}),
            "Rprop": ("rprop_simple", {}),
            "QuickProp": ("quickprop", {"lr": 0.01}),
            "Newton": ("newton", {}),
            "L-BFGS": ("lbfgs", {}),
        }
    return {
        "GD": ("gd", {"lr": 1e-3}),
        "momentum": ("momentum", {"lr": 1e-3, "mu": 0.9}),
        "Nesterov": ("nesterov", {"lr": 1e-3, "mu": 0.9}),
        "Adagrad": ("adagrad", {"lr": 0.5}),
        "RMSprop": ("rmsprop", {"lr": 1e-3}),
        "Adam": ("adam", {"lr": 0.02}),
        "Rprop": ("rprop_simple", {}),
        "QuickProp": ("quickprop", {"lr": 1e-3}),
        "Newton": ("newton", {}),
        "L-BFGS": ("lbfgs", {}),
    }


def race(surface, methods: dict[str, tuple[str, dict]], max_steps: int, tol: float = TOL) -> dict:
    """Run every method from the surface's start until f − f* < tol; per method: steps, evaluations, path."""
    fstar = surface.global_minimum.value
    out = {}
    for label, (method, options) in methods.items():
        run = minimize(surface.f, onp.array(surface.start), method=method, max_steps=max_steps,
                       callback=lambda info: info.loss - fstar < tol, **options, progress=False)
        gap = onp.asarray(run.history.loss) - fstar
        hit = onp.nonzero(gap < tol)[0]
        steps = int(hit[0]) if len(hit) else None
        evals = int(onp.asarray(run.history.evals)[steps]) if steps is not None else None
        out[label] = {"method": method, "options": options, "steps": steps, "evals": evals,
                      "final_gap": float(gap[-1]), "history": run.history,
                      "path": onp.asarray(run.history.params)}
    return out


def run(config: StudyConfig) -> StudyResult:
    result = StudyResult("ravine", "The ravine: ten optimisers on ill-conditioned problems", EXPLANATION)
    budget = config.size(4000, 500)
    for name, surface in (("quadratic", get_surface("quadratic", eigenvalues=(1.0, KAPPA))),
                          ("rosenbrock", get_surface("rosenbrock"))):
        runs = race(surface, _methods(name), budget)
        title = "ill-conditioned quadratic, κ = 100" if name == "quadratic" else "Rosenbrock from (−1.2, 1)"
        rows = [[label, r["method"], _options(r["options"]), r["steps"], r["evals"], r["final_gap"]]
                for label, r in runs.items()]
        result.tables.append(Table(f"{title}: steps and gradient evaluations to reach f − f* < {TOL:g} "
                                   f"(budget {budget} steps; empty = not reached)",
                                   ["optimiser", "registry name", "hyper-parameters", "steps", "evaluations",
                                    "final f − f*"], rows))
        result.numbers[name] = {label: {k: r[k] for k in ("method", "options", "steps", "evals", "final_gap")}
                                for label, r in runs.items()}
        result.figures[f"{title}: every optimiser's path from the same start"] = surface_contour(
            surface, {label: r["path"] for label, r in runs.items()}, f"Ten optimisers on the {title}",
            log_levels=name == "rosenbrock")
        doctor(result, f"GD on the {title}", runs["GD"]["history"], loss=surface.f,
               params=runs["GD"]["path"][-1])
        if name == "quadratic":
            _quadratic_facts(result, surface, runs)
        else:
            second = max(runs["Newton"]["steps"] or budget, runs["L-BFGS"]["steps"] or budget)
            first_order = ("GD", "momentum", "Adam")
            first = [runs[m]["steps"] or budget for m in first_order]
            result.fact("On Rosenbrock, Newton and L-BFGS need far fewer steps than first-order methods",
                        second * 10 < min(first),
                        f"Newton {runs['Newton']['steps']}, L-BFGS {runs['L-BFGS']['steps']} steps; GD, momentum, "
                        f"Adam: {', '.join(str(runs[m]['steps'] or f'> {budget}') for m in first_order)}")
    return result


def _quadratic_facts(result: StudyResult, surface, runs: dict) -> None:
    kappa = condition_number(hessian_operator(surface.f, onp.array(surface.start)))
    result.measure("condition number κ of the quadratic", kappa.value, theory=KAPPA, rel_tol=1e-6)
    rho = (KAPPA - 1) / (KAPPA + 1)
    f0 = float(surface.f(onp.array(surface.start)) - surface.global_minimum.value)
    predicted = math.ceil(math.log(TOL / f0) / (2 * math.log(rho)))
    result.measure("GD steps to tolerance at η = 2/(λmin + λmax)", runs["GD"]["steps"], theory=predicted,
                   rel_tol=0.0, note=f"f_k = f_0 ρ^(2k), ρ = (κ−1)/(κ+1) = {rho:.6f}")
    result.fact("GD at the best fixed step contracts by (κ − 1)/(κ + 1) per step",
                runs["GD"]["steps"] == predicted,
                f"measured {runs['GD']['steps']} steps, predicted ⌈log(tol/f₀) / (2 log ρ)⌉ = {predicted}")
    result.fact("Momentum crosses the ravine much faster than GD",
                runs["momentum"]["steps"] is not None and runs["momentum"]["steps"] * 3 < runs["GD"]["steps"],
                f"momentum {runs['momentum']['steps']} steps, GD {runs['GD']['steps']}")
    result.fact("Newton's method solves a quadratic in one step", runs["Newton"]["steps"] == 1,
                f"Newton reached f − f* < {TOL:g} after {runs['Newton']['steps']} step(s)")


def _options(options: dict) -> str:
    return ", ".join(f"{k}={v:.4g}" if isinstance(v, float) else f"{k}={v}" for k, v in options.items()) or "defaults"


SPEC = StudySpec("ravine", "The ravine: ten optimisers on ill-conditioned problems", "000, 001, 003",
                 "GD, momentum, Nesterov, Adagrad, RMSprop, Adam, Rprop, QuickProp, Newton, L-BFGS race", run)
