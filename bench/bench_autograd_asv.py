"""autograd's own benchmarks, run on autograd and on ravine side by side.

    python bench/bench_autograd_asv.py [--rounds 7]

autograd keeps a set of asv benchmarks (``benchmarks/`` in its source
distribution): scalar chains, fan-out/fan-in graphs, first and second VJPs of
``dot`` and ``tensordot``, ``flatten``, and a 50-step float32 RNN gradient.
This script downloads autograd 1.9.1's sdist from PyPI with pip (as
``scripts/autograd_suite.py`` does), loads each benchmark module twice — as
written, on autograd, and with ``autograd`` rewritten to ``ravine`` — and times
every ``time_*`` benchmark that uses the public API in one process,
interleaved, keeping the fastest of ``--rounds`` samples of CPU time per
library.  Benchmarks of autograd's internals (``forward_pass``, ``new_box``,
``vspace`` of its node types) have no ravine counterpart and are listed as
skipped.  It prints each ratio ravine ÷ autograd and their geometric mean.
"""

from __future__ import annotations

import argparse
import math
import re
import sys
import tempfile
import time
import types
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "scripts"))

from autograd_suite import fetch_sdist  # noqa: E402

MODULES = ("bench_core", "bench_numpy_vjps", "bench_util", "bench_rnn")
# bench_core reaches into autograd's internals at import time; on ravine these
# blocks are dropped and the benchmarks that need them are skipped.
INTERNAL_BLOCKS = (
    re.compile(r"^try:\n    from ravine\.core import VJPNode.*?\n(?=\n\S)", re.S | re.M),
    re.compile(r"^if MASTER_BRANCH:\n.*\Z", re.S | re.M),
)


def load(name: str, text: str) -> types.ModuleType:
    module = types.ModuleType(name)
    exec(compile(text, f"<{name}>", "exec"), module.__dict__)
    return module


def benchmarks(module: types.ModuleType) -> dict:
    """name -> zero-argument callable, for module functions and suite classes."""
    found = {}
    for name, value in vars(module).items():
        if name.startswith("time_") and callable(value):
            found[name] = value
        elif isinstance(value, type) and value.__module__ == module.__name__:
            for attr in dir(value):
                if attr.startswith("time_"):
                    suite = value()
                    if hasattr(suite, "setup"):
                        suite.setup()
                    found[f"{name}.{attr}"] = getattr(suite, attr)
    return found


def best_time(fn, rounds: int) -> float:
    fn()
    start = time.process_time()
    fn()
    once = max(time.process_time() - start, 1e-6)
    number = max(1, int(0.02 / once))
    best = math.inf
    for _ in range(rounds):
        start = time.process_time()
        for _ in range(number):
            fn()
        best = min(best, (time.process_time() - start) / number)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=7, help="samples per benchmark and library (fastest kept)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = fetch_sdist(Path(tmp)) / "benchmarks"
        pairs, skipped = {}, []
        for name in MODULES:
            text = (folder / f"{name}.py").read_text()
            ours = re.sub(r"\bautograd\b", "ravine", text)
            for block in INTERNAL_BLOCKS:
                ours = block.sub("MASTER_BRANCH = None\n", ours)
            theirs_found = benchmarks(load(f"{name}_autograd", text))
            for bench, fn in benchmarks(load(f"{name}_ravine", ours)).items():
                try:
                    fn()
                except NameError as error:  # a name from autograd's internals
                    skipped.append(f"{name}.{bench} ({error})")
                    continue
                pairs[f"{name}.{bench}"] = (theirs_found[bench], fn)
    from importlib.metadata import version

    print(f"autograd {version('autograd')}'s asv benchmarks on it and on ravine; fastest of {args.rounds} "
          "CPU-time samples per library")
    print(f"{'benchmark':52s} {'autograd':>11s} {'ravine':>11s} {'ravine/autograd':>16s}")
    ratios = []
    for label, (theirs, ours) in pairs.items():
        t_ag, t_rv = best_time(theirs, args.rounds), best_time(ours, args.rounds)
        control = "control" in label or "exp_call" in label
        if not control:
            ratios.append(t_rv / t_ag)
        note = "  (no autodiff: a control)" if control else ""
        print(f"{label:52s} {t_ag * 1e6:9.1f}µs {t_rv * 1e6:9.1f}µs {t_rv / t_ag:16.2f}{note}")
    geometric = math.exp(sum(map(math.log, ratios)) / len(ratios))
    print(f"geometric mean of {len(ratios)} ratios (controls left out): {geometric:.2f}; "
          f"range {min(ratios):.2f}–{max(ratios):.2f}")
    for entry in skipped:
        print("skipped:", entry)
    return 0


if __name__ == "__main__":
    sys.exit(main())
