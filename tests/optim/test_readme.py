"""The README's optim section lists every registered optimiser and schedule, and its examples run."""

import re
from pathlib import Path

from ravine.optim import OPTIMIZERS, optimizer_table
from ravine.optim.schedules import SCHEDULES, schedule_table

README = Path(__file__).resolve().parents[2] / "README.md"


def _section() -> str:
    text = README.read_text()
    return text[text.index("<!-- section: optim -->"):text.index("<!-- /section: optim -->")]


def test_readme_tables_are_the_generated_ones_and_list_every_entry():
    section = _section()
    assert optimizer_table() in section, "README optim table is stale: paste ravine.optim.optimizer_table()"
    assert schedule_table() in section, "README schedule table is stale: paste schedules.schedule_table()"
    for name in OPTIMIZERS:
        assert f"| `{name}` |" in section
    for name in SCHEDULES:
        assert f"| `{name}` |" in section


def test_readme_examples_run(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    blocks = re.findall(r"```python\n(.*?)```", _section(), flags=re.S)
    assert len(blocks) >= 2
    namespace: dict = {}
    for block in blocks:
        exec(compile(block, "README.md", "exec"), namespace)  # noqa: S102
    assert capsys.readouterr().out.startswith("converged_grad 32 [1. 1.]")
    assert (tmp_path / "run" / "history.npz").exists()
    assert abs(namespace["params"] - 1.0).max() < 1e-3  # the custom Adam loop reached (1, 1)
