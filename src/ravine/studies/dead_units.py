"""Study 5 — dead and saturated units (lectures 000, 003).

A ReLU whose input z is always negative outputs 0 and passes no gradient (dead);
a logistic unit pushed to the flat ends of its range has φ'(z) ≈ 0 (saturated).
Either way the weights feeding it get no signal: a plateau.  The diagnostic is
a histogram of the units' average activations; the remedies are the initial
scale of W (Xavier/He) and, for ReLUs, a small positive bias such as 0.1.
"""

from __future__ import annotations


from ravine.diagnose import unit_statistics
from ravine.nn import record_activations
from ravine.nn.models import MLPClassifier
from ravine.optim import minimize
from ravine.plot.curves import training_curves
from ravine.plot.histograms import activation_histograms
from ravine.studies.base import StudyConfig, StudyResult, StudySpec, Table
from ravine.studies.common import digits_rows, doctor

HIDDEN = 32
ALWAYS = 0.9  # a unit counts as dead / saturated when it is so on 90% of the examples
EXPLANATION = """
Recall the backprop equation for a hidden unit h = φ(z): z̄ = h̄ φ'(z), and the weights
feeding it get w̄ = z̄ x. If φ'(z) is close to zero for almost every example, the unit passes
no gradient and its incoming weights stay stuck: it is saturated. A ReLU whose input is
always negative outputs exactly zero and gets exactly zero gradient: it is dead (lectures 000
and 003). In the picture of the cost surface this is a plateau.

Diagnosing it is simple: look at a histogram of the average activations and check that they
are not piled up at the ends of the range. Preventing it: choose the scale of the random
initial weights so that activations sit in the middle of their range (Xavier initialisation),
and give ReLUs a small positive bias such as 0.1 so that they start alive.
"""

CASES = (  # label, activation, weight scale multiplier, hidden bias
    ("ReLU, bias −3 (bad)", "relu", 1.0, -3.0),
    ("ReLU, He init, bias 0.1 (remedy)", "relu", 1.0, 0.1),
    ("logistic, weights ×30 (bad)", "logistic", 30.0, 0.0),
    ("logistic, Xavier init (remedy)", "logistic", 1.0, 0.0),
)


def run(config: StudyConfig) -> StudyResult:
    result = StudyResult("dead-units", "Dead and saturated units", EXPLANATION)
    n = config.size(600, 200)
    x, y, _, _ = digits_rows(n, config.seed)
    steps = config.size(200, 40)
    rows, histograms, kinds, histories = [], {}, {}, {}
    for label, activation, scale, bias in CASES:
        model = MLPClassifier(n_features=x.shape[1], n_classes=10, hidden=(HIDDEN,), activation=activation,
                              bias=bias)
        params = model.init(config.seed)
        params["hidden1"]["W"] = params["hidden1"]["W"] * scale
        h = record_activations(model, params, x)["hidden1"].post
        stats = unit_statistics(h, activation, always=ALWAYS)
        run_ = minimize(model.objective(x, y), params, method="momentum", lr=0.1, mu=0.9, max_steps=steps,
                        progress=False)
        histograms[label], kinds[label], histories[label] = h, activation, run_.history
        rows.append([label, stats.dead.size, stats.saturated.size, HIDDEN, float(run_.history.loss[0]),
                     float(run_.loss)])
        result.numbers[label] = {"dead": int(stats.dead.size), "saturated": int(stats.saturated.size),
                                 "units": HIDDEN, "initial_loss": float(run_.history.loss[0]),
                                 "final_loss": float(run_.loss), "mean_activation": stats.mean.tolist(),
                                 "fraction_at_end": float(stats.at_end.mean())}
        doctor(result, label, run_.history, activations={"hidden1": h}, activation_kind=activation)
    n_ = result.numbers
    dead_bad, dead_fix = n_[CASES[0][0]], n_[CASES[1][0]]
    sat_bad, sat_fix = n_[CASES[2][0]], n_[CASES[3][0]]
    result.measure("dead ReLUs with bias −3", dead_bad["dead"], unit=f"of {HIDDEN}")
    result.measure("dead ReLUs with bias 0.1", dead_fix["dead"], unit=f"of {HIDDEN}")
    result.measure("saturated logistic units, weights ×30", sat_bad["saturated"] + sat_bad["dead"],
                   unit=f"of {HIDDEN}")
    result.measure("saturated logistic units, Xavier", sat_fix["saturated"] + sat_fix["dead"], unit=f"of {HIDDEN}")
    result.fact("A large negative bias kills ReLUs; a bias of 0.1 keeps them alive",
                dead_bad["dead"] >= HIDDEN // 4 and dead_fix["dead"] == 0,
                f"{dead_bad['dead']} dead units with bias −3, {dead_fix['dead']} with bias 0.1")
    result.fact("Large weights saturate logistic units; Xavier scale keeps them in range",
                sat_bad["saturated"] + sat_bad["dead"] >= HIDDEN // 4 and sat_fix["saturated"] + sat_fix["dead"] == 0,
                f"{sat_bad['saturated'] + sat_bad['dead']} stuck units with weights ×30, "
                f"{sat_fix['saturated'] + sat_fix['dead']} with Xavier")
    result.fact("The remedies train further in the same number of steps",
                dead_fix["final_loss"] < dead_bad["final_loss"] and sat_fix["final_loss"] < sat_bad["final_loss"],
                f"final loss ReLU {dead_bad['final_loss']:.3g} → {dead_fix['final_loss']:.3g}, logistic "
                f"{sat_bad['final_loss']:.3g} → {sat_fix['final_loss']:.3g}")
    result.tables.append(Table(f"Hidden layer of {HIDDEN} units on {n} digits at initialisation "
                               f"(stuck on ≥ {ALWAYS:.0%} of the "
                               f"examples); then momentum "
                               f"(α = 0.1, μ = 0.9) for {steps} steps", ["network", "dead units", "saturated units",
                                                                  "units", "initial loss", "final loss"], rows))
    result.figures["Histograms of the hidden units' average activations at initialisation"] = \
        activation_histograms(histograms, activation=kinds, title="Average activation per hidden unit")
    result.figures["Training curves: dead and saturated units slow training down"] = \
        training_curves(histories, title="Bad initialisation against the remedies")
    return result


SPEC = StudySpec("dead-units", "Dead and saturated units", "000, 003",
                 "activation histograms of dead ReLUs and saturated logistic units, and the remedies", run)
