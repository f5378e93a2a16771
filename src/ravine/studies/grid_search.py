"""Study 11 — learning-rate grid search and random restarts, in parallel (lecture 003).

The learning rate is tuned by a grid search over values spaced by about 3×
(0.3, 0.1, 0.03, ...); local optima are countered with random restarts.  Both
are sets of independent runs, so they run in parallel worker processes.
"""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor

import numpy as onp

from ravine.data import get_surface
from ravine.diagnose import extreme_eigenpairs, hessian_operator
from ravine.nn.models import SoftmaxRegression
from ravine.optim import minimize
from ravine.plot.comparison import lr_sweep_plot
from ravine.studies.base import StudyConfig, StudyResult, StudySpec, Table
from ravine.studies.common import digits_rows, doctor, surface_contour

GRID = (3.0, 1.0, 0.3, 0.1, 0.03, 0.01, 0.003)
WORKERS = 2
EXPLANATION = """
The learning rate is one of the most important hyper-parameters and one of the hardest to
choose in advance, so it is worth tuning carefully: try a grid of values spaced by factors
of about 3, such as {0.3, 0.1, 0.03, ..., 0.0001}, and keep the one that does best on
held-out data (lecture 003). Too small makes slow progress; too large oscillates or is
unstable.

Local optima are hard to diagnose; the usual workaround is random restarts: train from
several random initialisations and keep whichever result has the lowest cost. Every run of
a grid search or of a set of restarts is independent of the others, so they run in
parallel worker processes (here and in `ravine sweep`).
"""


def train_with_lr(lr: float, data: tuple, seed: int, steps: int) -> dict:
    """One grid point: softmax regression on the digits by GD at ``lr`` (runs in a worker)."""
    x, y, x_val, y_val = data
    model = SoftmaxRegression(n_features=x.shape[1], n_classes=10)
    run = minimize(model.objective(x, y), model.init(seed), method="gd", lr=lr, max_steps=steps, progress=False)
    val = float(model.objective(x_val, y_val)(run.params)) if run.status != "diverged" else float("inf")
    return {"lr": lr, "train_loss": float(run.loss) if run.status != "diverged" else float("inf"),
            "val_loss": val, "status": run.status, "history": run.history}


def restart(seed: int, steps: int) -> dict:
    """One random restart: GD on the surface with four minima from a random start (runs in a worker)."""
    surface = get_surface("local_minima")
    (a, b), (c, d) = surface.bounds
    start = onp.random.default_rng(seed).uniform([a, c], [b, d])
    run = minimize(surface.f, start, method="gd", lr=0.02, max_steps=steps, tol_grad=1e-8, progress=False)
    return {"seed": seed, "start": start.tolist(), "final": float(run.loss), "end": onp.asarray(run.params).tolist(),
            "path": onp.asarray(run.history.params), "history": run.history}


def run(config: StudyConfig) -> StudyResult:
    result = StudyResult("grid-search", "Learning-rate grid search and random restarts, in parallel", EXPLANATION)
    n, steps = config.size(600, 300), config.size(200, 60)
    n_restarts = config.size(12, 8)
    data = digits_rows(n, config.seed)
    with ProcessPoolExecutor(max_workers=WORKERS) as pool:
        grid_jobs = [pool.submit(train_with_lr, lr, data, config.seed, steps) for lr in GRID]
        restart_jobs = [pool.submit(restart, config.seed + i, config.size(400, 200)) for i in range(n_restarts)]
        grid = [job.result() for job in grid_jobs]
        restarts = [job.result() for job in restart_jobs]
    _grid_results(result, grid, data, config, n, steps)
    _restart_results(result, restarts)
    return result


def _grid_results(result: StudyResult, grid: list[dict], data: tuple, config: StudyConfig, n: int,
                  steps: int) -> None:
    x, y, _, _ = data
    model = SoftmaxRegression(n_features=x.shape[1], n_classes=10)
    curvature = hessian_operator(model.objective(x, y), model.init(config.seed))
    lam_max = float(extreme_eigenpairs(curvature, k=1).values[-1])
    best = min(grid, key=lambda g: g["val_loss"])
    ratios = [GRID[i] / GRID[i + 1] for i in range(len(GRID) - 1)]
    result.tables.append(Table(f"Softmax regression on {n} digits, GD for {steps} steps per learning rate",
                               ["learning rate", "final training loss", "validation loss", "status"],
                               [[g["lr"], g["train_loss"], g["val_loss"], g["status"]] for g in grid]))
    result.numbers["grid"] = [{k: v for k, v in g.items() if k != "history"} for g in grid]
    result.numbers["best_lr"], result.numbers["lambda_max_at_init"] = best["lr"], lam_max
    result.measure("best learning rate (validation loss)", best["lr"])
    result.measure("2/λmax at initialisation", 2.0 / lam_max)
    result.fact("The grid is spaced by factors of about 3", all(2.9 <= r <= 3.4 for r in ratios),
                f"ratios {', '.join(f'{r:.3g}' for r in ratios)}")
    result.fact("The best learning rate lies inside the grid, not at either end",
                best["lr"] not in (GRID[0], GRID[-1]), f"best {best['lr']:g} of {GRID}")
    smallest, largest = grid[-1], grid[0]
    result.fact("The smallest rate makes slow progress; the largest does worse than the best",
                smallest["train_loss"] > best["train_loss"] and largest["val_loss"] > best["val_loss"],
                f"training loss {smallest['train_loss']:.3g} at α = {smallest['lr']:g} against "
                f"{best['train_loss']:.3g} at the best; validation {largest['val_loss']:.3g} at α = {largest['lr']:g}")
    doctor(result, f"grid: α = {smallest['lr']:g}", smallest["history"])
    doctor(result, f"grid: α = {largest['lr']:g}", largest["history"])
    result.figures["Grid search: final training and validation loss per learning rate"] = lr_sweep_plot(
        [g["lr"] for g in grid], {"training": [g["train_loss"] for g in grid],
                                  "validation": [g["val_loss"] for g in grid]},
        bound=2.0 / lam_max, bound_label="2/λmax at initialisation",
        title="Learning-rate grid search (spacing ×3)")


def _restart_results(result: StudyResult, restarts: list[dict]) -> None:
    surface = get_surface("local_minima")
    minima = sorted(p.value for p in surface.minima)
    finals = [r["final"] for r in restarts]
    best, worst = min(restarts, key=lambda r: r["final"]), max(restarts, key=lambda r: r["final"])
    basins = sorted({min(range(len(minima)), key=lambda i: abs(minima[i] - f)) for f in finals})
    result.tables.append(Table(f"{len(restarts)} random restarts of GD on a surface with {len(minima)} minima",
                               ["seed", "start", "final cost", "end"],
                               [[r["seed"], _pt(r["start"]), r["final"], _pt(r["end"])] for r in restarts]))
    result.numbers["restarts"] = {"finals": finals, "minima": minima, "basins_reached": basins}
    result.measure("best restart's final cost", best["final"], theory=minima[0], rel_tol=1e-6,
                   note="theory: the global minimum")
    result.measure("distinct minima reached", len(basins), unit=f"of {len(minima)}")
    result.fact("Random restarts land in different basins; the best reaches the global minimum",
                len(basins) >= 2 and abs(best["final"] - minima[0]) <= 1e-6 * max(1.0, abs(minima[0])),
                f"{len(basins)} different minima reached; best {best['final']:.6g}, global minimum {minima[0]:.6g}")
    doctor(result, f"restart with seed {worst['seed']}", worst["history"],
           restarts=[r["final"] for r in restarts if r is not worst])
    result.figures["Random restarts: each start rolls into its own basin of attraction"] = surface_contour(
        surface, {f"seed {r['seed']}": r["path"] for r in restarts}, "Random restarts on four minima")


def _pt(values) -> str:
    return "(" + ", ".join(f"{v:.3g}" for v in values) + ")"


SPEC = StudySpec("grid-search", "Learning-rate grid search and random restarts, in parallel", "003",
                 "a ×3-spaced learning-rate grid and random restarts run in parallel worker processes", run)
