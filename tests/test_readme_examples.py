"""The README's examples outside the areas that test their own run as written,
in order (a section's blocks share one namespace, as a reader's session would),
and print what their comments promise."""

import contextlib
import io
import re
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[1] / "README.md"


def section_blocks(name: str) -> list[str]:
    text = README.read_text()
    section = text.split(f"<!-- section: {name} -->")[1].split(f"<!-- /section: {name} -->")[0]
    return re.findall(r"```python\n(.*?)```", section, flags=re.S)


def run_section(name: str) -> list[str]:
    namespace = {"__name__": "__readme__"}
    outputs = []
    for index, code in enumerate(section_blocks(name)):
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            exec(compile(code, f"README {name} block {index}", "exec"), namespace)
        outputs.append(out.getvalue())
    return outputs


def numbers(text: str) -> list[float]:
    return [float(x) for x in re.findall(r"-?\d+\.\d+(?:e-?\d+)?", text)]


def test_quickstart_example_trains_and_diagnoses():
    (printed,) = run_section("quickstart")
    assert "healthy" in printed or "finding" in printed
    values = numbers(printed)
    assert values, printed


def test_models_examples_reach_the_accuracies_they_print():
    outputs = run_section("models")
    assert len(outputs) == 3
    accuracy = numbers(outputs[0])[0]
    assert accuracy >= 0.97
    lm_perplexity, bigram_perplexity = numbers(outputs[1])[:2]
    assert lm_perplexity < bigram_perplexity


@pytest.mark.parametrize("name", ["diagnose", "data"])
def test_section_examples_run(name):
    outputs = run_section(name)
    assert outputs and all("Traceback" not in o for o in outputs)
