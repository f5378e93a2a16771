"""A run killed while its checkpoint is being written keeps the previous checkpoint whole."""

import numpy as np
import pytest

import ravine.optim.run_files as run_files
from ravine.data import get_surface
from ravine.optim import minimize


class Killed(BaseException):
    """Stands for the process dying part-way through a save."""


def test_kill_during_a_checkpoint_save_resumes_bit_identically(tmp_path, monkeypatch):
    surface = get_surface("rosenbrock")
    start = np.array(surface.start)
    whole = minimize(surface.f, start, method="gd", lr=1e-3, max_steps=120)
    real_save_state = run_files.save_state
    calls = {"n": 0}

    def dying_save_state(path, state):  # the second checkpoint dies after params.npz is written
        calls["n"] += 1
        if calls["n"] == 2:
            raise Killed()
        real_save_state(path, state)

    monkeypatch.setattr(run_files, "save_state", dying_save_state)
    with pytest.raises(Killed):
        minimize(surface.f, start, method="gd", lr=1e-3, max_steps=120, checkpoint_dir=tmp_path / "ck",
                 checkpoint_every=40)
    monkeypatch.setattr(run_files, "save_state", real_save_state)
    resumed = minimize(surface.f, start, method="gd", lr=1e-3, max_steps=120, checkpoint_dir=tmp_path / "ck",
                       checkpoint_every=40, resume=True)
    np.testing.assert_array_equal(resumed.history.loss, whole.history.loss)
    np.testing.assert_array_equal(resumed.params, whole.params)


def test_kill_between_the_renames_falls_back_to_the_previous_checkpoint(tmp_path):
    surface = get_surface("rosenbrock")
    start = np.array(surface.start)
    whole = minimize(surface.f, start, method="gd", lr=1e-3, max_steps=80)
    minimize(surface.f, start, method="gd", lr=1e-3, max_steps=40, checkpoint_dir=tmp_path / "ck", checkpoint_every=40)
    (tmp_path / "ck").rename(tmp_path / "ck.old")  # as if killed after moving the old one aside
    steps_taken = []
    resumed = minimize(surface.f, start, method="gd", lr=1e-3, max_steps=80, checkpoint_dir=tmp_path / "ck",
                       checkpoint_every=40, resume=True, callback=lambda info: steps_taken.append(info.step))
    np.testing.assert_array_equal(resumed.history.loss, whole.history.loss)
    assert steps_taken == list(range(40, 80))  # continued from the saved step 40, nothing redone
