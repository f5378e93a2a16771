"""The sub-commands: each takes the parsed arguments, does its job, prints, returns a status."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from ravine.errors import ConfigError

__all__ = ["demo", "run", "sweep", "diagnose", "list_"]


def demo(args: argparse.Namespace) -> int:
    from ravine.cli.demo import run_demo

    written, failed = run_demo(args.out, quick=args.quick, workers=args.workers, only=args.only, seed=args.seed)
    print(f"Report written to {written.index_html.resolve()}")
    print(f"Raw results: {written.results_json.resolve()} and {len(written.tables)} CSV tables in "
          f"{(written.folder / 'tables').resolve()}")
    if failed:
        print(f"{len(failed)} of the studies failed (their sections show the error): "
              f"{', '.join(s.id for s in failed)}", file=sys.stderr)
        return 1
    return 0


def run(args: argparse.Namespace) -> int:
    from ravine.cli.execute import run_study_file

    summary = run_study_file(args.study, out=args.out, resume=args.resume)
    for row in summary["runs"]:
        print(f"{row['run_id']:<28} {row['status']:<10} final loss {_fmt(row.get('final_loss'))}  "
              f"steps {row.get('n_steps')}")
    print(f"Runs written to {Path(summary['folder']).resolve()}")
    print(f"Report written to {Path(summary['report']).resolve()}")
    return 0 if all(r["status"] != "failed" for r in summary["runs"]) else 1


def sweep(args: argparse.Namespace) -> int:
    if args.executor == "dask" and not args.scheduler:
        raise ConfigError("--executor dask needs --scheduler ADDRESS (e.g. tcp://127.0.0.1:8786), the address "
                          "of a running Dask scheduler.")
    if args.scheduler and args.executor != "dask":
        raise ConfigError("--scheduler is only used with --executor dask.")
    from ravine.cli.sweep import run_sweep

    summary = run_sweep(args.study, out=args.out, resume=args.resume, workers=args.workers,
                        executor=args.executor, scheduler=args.scheduler)
    print(f"{summary['finished']} runs finished, {summary['skipped']} already done, {summary['failed']} failed.")
    if summary.get("best"):
        best = summary["best"]
        print(f"Best run: {best['run_id']} with final loss {_fmt(best['final_loss'])}")
    print(f"Sweep table: {Path(summary['database']).resolve()} (SQLite, table 'runs')")
    for error in summary["errors"][:3]:
        print(f"failed: {error}", file=sys.stderr)
    return 0 if summary["failed"] == 0 else 1


def diagnose(args: argparse.Namespace) -> int:
    from ravine.cli.execute import diagnose_run_dir
    from ravine.diagnose.render import diagnosis_text

    diagnosis = diagnose_run_dir(args.run_dir)
    if args.json:
        print(json.dumps(diagnosis.to_dict(), indent=2, default=str))
    else:
        print(f"The training doctor on {args.run_dir}:")
        print(diagnosis_text(diagnosis))
    return 0


def list_(args: argparse.Namespace) -> int:
    from ravine.cli.listing import KINDS, listing_text

    kinds = [args.what] if args.what else list(KINDS)
    print(listing_text(kinds))
    return 0


def _fmt(value: object) -> str:
    return "n/a" if value is None else f"{value:.6g}" if isinstance(value, float) else str(value)
