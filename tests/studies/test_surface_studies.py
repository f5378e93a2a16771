"""Studies on 2-D surfaces: the lecture facts hold in the numbers each study computes."""

import math

import numpy as np
import pytest

from ravine.studies import STUDIES, StudyConfig

QUICK = StudyConfig(quick=True)


@pytest.fixture(scope="module")
def step_size():
    return STUDIES["step-size"].run(QUICK)


@pytest.fixture(scope="module")
def saddle():
    return STUDIES["saddle-points"].run(QUICK)


@pytest.fixture(scope="module")
def cliffs():
    return STUDIES["cliffs"].run(QUICK)


def test_step_size_rates_equal_one_minus_eta_lambda(step_size):
    a = 4.0
    for regime, ratio in (("monotone", 0.6), ("oscillating", 1.7), ("divergent", 2.2)):
        run = step_size.numbers[regime]
        assert run["eta"] == pytest.approx(ratio / a)
        assert run["measured_rate"] == pytest.approx(abs(1 - ratio), rel=1e-9)
    w_mono = np.array(step_size.numbers["monotone"]["w"])
    w_osc = np.array(step_size.numbers["oscillating"]["w"])
    w_div = np.array(step_size.numbers["divergent"]["w"])
    assert np.all(w_mono > 0) and np.all(np.diff(w_mono) < 0)                  # monotone
    assert np.all(np.sign(w_osc[1:]) == -np.sign(w_osc[:-1]))                   # sign flips every step
    assert abs(w_osc[-1]) < abs(w_osc[0])                                        # ... and converges
    assert np.all(np.abs(w_div[1:]) > np.abs(w_div[:-1]))                      # divergent


def test_step_size_per_eigendirection(step_size):
    two_d = step_size.numbers["two_d"]
    assert two_d["eigenvalues"] == pytest.approx([1.0, 10.0])
    for lam, eta_lam, measured, theory, behaviour in two_d["rows"]:
        assert theory == pytest.approx(abs(1 - two_d["eta"] * lam))
        assert measured == pytest.approx(theory, rel=1e-6)
        assert behaviour == ("oscillates" if eta_lam > 1 else "decays")
    assert all(f.holds for f in step_size.facts), [f for f in step_size.facts if not f.holds]


def test_step_size_doctor_names_the_regimes(step_size):
    by_run = {}
    for finding in step_size.findings:
        by_run.setdefault(finding["run"], set()).add(finding["name"])
    assert by_run["η = 0.6 η_opt (monotone)"] == {"healthy"}
    assert "oscillations" in by_run["η = 1.7 η_opt (oscillating)"]
    assert "instability" in by_run["η = 2.2 η_opt (divergent)"]
    assert len(step_size.figures) == 2


def test_saddle_gd_stays_nudged_escapes_newton_attracted_saddle_free_not(saddle):
    n = saddle.numbers
    assert n["eigenvalues"] == pytest.approx([-2.0, 2.0])
    assert n["stuck_distance"] == 0.0
    lr = 0.2
    assert n["escape_growth"] == pytest.approx(1 + 2 * lr, rel=1e-9)
    assert n["escape_step"] == math.ceil(math.log(0.1 / 1e-6) / math.log(1 + 2 * lr))
    assert np.linalg.norm(n["plain_newton_end"]) < 1e-12
    assert abs(n["saddle_free_end"][1]) > 0.5
    assert all(f.holds for f in saddle.facts)
    names = {(f["run"], f["name"]) for f in saddle.findings}
    assert ("GD started on the saddle", "saddle_points") in names
    assert ("plain Newton", "saddle_points") in names


def test_clipping_bounds_the_step_at_the_cliff(cliffs):
    plain, clipped = cliffs.numbers["plain"], cliffs.numbers["clipped"]
    assert clipped["max_step"] == pytest.approx(0.1 * 1.0, rel=1e-12)  # η·h
    assert plain["max_step"] > 20 * clipped["max_step"]
    assert plain["max_grad_norm"] > 10 * 1.0  # the cliff's gradient is far above h
    assert plain["farthest_from_minimum"] > clipped["farthest_from_minimum"]
    assert all(f.holds for f in cliffs.facts)
    assert {f["name"] for f in cliffs.findings if f["run"] == "GD"} >= {"instability"}
