"""Study 7 — fluctuations (lecture 003): constant-step SGD, late exponential decay, iterate averaging.

Stochastic gradients point the right way on average but push the parameters in
random directions: with a constant step the cost keeps fluctuating above its
minimum.  Decaying α late in training, α_t = α0 e^(−t/τ), or evaluating the
exponential moving average θ̃ ← (1 − 1/τ)θ̃ + θ/τ of the iterates, removes most of
the excess cost the noise leaves.
"""

from __future__ import annotations

import numpy as onp

from ravine.data import Standardizer, load_diabetes
from ravine.nn.models import LinearRegression
from ravine.optim import minimize
from ravine.optim.schedules import late_exponential
from ravine.plot.curves import training_curves
from ravine.studies.base import StudyConfig, StudyResult, StudySpec, Table
from ravine.studies.common import doctor

LR, BATCH, TAU = 0.05, 8, 50.0
EXPLANATION = """
In stochastic gradient descent each step follows the gradient of a mini-batch. Even when these
gradients point in the right direction on average, individual ones are noisy and push the
parameters in a random direction, so they fluctuate; the fluctuations show up in the
training curve. Unlike oscillations, which the cost surface causes, fluctuations come from
the stochasticity of the gradients (lecture 003).

Two cures: decay the learning rate, but only late in training, with α_t = α0 e^(−t/τ) from
the step where the parameters are already good on average; or keep training as before and
evaluate the exponential moving average of the iterates, θ̃ ← (1 − 1/τ)θ̃ + θ/τ. Both lower
the cost left over at the end; the table compares the excess cost over the exact
least-squares minimum.
"""


def run(config: StudyConfig) -> StudyResult:
    result = StudyResult("fluctuations", "Fluctuations: learning-rate decay and iterate averaging", EXPLANATION)
    data = load_diabetes(seed=config.seed)
    x = Standardizer.fit(data.x_train).transform(data.x_train)
    t = (data.y_train - data.y_train.mean()) / data.y_train.std()
    model = LinearRegression(n_features=x.shape[1])
    design = onp.hstack([x, onp.ones((len(x), 1))])
    best = onp.linalg.lstsq(design, t, rcond=None)[0]
    optimum = 0.5 * float(onp.mean((design @ best - t) ** 2))
    steps = config.size(1500, 400)
    start = int(0.6 * steps)
    variants = {
        "constant α": {"lr": LR},
        f"late decay from step {start}": {"lr": late_exponential(LR, TAU, start)},
        f"iterate averaging (τ = {TAU:g})": {"lr": LR, "average": "ema", "average_tau": TAU},
    }
    rows, histories = [], {}
    for label, options in variants.items():
        run_ = minimize(lambda p, batch: model.loss(p, *batch), model.init(0), method="sgd", data=(x, t),
                        batch_size=BATCH, seed=config.seed, max_steps=steps, **options, progress=False)
        final = float(run_.averaged_loss) if run_.averaged_loss is not None else float(run_.loss)
        tail = onp.asarray(run_.history.loss)[-steps // 5:]
        excess = final - optimum
        rows.append([label, final, excess, float(onp.std(tail))])
        result.numbers[label] = {"final_loss": final, "excess": excess, "tail_std": float(onp.std(tail))}
        histories[label] = run_.history
        doctor(result, label, run_.history)
    constant, decay, average = (result.numbers[k] for k in variants)
    result.measure("least-squares minimum of the cost", optimum)
    result.measure("excess cost, constant α", constant["excess"])
    result.measure("excess cost, late decay", decay["excess"])
    result.measure("excess cost, iterate averaging", average["excess"])
    result.fact("Late exponential decay lowers the cost that constant-step SGD leaves",
                decay["excess"] < 0.75 * constant["excess"],
                f"excess {constant['excess']:.3g} → {decay['excess']:.3g}")
    result.fact("Iterate averaging lowers it too, without changing training",
                average["excess"] < 0.75 * constant["excess"],
                f"excess {constant['excess']:.3g} → {average['excess']:.3g} (loss at θ̃)")
    result.tables.append(Table(f"Linear regression on the diabetes table, SGD with B = {BATCH}, α0 = {LR:g}, "
                               f"{steps} steps", ["variant", "final full-data cost", "excess over the minimum",
                                                  "std of the mini-batch cost, last 20%"], rows))
    result.figures["Mini-batch training curves (the averaged run's curve is of θ, not θ̃)"] = training_curves(
        histories, title="Fluctuations of constant-step SGD")
    return result


SPEC = StudySpec("fluctuations", "Fluctuations: learning-rate decay and iterate averaging", "003",
                 "constant-step SGD against late exponential decay and iterate averaging", run)
