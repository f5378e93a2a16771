"""The HTML report of `ravine run`: the study's runs side by side, with the doctor's findings.

Every name and text from STUDY.toml reaches the page through the report's view model,
whose renderer escapes it.
"""

from __future__ import annotations

from pathlib import Path

from ravine.report import FigureImage, Finding, Report, Section, Table, environment_info, write_report
from ravine.store import RunDir

__all__ = ["write_run_report"]


def write_run_report(config: dict, folder: Path, rows: list[dict]) -> Path:
    """Write ``folder/report/index.html`` for the finished runs ``rows``; return its path."""
    from ravine.diagnose import diagnose
    from ravine.plot.curves import training_curves

    histories, findings = {}, []
    for row in rows:
        history = RunDir(folder / "runs" / row["run_id"]).history()
        histories[row["run_id"]] = history
        diagnosis = diagnose(history)
        for f in diagnosis.findings:
            findings.append(Finding("critical" if f.severity == "error" else "warning", f"{row['run_id']}: {f.title}",
                                    evidence=f.summary, explanation=f.explanation, remedy=f.remedy))
        if diagnosis.healthy:
            findings.append(Finding("ok", f"{row['run_id']}: healthy"))
    study = config["study"]
    lead = [study.get("description", ""), f"Problem: {rows[0].get('problem', '')}." if rows else ""]
    table = Table("Runs", ["run", "status", "final loss", "best loss", "steps", "evaluations", "seconds"],
                  [[r["run_id"], r.get("status"), r.get("final_loss"), r.get("best_loss"), r.get("n_steps"),
                    r.get("n_evals"), r.get("wall_time")] for r in rows])
    figure = FigureImage.from_figure(training_curves(histories, title=f"Study {study['name']}"),
                                     "Loss and gradient norm per step", alt="training curves")
    section = Section(id="runs", title=f"Study {study['name']}", number=1, lead=[p for p in lead if p],
                      figures=[figure], tables=[table], findings=findings)
    written = write_report(Report(f"ravine run: {study['name']}", [section], environment=environment_info()),
                           folder / "report")
    return written.index_html
