"""The doctor on degenerate evidence: a diverged run's NaN parameters, restarts
compared with a cost that is not finite, histories of length 1 and 2, constant
and non-finite losses."""

import numpy
import pytest

import ravine.numpy as np
from ravine.diagnose.doctor import diagnose
from ravine.errors import ShapeError
from ravine.optim import minimize


def _diverged_run():
    # E = 5‖θ‖², λmax = 10; GD at α = 0.3 > 2/λmax = 0.2 multiplies θ by 1 − αλ = −2 per step
    quad = lambda th: 5.0 * np.sum(th**2)
    return quad, minimize(quad, numpy.ones(3), "gd", lr=0.3, max_steps=2000, progress=False)


def test_nan_parameters_are_not_called_incorrect_gradients():
    # ravine.optim stops a diverging run at its last finite iterate, but parameters from a
    # hand-written loop can be NaN.  Their finite differences are NaN, and the gradient check
    # reported "incorrect gradients" (relative error inf); then the curvature crashed.
    quad, result = _diverged_run()
    assert result.status == "diverged"
    nan_params = numpy.array([1.0, numpy.nan, 2.0])
    d = diagnose(result.history, loss=quad, params=nan_params)
    assert "incorrect_gradients" not in d.names()
    assert "instability" in d.names()
    for check in ("incorrect_gradients", "saddle_points"):
        assert "NaN/Inf" in d.not_checked[check] and "last finite iterate" in d.not_checked[check]


def test_restarts_are_not_compared_with_a_cost_that_is_not_finite():
    # A run ending at NaN used to be reported as "local optima: nan% above the best restart".
    history = {"loss": numpy.r_[numpy.linspace(2.0, 1.0, 30), numpy.nan], "meta": {"method": "gd"}}
    d = diagnose(history, restarts=[0.4, 0.5])
    assert d.names() == ["instability"]
    assert "not finite" in d.not_checked["local_optima"]


def test_short_and_constant_histories():
    assert diagnose({"loss": [1.0]}).healthy
    assert diagnose({"loss": [1.0, 0.5]}).healthy
    assert diagnose({"loss": [1.0, 2.0]}).names() == ["instability"]  # the cost rose above its start
    assert diagnose({"loss": numpy.full(50, 3.0)}).healthy  # nothing to say without a scale (see report)
    for bad in (numpy.nan, numpy.inf, -numpy.inf):
        assert diagnose({"loss": numpy.r_[numpy.linspace(1.0, 0.5, 30), bad]}).names() == ["instability"]


def test_a_history_must_hold_one_number_per_step():
    # a (5, 5) loss array (per-example losses, say) was flattened into 25 "steps";
    # text in it escaped as "ValueError: could not convert string to float"
    with pytest.raises(ShapeError, match="one number per step.*\\(5, 5\\)"):
        diagnose({"loss": numpy.ones((5, 5))})
    with pytest.raises(ShapeError, match="'loss' must hold one number per step"):
        diagnose({"loss": ["a", "b"]})
    with pytest.raises(ShapeError, match="'grad_norm'"):
        diagnose({"loss": numpy.ones(4), "grad_norm": numpy.ones((4, 2))})
    assert diagnose({"loss": numpy.linspace(1.0, 0.5, 4)[:, None]}).measurements["steps"] == 4
