"""The view-model records validate their fields and are immutable."""

import dataclasses
import math
import pickle

import numpy
import pytest

from ravine.errors import ConfigError
from ravine.report import FigureImage, Finding, KeyNumber, Report, Section, Table


def test_sequences_become_tuples_and_records_are_frozen():
    table = Table("t", ["a", "b"], [[1, 2.5], numpy.array([3.0, 4.0])])
    assert table.columns == ("a", "b")
    assert table.rows == ((1, 2.5), (3.0, 4.0))
    assert all(type(c) is float for c in table.rows[1])  # numpy scalars unwrapped
    with pytest.raises(dataclasses.FrozenInstanceError):
        table.title = "other"
    section = Section(id="s", title="S", lead="one paragraph", data={"x": 1})
    assert section.lead == ("one paragraph",)
    with pytest.raises(TypeError, match="read-only"):
        section.data["x"] = 2
    with pytest.raises(TypeError, match="read-only"):
        section.data.update(x=2)


def test_reports_pickle_for_worker_processes(sample_report):
    back = pickle.loads(pickle.dumps(sample_report))
    assert back == sample_report
    assert back.sections[0].data["eta"] == 0.1


@pytest.mark.parametrize(
    "build, message",
    [
        (lambda: Table("t", ["a", "b"], [[1]]), "row 0 has 1 cells"),
        (lambda: Table("t", ["a"], [[1]], formats=[".3g", ".3g"]), "2 formats for 1 columns"),
        (lambda: Table("t", ["a"], [[1]], formats=["%q"]), "not a valid number format"),
        (lambda: Table("t", ["a"], [[1.5]], formats=["d"]), "cannot format the float 1.5"),
        (lambda: Table("t", ["a"], [[object()]]), "must be a number, string"),
        (lambda: Table("t", [], []), "no columns"),
        (lambda: Finding("fatal", "x"), "severity must be one of"),
        (lambda: Section(id="Bad Id", title="x"), "lower-case slug"),
        (lambda: Section(id="s", title="x", status="broken"), "status must be one of"),
        (lambda: Section(id="s", title="x", status="failed"), "give its error message"),
        (lambda: Section(id="s", title="x", figures=["not a figure"]), "must be a FigureImage"),
        (lambda: Report("r", [Section(id="s", title="a"), Section(id="s", title="b")]), "two sections with id 's'"),
        (lambda: FigureImage("c", b"GIF89a"), "not a PNG"),
        (lambda: KeyNumber("k", 1.0, rel_tol=-1), "rel_tol must be a number"),
        (lambda: KeyNumber("k", [1.0]), "must be a number, string"),
        (lambda: Section(id="s", title="x", data={"f": object()}), r"data\['f'\] of type object cannot be written"),
    ],
)
def test_bad_fields_raise_config_errors_naming_the_problem(build, message):
    with pytest.raises(ConfigError, match=message):
        build()


def test_key_number_agreement_with_theory():
    close = KeyNumber("rate", 0.51, theory=0.5, rel_tol=0.05)
    far = KeyNumber("rate", 0.6, theory=0.5, rel_tol=0.05)
    assert close.agrees is True and far.agrees is False
    assert math.isclose(far.relative_difference, 0.2)
    assert KeyNumber("rate", 0.6, theory=0.5).agrees is None  # no tolerance: no verdict
    assert KeyNumber("rate", math.inf, theory=math.inf, rel_tol=0.1).agrees is True
    assert KeyNumber("rate", math.inf, theory=1.0, rel_tol=0.1).agrees is False


def test_finding_from_any_object_or_mapping():
    class DoctorFinding:
        severity = "critical"
        title = "Dead units"
        evidence = "40% of ReLUs never fire"
        explanation = "no gradient flows through them"
        remedy = "bias 0.1"

    assert Finding.from_obj(DoctorFinding()) == Finding(
        "critical", "Dead units", "40% of ReLUs never fire", "no gradient flows through them", "bias 0.1"
    )
    assert Finding.from_obj({"severity": "info", "title": "t"}) == Finding("info", "t")


def test_finding_from_a_doctor_finding():
    """ravine.diagnose's findings: severity 'error', a summary sentence and a dict of measurements."""
    doctor_finding = {
        "name": "divergence", "title": "Divergence", "severity": "error", "summary": "the loss became inf",
        "evidence": {"step": 12, "lr": 0.123456, "losses": list(range(10))},
        "explanation": "η > 2/λmax", "remedy": "decrease η",
    }
    finding = Finding.from_obj(doctor_finding)
    assert finding.severity == "critical"
    assert finding.evidence == "the loss became inf (step = 12; lr = 0.1235; losses = [10 values])"
    with pytest.raises(ConfigError, match="severity must be one of"):
        Finding.from_obj({"severity": "fatal", "title": "t"})


def test_from_error_records_the_exception():
    section = Section.from_error("s", "S", ValueError("bad value"))
    assert section.failed and section.error == "ValueError: bad value"


def test_table_from_records_fills_missing_cells_with_none():
    table = Table.from_records("t", [{"a": 1, "b": 2}, {"b": 3, "c": "x"}])
    assert table.columns == ("a", "b", "c")
    assert table.rows == ((1, 2, None), (None, 3, "x"))
