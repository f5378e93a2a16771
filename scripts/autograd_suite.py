"""Run HIPS autograd's own test-suite against ravine, imports rewritten.

    python scripts/autograd_suite.py [pytest options]

ravine promises that code written for autograd runs after changing the import.
This script holds it to that with autograd's own tests: it downloads the source
distribution of autograd 1.9.1 from PyPI with pip (nothing else is fetched),
copies its ``tests/`` folder to a temporary directory, rewrites every
``autograd`` import to ``ravine``, and runs pytest there on this checkout's
``src/``.  The tests in KNOWN_DIFFERENCES are deselected, each for the reason
given; everything else must pass.  Exit status: pytest's.

Not part of the test command (it needs PyPI); run it when the autodiff changes.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

AUTOGRAD = "autograd==1.9.1"
ROOT = Path(__file__).resolve().parent.parent

# test id -> why ravine differs on purpose
KNOWN_DIFFERENCES = {
    "test_fft.py::test_rfftn_odd_not_implemented":
        "ravine differentiates rfftn with an odd last axis (checked against the exact Jacobian); "
        "autograd raises NotImplementedError",
    "test_vspaces.py::test_array_vspace_complex":
        "vspace(complex).ones() is 1, not 1+1j, so deriv(f)(z) is f'(z) where autograd gives f'(z)(1+i)",
    "test_logic.py::test_unimplemented_falseyness":
        "uses autograd's internal rule registry primitive_vjps; ravine keeps rules on the primitive",
    "test_wrappers.py::test_custom_where_dtypes":
        "autograd's where returns Python scalars for scalar arguments; ravine's is NumPy's",
    "test_wrappers.py::test_custom_where":
        "autograd's where takes condition/x/y as keywords; NumPy's (and ravine's) are positional",
    "test_wrappers.py::test_wrapped_name_and_docs": "the operators' docstrings are worded differently",
}
# Timing scripts, not tests.
SKIPPED_FILES = ("test_performance.py", "profiling.py")
# Imports of autograd internals with no ravine counterpart, removed before collection
# (the tests that use them are in KNOWN_DIFFERENCES).
REMOVED_IMPORTS = ("from ravine.core import primitive_vjps\n",)


def fetch_sdist(workdir: Path) -> Path:
    """autograd's source distribution, downloaded from PyPI and unpacked in ``workdir``."""
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--no-binary", ":all:",
                    "--dest", str(workdir), AUTOGRAD], check=True)
    (archive,) = workdir.glob("autograd-*.tar.gz")
    with tarfile.open(archive) as tar:
        tar.extractall(workdir, filter="data")
    (folder,) = (p for p in workdir.glob("autograd-*") if p.is_dir())
    return folder


def rewrite(tests: Path) -> None:
    for name in SKIPPED_FILES:
        (tests / name).unlink(missing_ok=True)
    for path in tests.glob("*.py"):
        text = re.sub(r"\bautograd\b", "ravine", path.read_text())
        for line in REMOVED_IMPORTS:
            text = text.replace(line, "")
        path.write_text(text)


def main(argv: list[str]) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        tests = fetch_sdist(Path(tmp)) / "tests"
        rewrite(tests)
        deselect = [arg for test in KNOWN_DIFFERENCES for arg in ("--deselect", test)]
        env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
        command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-c", os.devnull,
                   "--rootdir", str(tests), *deselect, *argv, str(tests)]
        print(f"autograd's tests ({AUTOGRAD}) on ravine at {ROOT / 'src'}; "
              f"{len(KNOWN_DIFFERENCES)} known differences deselected")
        return subprocess.run(command, cwd=tests, env=env).returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
