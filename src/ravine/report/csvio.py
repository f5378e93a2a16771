"""Tables as CSV files: raw values at full precision, one file per table."""

from __future__ import annotations

import csv
import io
import re

from ravine.report.model import Section, Table

__all__ = ["table_to_csv", "table_file_names"]


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, float):
        return repr(value)  # full precision; 'inf' and 'nan' as numpy and pandas read them
    return value


def table_to_csv(table: Table) -> str:
    """The table as CSV text with a header row (``None`` cells left empty)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(table.columns)
    for row in table.rows:
        writer.writerow([_csv_cell(v) for v in row])
    return buffer.getvalue()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def table_file_names(section: Section) -> list[str]:
    """One distinct file name per table of the section: ``<section id>-<table title slug>.csv``."""
    names: list[str] = []
    for i, table in enumerate(section.tables, start=1):
        stem = f"{section.id}-{_slug(table.title) or f'table-{i}'}"
        name, n = f"{stem}.csv", 2
        while name in names:
            name, n = f"{stem}-{n}.csv", n + 1
        names.append(name)
    return names
