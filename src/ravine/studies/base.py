"""What a study is: a function from a :class:`StudyConfig` to a :class:`StudyResult`.

A study computes everything on the spot (nothing pre-drawn, no numbers typed in)
and returns plain data: headline numbers, tables, matplotlib figures, the
lecture facts it checked (each with the evidence), the training doctor's
findings on its runs, and the lecture's explanation in prose.  The command line
turns results into the HTML report; tests read the same numbers.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from ravine.errors import ConfigError

__all__ = ["StudyConfig", "StudyResult", "StudySpec", "Table", "Fact", "Measured"]


@dataclass(frozen=True)
class StudyConfig:
    """How big to run a study: ``quick`` shrinks every budget (for CI); ``seed`` fixes randomness."""

    quick: bool = False
    seed: int = 0

    def size(self, full: Any, quick: Any) -> Any:
        """Pick the full-size or the quick-size value of a budget."""
        return quick if self.quick else full


@dataclass
class Table:
    """A small table of results: a title, column names, and rows of plain values."""

    title: str
    columns: list[str]
    rows: list[list[Any]]

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.columns):
                raise ConfigError(f"Table {self.title!r}: a row has {len(row)} cells for {len(self.columns)} columns.")


@dataclass
class Fact:
    """A statement from the lectures and whether the computed numbers bear it out."""

    statement: str
    holds: bool
    evidence: str


@dataclass
class Measured:
    """A measured number, beside the value theory predicts when there is one."""

    label: str
    value: Any
    theory: float | None = None
    rel_tol: float | None = None
    unit: str = ""
    note: str = ""


@dataclass
class StudyResult:
    """Everything a study computed.  ``numbers`` holds the raw data behind the section
    (JSON-able), ``measured`` the headline numbers; ``figures`` maps a caption to a matplotlib Figure;
    ``findings`` are the doctor's findings as dicts (``ravine.diagnose`` ``to_dict``)."""

    name: str
    title: str
    explanation: str
    numbers: dict[str, Any] = field(default_factory=dict)
    measured: list[Measured] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    figures: dict[str, Any] = field(default_factory=dict)
    facts: list[Fact] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)

    def measure(self, label: str, value: Any, theory: float | None = None, rel_tol: float | None = None,
                unit: str = "", note: str = "") -> Any:
        """Record a headline number (and its theoretical value); return the value."""
        self.measured.append(Measured(label, value, theory, rel_tol, unit, note))
        return value

    def fact(self, statement: str, holds: bool, evidence: str) -> bool:
        """Record a checked lecture fact; return whether it holds."""
        self.facts.append(Fact(statement, bool(holds), evidence))
        return bool(holds)


@dataclass(frozen=True)
class StudySpec:
    """A registry entry: the study's name (for ``ravine list`` and the report's anchors),
    its title, the lecture it reproduces and the function that runs it."""

    name: str
    title: str
    lecture: str
    summary: str
    run: Callable[[StudyConfig], StudyResult]
