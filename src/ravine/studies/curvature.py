"""Study 10 — the curvature of a real network (lectures 000, 002).

The Hessian of an MLP on the digits, through Hessian-vector products and Lanczos:
its extreme eigenvalues at initialisation (negative ones too: not a minimum) and
at a minimum, and the stability bound of gradient descent, α < 2/λmax, against
the learning rate at which GD started near that minimum actually diverges
(found by bisection).
"""

from __future__ import annotations

import numpy as onp

from ravine.diagnose import extreme_eigenpairs, hessian_operator
from ravine.misc.flatten import flatten
from ravine.nn.models import MLPClassifier
from ravine.optim import minimize
from ravine.plot.spectrum import hessian_spectrum_plot
from ravine.studies.base import StudyConfig, StudyResult, StudySpec, Table
from ravine.studies.common import digits_rows, doctor

HIDDEN, L2, TOP = 16, 1e-2, 8
EXPLANATION = """
The eigenvalues of the Hessian describe the curvature of the cost around a point (lecture
000). Near a minimum the cost is well approximated by its second-order Taylor expansion, so
gradient descent behaves as on a quadratic: the component along each eigenvector is
multiplied by (1 − αλᵢ) per step, and the learning rate must stay below 2/λmax or the
iterates diverge along the direction of highest curvature.

For a network the Hessian is far too big to write down, but Hessian-vector products are as
cheap as a couple of gradients, and Lanczos iteration finds its extreme eigenvalues from a
few dozen of them (lecture 002 asks us to monitor curvature). At initialisation the
spectrum of this small MLP on the handwritten digits has negative eigenvalues too, so the
starting point is not a minimum; at the minimum found by L-BFGS, 2/λmax predicts the
learning rate at which plain gradient descent starts to diverge.
"""


def run(config: StudyConfig) -> StudyResult:
    result = StudyResult("curvature", "Curvature of a real network", EXPLANATION)
    n = config.size(500, 150)
    x, y, _, _ = digits_rows(n, config.seed)
    model = MLPClassifier(n_features=x.shape[1], n_classes=10, hidden=(HIDDEN,), activation="tanh", l2=L2)
    loss = model.objective(x, y)
    start = model.init(config.seed)
    at_init = hessian_operator(loss, start)
    init_top = extreme_eigenpairs(at_init, k=TOP)
    init_bottom = extreme_eigenpairs(at_init, k=3, which="smallest")
    fit = minimize(loss, start, method="lbfgs", max_steps=config.size(600, 200), tol_grad=1e-6, progress=False)
    at_min = hessian_operator(loss, fit.params)
    top = extreme_eigenpairs(at_min, k=TOP)
    bottom = extreme_eigenpairs(at_min, k=3, which="smallest")
    lam_max = float(top.values[-1])
    predicted = 2.0 / lam_max
    measured, trials = _divergence_threshold(loss, fit.params, predicted, config)
    dim = flatten(start)[0].size
    result.numbers.update(dimension=dim, init_top=init_top.values.tolist(), init_bottom=init_bottom.values.tolist(),
                          min_top=top.values.tolist(), min_bottom=bottom.values.tolist(), predicted_lr=predicted,
                          measured_lr=measured, fit_status=fit.status, fit_grad_norm=float(fit.grad_norm),
                          trials=trials, hvp_products=int(top.n_products) if hasattr(top, "n_products") else None)
    result.measure("parameters", dim)
    result.measure("λmax at initialisation", float(init_top.values[-1]))
    result.measure("λmin at initialisation", float(init_bottom.values[0]), note="negative: not a minimum")
    result.measure("λmax at the minimum", lam_max)
    result.measure("learning rate where GD diverges (bisection)", measured, theory=predicted, rel_tol=0.05,
                   note="theory: 2/λmax")
    result.fact("At initialisation the Hessian has negative eigenvalues (not a minimum)",
                init_bottom.values[0] < 0, f"λmin = {init_bottom.values[0]:.3g}")
    result.fact("At the minimum found by L-BFGS the Hessian is positive (semi)definite",
                bottom.values[0] > -1e-6 * lam_max, f"λmin = {bottom.values[0]:.3g}, λmax = {lam_max:.3g}")
    result.fact("2/λmax predicts where gradient descent starts to diverge",
                abs(measured - predicted) <= 0.05 * predicted,
                f"measured {measured:.4g}, predicted {predicted:.4g} ({(measured / predicted - 1):+.1%})")
    result.tables.append(Table("Gradient descent from a point 10⁻³ away from the minimum: does it move away?",
                               ["learning rate α", "α · λmax / 2", "diverges"],
                               [[a, a / predicted, "yes" if d else "no"] for a, d in trials]))
    doctor(result, "L-BFGS to the minimum", fit.history, loss=loss, params=fit.params)
    result.figures["Extreme eigenvalues of the Hessian, at initialisation and at the minimum"] = \
        hessian_spectrum_plot({"at initialisation": onp.concatenate([init_top.values, init_bottom.values]),
                               "at the minimum": onp.concatenate([top.values, bottom.values])},
                              step_sizes={"2/λmax at the minimum": predicted}, yscale="symlog",
                              title=f"Hessian of an MLP (64 → {HIDDEN} tanh → 10, {dim} parameters) on {n} digits")
    return result


def _divergence_threshold(loss, minimum, predicted: float, config: StudyConfig) -> tuple[float, list]:
    """Bisection on α between ½·2/λmax and 1½·2/λmax: does GD from near the minimum move away?"""
    centre, unflatten = flatten(minimum)
    centre = onp.asarray(centre, dtype=float)
    rng = onp.random.default_rng(config.seed)
    start = centre + 1e-3 * rng.standard_normal(centre.size)
    steps = config.size(150, 80)
    trials = []

    def diverges(alpha: float) -> bool:
        run = minimize(loss, unflatten(start), method="gd", lr=alpha, max_steps=steps, progress=False)
        end = onp.asarray(flatten(run.params)[0], dtype=float)
        moved_away = run.status == "diverged" or onp.linalg.norm(end - centre) > onp.linalg.norm(start - centre)
        trials.append((alpha, bool(moved_away)))
        return moved_away

    lo, hi = 0.5 * predicted, 1.5 * predicted
    if diverges(lo) or not diverges(hi):
        return float("nan"), trials
    for _ in range(config.size(7, 4)):
        mid = 0.5 * (lo + hi)
        lo, hi = (lo, mid) if diverges(mid) else (mid, hi)
    return 0.5 * (lo + hi), sorted(trials)


SPEC = StudySpec("curvature", "Curvature of a real network", "000, 002",
                 "Hessian spectrum of an MLP on the digits; 2/λmax against the learning rate that diverges", run)
