"""One `ravine demo --quick` run through the real entry point, shared by the end-to-end
report test and the tests of each study's numbers (read back from its results.json)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


class DemoRun:
    def __init__(self, out: Path, done: subprocess.CompletedProcess):
        self.out, self.done = out, done
        results = json.loads((out / "results.json").read_text()) if (out / "results.json").exists() else {}
        self.sections = {s["id"]: s for s in results.get("sections", [])}

    def data(self, section_id: str) -> dict:
        section = self.sections[section_id]
        assert section["status"] == "ok", section.get("error")
        return section["data"]

    def numbers(self, section_id: str) -> dict:
        return self.data(section_id)["numbers"]

    def facts(self, section_id: str) -> dict:
        return {f["statement"]: f for f in self.data(section_id)["facts"]}


@pytest.fixture(scope="session")
def demo(tmp_path_factory) -> DemoRun:
    out = tmp_path_factory.mktemp("demo") / "ravine-report"
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src") + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-m", "ravine", "demo", "--quick", "--out", str(out), "--workers", "2"],
                          capture_output=True, text=True, env=env, timeout=600)
    return DemoRun(out, done)
