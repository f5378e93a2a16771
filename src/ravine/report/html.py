"""The report as one self-contained HTML page, rendered from the package's templates.

The templates in ``ravine/report/templates/`` are :class:`string.Template` files;
:func:`fill` substitutes their ``${name}`` fields, HTML-escaping every value unless
it is :class:`Markup` (text this module built from other filled templates).  So
escaping is the default and a user's string — a study name from a config, an error
message — can never inject markup.  The CSS is inlined and figures are embedded as
base64 ``data:`` URIs: the page needs no network, no fonts and no scripts.
"""

from __future__ import annotations

import html
import math
from collections import Counter
from functools import lru_cache
from importlib import resources
from string import Template
from typing import Any, Iterable

from ravine.report.model import SEVERITIES, FigureImage, Finding, KeyNumber, Report, Section, Table

__all__ = ["Markup", "escape", "fill", "render_html", "format_cell"]

_ICONS = {"ok": "✓", "info": "ℹ", "warning": "⚠", "critical": "✖"}


class Markup(str):
    """A string that is already HTML; :func:`fill` inserts it unescaped."""


def escape(value: Any) -> Markup:
    """``value`` as HTML text: ``& < > " '`` escaped, Markup passed through."""
    if isinstance(value, Markup):
        return value
    return Markup(html.escape(str(value), quote=True))


def join(parts: Iterable[Markup], sep: str = "\n") -> Markup:
    return Markup(sep.join(escape(p) for p in parts))


@lru_cache(maxsize=None)
def _template(name: str) -> Template:
    text = resources.files("ravine.report").joinpath("templates", name).read_text(encoding="utf-8")
    return Template(text)


@lru_cache(maxsize=None)
def _stylesheet() -> str:
    return resources.files("ravine.report").joinpath("templates", "style.css").read_text(encoding="utf-8")


def fill(name: str, **values: Any) -> Markup:
    """Fill template ``name`` with ``values``, escaping every value that is not Markup."""
    return Markup(_template(name).substitute({k: escape(v) for k, v in values.items()}))


# ---- numbers ---------------------------------------------------------------------------------


def format_number(value: Any, spec: str | None = None) -> str:
    """A number as the report shows it: ``spec`` applied, ∞ and NaN spelt out, None as a dash."""
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and not math.isfinite(value):
        return "NaN" if math.isnan(value) else ("∞" if value > 0 else "−∞")
    if isinstance(value, (int, float)):
        if spec is None:
            return str(value) if isinstance(value, int) else format(value, ".4g")
        return format(value, spec)
    return str(value)


format_cell = format_number


def _is_numeric(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


# ---- parts of a section ----------------------------------------------------------------------


def _figure(fig: FigureImage) -> Markup:
    return fill("figure.html", wide=" fig-wide" if fig.wide else "", src=fig.data_uri, alt=fig.alt or fig.caption,
                caption=fig.caption)


def _key_number(kn: KeyNumber) -> Markup:
    agreement = {True: "agree", False: "disagree", None: "neutral"}[kn.agrees]
    theory = Markup("")
    if kn.theory is not None:
        diff = kn.relative_difference
        diff_text = Markup("") if diff is None else fill_inline(' <span class="kn-diff">{}</span>', f"{diff:+.1%}")
        theory = Markup(
            fill_inline('<div class="kn-theory">theory {}', format_number(kn.theory, kn.fmt)) + diff_text + "</div>"
        )
    note = fill_inline('<div class="kn-note">{}</div>', kn.note) if kn.note else Markup("")
    value = format_number(kn.value, kn.fmt if _is_numeric(kn.value) else None)
    return fill("number.html", agreement=agreement, label=kn.label, value=value, unit=kn.unit, theory=theory, note=note)


def fill_inline(pattern: str, *values: Any) -> Markup:
    """A one-line HTML ``pattern`` (trusted, written here) with ``{}`` fields filled escaped."""
    return Markup(pattern.format(*(escape(v) for v in values)))


def _finding(finding: Finding) -> Markup:
    rows = [
        fill_inline("<div><dt>{}</dt><dd>{}</dd></div>", label, text)
        for label, text in (("Evidence", finding.evidence), ("Why", finding.explanation), ("Remedy", finding.remedy))
        if text
    ]
    details = Markup("<dl>" + join(rows, "") + "</dl>") if rows else Markup("")
    return fill(
        "finding.html",
        severity=finding.severity,
        icon=_ICONS[finding.severity],
        title=finding.title,
        details=details,
    )


def _table(table: Table) -> Markup:
    formats = table.formats or (None,) * len(table.columns)
    numeric_columns = [
        any(_is_numeric(row[j]) for row in table.rows) and all(_is_numeric(row[j]) or row[j] is None for row in table.rows)
        for j in range(len(table.columns))
    ]
    head = join(
        (fill_inline('<th class="num">{}</th>' if num else "<th>{}</th>", name) for name, num in zip(table.columns, numeric_columns)),
        "",
    )
    body_rows = []
    for row in table.rows:
        cells = []
        for value, spec, num in zip(row, formats, numeric_columns):
            classes = " ".join(c for c in ("num" if num else "", "missing" if value is None else "") if c)
            cell_spec = spec if _is_numeric(value) else None
            pattern = f'<td class="{classes}">{{}}</td>' if classes else "<td>{}</td>"
            cells.append(fill_inline(pattern, format_number(value, cell_spec)))
        body_rows.append(Markup("<tr>" + join(cells, "") + "</tr>"))
    caption = fill_inline('<p class="table-caption">{}</p>', table.caption) if table.caption else Markup("")
    return fill("table.html", title=table.title, head=head, body=join(body_rows), caption=caption)


def _section_body(section: Section) -> Markup:
    parts: list[Markup] = []
    if section.lead:
        parts.append(Markup('<div class="lead">' + join(fill_inline("<p>{}</p>", p) for p in section.lead) + "</div>"))
    if section.status == "failed":
        parts.append(fill("failed.html", error=section.error))
        return join(parts)
    if section.numbers:
        parts.append(Markup('<div class="numbers">' + join(_key_number(n) for n in section.numbers) + "</div>"))
    if section.figures:
        parts.append(Markup('<div class="figures">' + join(_figure(f) for f in section.figures) + "</div>"))
    if section.findings:
        ordered = sorted(section.findings, key=lambda f: -SEVERITIES.index(f.severity))
        parts.append(Markup('<div class="findings">' + join(_finding(f) for f in ordered) + "</div>"))
    parts.extend(_table(t) for t in section.tables)
    return join(parts)


def _section(section: Section) -> Markup:
    number = fill_inline('<span class="sec-num">{}</span>', section.number) if section.number is not None else Markup("")
    if section.status == "failed":
        badge = Markup('<span class="status-badge failed">failed</span>')
    elif section.elapsed_s is not None:
        badge = fill_inline('<span class="status-badge time">{}</span>', f"{section.elapsed_s:.1f} s")
    else:
        badge = Markup("")
    return fill(
        "section.html",
        status=section.status,
        id=section.id,
        number=number,
        title=section.title,
        badge=badge,
        body=_section_body(section),
    )


# ---- the page --------------------------------------------------------------------------------


def _toc_item(section: Section) -> Markup:
    marks: list[Markup] = []
    if section.status == "failed":
        marks.append(Markup('<span class="toc-mark failed">failed</span>'))
    counts = Counter(f.severity for f in section.findings)
    for severity in ("critical", "warning"):
        if counts[severity]:
            marks.append(fill_inline(f'<span class="toc-mark sev-{severity}">{{}}</span>', f"{_ICONS[severity]} {counts[severity]}"))
    return fill(
        "toc_item.html",
        status=section.status,
        id=section.id,
        number="" if section.number is None else section.number,
        title=section.title,
        marks=join(marks, ""),
    )


def _chips(report: Report) -> Markup:
    n = len(report.sections)
    chips = [fill_inline("<li><b>{}</b> {}</li>", n, "study" if n == 1 else "studies")]
    failed = len(report.failed_sections)
    if failed:
        chips.append(fill_inline("<li><b>{}</b> failed</li>", failed))
    counts = Counter(f.severity for s in report.sections for f in s.findings)
    for severity in reversed(SEVERITIES):
        if counts[severity]:
            chips.append(fill_inline("<li>{} <b>{}</b> {}</li>", _ICONS[severity], counts[severity], severity))
    return join(chips, "")


def render_html(report: Report) -> str:
    """The whole report as one self-contained HTML document."""
    subtitle = fill_inline('<p class="subtitle">{}</p>', report.subtitle) if report.subtitle else Markup("")
    environment = join(
        (fill_inline("<div><dt>{}</dt><dd>{}</dd></div>", k, v) for k, v in report.environment), ""
    )
    return fill(
        "page.html",
        title=report.title,
        subtitle=subtitle,
        generated_at=report.generated_at.replace("T", " "),
        chips=_chips(report),
        toc=join(_toc_item(s) for s in report.sections),
        sections=join(_section(s) for s in report.sections),
        environment=environment,
        css=Markup(_stylesheet()),
    )
