"""Study 9 — cliffs and exploding gradients (lecture 002).

On a plateau that ends in a near-vertical wall, the gradient at the wall is
enormous, and one gradient step there catapults the parameters far away.
Clipping the gradient norm at h — if ‖g‖ > h: g ← h g/‖g‖ — bounds every step
by η·h, so the iterate walks down the cliff instead.
"""

from __future__ import annotations

import numpy as onp

from ravine.data import get_surface
from ravine.optim import minimize
from ravine.plot.curves import training_curves
from ravine.studies.base import StudyConfig, StudyResult, StudySpec, Table
from ravine.studies.common import doctor, surface_contour

LR = 0.1
THRESHOLD = 1.0  # h, the clipping threshold
EXPLANATION = """
The objective of a highly nonlinear network can contain cliffs: sharp nonlinearities, from
multiplying several parameters, where the derivative is very large. The gradient only gives
the best direction within an infinitesimal region; near a cliff a gradient step of the usual
size catapults the parameters very far, possibly losing most of the optimisation work done
so far (lecture 002).

Gradient clipping prunes the norm of the gradient at a threshold h: if ‖∇θ‖ > h then
∇θ ← h ∇θ / ‖∇θ‖. The direction is kept, and every step is at most η·h long, small enough to
stay in the region where the gradient is a good guide.
"""


def run(config: StudyConfig) -> StudyResult:
    result = StudyResult("cliffs", "Cliffs and gradient clipping", EXPLANATION)
    surface = get_surface("cliff")
    start = onp.array(surface.start)
    steps = config.size(120, 60)
    minimum = onp.asarray(surface.global_minimum.location)
    rows, paths, histories = [], {}, {}
    for label, clip in (("GD", None), (f"GD, clipped at h = {THRESHOLD:g}", THRESHOLD)):
        run_ = minimize(surface.f, start, method="gd", lr=LR, max_steps=steps, clip_norm=clip, progress=False)
        path = onp.asarray(run_.history.params)
        step_norms = onp.asarray(run_.history.step_norm)
        grad_norms = onp.asarray(run_.history.grad_norm)
        farthest = float(onp.max(onp.linalg.norm(path - minimum, axis=1)))
        final = float(onp.linalg.norm(path[-1] - minimum))
        key = "clipped" if clip else "plain"
        result.numbers[key] = {"max_step": float(step_norms.max()), "max_grad_norm": float(grad_norms.max()),
                               "farthest_from_minimum": farthest, "final_distance": final,
                               "final_loss": float(run_.loss), "status": run_.status}
        rows.append([label, float(grad_norms.max()), float(step_norms.max()), farthest, final, float(run_.loss)])
        paths[label], histories[label] = path, run_.history
        doctor(result, label, run_.history)
    plain, clipped = result.numbers["plain"], result.numbers["clipped"]
    start_distance = float(onp.linalg.norm(start - minimum))
    result.measure("largest step without clipping", plain["max_step"],
                   note=f"η·max‖g‖ = {LR * plain['max_grad_norm']:.3g}")
    result.measure("largest step with clipping", clipped["max_step"], theory=LR * THRESHOLD, rel_tol=1e-9,
                   note="bounded by η·h")
    result.fact("Without clipping, one step at the cliff is longer than the whole way to the minimum",
                plain["max_step"] > 2 * start_distance,
                f"largest unclipped step {plain['max_step']:.3g}; the start was {start_distance:.3g} from the minimum")
    result.fact("The catapult loses the work done: the iterate lands farther away than it started",
                plain["farthest_from_minimum"] > 1.5 * start_distance,
                f"after the jump it was {plain['farthest_from_minimum']:.3g} from the minimum (start "
                f"{start_distance:.3g})")
    result.fact("Clipping bounds every step by η·h", clipped["max_step"] <= LR * THRESHOLD * (1 + 1e-12),
                f"largest clipped step {clipped['max_step']:.6g} ≤ η·h = {LR * THRESHOLD:g}")
    result.fact("The clipped run never strays beyond its start",
                clipped["farthest_from_minimum"] <= start_distance + 1e-9,
                f"farthest distance from the minimum {clipped['farthest_from_minimum']:.3g} "
                f"(start {start_distance:.3g}); it ends {clipped['final_distance']:.3g} from the minimum")
    result.tables.append(Table(f"Gradient descent from ({start[0]:g}, {start[1]:g}) on the cliff, η = {LR:g}",
                               ["run", "largest ‖g‖", "largest step", "farthest from minimum", "final distance",
                                "final loss"], rows))
    (x0, x1), (y0, y1) = surface.bounds
    reach = max(plain["farthest_from_minimum"], 1.0)
    wide = ((min(x0, minimum[0] - reach), max(x1, minimum[0] + reach)),
            (min(y0, minimum[1] - reach), max(y1, minimum[1] + reach)))
    result.figures["The cliff: one unclipped step at the wall throws GD far away; clipped GD walks down"] = \
        surface_contour(surface, paths, "Gradient descent at a cliff, with and without clipping", bounds=wide)
    result.figures["Loss and gradient norm per step"] = training_curves(histories, title="At the cliff")
    return result


SPEC = StudySpec("cliffs", "Cliffs and gradient clipping", "002",
                 "an exploding step at a cliff, and gradient clipping bounding it", run)
