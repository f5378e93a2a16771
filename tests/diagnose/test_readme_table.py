"""The README's findings table is generated from the doctor's registry, and the
doctor has a check for every registered problem (and the lecture's table rows)."""

from pathlib import Path

from ravine.diagnose.doctor import _CHECKS
from ravine.diagnose.problems import PROBLEMS, findings_table_markdown

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_findings_table_matches_the_registry():
    text = README.read_text()
    section = text[text.index("<!-- section: diagnose -->"): text.index("<!-- /section: diagnose -->")]
    assert findings_table_markdown() in section, (
        "README's diagnose section is out of date: paste ravine.diagnose.findings_table_markdown() into it")


def test_every_lecture_row_has_a_registered_problem_and_a_check():
    lecture_rows = ["incorrect gradients", "local optima", "symmetries", "slow progress", "instability",
                    "oscillations", "fluctuations", "dead or saturated units", "badly conditioned curvature"]
    titles = [p.title for p in PROBLEMS.values()]
    assert titles[: len(lecture_rows)] == lecture_rows
    assert {"plateaux", "saddle points"} <= set(titles)
    assert list(_CHECKS) == list(PROBLEMS)
