"""Run directories, incremental histories, checkpoints and the SQLite sweep table."""

import json
import sqlite3

import numpy as np
import pytest

from ravine.errors import ConfigError, DataError
from ravine.store import RunDir, SweepTable, ensure_writable_dir, to_jsonable, write_atomic


def test_opening_an_existing_run_needs_resume_and_the_same_config(tmp_path):
    RunDir.open(tmp_path / "r", {"lr": 0.1}, resume=False)
    with pytest.raises(ConfigError, match="--resume"):
        RunDir.open(tmp_path / "r", {"lr": 0.1}, resume=False)
    with pytest.raises(ConfigError, match="changed fields: lr"):
        RunDir.open(tmp_path / "r", {"lr": 0.2}, resume=True)
    assert RunDir.open(tmp_path / "r", {"lr": 0.1}, resume=True).config() == {"lr": 0.1}


def test_prepare_resume_cuts_the_live_history_back_to_the_checkpoint(tmp_path):
    run = RunDir.open(tmp_path / "r", {}, resume=False)
    lines = ['{"meta": {"method": "gd"}}'] + [json.dumps({"step": k, "loss": 1.0 / (k + 1)}) for k in range(7)]
    run.history_path.write_text("\n".join(lines) + '\n{"step": 7, "lo')  # killed mid-line
    run.checkpoint_dir.mkdir()
    (run.checkpoint_dir / "run.json").write_text(json.dumps({"step": 5}))
    assert run.prepare_resume() == 5
    kept = [json.loads(line) for line in run.history_path.read_text().splitlines()]
    assert kept[0] == {"meta": {"method": "gd"}} and [r["step"] for r in kept[1:]] == [0, 1, 2, 3, 4]


def test_a_folder_without_history_is_a_clear_error(tmp_path):
    with pytest.raises(ConfigError, match="holds no run history"):
        RunDir(tmp_path).history()


def test_a_file_in_the_way_is_a_config_error(tmp_path):
    (tmp_path / "f").write_text("x")
    with pytest.raises(ConfigError, match="cannot be written"):
        ensure_writable_dir(tmp_path / "f" / "out")


def test_json_helpers_are_strict(tmp_path):
    assert to_jsonable({"a": np.float32(1.5), "b": np.inf, "c": np.arange(2)}) == {"a": 1.5, "b": None, "c": [0, 1]}
    write_atomic(tmp_path / "x.json", "{}")
    assert (tmp_path / "x.json").read_text() == "{}"
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]  # no temporary left behind


def test_sweep_table_rows_are_queryable_with_sqlite(tmp_path):
    db = tmp_path / "sweep.sqlite"
    with SweepTable(db) as table:
        for lr, loss in ((0.1, 0.5), (0.03, 0.2)):
            table.record(f"gd-{lr}", status="finished", config={"optimizer": {"lr": lr}},
                         swept={"optimizer.lr": lr}, metrics={"final_loss": loss, "n_steps": 10},
                         optimizer="gd", seed=0, restart=0)
        table.record("gd-0.1", status="finished", config={"optimizer": {"lr": 0.1}},
                     swept={"optimizer.lr": 0.1}, metrics={"final_loss": 0.4}, optimizer="gd")
        assert table.statuses() == {"gd-0.1": "finished", "gd-0.03": "finished"}
    rows = sqlite3.connect(db).execute("SELECT run_id, lr, final_loss FROM runs ORDER BY final_loss").fetchall()
    assert rows == [("gd-0.03", 0.03, 0.2), ("gd-0.1", 0.1, 0.4)]


def test_sweep_table_rejects_bad_column_names_and_bad_files(tmp_path):
    with SweepTable(tmp_path / "s.sqlite") as table:
        with pytest.raises(ConfigError, match="cannot be a table column"):
            table.record("a", status="x", config={}, swept={"optimizer.l r": 1})
        with pytest.raises(ConfigError, match="clash"):
            table.record("a", status="x", config={}, swept={"optimizer.status": 1})
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database at all, just text" * 10)
    with pytest.raises(DataError, match="SQLite"):
        SweepTable(bad)
