"""The lecture facts hold in the numbers the demo's studies computed (read from results.json
of the shared `ravine demo --quick` run, so each study runs once per test session)."""

import math

import pytest


def test_every_checked_fact_holds(demo):
    failing = [(sid, f["statement"], f["evidence"]) for sid in demo.sections
               for f in demo.data(sid)["facts"] if not f["holds"]]
    assert failing == []


def test_ravine_race(demo):
    quad, rosen = demo.numbers("ravine")["quadratic"], demo.numbers("ravine")["rosenbrock"]
    assert set(quad) == set(rosen) == {"GD", "momentum", "Nesterov", "Adagrad", "RMSprop", "Adam", "Rprop",
                                       "QuickProp", "Newton", "L-BFGS"}
    kappa = 100.0
    rho = (kappa - 1) / (kappa + 1)
    f0 = 4.0  # ½ Σ λᵢ cᵢ² with the start's eigen-coordinates (2, 0.2): ½(1·4 + 100·0.04)
    assert quad["GD"]["steps"] == math.ceil(math.log(1e-6 / f0) / (2 * math.log(rho)))
    assert quad["Newton"]["steps"] == 1
    assert quad["momentum"]["steps"] < quad["GD"]["steps"] / 3
    assert rosen["Newton"]["steps"] < 50 and rosen["L-BFGS"]["steps"] < 80
    assert rosen["GD"]["steps"] is None  # GD does not get down the banana valley in the quick budget
    for row in list(quad.values()) + list(rosen.values()):
        if row["steps"] is not None:
            assert row["evals"] >= row["steps"]


def test_symmetry(demo):
    n = demo.numbers("symmetry")
    assert n["zero"]["spread"] == 0.0
    assert n["random"]["spread"] > 0.1
    assert n["zero"]["test_accuracy"] < 0.2 < 0.7 < n["random"]["test_accuracy"]
    findings = {(f["title"].split(":")[0]) for f in demo.sections["symmetry"]["findings"]
                if "symmetr" in f["title"].lower()}
    assert findings == {"zero initialisation"}


def test_dead_and_saturated_units(demo):
    n = demo.numbers("dead-units")
    relu_bad, relu_fix = n["ReLU, bias −3 (bad)"], n["ReLU, He init, bias 0.1 (remedy)"]
    log_bad, log_fix = n["logistic, weights ×30 (bad)"], n["logistic, Xavier init (remedy)"]
    assert relu_bad["dead"] >= 8 and relu_fix["dead"] == 0
    assert len(relu_bad["mean_activation"]) == relu_bad["units"] == 32
    assert log_bad["fraction_at_end"] > 0.8 > 0.1 > log_fix["fraction_at_end"]
    assert relu_fix["final_loss"] < relu_bad["final_loss"] and log_fix["final_loss"] < log_bad["final_loss"]


def test_normalisation_lowers_the_condition_number(demo):
    for case in ("badly scaled", "off-centre"):
        n = demo.numbers("normalisation")[case]
        assert n["kappa_raw"] == pytest.approx(n["kappa_inputs_raw"], rel=1e-3)
        assert n["kappa_standardised"] == pytest.approx(n["kappa_inputs_standardised"], rel=1e-6)
        assert n["kappa_raw"] > 1e8 and n["kappa_standardised"] < 10
        assert n["gap_standardised"] < 1e-8 < n["gap_raw"]


def test_fluctuations(demo):
    n = demo.numbers("fluctuations")
    constant = next(v for k, v in n.items() if k.startswith("constant"))
    decay = next(v for k, v in n.items() if k.startswith("late decay"))
    average = next(v for k, v in n.items() if k.startswith("iterate averaging"))
    assert 0 < decay["excess"] < constant["excess"]
    assert 0 < average["excess"] < constant["excess"]


def test_backprop_versus_perceptron(demo):
    n = demo.numbers("perceptron")
    assert n["three points"]["perceptron_errors"] == n["three points"]["backprop_errors"] == 0
    far = n["three points + (0, −100)"]
    assert far["perceptron_converged"] and far["perceptron_errors"] == 0
    assert far["backprop_misclassified"] == [3]  # the spoiler, and only it
    (w1, w2), b = far["perceptron_line"]
    assert 0 * w1 - 100 * w2 + b > 0  # the perceptron puts the spoiler (class 1) on the right side


def test_curvature_of_a_real_network(demo):
    n = demo.numbers("curvature")
    assert n["init_bottom"][0] < 0 < n["init_top"][-1]             # initialisation: a saddle-like point
    assert n["min_bottom"][0] > -1e-6 * n["min_top"][-1]           # the minimum: positive semidefinite
    assert n["predicted_lr"] == pytest.approx(2.0 / n["min_top"][-1])
    assert n["measured_lr"] == pytest.approx(n["predicted_lr"], rel=0.05)
    trials = n["trials"]
    assert all(not diverged for lr, diverged in trials if lr < 0.9 * n["predicted_lr"])
    assert all(diverged for lr, diverged in trials if lr > 1.1 * n["predicted_lr"])


def test_grid_search_and_restarts(demo):
    n = demo.numbers("grid-search")
    lrs = [g["lr"] for g in n["grid"]]
    assert all(2.9 <= a / b <= 3.4 for a, b in zip(lrs, lrs[1:]))
    best = min(n["grid"], key=lambda g: g["val_loss"])
    assert best["lr"] == n["best_lr"] and best["lr"] not in (lrs[0], lrs[-1])
    restarts = n["restarts"]
    assert min(restarts["finals"]) == pytest.approx(restarts["minima"][0], abs=1e-9)
    assert len(restarts["basins_reached"]) >= 2


def test_words(demo):
    n = demo.numbers("words")
    lm, glove = n["language_model"], n["glove"]
    assert lm["perplexity"] < 0.25 * lm["uniform_perplexity"] == 0.25 * n["vocabulary"]
    assert lm["curve"]["loss"][-1] < lm["curve"]["loss"][0]
    assert glove["loss_last"] < 0.5 * glove["loss_first"]
    assert glove["related_similarity"] > glove["random_similarity"]
    assert glove["analogy_questions"] > 0 and 0 <= glove["analogy_accuracy"] <= 1
