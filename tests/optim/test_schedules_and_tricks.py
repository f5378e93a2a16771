"""Schedules, clipping, weight decay, iterate averaging, reduce-on-plateau."""

import math

import numpy
import pytest

import ravine.numpy as np
from ravine.errors import ConfigError
from ravine.optim import (
    OPTIMIZERS,
    SCHEDULES,
    add_weight_decay,
    averaged_params,
    chain,
    clip_by_norm,
    clip_by_value,
    ema_average,
    gd,
    make_schedule,
    minimize,
    polyak_average,
    reduce_on_plateau,
    schedules,
)

from .problems import noisy_least_squares, quadratic

half_square = lambda x: 0.5 * np.sum(x**2)


def test_inverse_square_decay_stalls_at_the_closed_form_point():
    # GD on x²/2 with η_k = c/(k+1)²: x_N = x0·Π(1 − c/(k+1)²) → x0·sin(π√c)/(π√c) ≠ 0
    c, x0, n = 0.5, 2.0, 3000
    res = minimize(half_square, numpy.array([x0]), "gd", lr=schedules.inverse_square(c), max_steps=n)
    product = x0 * numpy.prod(1 - c / numpy.arange(1, n + 1) ** 2)
    assert res.params[0] == pytest.approx(product, rel=1e-12)
    limit = x0 * math.sin(math.pi * math.sqrt(c)) / (math.pi * math.sqrt(c))
    assert res.params[0] == pytest.approx(limit, rel=2 * c / n)  # the tail of the product is ≈ 1 − c/n
    assert res.params[0] > 0.3 * x0  # stalled far from the minimum at 0 (the limit is 0.358·x0)
    # whereas η0/(k+1) (Σ η_k = ∞) keeps going: x_N ≈ x0·N^(−c)
    res = minimize(half_square, numpy.array([x0]), "gd", lr=schedules.inverse_time(c), max_steps=n)
    assert res.params[0] < 0.05 * x0


def test_schedule_values():
    assert schedules.constant(0.3)(7) == 0.3
    assert schedules.inverse_time(1.0)(3) == 0.25
    assert schedules.inverse_square(1.0)(3) == 1 / 16
    assert schedules.exponential(2.0, 0.1)(10) == pytest.approx(2.0 * math.exp(-1.0))
    s = schedules.step_decay(1.0, 0.1, every=5)
    assert [s(k) for k in (0, 4, 5, 10)] == pytest.approx([1.0, 1.0, 0.1, 0.01])
    late = schedules.late_exponential(0.2, tau=10.0, start=100)
    assert late(0) == late(100) == 0.2 and late(110) == pytest.approx(0.2 * math.exp(-1.0))
    warm = schedules.linear_warmup(schedules.exponential(1.0, 0.5), warmup_steps=4)
    assert [warm(k) for k in range(5)] == pytest.approx([0.0, 0.25, 0.5, 0.75, 1.0])
    assert warm(6) == pytest.approx(math.exp(-1.0))
    cos = schedules.cosine(1.0, decay_steps=10, final_value=0.1)
    assert cos(0) == 1.0 and cos(5) == pytest.approx(0.55) and cos(10) == cos(50) == pytest.approx(0.1)
    assert make_schedule("exponential", eta0=1.0, beta=0.5).describe() == {"schedule": "exponential", "eta0": 1.0,
                                                                           "beta": 0.5}


@pytest.mark.parametrize("name, kwargs, match", [
    ("exponential", {"eta0": 1.0, "beta": -0.1}, "beta must be a finite number > 0; received -0.1"),
    ("inverse_time", {"eta0": float("inf")}, "eta0 must be a finite number > 0; received inf"),
    ("step_decay", {"eta0": 1.0, "factor": 1.0}, "factor must be a number in \\(0, 1\\); received 1.0"),
    ("step_decay", {"eta0": 1.0, "every": 0}, "every must be an integer ≥ 1; received 0"),
    ("late_exponential", {"alpha0": 0.1, "tau": 5.0, "start": 2.5}, "start must be an integer ≥ 0; received 2.5"),
    ("cosine", {"eta0": 0.1, "decay_steps": 10, "final_value": 0.5}, "final_value=0.5 exceeds eta0"),
    ("linear_warmup", {"target": "fast", "warmup_steps": 3}, "received 'fast'"),
    ("nope", {}, "unknown schedule 'nope'"),
])
def test_schedule_arguments_are_validated(name, kwargs, match):
    with pytest.raises(ConfigError, match=match):
        make_schedule(name, **kwargs)


def test_a_schedule_that_goes_negative_or_nan_is_a_config_error_not_an_ascent_step():
    falling = schedules.Schedule("falling", {}, lambda k: 0.5 - 0.25 * k)  # 0.5, 0.25, 0, −0.25
    opt = gd(falling)
    x, state = numpy.ones(1), opt.init(numpy.ones(1))
    for _ in range(3):
        u, state = opt.update(numpy.ones(1), state, x)
        assert u[0] <= 0.0
    with pytest.raises(ConfigError, match="schedule 'falling' gave the learning rate -0.25 at step 3"):
        opt.update(numpy.ones(1), state, x)
    with pytest.raises(ConfigError, match="gave the learning rate nan at step 0"):
        minimize(half_square, numpy.ones(1), "momentum", lr=schedules.Schedule("nan", {}, lambda k: float("nan")))


def test_clipping_by_norm_and_value_and_weight_decay():
    g = numpy.array([3.0, -4.0])
    u, _ = clip_by_norm(1.0).update(g, None)
    numpy.testing.assert_allclose(u, [0.6, -0.8])  # h/‖g‖ · g
    u, _ = clip_by_norm(10.0).update(g, None)
    numpy.testing.assert_array_equal(u, g)  # below the threshold: unchanged
    u, _ = clip_by_value(3.5).update(g, None)
    numpy.testing.assert_array_equal(u, [3.0, -3.5])
    theta = numpy.array([1.0, 2.0])
    u, _ = add_weight_decay(0.1).update(g, None, theta)
    numpy.testing.assert_allclose(u, g + 0.1 * theta)
    opt = chain(clip_by_norm(1.0), gd(0.5))
    u, _ = opt.update(g, opt.init(theta), theta)
    numpy.testing.assert_allclose(u, [-0.3, 0.4])


def test_ema_and_polyak_averages_of_the_iterates():
    loss, _, _ = quadratic([1.0, 4.0], seed=8)
    tau, start = 5.0, 3
    res = minimize(loss, numpy.array([1.0, -1.0]), "gd", lr=0.3, max_steps=12, average="ema",
                   average_tau=tau, average_start=start)
    path = res.history.params
    ema = path[0]
    for k in range(1, len(path)):  # θ̃ ← (1 − 1/τ)θ̃ + θ/τ after iterate `start`
        ema = path[k] if k <= start else (1 - 1 / tau) * ema + path[k] / tau
    numpy.testing.assert_allclose(res.averaged_params, ema, rtol=1e-13)
    assert res.averaged_loss == pytest.approx(float(loss(ema)), rel=1e-13)
    # the History's avg_loss is the loss at the averaged iterate of each row
    numpy.testing.assert_allclose(res.history.avg_loss[-1], loss(ema), rtol=1e-13)
    res = minimize(loss, numpy.array([1.0, -1.0]), "gd", lr=0.3, max_steps=12, average="polyak", average_start=start)
    numpy.testing.assert_allclose(res.averaged_params, res.history.params[start:].mean(axis=0), rtol=1e-13)


@pytest.mark.parametrize("seed", [0, 1])
def test_averaging_and_late_decay_lower_constant_step_sgd_final_loss(seed):
    # lecture 003 ("Fluctuations"): constant-step SGD fluctuates; iterate averaging and a late
    # exponential decay both reduce the final cost on a noisy least-squares problem
    loss, data = noisy_least_squares(n=400, d=5, noise=1.0, seed=seed)
    X, y = data
    w_star = numpy.linalg.lstsq(X, y, rcond=None)[0]
    f_min = 0.5 * numpy.mean((X @ w_star - y) ** 2)
    kw = {"data": data, "batch_size": 4, "seed": seed, "max_steps": 1500}
    plain = minimize(loss, numpy.zeros(5), "sgd", lr=0.1, average="ema", average_tau=200.0, average_start=500, **kw)
    late = minimize(loss, numpy.zeros(5), "sgd", lr=schedules.late_exponential(0.1, tau=150.0, start=750), **kw)
    excess_plain = plain.loss - f_min
    assert plain.averaged_loss - f_min < 0.1 * excess_plain
    assert late.loss - f_min < 0.1 * excess_plain
    assert late.history.lr[0] == 0.1 and late.history.lr[-2] < 0.01


def test_reduce_on_plateau_multiplies_the_learning_rate_when_the_loss_stagnates():
    opt = reduce_on_plateau(gd(1.0), factor=0.1, patience=2)
    state = opt.init(numpy.zeros(1))
    g = numpy.ones(1)
    steps = []
    for value in [5.0, 4.0, 4.0, 4.0, 4.0, 3.0, 3.0, 3.0, 3.0]:
        u, state = opt.update(g, state, numpy.zeros(1), value=value)
        steps.append(-u[0])
    # the 3rd non-improving value in a row (patience 2) cuts η by 10, the counter restarts
    assert steps == pytest.approx([1.0, 1.0, 1.0, 1.0, 0.1, 0.1, 0.1, 0.1, 0.01])
    with pytest.raises(ConfigError, match="needs value="):
        opt.update(g, state, numpy.zeros(1))


def test_reduce_on_plateau_cooldown_ignores_that_many_updates_after_a_reduction():
    # patience 0, cooldown 2, the loss stuck at 4 from the 3rd update: a reduction at update 2, then
    # updates 3 and 4 do not count, update 5 is the first stagnant one again: cut, and so on every 3
    opt = reduce_on_plateau(gd(1.0), factor=0.5, patience=0, cooldown=2)
    state = opt.init(numpy.zeros(1))
    steps = []
    for value in [5.0, 4.0] + [4.0] * 7:
        u, state = opt.update(numpy.ones(1), state, numpy.zeros(1), value=value)
        steps.append(-u[0])
    assert steps == [1.0, 1.0, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125]


def test_plateau_in_the_driver_records_the_reduced_learning_rate():
    loss, data = noisy_least_squares(n=200, d=3, seed=3)
    res = minimize(loss, numpy.zeros(3), "sgd", lr=0.05, data=data, batch_size=200, seed=0, max_steps=150,
                   plateau={"factor": 0.5, "patience": 5, "threshold": 1e-3, "min_scale": 1e-9})
    lrs = res.history.lr
    halvings = numpy.log2(0.05 / lrs)
    assert lrs[0] == 0.05 and lrs[-2] < 0.05
    numpy.testing.assert_allclose(halvings, numpy.round(halvings), atol=1e-9)  # η ← 0.5η, nothing else
    assert numpy.all(numpy.diff(halvings) >= 0)


def test_every_optimizer_combines_with_clipping_averaging_and_a_schedule():
    loss, _, _ = quadratic([1.0, 2.0])
    for name, spec in OPTIMIZERS.items():
        if spec.stochastic or spec.needs_residuals:
            continue
        lr = schedules.exponential(0.1, 0.01) if spec.uses_lr else None
        res = minimize(loss, numpy.array([1.0, 1.0]), name, lr=lr, max_steps=40, clip_norm=0.5, average="ema",
                       average_tau=4.0, weight_decay=0.01)
        assert res.loss < 1.5 and res.averaged_loss is not None, name
        assert numpy.all(numpy.isfinite(res.history.avg_loss))


def test_schedules_need_a_learning_rate():
    with pytest.raises(ConfigError, match="rprop takes no learning rate"):
        minimize(half_square, numpy.ones(2), "rprop", lr=schedules.inverse_time(0.1))
    with pytest.raises(ConfigError, match="reduce-on-plateau scales a learning rate"):
        minimize(half_square, numpy.ones(2), "bfgs", plateau={"factor": 0.5})


def test_schedule_registry_lists_every_factory():
    assert set(SCHEDULES) == {"constant", "inverse_time", "inverse_square", "exponential", "step_decay",
                              "late_exponential", "linear_warmup", "cosine"}
    for fn in (ema_average, polyak_average, averaged_params):
        assert fn.__doc__
