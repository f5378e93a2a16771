"""`ravine run` and `ravine sweep` for real: run folders, SQLite rows, and resuming after a kill."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pytest

from ravine.cli import main
from ravine.data import get_surface
from ravine.optim import History, minimize

SRC = str(Path(__file__).resolve().parents[2] / "src")

STUDY = """
[study]
name = "rosenbrock-test"

[problem]
name = "rosenbrock"

[[optimizer]]
name = "gd"
lr = 0.001

[[optimizer]]
name = "momentum"
lr = 0.001
mu = 0.9

[budget]
max_steps = {steps}
checkpoint_every = {every}
"""

SWEEP = """
[study]
name = "sweep-test"
seed = 3

[problem]
name = "rosenbrock"

[optimizer]
name = "momentum"
lr = 0.001
mu = 0.9

[budget]
max_steps = 150

[sweep]
restarts = 2

[sweep.grid]
optimizer.lr = [0.001, 0.0003, 0.0001]
"""


def _write(tmp_path, text, name="study.toml"):
    path = tmp_path / name
    path.write_text(text)
    return str(path)


def test_run_writes_one_folder_per_optimizer_with_the_numbers_minimize_gives(tmp_path, capsys):
    study = _write(tmp_path, STUDY.format(steps=200, every=50))
    out = tmp_path / "out"
    assert main(["run", study, "--out", str(out)]) == 0
    assert str(out.resolve()) in capsys.readouterr().out
    surface = get_surface("rosenbrock")
    for name, options in (("gd", {}), ("momentum", {"mu": 0.9})):
        folder = out / "runs" / f"{name}-r0"
        result = json.loads((folder / "result.json").read_text())
        direct = minimize(surface.f, np.array(surface.start), method=name, lr=0.001, max_steps=200, **options)
        assert result["final_loss"] == direct.loss and result["n_steps"] == 200
        saved = History.load(folder / "history")
        np.testing.assert_array_equal(saved.loss, direct.history.loss)
        assert len((folder / "history.jsonl").read_text().splitlines()) >= 200  # written as it ran
    summary = json.loads((out / "summary.json").read_text())
    assert [r["run_id"] for r in summary["runs"]] == ["gd-r0", "momentum-r0"]
    assert main(["run", study, "--out", str(out)]) == 2  # refuses to overwrite without --resume
    assert "--resume" in capsys.readouterr().err


def test_a_killed_run_resumes_without_redoing_or_losing_steps(tmp_path):
    steps, every = 1500, 50
    study = _write(tmp_path, STUDY.format(steps=steps, every=every).split("[[optimizer]]\nname = \"momentum\"")[0]
                   + f"[budget]\nmax_steps = {steps}\ncheckpoint_every = {every}\n")
    out = tmp_path / "killed"
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    process = subprocess.Popen([sys.executable, "-m", "ravine", "run", study, "--out", str(out)], env=env,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    live = out / "runs" / "gd-r0" / "history.jsonl"
    deadline = time.time() + 60
    while time.time() < deadline and process.poll() is None:
        if live.exists() and len(live.read_text().splitlines()) > 400:
            break
        time.sleep(0.02)
    process.send_signal(signal.SIGKILL)
    process.wait()
    folder = out / "runs" / "gd-r0"
    assert not (folder / "result.json").exists(), "the run finished before it could be interrupted"
    before = [json.loads(line) for line in live.read_text().splitlines()[1:] if line.endswith("}")]
    checkpoint = json.loads((folder / "checkpoint" / "run.json").read_text())["step"]
    assert every <= checkpoint < steps and checkpoint % every == 0

    assert main(["run", study, "--out", str(out), "--resume"]) == 0
    resumed = History.load(folder / "history")
    assert main(["run", study, "--out", str(tmp_path / "whole")]) == 0
    whole = History.load(tmp_path / "whole" / "runs" / "gd-r0" / "history")
    np.testing.assert_array_equal(resumed.loss, whole.loss)  # nothing lost: the same run, bit for bit
    np.testing.assert_array_equal(resumed.params, whole.params)
    # nothing redone: the steps before the checkpoint keep the wall times of the first attempt
    first_times = {row["step"]: row["time"] for row in before if "step" in row}
    assert all(resumed.time[k] == first_times[k] for k in range(checkpoint))
    steps_in_log = [json.loads(line).get("step") for line in live.read_text().splitlines()[1:]]
    steps_in_log = [s for s in steps_in_log if s is not None]
    assert steps_in_log == list(range(steps + 1))  # the live log lists each step once


def _rows(database):
    with sqlite3.connect(database) as db:
        db.row_factory = sqlite3.Row
        return [dict(r) for r in db.execute("SELECT * FROM runs ORDER BY run_id")]


def test_sweep_fills_the_sqlite_table_and_resume_skips_finished_runs(tmp_path, capsys):
    study = _write(tmp_path, SWEEP)
    out = tmp_path / "sweep"
    assert main(["sweep", study, "--out", str(out), "--workers", "2"]) == 0
    rows = _rows(out / "sweep.sqlite")
    assert len(rows) == 6 and {r["status"] for r in rows} == {"finished"}
    assert sorted({r["lr"] for r in rows}) == [0.0001, 0.0003, 0.001]
    assert sorted({(r["seed"], r["restart"]) for r in rows}) == [(3, 0), (4, 1)]
    for row in rows:
        result = json.loads((out / "runs" / row["run_id"] / "result.json").read_text())
        assert row["final_loss"] == result["final_loss"] and row["n_steps"] == result["n_steps"]
        assert row["outcome"] == result["status"]
        assert row["n_steps"] == 150 or row["outcome"] == "diverged"  # a random restart may start too steep
        assert json.loads(row["config"])["optimizer"]["lr"] == row["lr"]
    surface = get_surface("rosenbrock")
    direct = minimize(surface.f, np.array(surface.start), method="momentum", lr=0.001, mu=0.9, max_steps=150)
    assert [r["final_loss"] for r in rows if r["run_id"] == "momentum-lr0.001-r0"] == [direct.loss]
    best = min(rows, key=lambda r: r["final_loss"])
    assert best["run_id"] in capsys.readouterr().out

    stamps = {p: p.stat().st_mtime_ns for p in out.glob("runs/*/result.json")}
    assert main(["sweep", study, "--out", str(out)]) == 2  # an existing sweep needs --resume
    assert main(["sweep", study, "--out", str(out), "--resume"]) == 0
    assert "0 runs finished, 6 already done" in capsys.readouterr().out
    assert stamps == {p: p.stat().st_mtime_ns for p in out.glob("runs/*/result.json")}


def test_an_interrupted_sweep_resumes_only_the_unfinished_runs(tmp_path):
    study = _write(tmp_path, SWEEP.replace("max_steps = 150", "max_steps = 600"))
    out = tmp_path / "sweep"
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    process = subprocess.Popen([sys.executable, "-m", "ravine", "sweep", study, "--out", str(out), "--workers", "1"],
                               env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    database = out / "sweep.sqlite"
    deadline = time.time() + 90
    finished = []
    while time.time() < deadline and process.poll() is None:
        if database.exists():
            try:
                finished = [r for r in _rows(database) if r["status"] == "finished"]
            except sqlite3.OperationalError:
                finished = []
            if len(finished) >= 2:
                break
        time.sleep(0.05)
    os.killpg(process.pid, signal.SIGKILL)  # the sweep and its worker process
    process.wait()
    done_before = {r["run_id"] for r in _rows(database) if r["status"] == "finished"}
    assert 2 <= len(done_before) < 6, "the sweep should be interrupted part-way"
    stamps = {run_id: (out / "runs" / run_id / "result.json").stat().st_mtime_ns for run_id in done_before}

    assert main(["sweep", study, "--out", str(out), "--resume", "--workers", "2"]) == 0
    rows = _rows(database)
    assert len(rows) == 6 and {r["status"] for r in rows} == {"finished"}
    assert stamps == {run_id: (out / "runs" / run_id / "result.json").stat().st_mtime_ns for run_id in done_before}
    assert all(r["n_steps"] == 600 or r["outcome"] == "diverged" for r in rows)
    assert all(r["n_steps"] == 600 for r in rows if r["restart"] == 0)


def test_dask_executor_on_a_local_cluster(tmp_path):
    distributed = pytest.importorskip("dask.distributed", reason="dask is an optional extra: pip install 'ravine[dask]'")
    study = _write(tmp_path, SWEEP.replace("restarts = 2", "restarts = 1"))
    out = tmp_path / "dask"
    # one single-threaded worker: the runs travel through the scheduler like on a real cluster
    with distributed.LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster:
        assert main(["sweep", study, "--out", str(out), "--executor", "dask",
                     "--scheduler", cluster.scheduler_address]) == 0
    rows = _rows(out / "sweep.sqlite")
    assert len(rows) == 3 and {r["status"] for r in rows} == {"finished"}
    surface = get_surface("rosenbrock")
    for row in rows:
        direct = minimize(surface.f, np.array(surface.start), method="momentum", lr=row["lr"], mu=0.9, max_steps=150)
        assert row["final_loss"] == direct.loss


def test_dask_scheduler_that_cannot_be_reached(tmp_path, capsys):
    pytest.importorskip("dask.distributed", reason="dask is an optional extra: pip install 'ravine[dask]'")
    study = _write(tmp_path, SWEEP)
    assert main(["sweep", study, "--out", str(tmp_path / "o"), "--executor", "dask",
                 "--scheduler", "nonsense://scheduler"]) == 2
    assert "Cannot reach the Dask scheduler at 'nonsense://scheduler'" in " ".join(capsys.readouterr().err.split())


def test_unknown_names_and_options_stop_before_any_run(tmp_path, capsys):
    for bad, message in (('name = "gd"\nlr = 0.001\nmu = 0.9', "gd has no option 'mu'"),
                         ('name = "gradient"\nlr = 0.001', "optimizer.name = 'gradient' is not an optimiser"),
                         # a schedule inside the optimiser's table: say where it goes
                         ('name = "gd"\nschedule = "late_exponential"', "a schedule has its own table; write [schedule]"),):
        study = _write(tmp_path, SWEEP.replace('name = "momentum"\nlr = 0.001\nmu = 0.9', bad))
        out = tmp_path / "never"
        assert main(["sweep", study, "--out", str(out)]) == 2
        assert message in " ".join(capsys.readouterr().err.split())
        assert not out.exists()
    study = _write(tmp_path, SWEEP.replace('name = "rosenbrock"', 'name = "banana"'))
    assert main(["run", study, "--out", str(tmp_path / "never")]) == 2
    assert "problem.name = 'banana' is not a built-in problem; choose one of" in capsys.readouterr().err


DIGITS = """
[study]
name = "digits"

[problem]
dataset = "digits"
model = "softmax_regression"
n_train = 300
standardize = {standardize}

[optimizer]
name = "gd"
lr = 0.001

[budget]
max_steps = 60
"""


def test_diagnose_a_saved_run_with_its_objective_rebuilt(tmp_path, capsys):
    found = {}
    for standardize in ("false", "true"):
        study = _write(tmp_path, DIGITS.format(standardize=standardize), f"digits-{standardize}.toml")
        out = tmp_path / standardize
        assert main(["run", study, "--out", str(out)]) == 0
        capsys.readouterr()
        assert main(["diagnose", str(out / "runs" / "gd-r0"), "--json"]) == 0
        report = json.loads(capsys.readouterr().out)
        assert "incorrect_gradients" in report["checked"]  # the objective was rebuilt from config.json
        found[standardize] = {f["name"] for f in report["findings"]}
    assert "badly_conditioned_curvature" in found["false"]
    assert "badly_conditioned_curvature" not in found["true"]


def test_random_search_draws_log_uniform_rates_reproducibly(tmp_path):
    text = SWEEP.replace("[sweep]\nrestarts = 2\n\n[sweep.grid]\noptimizer.lr = [0.001, 0.0003, 0.0001]",
                         '[sweep]\nmethod = "random"\nsamples = 4\n\n[sweep.random]\n'
                         "optimizer.lr = { low = 1e-5, high = 1e-3, log = true }")
    text = text.replace("max_steps = 150", "max_steps = 20")
    study = _write(tmp_path, text)
    for out in ("a", "b"):
        assert main(["sweep", study, "--out", str(tmp_path / out), "--workers", "1"]) == 0
    rates = [sorted(r["lr"] for r in _rows(tmp_path / out / "sweep.sqlite")) for out in ("a", "b")]
    assert rates[0] == rates[1] and len(set(rates[0])) == 4  # seeded by study.seed
    assert all(1e-5 <= lr <= 1e-3 for lr in rates[0])


def test_a_schedule_sets_the_learning_rate_of_each_step(tmp_path):
    study = _write(tmp_path, STUDY.format(steps=40, every=10).split("[[optimizer]]\nname = \"momentum\"")[0]
                   .replace("lr = 0.001\n", "") + "[budget]\nmax_steps = 40\n"
                   "[schedule]\nname = \"late_exponential\"\nalpha0 = 0.001\ntau = 10.0\nstart = 20\n")
    out = tmp_path / "sched"
    assert main(["run", study, "--out", str(out)]) == 0
    lr = History.load(out / "runs" / "gd-r0" / "history").lr[:40]
    expected = [0.001 if k < 20 else 0.001 * np.exp(-(k - 20) / 10.0) for k in range(40)]
    np.testing.assert_allclose(lr, expected, rtol=1e-12)


def test_run_writes_an_html_report_with_config_text_escaped(tmp_path, capsys):
    text = STUDY.format(steps=30, every=10).replace(
        'name = "rosenbrock-test"', 'name = "rosenbrock-test"\ndescription = "<script>alert(1)</script> & friends"')
    study = _write(tmp_path, text)
    out = tmp_path / "out"
    assert main(["run", study, "--out", str(out)]) == 0
    index = out / "report" / "index.html"
    assert str(index.resolve()) in capsys.readouterr().out
    html = index.read_text()
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends" in html
    assert "<script>alert(1)</script>" not in html
    assert "gd-r0" in html and "momentum-r0" in html and "data:image/png;base64," in html
