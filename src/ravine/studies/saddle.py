"""Study 3 — saddle points (lectures 000, 002; Newton's method of lecture 001).

On f(x1, x2) = x1² − x2² the origin is a critical point with Hessian diag(2, −2):
a saddle.  Gradient descent started exactly there stays (the gradient is zero);
started a hair to the side it escapes, the offset along x2 growing by
|1 − η·(−2)| = 1 + 2η per step.  Newton's step −H⁻¹∇f = −(x1, x2) jumps straight
onto the saddle; the saddle-free step −|H|⁻¹∇f = −(x1, −x2) moves away from it.
"""

from __future__ import annotations

import math

import numpy as onp

from ravine.data import get_surface
from ravine.diagnose import classify_critical_point
from ravine.optim import minimize
from ravine.studies.base import StudyConfig, StudyResult, StudySpec, Table
from ravine.studies.common import doctor, measured_rate, surface_contour

LR = 0.2
OFFSET = 1e-6  # the "tiny perturbation" along the direction of negative curvature
EXPLANATION = """
A saddle point is a critical point (∇J = 0) whose Hessian has both positive and negative
eigenvalues: the surface curves up in some directions and down in others. On
f = x1² − x2² the origin is such a point, with eigenvalues +2 (along x1) and −2 (along x2)
(lecture 002).

If we are exactly on the saddle point we are stuck: the gradient is zero, so gradient
descent does not move. If we are slightly to the side we get unstuck (lecture 000): along
the direction of negative curvature the factor 1 − ηλ exceeds one, so the offset grows
geometrically while the x1 coordinate decays.

Newton's method makes things worse: it actively searches for a point of zero gradient, and
on this quadratic its step lands exactly on the saddle. Replacing the Hessian by |H| (its
eigenvalues made positive, the saddle-free Newton step of Dauphin et al. 2014) turns the
step around along negative curvature, so it descends away from the saddle.
"""


def run(config: StudyConfig) -> StudyResult:
    result = StudyResult("saddle-points", "Saddle points", EXPLANATION)
    surface = get_surface("saddle")
    steps = config.size(60, 40)
    origin = onp.zeros(2)

    critical = classify_critical_point(surface.f, origin)
    result.measure("λmin at the origin", critical.lambda_min, theory=-2.0, rel_tol=1e-8)
    result.measure("λmax at the origin", critical.lambda_max, theory=2.0, rel_tol=1e-8)
    result.fact("The origin is a saddle of x1² − x2²", critical.kind == "saddle", critical.reason)

    on_saddle = minimize(surface.f, origin, method="gd", lr=LR, max_steps=steps, progress=False)
    moved = float(onp.max(onp.linalg.norm(onp.asarray(on_saddle.history.params), axis=1)))
    result.fact("Gradient descent started exactly on the saddle stays there", moved == 0.0,
                f"largest distance from the origin over {on_saddle.n_steps} steps: {moved:g}")
    doctor(result, "GD started on the saddle", on_saddle.history, loss=surface.f, params=on_saddle.params)

    start = onp.array([1.0, OFFSET])
    nudged = minimize(surface.f, start, method="gd", lr=LR, max_steps=steps, progress=False)
    path = onp.asarray(nudged.history.params)
    growth, decay = measured_rate(path[:, 1]), measured_rate(path[:, 0])
    result.measure("growth of the x2 offset per step", growth, theory=1 + 2 * LR, rel_tol=1e-9,
                   note="|1 − ηλ| with λ = −2")
    result.measure("decay of x1 per step", decay, theory=abs(1 - 2 * LR), rel_tol=1e-9, note="|1 − ηλ| with λ = 2")
    escape = int(onp.argmax(onp.abs(path[:, 1]) > 0.1)) if onp.any(onp.abs(path[:, 1]) > 0.1) else None
    predicted = math.log(0.1 / OFFSET) / math.log(1 + 2 * LR)
    result.measure("steps until |x2| > 0.1", escape, theory=math.ceil(predicted), rel_tol=0.0,
                   note=f"log(0.1/{OFFSET:g}) / log(1 + 2η) = {predicted:.2f}")
    result.fact("A tiny perturbation escapes the saddle", escape is not None and growth > 1,
                f"offset {OFFSET:g} grows by {growth:.6f} per step and passes 0.1 at step {escape}")
    doctor(result, f"GD from (1, {OFFSET:g})", nudged.history)

    newton_start = onp.array([1.0, 0.5])
    plain = minimize(surface.f, newton_start, method="newton", mode="plain", lr=1.0, max_steps=1, progress=False)
    free = minimize(surface.f, newton_start, method="newton", mode="saddle_free", max_steps=config.size(6, 4),
                    progress=False)
    plain_path, free_path = onp.asarray(plain.history.params), onp.asarray(free.history.params)
    landed = float(onp.linalg.norm(plain_path[-1]))
    away = float(abs(free_path[-1, 1]))
    result.fact("Plain Newton is attracted to the saddle", landed < 1e-12,
                f"one step from (1, 0.5) lands at distance {landed:.3g} from the saddle")
    result.fact("Saddle-free Newton is not", away > abs(newton_start[1]) and free.loss < surface.f(newton_start),
                f"after {free.n_steps} steps |x2| = {away:.3g} (started at 0.5), f = {free.loss:.4g} "
                f"(started at {float(surface.f(newton_start)):.4g})")
    doctor(result, "plain Newton", plain.history, loss=surface.f, params=plain.params)
    result.tables.append(Table("Where each method ends", ["method", "start", "end", "f(end)", "steps"], [
        ["GD, on the saddle", "(0, 0)", _point(on_saddle.params), float(on_saddle.loss), on_saddle.n_steps],
        ["GD, nudged", f"(1, {OFFSET:g})", _point(nudged.params), float(nudged.loss), nudged.n_steps],
        ["Newton, plain", "(1, 0.5)", _point(plain.params), float(plain.loss), plain.n_steps],
        ["Newton, saddle-free", "(1, 0.5)", _point(free.params), float(free.loss), free.n_steps],
    ]))
    result.numbers.update(stuck_distance=moved, escape_growth=growth, escape_step=escape, plain_newton_end=
                          plain_path[-1].tolist(), saddle_free_end=free_path[-1].tolist(),
                          eigenvalues=[critical.lambda_min, critical.lambda_max])
    result.figures["Paths on x1² − x2²: GD from the saddle stays, nudged GD escapes along x2, plain Newton "
                   "jumps onto the saddle, saddle-free Newton descends away from it"] = surface_contour(
        surface, {"GD on the saddle": path[:1] * 0, "GD nudged": path, "Newton (plain)": plain_path,
                  "Newton (saddle-free)": free_path}, "Saddle point of x1² − x2²")
    return result


def _point(params) -> str:
    x = onp.asarray(params, dtype=float)
    return f"({x[0]:.3g}, {x[1]:.3g})"


SPEC = StudySpec("saddle-points", "Saddle points", "002",
                 "GD stuck on and escaping x1² − x2²; plain vs saddle-free Newton", run)
