"""The README's `cli` section: its STUDY.toml example runs as written (run and sweep), and its
tables of commands and studies match the parser and the study registry."""

import re
import sqlite3
from pathlib import Path

from ravine.cli import main
from ravine.studies import STUDIES
from ravine.studies.config import load_study_file

README = Path(__file__).resolve().parents[2] / "README.md"


def _section() -> str:
    text = README.read_text()
    return text.split("<!-- section: cli -->")[1].split("<!-- /section: cli -->")[0]


def test_the_readme_study_runs_and_sweeps_as_written(tmp_path, capsys):
    blocks = re.findall(r"```toml\n(.*?)```", _section(), re.S)
    assert len(blocks) == 1
    study = tmp_path / "study.toml"
    study.write_text(blocks[0])
    config = load_study_file(study)
    assert config["budget"]["max_steps"] <= 300  # small enough for a test
    assert main(["run", str(study), "--out", str(tmp_path / "run")]) == 0
    assert {p.name for p in (tmp_path / "run" / "runs").iterdir()} == {"momentum-r0", "adam-r0"}
    assert main(["sweep", str(study), "--out", str(tmp_path / "sweep"), "--workers", "2"]) == 0
    rows = sqlite3.connect(tmp_path / "sweep" / "sweep.sqlite").execute(
        "SELECT optimizer, lr, restart, outcome, final_loss FROM runs ORDER BY final_loss").fetchall()
    assert len(rows) == 2 * 3 * 2 and {r[0] for r in rows} == {"momentum", "adam"}
    assert {r[1] for r in rows} == {0.003, 0.001, 0.0003}
    run_dir = tmp_path / "sweep" / "runs" / "momentum-lr0.003-r0"
    assert main(["diagnose", str(run_dir)]) == 0
    assert "The training doctor on" in capsys.readouterr().out


def test_the_readme_lists_every_study_and_command():
    section = _section()
    for name in STUDIES:
        assert f"| `{name}` |" in section, name
    for command in ("demo", "list", "run", "sweep", "diagnose"):
        assert f"`ravine {command}" in section
