"""The driver: stopping rules, callbacks, History contract, files, resume, errors."""

import json

import numpy
import pytest

import ravine.numpy as np
from ravine.errors import ConfigError, DivergenceError
from ravine.optim import OPTIMIZERS, History, minimize

from .problems import noisy_least_squares, quadratic


def test_stops_on_lecture_rule_for_loss_change():
    loss, _, _ = quadratic([1.0, 2.0])
    res = minimize(loss, numpy.array([1.0, 1.0]), "gd", lr=0.1, max_steps=10_000, tol_f=1e-10)
    assert res.status == "converged_f" and res.success
    h = res.history
    assert abs(h.loss[-1] - h.loss[-2]) < 1e-10 <= abs(h.loss[-2] - h.loss[-3])
    assert "|f_k" in res.message and str(res.n_steps) in res.message


def test_stops_on_gradient_norm_and_records_the_history_contract():
    loss, _, _ = quadratic([1.0, 3.0])
    res = minimize(loss, numpy.array([2.0, -1.0]), "momentum", lr=0.1, mu=0.5, max_steps=1000, tol_grad=1e-6)
    h = res.history
    assert res.status == "converged_grad" and h.grad_norm[-1] < 1e-6 <= h.grad_norm[-2]
    assert len(h) == res.n_steps + 1 and list(h.step) == list(range(res.n_steps + 1))
    # step_norm is the step actually taken: ‖θ_{k+1} − θ_k‖ from the recorded trajectory
    numpy.testing.assert_allclose(h.step_norm[:-1], numpy.linalg.norm(numpy.diff(h.params, axis=0), axis=1), rtol=1e-12)
    assert h.step_norm[-1] == 0.0 and numpy.all(h.lr == 0.1)
    assert numpy.all(numpy.diff(h.time) >= 0) and numpy.all(numpy.diff(h.evals) == 1)
    assert h.meta["method"] == "momentum" and h.meta["status"] == "converged_grad"
    assert h.meta["options"] == {"mu": 0.5}
    d = h.to_dict()
    for key in ("step", "loss", "grad_norm", "step_norm", "lr", "time", "evals", "params", "meta"):
        assert key in d
    assert res.loss == h.loss[-1] and res.n_evals == h.evals[-1]


def test_max_steps_and_callback_stop():
    loss, _, _ = quadratic([1.0, 3.0])
    res = minimize(loss, numpy.array([1.0, 1.0]), "gd", lr=0.01, max_steps=7)
    assert res.status == "max_steps" and res.n_steps == 7 and not res.success
    seen = []

    def cb(info):
        seen.append((info.step, info.loss))
        return info.step == 4

    res = minimize(loss, numpy.array([1.0, 1.0]), "gd", lr=0.01, max_steps=100, callback=cb)
    assert res.status == "callback" and res.n_steps == 5 and [s for s, _ in seen] == [0, 1, 2, 3, 4]


def test_nan_loss_is_a_diagnosis_not_a_crash():
    res = minimize(lambda x: np.sum(np.log(x)), numpy.array([1.0, 2.0]), "gd", lr=10.0, max_steps=50)
    assert res.status == "diverged" and "nan" in res.message.lower() and "learning rate 10" in res.message
    assert numpy.all(numpy.isfinite(res.history.loss))
    with pytest.raises(DivergenceError, match="diverged at step"):
        minimize(lambda x: np.sum(np.log(x)), numpy.array([1.0, 2.0]), "gd", lr=10.0, on_divergence="raise")


def test_history_round_trips_through_json_npz_and_jsonl(tmp_path):
    loss, _, _ = quadratic([1.0, 3.0])
    res = minimize(loss, numpy.array([1.0, 1.0]), "gd", lr=0.1, max_steps=20, history_path=tmp_path / "live")
    res.history.save(tmp_path / "h")
    assert not any(p.suffix == ".pkl" for p in tmp_path.iterdir())
    json.loads((tmp_path / "h.json").read_text())
    for loaded in (History.load(tmp_path / "h"), History.load(tmp_path / "live.jsonl")):
        for col in ("step", "loss", "grad_norm", "step_norm", "lr", "evals"):
            numpy.testing.assert_array_equal(getattr(loaded, col), getattr(res.history, col))
        numpy.testing.assert_array_equal(loaded.params, res.history.params)
        assert loaded.meta["status"] == "max_steps"
    again = History.from_dict(res.history.to_dict())
    numpy.testing.assert_array_equal(again.loss, res.history.loss)


@pytest.mark.parametrize("method", ["sgd", "adam"])
def test_resume_is_bit_identical_including_the_batch_generator(tmp_path, method):
    loss, data = noisy_least_squares(n=90, d=4)
    w0 = numpy.zeros(4)
    kw = {"lr": 0.05, "data": data, "batch_size": 16, "seed": 7, "average": "ema", "average_tau": 10.0}
    full = minimize(loss, w0, method, max_steps=40, **kw)
    first = minimize(loss, w0, method, max_steps=17, checkpoint_dir=tmp_path / "ck", **kw)
    assert first.n_steps == 17
    second = minimize(loss, w0, method, max_steps=40, checkpoint_dir=tmp_path / "ck", resume=True, **kw)
    numpy.testing.assert_array_equal(second.params, full.params)
    numpy.testing.assert_array_equal(second.averaged_params, full.averaged_params)
    numpy.testing.assert_array_equal(second.history.loss, full.history.loss)
    numpy.testing.assert_array_equal(second.history.avg_loss, full.history.avg_loss)
    numpy.testing.assert_array_equal(second.history.grad_norm, full.history.grad_norm)
    assert second.n_evals == full.n_evals and second.loss == full.loss


@pytest.mark.parametrize("name", [n for n, s in OPTIMIZERS.items() if not s.stochastic])
def test_every_full_batch_method_resumes_bit_identically(tmp_path, name):
    # every state (BFGS's H, L-BFGS's pairs, Rprop's signs, LM's λ, reduce-on-plateau's counters,
    # the EMA) goes through the checkpoint exactly.  LM stalls at step 5 here: its final checkpoint held
    # θ_5 with the state after step 5's update, so the resumed run fed θ_5 to the EMA a second time.
    spec = OPTIMIZERS[name]
    quad, _, _ = quadratic([1.0, 5.0, 2.0], seed=1)
    kw = {"average": "ema", "average_tau": 5.0}
    if spec.needs_residuals:
        args, kw["residuals"] = (None,), lambda x: np.array([1.0, 2.0, 3.0]) * x + x**2 - 0.3
    else:
        args = (lambda x: quad(x) + 0.1 * np.sum(x**4),)
    if spec.uses_lr:
        kw.update(lr=0.05, plateau={"patience": 1, "cooldown": 1, "threshold": 0.5})
    x0 = numpy.array([1.0, -1.0, 0.5])
    full = minimize(*args, x0, name, max_steps=25, **kw)
    minimize(*args, x0, name, max_steps=9, checkpoint_dir=tmp_path / "ck", **kw)
    resumed = minimize(*args, x0, name, max_steps=25, checkpoint_dir=tmp_path / "ck", resume=True, **kw)
    assert resumed.n_steps == full.n_steps and resumed.status == full.status
    numpy.testing.assert_array_equal(resumed.params, full.params)
    numpy.testing.assert_array_equal(resumed.averaged_params, full.averaged_params)
    numpy.testing.assert_array_equal(resumed.history.loss, full.history.loss)
    numpy.testing.assert_array_equal(resumed.history.lr, full.history.lr)


def test_resume_from_periodic_checkpoint_after_a_crash(tmp_path):
    loss, _, _ = quadratic([1.0, 5.0])
    full = minimize(loss, numpy.array([1.0, -1.0]), "nesterov", lr=0.05, max_steps=60)

    def crash(info):
        if info.step == 33:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        minimize(loss, numpy.array([1.0, -1.0]), "nesterov", lr=0.05, max_steps=60, callback=crash,
                 checkpoint_dir=tmp_path, checkpoint_every=10)
    resumed = minimize(loss, numpy.array([1.0, -1.0]), "nesterov", lr=0.05, max_steps=60,
                       checkpoint_dir=tmp_path, resume=True)
    numpy.testing.assert_array_equal(resumed.params, full.params)
    numpy.testing.assert_array_equal(resumed.history.loss, full.history.loss)


def test_progress_stays_quiet_when_not_a_terminal(capsys):
    loss, _, _ = quadratic([1.0])
    minimize(loss, numpy.array([1.0]), "gd", lr=0.1, max_steps=5)
    out = capsys.readouterr()
    assert out.out == "" and out.err == ""


@pytest.mark.parametrize("kwargs, match", [
    ({"method": "nope"}, "unknown method 'nope'"),
    ({"method": "momentum", "lr": 0.1, "muu": 0.9}, "no option 'muu'"),
    ({"method": "momentum", "lr": -0.1}, "-0.1"),
    ({"method": "momentum", "lr": 0.1, "mu": 1.5}, "mu must be a number in \\[0, 1\\); received 1.5"),
    ({"method": "gd", "lr": 0.1, "max_steps": -3}, "max_steps must be an integer ≥ 0; received -3"),
    ({"method": "gd", "lr": 0.1, "tol_f": 0.0}, "tol_f must be a finite number > 0; received 0.0"),
    ({"method": "gd", "lr": 0.1, "average": "median"}, "average must be 'ema', 'polyak'"),
    ({"method": "gd", "lr": 0.1, "clip_norm": float("nan")}, "h must be a finite number > 0; received nan"),
    ({"method": "sgd", "lr": 0.1}, "pass data="),
    ({"method": "adam", "lr": 0.1, "beta2": 1.0}, "beta2 must be a number in \\[0, 1\\); received 1.0"),
    ({"method": "gd", "lr": lambda k: 0.1}, "plain function"),
])
def test_bad_arguments_are_config_errors_naming_the_value(kwargs, match):
    loss, _, _ = quadratic([1.0, 2.0])
    with pytest.raises(ConfigError, match=match):
        minimize(loss, numpy.array([1.0, 1.0]), **kwargs)


def test_every_registered_optimizer_runs_through_the_driver():
    loss, _, _ = quadratic([1.0, 2.0])
    ls_loss, data = noisy_least_squares(n=40, d=2)
    for name, spec in OPTIMIZERS.items():
        kw = {"max_steps": 30}
        if spec.stochastic:
            res = minimize(ls_loss, numpy.zeros(2), name, lr=0.1, data=data, batch_size=8, **kw)
        elif spec.needs_residuals:
            res = minimize(None, numpy.array([1.0, 1.0]), name,
                           residuals=lambda x: np.array([1.0, 2.0]) * x, **kw)
        else:
            res = minimize(loss, numpy.array([1.0, 1.0]), name, lr=0.1 if spec.uses_lr else None, **kw)
        assert res.status in ("max_steps", "converged_f", "converged_grad"), (name, res.message)
        assert res.loss < 0.5 * 1.5, name  # J(θ0) = 1.5 for the quadratic
