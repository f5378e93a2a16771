"""Write a report to a folder: index.html, results.json, one CSV per table, the figures.

Every file is written atomically (see :mod:`ravine.report.atomic`), and index.html
last, so a folder whose index.html exists holds a complete report.  Layout::

    OUT/index.html              self-contained page (figures embedded)
    OUT/results.json            every number, see ravine.report.jsonio
    OUT/tables/<section>-<table>.csv
    OUT/figures/<section>-<n>.png   the embedded figures again, as files
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from ravine.report.atomic import atomic_write_bytes, atomic_write_text, ensure_folder
from ravine.report.csvio import table_file_names, table_to_csv
from ravine.report.html import render_html
from ravine.report.jsonio import report_to_json
from ravine.report.model import Report

__all__ = ["WrittenReport", "write_report"]

_EXTENSIONS = {"image/png": "png", "image/svg+xml": "svg"}


@dataclass(frozen=True)
class WrittenReport:
    """Where :func:`write_report` put each file."""

    folder: Path
    index_html: Path
    results_json: Path
    tables: tuple[Path, ...]
    figures: tuple[Path, ...]


def write_report(report: Report, out_dir: str | os.PathLike) -> WrittenReport:
    """Write the report's files into ``out_dir`` (created if needed) and say where."""
    folder = ensure_folder(out_dir)
    figure_files: dict[tuple[str, int], str] = {}
    figure_paths: list[Path] = []
    table_paths: list[Path] = []
    for section in report.sections:
        for i, fig in enumerate(section.figures, start=1):
            relative = f"figures/{section.id}-{i}.{_EXTENSIONS[fig.mime]}"
            figure_paths.append(atomic_write_bytes(folder / relative, fig.data))
            figure_files[(section.id, i - 1)] = relative
        for name, table in zip(table_file_names(section), section.tables):
            table_paths.append(atomic_write_text(folder / "tables" / name, table_to_csv(table)))
    results = atomic_write_text(folder / "results.json", report_to_json(report, figure_files))
    index = atomic_write_text(folder / "index.html", render_html(report))
    return WrittenReport(folder, index, results, tuple(table_paths), tuple(figure_paths))
