"""Study 6 — normalisation (lectures 000, 003): standardising the inputs fixes the ravine.

For linear regression with squared error the Hessian is (1/N)[X, 1]ᵀ[X, 1]: inputs
in wildly different units, or far from zero, make it badly conditioned.  With
x̃ⱼ = (xⱼ − μⱼ)/σⱼ the condition number drops to O(1), and gradient descent at its
best fixed step converges in a handful of steps instead of crawling.
"""

from __future__ import annotations

import numpy as onp

from ravine.data import Standardizer, get_problem
from ravine.diagnose import condition_number, hessian_operator, input_statistics
from ravine.nn.models import LinearRegression
from ravine.optim import minimize
from ravine.plot.curves import training_curves
from ravine.studies.base import StudyConfig, StudyResult, StudySpec, Table
from ravine.studies.common import doctor

EXPLANATION = """
Badly conditioned curvature often comes from the data. In the lecture's first table the two
inputs have vastly different scales (x1 in the hundreds, x2 in the thousandths): changing w1
changes the predictions far more than changing w2, so the cost curves much faster along w1.
In the second table both inputs sit near 1000: changing the weights while keeping w1 + w2
fixed barely changes the predictions, while changing w1 + w2 changes them a lot. Either way
the Hessian (1/N)[X, 1]ᵀ[X, 1] of the squared error has a huge condition number, and gradient
descent, whose step must suit the largest curvature, crawls along the small one (lectures 000
and 003).

The workaround is to centre the inputs to zero mean and unit variance, x̃ⱼ = (xⱼ − μⱼ)/σⱼ.
The figures compare gradient descent at its best fixed step 2/(λmin + λmax) before and after.
"""


def _fit(x: onp.ndarray, t: onp.ndarray, steps: int) -> dict:
    model = LinearRegression(n_features=x.shape[1])
    loss = model.objective(x, t)
    params = model.init(0)
    spectrum = condition_number(hessian_operator(loss, params))
    lr = 2.0 / (spectrum.lambda_min + spectrum.lambda_max)
    run = minimize(loss, params, method="gd", lr=lr, max_steps=steps, progress=False)
    design = onp.hstack([x, onp.ones((len(x), 1))])
    best = onp.linalg.lstsq(design, t, rcond=None)[0]
    optimum = 0.5 * float(onp.mean((design @ best - t) ** 2))
    return {"kappa": spectrum.value, "lr": lr, "run": run, "optimum": optimum,
            "gap": float(run.loss) - optimum, "initial_gap": float(run.history.loss[0]) - optimum}


def run(config: StudyConfig) -> StudyResult:
    result = StudyResult("normalisation", "Normalisation: badly scaled and off-centre inputs", EXPLANATION)
    steps = config.size(300, 100)
    rows, histories = [], {}
    for name in ("badly_scaled_regression", "off_centre_regression"):
        data = get_problem(name, seed=config.seed)
        stats = input_statistics(data.x)
        raw = _fit(data.x, data.y, steps)
        standard = _fit(Standardizer.fit(data.x).transform(data.x), data.y, steps)
        short = "badly scaled" if name.startswith("badly") else "off-centre"
        for label, fit in ((f"{short}, raw", raw), (f"{short}, standardised", standard)):
            rows.append([label, fit["kappa"], fit["lr"], fit["initial_gap"], fit["gap"]])
            histories[label] = fit["run"].history
        result.numbers[short] = {"kappa_raw": raw["kappa"], "kappa_standardised": standard["kappa"],
                                 "kappa_inputs_raw": stats.kappa_raw,
                                 "kappa_inputs_standardised": stats.kappa_standardised,
                                 "gap_raw": raw["gap"], "gap_standardised": standard["gap"],
                                 "initial_gap": raw["initial_gap"], "scale_ratio": stats.scale_ratio,
                                 "max_offset": stats.max_offset}
        result.measure(f"{short}: κ of the Hessian, raw", raw["kappa"], theory=stats.kappa_raw, rel_tol=1e-3,
                       note="theory: κ of (1/N)[X,1]ᵀ[X,1]")
        result.measure(f"{short}: κ after standardising", standard["kappa"], theory=stats.kappa_standardised,
                       rel_tol=1e-3)
        result.fact(f"{short.capitalize()} inputs: standardising lowers the condition number by orders of magnitude",
                    raw["kappa"] > 1e3 * standard["kappa"],
                    f"κ {raw['kappa']:.3g} → {standard['kappa']:.3g}")
        result.fact(f"{short.capitalize()} inputs: GD converges after standardising and crawls before",
                    standard["gap"] < 1e-6 * standard["initial_gap"] and raw["gap"] > 1e-2 * raw["initial_gap"],
                    f"excess loss after {steps} steps: {raw['gap']:.3g} raw, {standard['gap']:.3g} standardised "
                    f"(from {raw['initial_gap']:.3g})")
        doctor(result, f"{short}, raw", raw["run"].history, inputs=data.x)
        doctor(result, f"{short}, standardised", standard["run"].history)
    result.tables.append(Table(f"Linear regression by GD at η = 2/(λmin + λmax), {steps} steps",
                               ["inputs", "κ(H)", "η", "initial excess loss", "final excess loss"], rows))
    result.figures["Training curves before and after standardising the inputs"] = training_curves(
        histories, title="Gradient descent on the lecture's two tables")
    return result


SPEC = StudySpec("normalisation", "Normalisation: badly scaled and off-centre inputs", "000, 003",
                 "condition number and convergence before and after standardisation", run)
