"""A Diagnosis as terminal text: plain lines (no escape codes, no markup), so it
prints as is and Rich can print it unchanged."""

from __future__ import annotations

import textwrap
from typing import Any

from ravine.diagnose.problems import PROBLEMS

__all__ = ["diagnosis_text"]

_LABELS = {"error": "ERROR", "warning": "WARNING"}


def _number(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)


def _wrap(text: str, indent: str) -> str:
    return textwrap.fill(text, width=100, initial_indent=indent, subsequent_indent=indent + "  ")


def diagnosis_text(diagnosis: Any) -> str:
    """Findings first (each with evidence, explanation, remedy), then the
    measurements, then what could not be checked."""
    m = diagnosis.measurements
    head = "ravine doctor"
    if "method" in m:
        head += f": {m.get('method')} run of {m.get('steps')} rows, cost {_number(m.get('initial_loss'))} → " \
                f"{_number(m.get('final_loss'))}"
    lines = [head]
    if diagnosis.healthy:
        lines.append(f"healthy: none of the {len(diagnosis.checked)} checks found a problem.")
    else:
        lines.append(f"{len(diagnosis.findings)} finding(s):")
    for f in diagnosis.findings:
        lines.append("")
        lines.append(f"[{_LABELS.get(f.severity, f.severity.upper())}] {f.title}")
        lines.append(_wrap("evidence: " + f.summary, "  "))
        lines.append(_wrap("why: " + f.explanation, "  "))
        lines.append(_wrap("remedy: " + f.remedy, "  "))
    simple = {k: v for k, v in m.items() if not isinstance(v, (dict, list))}
    if simple:
        lines.append("")
        lines.append(_wrap("measurements: " + ", ".join(f"{k} = {_number(v)}" for k, v in simple.items()), ""))
    fine = [PROBLEMS[n].title for n in diagnosis.checked if n not in diagnosis.names()]
    if fine and not diagnosis.healthy:
        lines.append(_wrap("checked, no evidence: " + ", ".join(fine), ""))
    if diagnosis.not_checked:
        lines.append("not checked:")
        for name, why in diagnosis.not_checked.items():
            lines.append(_wrap(f"{PROBLEMS[name].title}: {why}", "  "))
    return "\n".join(lines)
