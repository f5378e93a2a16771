"""ravine.report — study results as a self-contained HTML report, JSON and CSV.

Fill the view model, then write it::

    from ravine.report import Report, Section, FigureImage, KeyNumber, Table, Finding, write_report
    from ravine.report import environment_info

    section = Section(
        id="step-size", number=1, title="Step size on a quadratic",
        lead=["Gradient descent on f(θ) = ½ a θ² converges for η < 2/a."],
        figures=[FigureImage.from_figure(fig, "Loss per step for three step sizes")],
        numbers=[KeyNumber("rate, η = 0.5 η_opt", 0.502, theory=0.5, rel_tol=0.05)],
        tables=[Table("Runs", ["η", "final loss"], [[0.1, 1e-9], [0.3, float("inf")]], formats=[".2g", ".3g"])],
        findings=[Finding("warning", "Oscillation", evidence="sign of Δθ alternates")],
    )
    failed = Section.from_error("words", "Words", RuntimeError("corpus missing"))
    report = Report("ravine demo", [section, failed], environment=environment_info())
    paths = write_report(report, "ravine-report")   # index.html, results.json, tables/, figures/

Modules: :mod:`.model` (the frozen records), :mod:`.html` (templates → one page),
:mod:`.jsonio` (results.json and back), :mod:`.csvio` (tables), :mod:`.atomic`
(atomic writes), :mod:`.writer` (everything into a folder), :mod:`.environment`.
"""

from ravine.report.atomic import atomic_write_bytes, atomic_write_text
from ravine.report.environment import environment_info
from ravine.report.html import render_html
from ravine.report.jsonio import report_from_dict, report_from_json, report_to_dict, report_to_json, to_jsonable
from ravine.report.model import SEVERITIES, STATUSES, FigureImage, Finding, KeyNumber, Report, Section, Table
from ravine.report.writer import WrittenReport, write_report

__all__ = [
    "SEVERITIES",
    "STATUSES",
    "FigureImage",
    "Finding",
    "KeyNumber",
    "Report",
    "Section",
    "Table",
    "WrittenReport",
    "atomic_write_bytes",
    "atomic_write_text",
    "environment_info",
    "render_html",
    "report_from_dict",
    "report_from_json",
    "report_to_dict",
    "report_to_json",
    "to_jsonable",
    "write_report",
]
