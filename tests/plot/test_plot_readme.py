"""The README's plots example runs as written."""

import re
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"


def test_readme_plots_example_runs():
    text = README.read_text(encoding="utf-8")
    section = text[text.index("<!-- section: plots -->"):text.index("<!-- /section: plots -->")]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(compile(code, "README plots example", "exec"), namespace)
    assert namespace["png"].startswith(b"\x89PNG")
    assert namespace["fig"].axes[0].get_ylabel() == "loss"
