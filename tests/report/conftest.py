"""A small but complete report used by the report tests."""

import dataclasses

import numpy
import pytest

from ravine.plot import new_figure
from ravine.report import FigureImage, Finding, KeyNumber, Report, Section, Table

EVIL = "<script>alert(1)</script>"


def line_figure(ys, caption):
    fig = new_figure(3, 2)
    ax = fig.add_subplot()
    ax.plot(ys)
    return FigureImage.from_figure(fig, caption, dpi=40)


@pytest.fixture(scope="session")
def sample_figures():
    return (
        line_figure([1, 0.5, 0.25], "monotone"),
        line_figure([1, -0.5, 0.25], "oscillating"),
        line_figure([0, 1], EVIL),
    )


@pytest.fixture
def sample_report(sample_figures):
    ok = Section(
        id="step-size",
        number=1,
        title="Step size on a quadratic",
        lead=["Gradient descent converges for η < 2/a.", "It oscillates above η_opt = 1/a."],
        figures=[dataclasses.replace(sample_figures[0], wide=True), sample_figures[1]],
        tables=[
            Table(
                "Runs",
                ["eta", "final loss", "diverged"],
                [[0.1, 1e-9, False], [2.5, float("inf"), True], [numpy.float64(0.5), None, False]],
                formats=[".2g", ".3g", None],
            )
        ],
        numbers=[
            KeyNumber("rate, η = 0.5", 0.502, theory=0.5, rel_tol=0.05),
            KeyNumber("rate, η = 1.5", 0.7, theory=0.5, rel_tol=0.05),
            KeyNumber("steps", 12345, unit="steps"),
        ],
        findings=[
            Finding("warning", "Oscillation", evidence="Δθ alternates in sign", remedy="halve η"),
            Finding("ok", "Gradient check passed"),
        ],
        data={"losses": numpy.array([1.0, 0.5, float("nan")]), "eta": 0.1},
        elapsed_s=1.25,
    )
    evil = Section(
        id="user-study",
        number=2,
        title=EVIL,
        lead=[EVIL],
        tables=[Table(EVIL, [EVIL], [[EVIL]], caption=EVIL)],
        numbers=[KeyNumber(EVIL, EVIL, unit=EVIL, note=EVIL)],
        findings=[Finding("critical", EVIL, evidence=EVIL, explanation=EVIL, remedy=EVIL)],
        figures=sample_figures[2:],
    )
    failed = Section.from_error("words", "Words", RuntimeError("corpus <missing> & gone"), number=3)
    return Report(
        title="ravine demo " + EVIL,
        subtitle=EVIL,
        sections=[ok, evil, failed],
        environment={"Python": "3.11", EVIL: EVIL},
    )


@pytest.fixture
def evil():
    return EVIL
