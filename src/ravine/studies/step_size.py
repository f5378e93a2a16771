"""Study 1 — step size on a quadratic (lecture 001; lecture 000's (1 − αλ)^k).

On E(w) = ½ a w², gradient descent w ← w − η a w multiplies the error by
(1 − ηa) every step.  With η_opt = 1/a (one Newton step lands on the minimum):

* η < η_opt: 0 < 1 − ηa < 1, monotone convergence;
* η_opt < η < 2η_opt: −1 < 1 − ηa < 0, oscillating convergence;
* η > 2η_opt: |1 − ηa| > 1, divergence.

In several dimensions the same holds per eigendirection of A with factor
|1 − ηλᵢ|, so the largest eigenvalue caps the step: η < 2/λmax.
"""

from __future__ import annotations

import numpy as onp

import ravine.numpy as np
from ravine.data import get_surface
from ravine.diagnose import contraction_factors
from ravine.optim import minimize
from ravine.plot.curves import training_curves
from ravine.studies.base import StudyConfig, StudyResult, StudySpec, Table
from ravine.studies.common import doctor, measured_rate, surface_contour

CURVATURE = 4.0  # a in E(w) = ½ a w²; η_opt = 1/a
REGIMES = (("monotone", 0.6), ("oscillating", 1.7), ("divergent", 2.2))  # η / η_opt
EXPLANATION = """
Gradient descent on the quadratic E(w) = ½ a w² multiplies the distance to the minimum by
(1 − ηa) at every step. The optimal step η_opt = 1/a reaches the minimum in one step (it is
Newton's step). Below η_opt the iterates approach the minimum from one side (monotone);
between η_opt and 2η_opt they overshoot and flip sign every step, yet still converge
(oscillating); beyond 2η_opt every step overshoots by more than it corrects and the iterates
diverge (lecture 001).

In several dimensions the same happens independently along each eigenvector of the Hessian,
with factor |1 − ηλᵢ| (lecture 000). The largest eigenvalue therefore limits the learning
rate to η < 2/λmax, and the directions of small curvature then converge slowly: the
condition number λmax/λmin sets the pace.
"""


def run(config: StudyConfig) -> StudyResult:
    result = StudyResult("step-size", "Step size on a quadratic", EXPLANATION)
    steps = config.size(40, 20)
    a, eta_opt = CURVATURE, 1.0 / CURVATURE
    loss = lambda w: 0.5 * a * np.sum(w ** 2)  # noqa: E731
    rows, histories = [], {}
    for regime, ratio in REGIMES:
        eta = ratio * eta_opt
        run_ = minimize(loss, onp.array([1.0]), method="gd", lr=eta, max_steps=steps, progress=False)
        w = onp.asarray(run_.history.params)[:, 0]
        rate, theory = measured_rate(w), abs(1.0 - eta * a)
        signs = onp.sign(w[w != 0])
        flips = float(onp.mean(signs[1:] != signs[:-1])) if len(signs) > 1 else 0.0
        label = f"η = {ratio:g} η_opt ({regime})"
        histories[label] = run_.history
        result.measure(f"rate |e_k+1| / |e_k|, η = {ratio:g} η_opt", rate, theory=theory, rel_tol=1e-6,
                       note=f"{regime}; theory is |1 − ηa|")
        rows.append([regime, eta, rate, theory, flips, run_.status, run_.n_steps])
        result.numbers[regime] = {"eta": eta, "measured_rate": rate, "theory_rate": theory,
                                  "sign_flip_fraction": flips, "status": run_.status, "w": w.tolist()}
        doctor(result, label, run_.history)
    result.tables.append(Table(f"Gradient descent on E(w) = ½·{a:g}·w², η_opt = 1/a = {eta_opt:g}",
                               ["regime", "η", "measured rate", "|1 − ηa|", "sign flips", "status", "steps"],
                               rows))
    mono, osc, div = (result.numbers[r] for r, _ in REGIMES)
    result.fact("η < η_opt converges monotonically",
                mono["sign_flip_fraction"] == 0 and mono["measured_rate"] < 1,
                f"rate {mono['measured_rate']:.4f}, the sign never changes")
    result.fact("η_opt < η < 2η_opt oscillates but converges",
                osc["sign_flip_fraction"] == 1 and osc["measured_rate"] < 1,
                f"rate {osc['measured_rate']:.4f}, the sign flips every step")
    result.fact("η > 2η_opt diverges", div["measured_rate"] > 1,
                f"rate {div['measured_rate']:.4f}; the driver's status is {div['status']!r}")
    result.figures["Loss per step for the three step sizes: monotone, oscillating, divergent"] = \
        training_curves(histories, title="GD on ½·a·w² for η below, between and beyond η_opt and 2η_opt")
    _two_dimensional(result, config.size(60, 30))
    return result


def _two_dimensional(result: StudyResult, steps: int) -> None:
    """Per-eigendirection factors |1 − ηλᵢ| on a rotated 2-D quadratic."""
    surface = get_surface("quadratic", eigenvalues=(1.0, 10.0))
    lam, vectors = onp.linalg.eigh(surface.hessian(surface.start))
    eta = 1.5 / lam.max()  # oscillates along λmax, crawls along λmin
    run_ = minimize(surface.f, onp.array(surface.start), method="gd", lr=eta, max_steps=steps, progress=False)
    path = onp.asarray(run_.history.params)
    centre = onp.asarray(surface.global_minimum.location)
    rows = []
    for i, c in enumerate(contraction_factors(lam, float(eta))):
        rate = measured_rate((path - centre) @ vectors[:, i])
        result.measure(f"2-D: rate along λ = {lam[i]:g}", rate, theory=c.factor, rel_tol=1e-6,
                       note=f"η = {eta:.3g}, ηλ = {eta * lam[i]:.3g}: {c.behaviour}")
        rows.append([float(lam[i]), float(eta * lam[i]), rate, c.factor, c.behaviour])
    result.tables.append(Table(f"Per-eigendirection rates on a rotated quadratic, η = 1.5/λmax = {eta:.3g}",
                               ["λ", "ηλ", "measured rate", "|1 − ηλ|", "behaviour"], rows))
    result.numbers["two_d"] = {"eta": eta, "eigenvalues": lam.tolist(), "rows": rows}
    result.fact("Each eigendirection contracts by |1 − ηλᵢ| (lecture 000)",
                all(abs(r[2] - r[3]) <= 1e-6 * r[3] for r in rows),
                "; ".join(f"λ = {r[0]:g}: measured {r[2]:.6f}, theory {r[3]:.6f}" for r in rows))
    doctor(result, "2-D quadratic, η = 1.5/λmax", run_.history)
    result.figures["GD on a rotated quadratic (κ = 10) with η = 1.5/λmax: zig-zag across the valley, "
                   "slow progress along it"] = surface_contour(surface, {"GD, η = 1.5/λmax": path},
                                                               "Gradient descent on ½θᵀAθ, λ = (1, 10)")


SPEC = StudySpec("step-size", "Step size on a quadratic", "001",
                 "GD below, between and beyond η_opt and 2η_opt: measured rates against |1 − ηλ|", run)
