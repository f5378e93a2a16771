"""Writing a report folder: atomic files, JSON that round-trips, one CSV per table."""

import csv
import json
import math
import os

import pytest

from ravine.errors import ConfigError, DataError
from ravine.report import atomic_write_text, report_from_json, report_to_json, write_report
from ravine.report.jsonio import report_from_dict, report_to_dict, to_jsonable


def test_json_round_trip_with_inline_images(sample_report):
    text = report_to_json(sample_report)
    assert "NaN" in text  # the non-finite numbers survive, as strings
    json.loads(text, parse_constant=lambda c: pytest.fail(f"bare {c} in strict JSON"))
    back = report_from_json(text)
    assert back == sample_report
    first = back.sections[0]
    assert first.tables[0].rows[1][1] == math.inf
    assert first.data["losses"] == [1.0, 0.5, "NaN"]  # data is stored as JSON data from the start


def test_write_report_writes_every_file_and_no_temporaries(sample_report, tmp_path):
    out = tmp_path / "nested" / "report"
    written = write_report(sample_report, out)
    assert written.index_html.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in written.tables) == ["step-size-runs.csv", "user-study-script-alert-1-script.csv"]
    assert len(written.figures) == 3 and all(p.read_bytes().startswith(b"\x89PNG") for p in written.figures)
    leftovers = [p for p in out.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]
    assert leftovers == []
    # results.json references the figure files and reads back into the same report
    data = json.loads(written.results_json.read_text(encoding="utf-8"))
    assert data["sections"][0]["figures"][0]["file"] == "figures/step-size-1.png"
    assert report_from_json(written.results_json.read_text(encoding="utf-8"), out).sections[1] == sample_report.sections[1]


def test_csv_holds_raw_values(sample_report, tmp_path):
    written = write_report(sample_report, tmp_path)
    path = next(p for p in written.tables if p.name == "step-size-runs.csv")
    with path.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    assert rows[0] == ["eta", "final loss", "diverged"]
    assert rows[1] == ["0.1", "1e-09", "False"]
    assert float(rows[2][1]) == math.inf
    assert rows[3][1] == ""


def test_atomic_write_replaces_and_cleans_up_on_failure(tmp_path, monkeypatch):
    target = tmp_path / "f.txt"
    atomic_write_text(target, "old")
    atomic_write_text(target, "new")
    assert target.read_text() == "new"

    def broken_replace(src, dst):
        raise OSError("disk on fire")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError, match="disk on fire"):
        atomic_write_text(target, "newer")
    assert target.read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f.txt"]


def test_output_folder_blocked_by_a_file_is_a_config_error(sample_report, tmp_path):
    blocker = tmp_path / "report"
    blocker.write_text("I am a file")
    with pytest.raises(ConfigError, match="a file of that name is in the way"):
        write_report(sample_report, blocker)


def test_unwritable_folder_is_a_config_error(sample_report, tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can write into read-only folders, so this check cannot fail as root")
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(ConfigError, match="permission denied"):
            write_report(sample_report, locked / "out")
    finally:
        locked.chmod(0o700)


def test_to_jsonable_rejects_unknown_objects_naming_where():
    with pytest.raises(ConfigError, match=r"data\['f'\] of type function"):
        to_jsonable({"f": lambda: 0}, "data")


def test_from_dict_rejects_foreign_json():
    with pytest.raises(DataError, match="not a ravine report"):
        report_from_dict({"title": "x"})
    with pytest.raises(DataError, match="not valid JSON"):
        report_from_json("{")


def test_report_to_dict_inlines_images_by_default(sample_report):
    figures = report_to_dict(sample_report)["sections"][0]["figures"]
    assert all("base64" in f for f in figures)
