"""The report as JSON: ``results.json`` holds every number behind the HTML.

:func:`report_to_dict` turns the view model into plain JSON data and
:func:`report_from_dict` reads it back, so a report can be re-rendered (or
inspected by another program) without re-running the studies.  Non-finite floats
are written as the strings ``"NaN"``, ``"Infinity"`` and ``"-Infinity"`` (see
:mod:`ravine.report.plain`) and read back as floats in numeric places (key numbers
and table cells).  Figures are
stored either inline as base64 or as a path to the PNG file written beside
results.json.
"""

from __future__ import annotations

import base64
import json
import os
from pathlib import Path
from typing import Any, Mapping

from ravine.errors import DataError
from ravine.report.model import FigureImage, Finding, KeyNumber, Report, Section, Table
from ravine.report.plain import number_from_json, to_jsonable

__all__ = ["to_jsonable", "report_to_dict", "report_from_dict", "report_to_json", "report_from_json"]

FORMAT_VERSION = 1
def _figure_to_dict(fig: FigureImage, file: str | None) -> dict[str, Any]:
    out: dict[str, Any] = {"caption": fig.caption, "alt": fig.alt, "mime": fig.mime, "wide": fig.wide}
    if file is None:
        out["base64"] = fig.base64
    else:
        out["file"] = file
    return out


def _section_to_dict(section: Section, figure_files: Mapping[int, str] | None) -> dict[str, Any]:
    return {
        "id": section.id,
        "number": section.number,
        "title": section.title,
        "status": section.status,
        "error": section.error,
        "elapsed_s": to_jsonable(section.elapsed_s),
        "lead": list(section.lead),
        "numbers": [to_jsonable(n, f"section {section.id!r} key number") for n in section.numbers],
        "tables": [to_jsonable(t, f"section {section.id!r} table") for t in section.tables],
        "findings": [to_jsonable(f) for f in section.findings],
        "figures": [
            _figure_to_dict(fig, None if figure_files is None else figure_files.get(i))
            for i, fig in enumerate(section.figures)
        ],
        "data": to_jsonable(section.data, f"section {section.id!r} data"),
    }


def report_to_dict(report: Report, figure_files: Mapping[tuple[str, int], str] | None = None) -> dict[str, Any]:
    """The report as JSON data.

    Figures are inlined as base64 unless ``figure_files`` maps
    ``(section id, figure index)`` to the relative path of the written image file.
    """
    return {
        "format": "ravine-report",
        "version": FORMAT_VERSION,
        "title": report.title,
        "subtitle": report.subtitle,
        "generated_at": report.generated_at,
        "environment": dict(report.environment),
        "sections": [
            _section_to_dict(
                s,
                None
                if figure_files is None
                else {i: p for (sid, i), p in figure_files.items() if sid == s.id},
            )
            for s in report.sections
        ],
    }


def _figure_from_dict(d: Mapping[str, Any], base_dir: Path | None) -> FigureImage:
    if "base64" in d:
        data = base64.b64decode(d["base64"], validate=True)
    elif "file" in d and base_dir is not None:
        path = base_dir / d["file"]
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DataError(f"figure file {str(path)!r} named in results.json cannot be read: {exc}") from None
    else:
        raise DataError("a figure in results.json has neither 'base64' data nor a 'file' (with base_dir given)")
    return FigureImage(caption=d["caption"], data=data, mime=d.get("mime", "image/png"), alt=d.get("alt", ""),
                       wide=bool(d.get("wide", False)))


def _table_from_dict(d: Mapping[str, Any]) -> Table:
    rows = [[number_from_json(c) for c in row] for row in d["rows"]]
    return Table(title=d["title"], columns=d["columns"], rows=rows, formats=d.get("formats"), caption=d.get("caption", ""))


def _number_from_dict(d: Mapping[str, Any]) -> KeyNumber:
    fields = dict(d)
    fields["value"] = number_from_json(fields["value"])
    if fields.get("theory") is not None:
        fields["theory"] = number_from_json(fields["theory"])
    return KeyNumber(**fields)


def _section_from_dict(d: Mapping[str, Any], base_dir: Path | None) -> Section:
    return Section(
        id=d["id"],
        title=d["title"],
        number=d.get("number"),
        lead=d.get("lead", ()),
        figures=[_figure_from_dict(f, base_dir) for f in d.get("figures", ())],
        tables=[_table_from_dict(t) for t in d.get("tables", ())],
        numbers=[_number_from_dict(n) for n in d.get("numbers", ())],
        findings=[Finding(**f) for f in d.get("findings", ())],
        status=d.get("status", "ok"),
        error=d.get("error", ""),
        data=d.get("data", {}),
        elapsed_s=d.get("elapsed_s"),
    )


def report_from_dict(d: Mapping[str, Any], base_dir: str | os.PathLike | None = None) -> Report:
    """Rebuild a :class:`Report` from :func:`report_to_dict`'s output.

    ``base_dir`` is the folder figure ``file`` paths are relative to (the folder of
    results.json).  Malformed data raises :class:`DataError`.
    """
    if d.get("format") != "ravine-report":
        raise DataError("this JSON is not a ravine report (its 'format' field is not 'ravine-report')")
    folder = None if base_dir is None else Path(base_dir)
    try:
        return Report(
            title=d["title"],
            subtitle=d.get("subtitle", ""),
            generated_at=d["generated_at"],
            environment=d.get("environment", {}),
            sections=[_section_from_dict(s, folder) for s in d.get("sections", ())],
        )
    except (KeyError, TypeError) as exc:
        raise DataError(f"malformed ravine report JSON: {type(exc).__name__}: {exc}") from None


def report_to_json(report: Report, figure_files: Mapping[tuple[str, int], str] | None = None) -> str:
    """:func:`report_to_dict` as strict JSON text (no NaN literals)."""
    return json.dumps(report_to_dict(report, figure_files), indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def report_from_json(text: str, base_dir: str | os.PathLike | None = None) -> Report:
    """Parse :func:`report_to_json`'s text back into a :class:`Report`."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"results.json is not valid JSON: {exc}") from None
    return report_from_dict(data, base_dir)
