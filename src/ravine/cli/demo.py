"""``ravine demo``: run the studies (in parallel worker processes) and write the report.

Each study runs in a worker and comes back as a finished report section (figures
already encoded as PNG), so only plain records cross process boundaries.  A study
that raises becomes a failed section showing its error; the others still render,
and the exit status says that something failed.
"""

from __future__ import annotations

import time
import traceback
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Any, Sequence, TextIO

from ravine.cli.progress import progress
from ravine.errors import ConfigError
from ravine.report import FigureImage, Finding, KeyNumber, Report, Section, Table, environment_info, write_report
from ravine.store import ensure_writable_dir, to_jsonable
from ravine.studies import STUDIES, StudyConfig, StudyResult, get_study

__all__ = ["run_demo", "study_section", "result_to_section"]

REPORT_TITLE = "ravine demo: the optimisation lectures, reproduced by computation"


def run_demo(out: str | Path, *, quick: bool = False, workers: int = 1, only: Sequence[str] | None = None,
             seed: int = 0, stream: TextIO | None = None) -> tuple[Any, list[Section]]:
    """Run the chosen studies and write the report into ``out``; return (written files, failed sections)."""
    names = list(only) if only else list(STUDIES)
    for name in names:
        get_study(name)
    if len(set(names)) != len(names):
        raise ConfigError(f"--only names a study twice: {names}.")
    folder = ensure_writable_dir(Path(out), "output folder")
    config = StudyConfig(quick=quick, seed=seed)
    sections: dict[str, Section] = {}
    size = "quick" if quick else "full"
    with progress(len(names), f"ravine demo ({size})", stream) as shown:
        if workers <= 1 or len(names) <= 1:
            for name in names:
                sections[name] = study_section(name, config, names.index(name) + 1)
                _announce(shown, sections[name])
        else:
            with ProcessPoolExecutor(max_workers=min(workers, len(names))) as pool:
                # the heaviest studies sit at the end of the registry: start them first
                futures = {pool.submit(study_section, name, config, names.index(name) + 1): name
                           for name in reversed(names)}
                for future in as_completed(futures):
                    sections[futures[future]] = future.result()
                    _announce(shown, sections[futures[future]])
    ordered = [sections[name] for name in names]
    report = Report(REPORT_TITLE, ordered, environment=environment_info(),
                    subtitle=f"{len(ordered)} studies at {size} size, seed {seed}, computed on this machine.")
    written = write_report(report, folder)
    return written, [s for s in ordered if s.failed]


def _announce(shown: Any, section: Section) -> None:
    shown.advance(section.id, ok=not section.failed, seconds=section.elapsed_s)


def study_section(name: str, config: StudyConfig, number: int) -> Section:
    """Run one study and return its report section (a failed section if it raised)."""
    import matplotlib

    matplotlib.use("Agg")
    spec = get_study(name)
    start = time.perf_counter()
    try:
        result = spec.run(config)
        return result_to_section(result, number, elapsed_s=time.perf_counter() - start)
    except Exception as exc:  # a failing study must not take the report down with it
        where = traceback.extract_tb(exc.__traceback__)[-1]
        message = f"{type(exc).__name__}: {exc} (at {Path(where.filename).name}:{where.lineno})"
        return Section.from_error(spec.name, spec.title, message, number=number,
                                  elapsed_s=time.perf_counter() - start)
    finally:
        import matplotlib.pyplot as plt

        plt.close("all")


def result_to_section(result: StudyResult, number: int, elapsed_s: float | None = None) -> Section:
    """Translate a study's plain results into the report's view model."""
    figures = [FigureImage.from_figure(fig, caption, alt=caption) for caption, fig in result.figures.items()]
    numbers = [KeyNumber(m.label, _cell(m.value), unit=m.unit, theory=m.theory, rel_tol=m.rel_tol, note=m.note)
               for m in result.measured]
    tables = [Table(t.title, t.columns, [[_cell(c) for c in row] for row in t.rows]) for t in result.tables]
    if result.facts:
        tables.append(Table("Lecture facts, checked on these results", ["fact", "holds", "evidence"],
                            [[f.statement, "yes" if f.holds else "NO", f.evidence] for f in result.facts]))
    findings = [Finding.from_obj(f) for f in result.findings]
    data = to_jsonable({"numbers": result.numbers,
                        "facts": [{"statement": f.statement, "holds": f.holds, "evidence": f.evidence}
                                  for f in result.facts]})
    return Section(id=result.name, title=result.title, number=number, lead=_paragraphs(result.explanation),
                   figures=figures, tables=tables, numbers=numbers, findings=findings, data=data,
                   elapsed_s=elapsed_s)


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in text.strip().split("\n\n") if p.strip()]


def _cell(value: Any) -> Any:
    if hasattr(value, "item") and getattr(value, "ndim", 1) == 0:
        value = value.item()
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)
