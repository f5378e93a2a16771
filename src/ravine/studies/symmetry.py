"""Study 4 — symmetry (lectures 000, 003): zero initialisation keeps hidden units identical.

If every weight and bias starts at zero, all hidden units compute the same thing
and receive the same gradient, so after every update they are still identical:
"with nothing to distinguish different hidden units, no learning will occur".
Small random initial weights break the symmetry.
"""

from __future__ import annotations

import numpy as onp

from ravine.nn.models import MLPClassifier
from ravine.optim import minimize
from ravine.plot.curves import training_curves
from ravine.plot.histograms import weight_histograms
from ravine.studies.base import StudyConfig, StudyResult, StudySpec, Table
from ravine.studies.common import digits_rows, doctor

HIDDEN = 16
EXPLANATION = """
Suppose we initialise all the weights and biases of a network to zero. All the hidden
activations are then identical, and all the weights feeding into a given hidden unit get
identical derivatives, so they still have identical values after the next step, and so on
by induction (lecture 003). This is perhaps the most important example of a saddle point
in neural-net training (lecture 000): exactly on it we are stuck.

The remedy is symmetry breaking: initialise the weights with small random values. Once two
hidden units compute slightly different things, the gradient drives them further apart.
The diagnostic the lecture suggests is to look at the weights W.
"""


def unit_spread(W: onp.ndarray) -> float:
    """The largest difference between any two hidden units' incoming weight columns."""
    W = onp.asarray(W, dtype=float)
    return float(onp.max(onp.abs(W[:, :, None] - W[:, None, :]))) if W.shape[1] > 1 else 0.0


def run(config: StudyConfig) -> StudyResult:
    result = StudyResult("symmetry", "Symmetry: zero versus random initialisation", EXPLANATION)
    n = config.size(600, 300)
    x, y, x_test, y_test = digits_rows(n, config.seed)
    steps = config.size(300, 120)
    rows, histories, weights = [], {}, {}
    for label, scheme in (("zero initialisation", "zeros"), ("random (Xavier) initialisation", "xavier")):
        model = MLPClassifier(n_features=x.shape[1], n_classes=10, hidden=(HIDDEN,), activation="tanh",
                              init_scheme=scheme, bias=0.0)
        run_ = minimize(model.objective(x, y), model.init(config.seed), method="momentum", lr=0.1, mu=0.9,
                        max_steps=steps, progress=False)
        W, b = run_.params["hidden1"]["W"], run_.params["hidden1"]["b"]
        spread = unit_spread(onp.vstack([W, b[None, :]]))
        accuracy = model.accuracy(run_.params, x_test, y_test)
        key = "zero" if scheme == "zeros" else "random"
        result.numbers[key] = {"spread": spread, "test_accuracy": accuracy, "final_loss": float(run_.loss),
                               "initial_loss": float(onp.asarray(run_.history.loss)[0])}
        rows.append([label, spread, float(run_.loss), accuracy])
        histories[label] = run_.history
        weights[f"{label}: hidden-layer W after training"] = W
        doctor(result, label, run_.history, weights={"hidden1": W, "output": run_.params["output"]["W"]})
    zero, rand = result.numbers["zero"], result.numbers["random"]
    result.measure("largest difference between hidden units, zero init", zero["spread"], theory=0.0, rel_tol=0.0)
    result.measure("largest difference between hidden units, random init", rand["spread"])
    result.measure("test accuracy, zero init", zero["test_accuracy"], note="10 classes: chance is about 0.1")
    result.measure("test accuracy, random init", rand["test_accuracy"])
    result.fact("Zero-initialised hidden units stay identical through training", zero["spread"] == 0.0,
                f"after {steps} steps every hidden unit's incoming weights are the same (spread {zero['spread']:g})")
    result.fact("Random initialisation breaks the symmetry and the network learns",
                rand["spread"] > 0.1 and rand["test_accuracy"] > zero["test_accuracy"] + 0.3,
                f"spread {rand['spread']:.3g}; test accuracy {rand['test_accuracy']:.3f} against "
                f"{zero['test_accuracy']:.3f} for zero initialisation")
    result.tables.append(Table(f"MLP 64 → {HIDDEN} tanh → 10 on {n} digits, momentum (α = 0.1, μ = 0.9), "
                               f"{steps} steps",
                               ["initialisation", "spread between hidden units", "final training loss",
                                "test accuracy"], rows))
    result.figures["Training curves: zero initialisation learns only the class frequencies"] = \
        training_curves(histories, title="Zero versus random initialisation")
    result.figures["Visualise W (lecture 003): all zero-initialised units share one weight value per input"] = \
        weight_histograms(weights, title="Hidden-layer weights after training")
    return result


SPEC = StudySpec("symmetry", "Symmetry: zero versus random initialisation", "000, 003",
                 "an MLP initialised at zero keeps identical hidden units; random initialisation learns", run)
