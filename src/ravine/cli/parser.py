"""The argument parser: one sub-command per job, each ``--help`` with examples."""

from __future__ import annotations

import argparse
import os

__all__ = ["build_parser"]

_MAIN_EXAMPLES = """\
examples:
  ravine demo                      reproduce the lectures; report in ./ravine-report/
  ravine demo --quick --out /tmp/r smaller sizes, well under a minute
  ravine list                      built-in studies, problems, datasets, models, optimisers
  ravine run study.toml            run a study described in TOML
  ravine sweep study.toml --workers 2
  ravine diagnose ravine-runs/my-study/runs/adam-lr0.01-r0
"""

_DEMO_EXAMPLES = """\
examples:
  ravine demo
  ravine demo --quick --out /tmp/ravine-report
  ravine demo --only step-size saddle-points --workers 2
"""

_RUN_EXAMPLES = """\
examples:
  ravine run study.toml                 results in the folder named by [study] output
  ravine run study.toml --out runs/a    choose the output folder
  ravine run study.toml --resume        continue an interrupted run; finished steps are kept

A STUDY.toml names a problem (or a dataset and a model), one or more optimisers with
their hyper-parameters, an optional schedule and a budget; see the README's "cli" section.
"""

_SWEEP_EXAMPLES = """\
examples:
  ravine sweep study.toml --workers 2
  ravine sweep study.toml --resume          skip finished runs, continue the others
  ravine sweep study.toml --executor dask --scheduler tcp://10.0.0.5:8786
  sqlite3 ravine-runs/my-study/sweep.sqlite "SELECT lr, final_loss FROM runs ORDER BY final_loss"

The [sweep] table of STUDY.toml gives a grid (lists of values) or random ranges, and the
number of random restarts of each configuration.
"""

_DIAGNOSE_EXAMPLES = """\
examples:
  ravine diagnose ravine-runs/my-study/runs/gd-r0
  ravine diagnose ravine-runs/my-study/runs/gd-r0 --json
"""


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number ≥ 1, got {value}")
    return value


def _add_workers(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument("--workers", type=positive_int, default=min(2, os.cpu_count() or 1),
                        help=f"worker processes running {what} in parallel (default: %(default)s)")


def build_parser() -> argparse.ArgumentParser:
    from ravine.cli import commands

    fmt = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="ravine", formatter_class=fmt, epilog=_MAIN_EXAMPLES,
        description="Automatic differentiation for NumPy code, and a laboratory for optimising "
                    "and diagnosing the models it differentiates.")
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    demo = sub.add_parser("demo", help="reproduce the lectures as an HTML report", formatter_class=fmt,
                          epilog=_DEMO_EXAMPLES,
                          description="Run every study of the demo and write a self-contained HTML report "
                                      "with the raw results (JSON, CSV).")
    demo.add_argument("--quick", action="store_true", help="run every study at a smaller size (for CI)")
    demo.add_argument("--out", default="ravine-report", metavar="DIR",
                      help="output folder (default: ./%(default)s)")
    demo.add_argument("--only", nargs="+", metavar="STUDY", help="run only these studies (see `ravine list`)")
    demo.add_argument("--seed", type=int, default=0, help="random seed of every study (default: 0)")
    _add_workers(demo, "studies")
    demo.set_defaults(handler=commands.demo)

    run = sub.add_parser("run", help="run a study described in a TOML file", formatter_class=fmt,
                         epilog=_RUN_EXAMPLES, description="Run the study described in STUDY.toml.")
    run.add_argument("study", metavar="STUDY.toml", help="the study description")
    run.add_argument("--out", metavar="DIR", help="output folder (default: [study] output)")
    run.add_argument("--resume", action="store_true", help="continue an interrupted run without redoing work")
    run.set_defaults(handler=commands.run)

    sweep = sub.add_parser("sweep", help="grid / random search and restarts in parallel", formatter_class=fmt,
                           epilog=_SWEEP_EXAMPLES,
                           description="Run the [sweep] of STUDY.toml in parallel; one SQLite row per run.")
    sweep.add_argument("study", metavar="STUDY.toml", help="the study description, with a [sweep] table")
    sweep.add_argument("--out", metavar="DIR", help="output folder (default: [study] output)")
    sweep.add_argument("--resume", action="store_true", help="skip finished runs and continue the others")
    _add_workers(sweep, "runs")
    sweep.add_argument("--executor", choices=("local", "dask"), default="local",
                       help="local worker processes (default) or a Dask distributed cluster")
    sweep.add_argument("--scheduler", metavar="ADDRESS",
                       help="address of the Dask scheduler (with --executor dask), e.g. tcp://host:8786")
    sweep.set_defaults(handler=commands.sweep)

    diagnose = sub.add_parser("diagnose", help="run the training doctor on a saved run", formatter_class=fmt,
                              epilog=_DIAGNOSE_EXAMPLES,
                              description="Read a run folder's history and print the doctor's findings.")
    diagnose.add_argument("run_dir", metavar="RUN_DIR", help="a run folder written by `ravine run` or `sweep`")
    diagnose.add_argument("--json", action="store_true", help="print the findings as JSON")
    diagnose.set_defaults(handler=commands.diagnose)

    listing = sub.add_parser("list", help="show the built-in studies, problems, datasets, models, optimisers",
                             formatter_class=fmt, epilog="examples:\n  ravine list\n  ravine list optimizers\n",
                             description="Show what ravine has built in (generated from its registries).")
    listing.add_argument("what", nargs="?", metavar="KIND",
                         help="only one kind: studies, problems, datasets, models, optimizers, schedules")
    listing.set_defaults(handler=commands.list_)
    return parser
