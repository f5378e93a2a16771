"""``ravine sweep``: the planned runs of a study in parallel, one SQLite row per run.

Runs go to worker processes on this machine (``concurrent.futures``) or, with
``--executor dask --scheduler ADDRESS``, to an existing Dask distributed cluster
(workers must see the output folder, e.g. on a shared file system).  Only this
process writes the table.  With ``--resume`` the runs whose row says ``finished``
are skipped and the others continue from their checkpoints.
"""

from __future__ import annotations

import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import Any, Iterator

from ravine.cli.execute import check_plans, execute_run, output_folder, plan_runs
from ravine.cli.progress import progress
from ravine.errors import ConfigError
from ravine.store import SweepTable
from ravine.studies.config import load_study_file

__all__ = ["run_sweep", "DATABASE_NAME"]

DATABASE_NAME = "sweep.sqlite"


def run_sweep(path: str, out: str | None = None, resume: bool = False, workers: int = 1,
              executor: str = "local", scheduler: str | None = None) -> dict:
    """Execute the sweep of STUDY.toml at ``path``; return counts, the best run and the database path."""
    config = load_study_file(path)
    plans = plan_runs(config, sweep=True)
    check_plans(plans)
    folder = output_folder(config, out)
    database = folder / DATABASE_NAME
    if database.exists() and not resume:
        raise ConfigError(f"{str(folder)!r} already holds a sweep ({DATABASE_NAME}). Pass --resume to continue it, "
                          f"or choose another output folder with --out.")
    counts: dict[str, Any] = {"finished": 0, "skipped": 0, "failed": 0, "errors": []}
    with SweepTable(database) as table:
        done = {run_id for run_id, status in table.statuses().items() if status == "finished"}
        todo = [p for p in plans if p["run_id"] not in done]
        counts["skipped"] = len(plans) - len(todo)
        for plan in todo:
            _record(table, plan, "pending", {})
        with progress(len(todo), f"sweep {config['study']['name']}") as shown, \
                _executor(executor, workers, scheduler) as (submit, completed):
            futures = {submit(execute_run, str(folder / "runs" / p["run_id"]), p["config"], resume): p for p in todo}
            for future in completed(futures):
                plan = futures[future]
                try:
                    summary = future.result()
                except Exception as exc:  # a failed run is recorded; the sweep goes on
                    message = f"{type(exc).__name__}: {exc}"
                    _record(table, plan, "failed", {}, message=message)
                    counts["failed"] += 1
                    counts["errors"].append(f"{plan['run_id']}: {message}")
                    shown.advance(plan["run_id"], ok=False)
                    continue
                _record(table, plan, "finished", summary, message=summary.get("message", ""))
                counts["finished"] += 1
                shown.advance(plan["run_id"], seconds=summary.get("wall_time"))
        finished = [r for r in table.rows(order_by="final_loss") if r["status"] == "finished"
                    and r["final_loss"] is not None]
    return {**counts, "database": str(database), "best": finished[0] if finished else None}


def _record(table: SweepTable, plan: dict, status: str, summary: dict, message: str = "") -> None:
    table.record(plan["run_id"], status=status, config=plan["config"], swept=plan["swept"], metrics=summary,
                 optimizer=plan["config"]["optimizer"]["name"], seed=plan["config"]["seed"],
                 restart=plan["restart"], outcome=summary.get("status"), message=message)


@contextmanager
def _executor(kind: str, workers: int, scheduler: str | None) -> Iterator[Any]:
    """``(submit, as_completed)`` for local processes or a Dask cluster."""
    if kind == "local":
        with ProcessPoolExecutor(max_workers=workers) as pool:
            try:
                yield pool.submit, as_completed
            except BaseException:
                pool.shutdown(wait=True, cancel_futures=True)
                raise
        return
    try:
        from dask.distributed import Client, as_completed as dask_completed
    except ImportError:
        raise ConfigError("--executor dask needs Dask distributed: pip install 'ravine[dask]'.") from None
    try:
        client = Client(scheduler, timeout="10s")
    except (OSError, TimeoutError, ValueError) as exc:
        raise ConfigError(f"Cannot reach the Dask scheduler at {scheduler!r} ({exc}). Check the address "
                          f"(e.g. tcp://host:8786) and that the scheduler is running.") from None
    started = time.time()
    try:
        yield (lambda fn, *args: client.submit(fn, *args, pure=False, key=f"ravine-{args[0]}-{started}"),
               dask_completed)
    finally:
        client.close()
