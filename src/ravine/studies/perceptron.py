"""Study 8 — backprop versus the perceptron: the Brady et al. (1989) spoiler (lecture 001).

Three points that one logistic unit separates; add a fourth point far away (the
spoiler) that is still linearly separable.  The perceptron rule, which counts
errors, finds a separator.  Gradient descent on the squared error of a logistic
unit with bounded weights barely feels the far point (σ' vanishes there) and
settles on the three-point solution, which misclassifies it.
"""

from __future__ import annotations

import numpy as onp

from ravine.data import get_problem
from ravine.nn.models import LogisticLeastSquares, Perceptron
from ravine.optim import minimize
from ravine.plot.style import finish, legend_below, new_figure, series_style
from ravine.studies.base import StudyConfig, StudyResult, StudySpec, Table
from ravine.studies.common import doctor

SPOILER_DISTANCES = (10.0, 100.0)  # t: near enough to matter, and far enough to be ignored
BOUND = 5.0  # |w_i|, |b| < B for the logistic unit ("assuming weights are constrained to be bounded")
EXPLANATION = """
Is backprop always right? The loss it minimises is only a proxy for the classification
error (lecture 001). Brady, Raghavan and Slawny (1989): three points, one neuron, and the
perceptron rule trivially finds a perfect separator; so does backprop with a logistic unit
and the squared error. Now add a fourth point far away, at (0, −t): the points are still
linearly separable and the perceptron still finds a separator. For backprop, the fourth
point's contribution to the gradient, 2(1 − ε − σ(−w_y t + b)) σ'(−w_y t + b) t, vanishes
exponentially as t grows, so the three-point solution remains a broad minimum, and with
bounded weights gradient descent settles there, leaving the spoiler misclassified.

The perceptron has low bias and high variance: it swings to fit every point. Backprop is
barely changed by one new example: it prefers consistency over perfection.
"""


def _classify(name: str, data, steps: int, seed: int) -> dict:
    x, y = onp.asarray(data.x, dtype=float), onp.asarray(data.y)
    perceptron = Perceptron(n_features=2)
    trained = perceptron.train(perceptron.init(seed), x, y, max_epochs=5000)
    unit = LogisticLeastSquares(n_features=2, weight_bound=BOUND)
    run = minimize(unit.objective(x, y), unit.init(seed), method="adam", lr=0.05, max_steps=steps, progress=False)
    w, b = (onp.asarray(v, dtype=float) for v in unit.weights(run.params))
    return {
        "perceptron_errors": int(onp.sum(perceptron.predict(trained.params, x) != y)),
        "perceptron_epochs": int(trained.epochs), "perceptron_updates": int(trained.updates),
        "perceptron_converged": bool(trained.converged),
        "backprop_errors": int(onp.sum(unit.predict(run.params, x) != y)),
        "backprop_misclassified": onp.flatnonzero(unit.predict(run.params, x) != y).tolist(),
        "perceptron_line": (onp.asarray(trained.params["w"], dtype=float).tolist(),
                            float(onp.asarray(trained.params["b"])[0])),
        "backprop_line": (w.tolist(), float(b[0])), "x": x, "y": y, "history": run.history,
    }


def run(config: StudyConfig) -> StudyResult:
    result = StudyResult("perceptron", "Backprop versus the perceptron: the Brady spoiler", EXPLANATION)
    steps = config.size(2000, 600)
    problems = {"three points": get_problem("brady_three_points"),
                **{f"three points + (0, −{t:g})": get_problem("brady_spoiler_point", t=t) for t in SPOILER_DISTANCES}}
    rows, outcomes = [], {}
    for label, data in problems.items():
        out = _classify(label, data, steps, config.seed)
        outcomes[label] = out
        rows.append([label, len(out["y"]), out["perceptron_errors"], out["perceptron_updates"],
                     out["backprop_errors"]])
        result.numbers[label] = {k: v for k, v in out.items() if k not in ("x", "y", "history")}
        doctor(result, f"backprop, {label}", out["history"])
    three, near, far = (outcomes[k] for k in problems)
    result.fact("On the three points both the perceptron and backprop separate the classes",
                three["perceptron_errors"] == 0 and three["backprop_errors"] == 0,
                f"errors: perceptron {three['perceptron_errors']}, backprop {three['backprop_errors']}")
    result.fact("With the fourth point at t = 10 backprop still separates (its gradient is felt)",
                near["backprop_errors"] == 0, f"backprop errors: {near['backprop_errors']}")
    result.fact("With the spoiler at t = 100 the perceptron still finds a separator",
                far["perceptron_converged"] and far["perceptron_errors"] == 0,
                f"{far['perceptron_updates']} updates in {far['perceptron_epochs']} epochs, 0 errors")
    result.fact("... and backprop with bounded weights does not: it misclassifies exactly the spoiler",
                far["backprop_misclassified"] == [len(far["y"]) - 1],
                f"{far['backprop_errors']} error(s), at point(s) {far['backprop_misclassified']}")
    result.measure("perceptron training errors, spoiler at t = 100", far["perceptron_errors"], theory=0.0,
                   rel_tol=0.0)
    result.measure("backprop training errors, spoiler at t = 100", far["backprop_errors"])
    result.tables.append(Table(f"Perceptron rule against a logistic unit trained by Adam on the squared error, "
                               f"|w|, |b| < {BOUND:g}", ["data", "points", "perceptron errors",
                                                         "perceptron updates", "backprop errors"], rows))
    result.figures["Three points and a spoiler at (0, −100): the perceptron's line separates all four; "
                   "backprop's keeps the three-point solution"] = _boundaries(far, "The Brady et al. spoiler")
    return result


def _boundaries(out: dict, title: str):
    x, y = out["x"], out["y"]
    fig = new_figure(6.6, 5.4)
    ax = fig.add_subplot()
    for cls, marker in ((1, "o"), (0, "s")):
        pts = x[y == cls]
        ax.scatter(pts[:, 0], pts[:, 1], marker=marker, s=28, color=series_style(cls + 2)["color"],
                   label=f"class {cls}", zorder=3)
    xs = onp.linspace(x[:, 0].min() - 1, x[:, 0].max() + 1, 50)
    for i, (name, key) in enumerate((("perceptron", "perceptron_line"), ("backprop (bounded)", "backprop_line"))):
        (w1, w2), b = out[key]
        style = series_style(i)
        if abs(w2) > 1e-12:
            ax.plot(xs, -(w1 * xs + b) / w2, color=style["color"], linestyle=style.get("linestyle", "-"),
                    label=f"{name}: {w1:.2g}·x1 + {w2:.2g}·x2 + {b:.2g} = 0")
        else:
            ax.axvline(-b / w1, color=style["color"], label=f"{name}: x1 = {-b / w1:.2g}")
    ax.set_ylim(x[:, 1].min() - 5, x[:, 1].max() + 5)
    finish(ax, title=title, xlabel="x1", ylabel="x2")
    legend_below(fig, ax)
    return fig


SPEC = StudySpec("perceptron", "Backprop versus the perceptron: the Brady spoiler", "001",
                 "the perceptron separates the spoiler data; backprop with bounded weights does not", run)
