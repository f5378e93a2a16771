"""Helpers every study uses: the training doctor's verdict as report-ready findings,
contour plots of 2-D surfaces, and rates measured from trajectories."""

from __future__ import annotations

from typing import Any, Mapping

import numpy as onp

from ravine.data import Standardizer, load_digits
from ravine.diagnose.doctor import diagnose
from ravine.plot.contour import contour_plot, evaluate_grid
from ravine.studies.base import StudyResult

__all__ = ["doctor", "surface_contour", "measured_rate", "evidence_text", "digits_rows"]

_SEVERITY = {"error": "critical", "warning": "warning", "info": "info"}


def evidence_text(evidence: Any) -> str:
    """The doctor's evidence (a dict of measurements) as one readable line."""
    if not isinstance(evidence, Mapping):
        return str(evidence)
    parts = []
    for key, value in evidence.items():
        if isinstance(value, float):
            value = f"{value:.4g}"
        elif isinstance(value, (list, tuple)) and len(value) > 6:
            value = f"[{len(value)} values]"
        parts.append(f"{key} = {value}")
    return "; ".join(parts)


def doctor(result: StudyResult, label: str, history: Any = None, **evidence: Any) -> Any:
    """Run the training doctor on one run of the study and keep its findings in ``result``.

    A healthy run is recorded as such (severity ``ok``), so every run examined shows up.
    Returns the :class:`~ravine.diagnose.doctor.Diagnosis`.
    """
    diagnosis = diagnose(history, **evidence)
    for finding in diagnosis.findings:
        result.findings.append({
            "severity": _SEVERITY.get(finding.severity, "warning"),
            "title": f"{label}: {finding.title}",
            "evidence": f"{finding.summary} ({evidence_text(finding.evidence)})",
            "explanation": finding.explanation,
            "remedy": finding.remedy,
            "name": finding.name,
            "run": label,
        })
    if diagnosis.healthy:
        result.findings.append({"severity": "ok", "title": f"{label}: healthy",
                                "evidence": f"checked: {', '.join(diagnosis.checked)}", "explanation": "",
                                "remedy": "", "name": "healthy", "run": label})
    return diagnosis


def surface_contour(surface: Any, trajectories: Mapping[str, Any], title: str, *, log_levels: bool = False,
                    bounds: Any = None, resolution: int = 120) -> Any:
    """Contours of a 2-D test surface with optimiser paths ((steps, 2) arrays) drawn over them."""
    (x0, x1), (y0, y1) = bounds or surface.bounds
    f = surface.f
    x, y, z = evaluate_grid(lambda a, b: f(onp.stack([a, b])), (x0, x1), (y0, y1), resolution)
    best = surface.global_minimum
    minimum = None if best is None else tuple(float(v) for v in best.location)
    clipped = {name: _inside(onp.asarray(path, dtype=float), (x0, x1), (y0, y1)) for name, path in trajectories.items()}
    return contour_plot(x, y, z, clipped, log_levels=log_levels, minimum=minimum, title=title)


def _inside(path: onp.ndarray, xlim: tuple, ylim: tuple) -> onp.ndarray:
    """The path up to where it first leaves the plotting box (far-flung points would hide the picture)."""
    finite = onp.all(onp.isfinite(path), axis=1)
    outside = ~finite | (path[:, 0] < xlim[0] - 1) | (path[:, 0] > xlim[1] + 1) | \
        (path[:, 1] < ylim[0] - 1) | (path[:, 1] > ylim[1] + 1)
    stop = int(onp.argmax(outside)) if outside.any() else len(path)
    return path[:max(stop, 1)]


def measured_rate(errors: Any) -> float:
    """Geometric-mean factor |e_(k+1)| / |e_k| over a run (``errors``: distances to the minimum)."""
    e = onp.abs(onp.asarray(errors, dtype=float))
    e = e[onp.isfinite(e) & (e > 0)]
    if len(e) and e[-1] < e[0]:  # a decaying error: stop before it sinks into rounding noise
        e = e[: int(onp.argmax(e < 1e-9 * e[0])) or len(e)]
    if len(e) < 2:
        return float("nan")
    return float((e[-1] / e[0]) ** (1.0 / (len(e) - 1)))


def digits_rows(n: int, seed: int) -> tuple[onp.ndarray, onp.ndarray, onp.ndarray, onp.ndarray]:
    """The first ``n`` training digits and the test digits, standardised with the training
    rows' statistics: (x, y, x_test, y_test)."""
    data = load_digits(seed=seed)
    scaler = Standardizer.fit(data.x_train[:n])
    return scaler.transform(data.x_train[:n]), data.y_train[:n], scaler.transform(data.x_test), data.y_test
