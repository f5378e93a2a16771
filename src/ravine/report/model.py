"""The report's view model: plain frozen records filled before any HTML exists.

A study turns its results into a :class:`Section` (figures already encoded, tables
as rows of plain values, key numbers next to their theoretical values, the doctor's
findings); a :class:`Report` collects the sections with the title and the machine
they ran on.  The HTML, JSON and CSV writers only read these records, so the
rendering never computes anything and a failed study is just a section whose
``status`` is ``"failed"`` with its error message — the rest of the report renders.

Sequences given as lists are stored as tuples and mappings as read-only copies,
so a record cannot change after it has been built.  Bad fields raise
:class:`ravine.errors.ConfigError` naming the field, the value and what is allowed.
"""

from __future__ import annotations

import base64
import datetime as _dt
import math
import re
from dataclasses import dataclass, field
from typing import Any, Mapping, Sequence

from ravine.errors import ConfigError
from ravine.report.fields import (
    Cell,
    FrozenDict,
    as_tuple,
    check_format,
    check_formats_fit,
    is_number,
    paragraphs,
    plain_cell,
    require_str,
    set_field,
    short_text,
)
from ravine.report.plain import to_jsonable

__all__ = [
    "SEVERITIES",
    "STATUSES",
    "FigureImage",
    "Table",
    "KeyNumber",
    "Finding",
    "Section",
    "Report",
]

#: Finding severities, mildest first. ``ok`` is a check that passed.
SEVERITIES = ("ok", "info", "warning", "critical")
_SEVERITY_ALIASES = {"error": "critical"}  # ravine.diagnose's word for the worst findings
#: Section statuses: the study ran, or it raised and the section shows the error.
STATUSES = ("ok", "failed")

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_MIME_TYPES = ("image/png", "image/svg+xml")
_SECTION_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")

@dataclass(frozen=True)
class FigureImage:
    """An encoded figure with its caption.

    ``data`` holds the image file's bytes (PNG, or SVG text as UTF-8); the HTML embeds
    it as a base64 ``data:`` URI.  ``wide`` figures take a whole row of the section's
    figure grid (a contour plot with ten optimisers).  Build one from a matplotlib
    figure with :meth:`from_figure`.
    """

    caption: str
    data: bytes
    mime: str = "image/png"
    alt: str = ""
    wide: bool = False

    def __post_init__(self) -> None:
        require_str(self.caption, "FigureImage.caption")
        require_str(self.alt, "FigureImage.alt")
        if self.mime not in _MIME_TYPES:
            raise ConfigError(f"FigureImage.mime must be one of {_MIME_TYPES}; got {self.mime!r}")
        if not isinstance(self.data, (bytes, bytearray)):
            raise ConfigError(
                f"FigureImage.data must be the image file's bytes; got {type(self.data).__name__} "
                "(use FigureImage.from_figure(fig, caption) for a matplotlib figure)"
            )
        if self.mime == "image/png" and not bytes(self.data).startswith(PNG_SIGNATURE):
            raise ConfigError("FigureImage.data is not a PNG file (it lacks the PNG signature)")
        if not isinstance(self.wide, bool):
            raise ConfigError(f"FigureImage.wide must be True or False; got {self.wide!r}")
        set_field(self, "data", bytes(self.data))

    @property
    def base64(self) -> str:
        """The image bytes as ASCII base64 text."""
        return base64.b64encode(self.data).decode("ascii")

    @property
    def data_uri(self) -> str:
        """``data:<mime>;base64,...`` — safe inside an HTML attribute as it is."""
        return f"data:{self.mime};base64,{self.base64}"

    @classmethod
    def from_figure(cls, fig: Any, caption: str, *, alt: str = "", dpi: int = 110, wide: bool = False) -> "FigureImage":
        """Encode a matplotlib figure as PNG (and release it) with its caption."""
        from ravine.plot.encode import figure_to_png

        return cls(caption=caption, data=figure_to_png(fig, dpi=dpi), alt=alt, wide=wide)


@dataclass(frozen=True)
class Table:
    """A table of plain values: ``rows[i][j]`` is the cell of column ``columns[j]``.

    ``formats`` gives, per column, a format spec for numeric cells (``".3g"``,
    ``".1%"``, ``"d"``) or ``None`` for the default; ``None`` cells show as a dash.
    """

    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    formats: tuple[str | None, ...] | None = None
    caption: str = ""

    def __post_init__(self) -> None:
        require_str(self.title, "Table.title")
        require_str(self.caption, "Table.caption")
        columns = as_tuple(self.columns, "Table.columns")
        for name in columns:
            require_str(name, f"Table {self.title!r} column name")
        if not columns:
            raise ConfigError(f"Table {self.title!r} has no columns; give at least one column name")
        rows = []
        for i, row in enumerate(as_tuple(self.rows, "Table.rows")):
            cells = as_tuple(row, f"Table {self.title!r} row {i}")
            if len(cells) != len(columns):
                raise ConfigError(
                    f"Table {self.title!r} row {i} has {len(cells)} cells but there are "
                    f"{len(columns)} columns {columns}"
                )
            rows.append(tuple(plain_cell(c, f"Table {self.title!r} row {i} cell") for c in cells))
        formats = None
        if self.formats is not None:
            formats = as_tuple(self.formats, "Table.formats")
            if len(formats) != len(columns):
                raise ConfigError(
                    f"Table {self.title!r} has {len(formats)} formats for {len(columns)} columns; "
                    "give one format (or None) per column"
                )
            formats = tuple(check_format(f, f"Table {self.title!r} format") for f in formats)
            for j, spec in enumerate(formats):
                check_formats_fit(spec, (row[j] for row in rows), f"Table {self.title!r} column {columns[j]!r} format")
        set_field(self, "columns", columns)
        set_field(self, "rows", tuple(rows))
        set_field(self, "formats", formats)

    @classmethod
    def from_records(cls, title: str, records: Sequence[Mapping[str, Cell]], **kwargs: Any) -> "Table":
        """A table from a list of dicts; columns in first-seen key order, missing keys as None."""
        columns: list[str] = []
        for record in records:
            columns.extend(k for k in record if k not in columns)
        rows = [tuple(record.get(c) for c in columns) for record in records]
        return cls(title=title, columns=tuple(columns), rows=tuple(rows), **kwargs)


@dataclass(frozen=True)
class KeyNumber:
    """A measured number, optionally beside the value theory predicts.

    ``fmt`` is a format spec for the numbers (default: integers in full, floats
    to 4 significant digits).  With ``theory`` and ``rel_tol`` given, :attr:`agrees` says whether
    ``|value − theory| ≤ rel_tol · |theory|``; the report colours the badge accordingly.
    """

    label: str
    value: Cell
    unit: str = ""
    theory: float | None = None
    fmt: str | None = None
    rel_tol: float | None = None
    note: str = ""

    def __post_init__(self) -> None:
        require_str(self.label, "KeyNumber.label")
        require_str(self.unit, "KeyNumber.unit")
        require_str(self.note, "KeyNumber.note")
        set_field(self, "value", plain_cell(self.value, f"KeyNumber {self.label!r} value"))
        theory = plain_cell(self.theory, f"KeyNumber {self.label!r} theory")
        if theory is not None and (isinstance(theory, (bool, str))):
            raise ConfigError(f"KeyNumber {self.label!r} theory must be a number; got {theory!r}")
        set_field(self, "theory", None if theory is None else float(theory))
        check_format(self.fmt, f"KeyNumber {self.label!r} fmt")
        check_formats_fit(self.fmt, (self.value, self.theory), f"KeyNumber {self.label!r} fmt")
        if self.rel_tol is not None and not (isinstance(self.rel_tol, (int, float)) and self.rel_tol >= 0):
            raise ConfigError(f"KeyNumber {self.label!r} rel_tol must be a number ≥ 0; got {self.rel_tol!r}")

    @property
    def relative_difference(self) -> float | None:
        """(value − theory) / |theory|, or None when it is not defined."""
        if self.theory is None or not is_number(self.value) or self.theory == 0:
            return None
        if not (math.isfinite(self.value) and math.isfinite(self.theory)):
            return None
        return (self.value - self.theory) / abs(self.theory)

    @property
    def agrees(self) -> bool | None:
        """Whether measured and theory agree within ``rel_tol`` (None without both)."""
        if self.theory is None or self.rel_tol is None or not is_number(self.value):
            return None
        if not (math.isfinite(self.value) and math.isfinite(self.theory)):
            return self.value == self.theory
        return abs(self.value - self.theory) <= self.rel_tol * abs(self.theory)


@dataclass(frozen=True)
class Finding:
    """One diagnosis: what was seen (evidence), why it matters, and what to do."""

    severity: str
    title: str
    evidence: str = ""
    explanation: str = ""
    remedy: str = ""

    def __post_init__(self) -> None:
        if self.severity not in SEVERITIES:
            raise ConfigError(f"Finding.severity must be one of {SEVERITIES}; got {self.severity!r}")
        for name in ("title", "evidence", "explanation", "remedy"):
            require_str(getattr(self, name), f"Finding.{name}")

    @classmethod
    def from_obj(cls, obj: Any) -> "Finding":
        """A Finding from any object or dict with the same field names.

        Reads ravine.diagnose's findings as they are: their severity ``"error"`` is
        this report's ``"critical"``, and their ``summary`` sentence plus the
        ``evidence`` measurements (a dict) become the evidence text.
        """
        get = obj.get if isinstance(obj, Mapping) else lambda k, d=None: getattr(obj, k, d)
        severity = str(get("severity", "info"))
        evidence = get("evidence", "") or ""
        if isinstance(evidence, Mapping):
            evidence = "; ".join(f"{k} = {short_text(v)}" for k, v in evidence.items())
        summary = str(get("summary", "") or "")
        if summary:
            evidence = f"{summary} ({evidence})" if evidence else summary
        return cls(
            severity=_SEVERITY_ALIASES.get(severity, severity),
            title=str(get("title", "")),
            evidence=str(evidence),
            explanation=str(get("explanation", "") or ""),
            remedy=str(get("remedy", "") or ""),
        )


@dataclass(frozen=True)
class Section:
    """One study of the report.

    ``id`` becomes the HTML anchor and the prefix of the section's CSV files, so it is
    a lower-case slug (``step-size``).  ``data`` holds the raw, JSON-able numbers
    behind the section for results.json.  A study that raised is recorded with
    ``status="failed"`` and its ``error`` message (see :meth:`from_error`).
    """

    id: str
    title: str
    number: int | None = None
    lead: tuple[str, ...] = ()
    figures: tuple[FigureImage, ...] = ()
    tables: tuple[Table, ...] = ()
    numbers: tuple[KeyNumber, ...] = ()
    findings: tuple[Finding, ...] = ()
    status: str = "ok"
    error: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    elapsed_s: float | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.id, str) or not _SECTION_ID.match(self.id):
            raise ConfigError(
                f"Section.id must be a lower-case slug of letters, digits, '-' and '_' "
                f"(like 'step-size'); got {self.id!r}"
            )
        require_str(self.title, "Section.title")
        if self.number is not None and (isinstance(self.number, bool) or not isinstance(self.number, int)):
            raise ConfigError(f"Section.number must be an int or None; got {self.number!r}")
        set_field(self, "lead", paragraphs(self.lead, "Section.lead"))
        for name, kind in (("figures", FigureImage), ("tables", Table), ("numbers", KeyNumber), ("findings", Finding)):
            items = as_tuple(getattr(self, name), f"Section.{name}")
            for item in items:
                if not isinstance(item, kind):
                    raise ConfigError(
                        f"Section {self.id!r}: every item of {name} must be a {kind.__name__}; "
                        f"got {type(item).__name__}"
                    )
            set_field(self, name, items)
        if self.status not in STATUSES:
            raise ConfigError(f"Section.status must be one of {STATUSES}; got {self.status!r}")
        require_str(self.error, "Section.error")
        if self.status == "failed" and not self.error:
            raise ConfigError(f"Section {self.id!r} is marked failed; give its error message in Section.error")
        if not isinstance(self.data, Mapping):
            raise ConfigError(f"Section.data must be a mapping; got {type(self.data).__name__}")
        set_field(self, "data", FrozenDict(to_jsonable(self.data, f"Section {self.id!r} data")))
        if self.elapsed_s is not None:
            set_field(self, "elapsed_s", float(self.elapsed_s))

    @property
    def failed(self) -> bool:
        """Whether the study raised instead of producing results."""
        return self.status == "failed"

    @classmethod
    def from_error(cls, id: str, title: str, error: BaseException | str, **kwargs: Any) -> "Section":
        """The section of a study that raised: renders its error and nothing else."""
        message = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
        return cls(id=id, title=title, status="failed", error=message, **kwargs)


def _now_iso() -> str:
    return _dt.datetime.now().astimezone().isoformat(timespec="seconds")


@dataclass(frozen=True)
class Report:
    """The whole report: a title, the machine it ran on, and its sections in order."""

    title: str
    sections: tuple[Section, ...] = ()
    subtitle: str = ""
    generated_at: str = field(default_factory=_now_iso)
    environment: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        require_str(self.title, "Report.title")
        require_str(self.subtitle, "Report.subtitle")
        require_str(self.generated_at, "Report.generated_at")
        sections = as_tuple(self.sections, "Report.sections")
        seen: set[str] = set()
        for section in sections:
            if not isinstance(section, Section):
                raise ConfigError(f"Report.sections must hold Section records; got {type(section).__name__}")
            if section.id in seen:
                raise ConfigError(f"Report has two sections with id {section.id!r}; section ids must be unique")
            seen.add(section.id)
        env = self.environment
        pairs = env.items() if isinstance(env, Mapping) else as_tuple(env, "Report.environment")
        environment = tuple((str(k), str(v)) for k, v in pairs)
        set_field(self, "sections", sections)
        set_field(self, "environment", environment)

    @property
    def failed_sections(self) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.status == "failed")
