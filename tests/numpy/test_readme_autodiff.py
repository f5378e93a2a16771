"""Every python block in the README's autodiff section runs, and prints what it says."""

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"


def autodiff_blocks():
    text = README.read_text()
    section = text.split("<!-- section: autodiff -->")[1].split("<!-- /section: autodiff -->")[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def test_the_section_has_examples():
    assert len(autodiff_blocks()) >= 3


@pytest.mark.parametrize("index", range(len(autodiff_blocks())))
def test_readme_block_runs(index):
    code = autodiff_blocks()[index]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, f"README autodiff block {index}", "exec"), {"__name__": "__readme__"})
    printed = out.getvalue()
    assert "False" not in printed, printed
    # the numbers promised in comments of the first block
    if index == 0:
        assert "0.41997434161402" in printed and "-0.63970000844922" in printed
