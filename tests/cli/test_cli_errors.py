"""The command line through its real entry points: help, listing, and every user error
giving one paragraph, exit status 2 and no traceback."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ravine.cli import main

SRC = str(Path(__file__).resolve().parents[2] / "src")


def _ravine(*args, cwd=None):
    env = dict(os.environ, PYTHONPATH=SRC + os.pathsep + os.environ.get("PYTHONPATH", ""))
    return subprocess.run([sys.executable, "-m", "ravine", *args], capture_output=True, text=True, env=env,
                          cwd=cwd, timeout=120)


def _assert_user_error(code, err, *fragments):
    assert code == 2
    assert "Traceback" not in err
    assert err.startswith("ravine: error: ") or "error:" in err
    for fragment in fragments:
        assert fragment in " ".join(err.split()), err


@pytest.mark.parametrize("argv", [["--help"], ["demo", "--help"], ["run", "--help"], ["sweep", "--help"],
                                  ["diagnose", "--help"], ["list", "--help"]])
def test_every_command_has_help_with_examples(argv, capsys):
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "ravine" in out


def test_list_is_generated_from_the_registries(capsys):
    from ravine.data import REGISTRY

    assert main(["list"]) == 0
    out = capsys.readouterr().out
    for name, spec in REGISTRY.items():
        assert f"  {name} " in out, name
    assert "problems (" in out and "datasets (" in out and "studies (" in out


def test_list_of_an_unknown_kind_names_the_kinds(capsys):
    assert main(["list", "widgets"]) == 2
    _assert_user_error(2, capsys.readouterr().err, "Unknown kind 'widgets'", "problems")


@pytest.mark.parametrize("spelling", ["optimisers", "Optimizers", "optimiser", "optimizer"])
def test_list_takes_british_singular_and_capitalised_kinds(spelling, capsys):
    # The help says "optimisers"; `ravine list optimisers` answered "Unknown kind".
    from ravine.optim import OPTIMIZERS

    assert main(["list", spelling]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"optimizers ({len(OPTIMIZERS)}):")
    for name in OPTIMIZERS:
        assert f"  {name} " in out, name


def test_malformed_toml_through_python_m(tmp_path):
    study = tmp_path / "study.toml"
    study.write_text("[study]\nname = 'x\n")
    done = _ravine("run", str(study))
    _assert_user_error(done.returncode, done.stderr, "is not valid TOML")
    assert len(done.stderr.strip().splitlines()) <= 3  # one paragraph


def test_mistyped_field_and_negative_learning_rate(tmp_path, capsys):
    study = tmp_path / "study.toml"
    study.write_text('[study]\nname = "x"\n[problem]\nname = "rosenbrock"\n[optimizer]\nname = "gd"\nlr = 0.1\n'
                     '[budget]\nmax_step = 5\n')
    assert main(["run", str(study)]) == 2
    _assert_user_error(2, capsys.readouterr().err, "unknown field budget.max_step", "max_steps")
    study.write_text('[study]\nname = "x"\n[problem]\nname = "rosenbrock"\n[optimizer]\nname = "gd"\nlr = -0.1\n')
    assert main(["sweep", str(study)]) == 2
    _assert_user_error(2, capsys.readouterr().err, "optimizer.lr must be a positive number", "-0.1")


def test_missing_study_file(tmp_path, capsys):
    assert main(["run", str(tmp_path / "nope.toml")]) == 2
    _assert_user_error(2, capsys.readouterr().err, "does not exist")


def test_unwritable_output_folder_for_the_demo(tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    assert main(["demo", "--quick", "--out", str(blocker / "report")]) == 2
    _assert_user_error(2, capsys.readouterr().err, "cannot be written", str(blocker / "report"))


def test_bad_options_are_usage_errors(capsys):
    assert main(["demo", "--workers", "0"]) == 2
    assert "expected a whole number ≥ 1, got 0" in capsys.readouterr().err
    assert main(["sweep", "x.toml", "--executor", "slurm"]) == 2
    assert "invalid choice: 'slurm'" in capsys.readouterr().err
    assert main(["frobnicate"]) == 2
    assert main([]) == 2


def test_dask_executor_needs_a_scheduler(tmp_path, capsys):
    assert main(["sweep", str(tmp_path / "s.toml"), "--executor", "dask"]) == 2
    _assert_user_error(2, capsys.readouterr().err, "--executor dask needs --scheduler ADDRESS")


def test_diagnose_of_a_folder_without_a_run(tmp_path, capsys):
    assert main(["diagnose", str(tmp_path)]) == 2
    _assert_user_error(2, capsys.readouterr().err, "holds no run history")


def test_a_failing_study_does_not_stop_the_demo(tmp_path, monkeypatch, capsys):
    import json

    from ravine.studies import STUDIES, StudySpec

    def broken(config):
        raise RuntimeError("this study is broken on purpose <b>")

    spec = STUDIES["cliffs"]
    monkeypatch.setitem(STUDIES, "cliffs", StudySpec(spec.name, spec.title, spec.lecture, spec.summary, broken))
    out = tmp_path / "report"
    assert main(["demo", "--quick", "--only", "step-size", "cliffs", "--workers", "1", "--out", str(out)]) == 1
    captured = capsys.readouterr()
    assert "1 of the studies failed" in captured.err and "cliffs" in captured.err
    assert str((out / "index.html").resolve()) in captured.out
    sections = {s["id"]: s for s in json.loads((out / "results.json").read_text())["sections"]}
    assert sections["step-size"]["status"] == "ok"
    assert sections["cliffs"]["status"] == "failed"
    assert "RuntimeError: this study is broken on purpose <b>" in sections["cliffs"]["error"]
    html = (out / "index.html").read_text()
    assert "broken on purpose &lt;b&gt;" in html and "broken on purpose <b>" not in html  # shown, escaped


def test_demo_only_rejects_unknown_study_names(capsys):
    assert main(["demo", "--only", "nonsense"]) == 2
    _assert_user_error(2, capsys.readouterr().err, "Unknown study 'nonsense'", "step-size")
