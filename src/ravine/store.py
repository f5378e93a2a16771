"""Where runs live on disk: run directories, incremental histories, checkpoints
for resuming, and the SQLite table a sweep fills with one row per run.

A run directory holds plain data only (nothing is pickled, nothing read back is
executed)::

    RUN_DIR/
      config.json           the run's configuration, written once
      history.jsonl         one JSON object per step, appended as it runs (by ravine.optim)
      checkpoint/           parameters, optimiser state, sampler, history (ravine.optim.run_files)
      history.json/.npz     the final History
      result.json           written last, atomically: its presence means "finished"

An interrupted run keeps every row it wrote and its last checkpoint; ``--resume``
cuts the live history back to the checkpoint's step and continues from there,
giving the same numbers as an uninterrupted run.

The sweep table (``sweep.sqlite``) has fixed columns (run id, status, optimiser,
seed, restart, final metrics, the whole configuration as JSON) plus one column
per swept hyper-parameter, so users can ask, for example::

    sqlite3 out/sweep.sqlite "SELECT lr, final_loss FROM runs ORDER BY final_loss"
"""

from __future__ import annotations

import json
import math
import os
import re
import sqlite3
import tempfile
from pathlib import Path
from typing import Any, Iterable, Mapping

import numpy as np

from ravine.errors import ConfigError, DataError

__all__ = [
    "RunDir", "SweepTable", "write_atomic", "to_jsonable", "ensure_writable_dir",
]

_IDENTIFIER = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


# ---------------------------------------------------------------- plain data


def to_jsonable(value: Any) -> Any:
    """Convert NumPy values and containers to JSON-ready Python values.

    Non-finite floats become ``None`` so that every file is strict JSON (a
    diverged loss shows as ``null``; the run's status says why).
    """
    if isinstance(value, Mapping):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return to_jsonable(value.tolist())
    if isinstance(value, (np.bool_, bool)):
        return bool(value)
    if isinstance(value, (np.integer, int)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        value = float(value)
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, str):
        return value
    return str(value)


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write ``data`` to ``path`` so readers see the old file or the new one, never half."""
    path = Path(path)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def _dump_json(value: Any) -> str:
    return json.dumps(to_jsonable(value), indent=2, sort_keys=True, allow_nan=False)


def ensure_writable_dir(path: Path, what: str = "output folder") -> Path:
    """Create ``path`` if needed and check that files can be written in it."""
    path = Path(path)
    try:
        path.mkdir(parents=True, exist_ok=True)
        probe = path / f".ravine-write-test-{os.getpid()}"
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ConfigError(
            f"The {what} {str(path)!r} cannot be written ({exc.strerror or exc}). "
            f"Choose a folder you can write to (e.g. --out ./ravine-output)."
        ) from None
    return path


# ---------------------------------------------------------------- one run


class RunDir:
    """One run's folder: configuration, the live history, the checkpoint, the result.

    ``ravine.optim.minimize`` writes ``history.jsonl`` row by row and saves
    ``checkpoint/`` every few steps (see :mod:`ravine.optim.run_files`); this class
    owns the rest.  Create it with :meth:`open`: ``resume=False`` refuses a folder
    that already holds a run (nothing is overwritten by accident), ``resume=True``
    insists on the same configuration as before.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.config_path = self.path / "config.json"
        self.history_path = self.path / "history.jsonl"
        self.checkpoint_dir = self.path / "checkpoint"
        self.final_history = self.path / "history"  # history.json + history.npz once finished
        self.result_path = self.path / "result.json"

    @classmethod
    def open(cls, path: Path, config: Mapping[str, Any], *, resume: bool) -> "RunDir":
        run = cls(ensure_writable_dir(path, "run folder"))
        saved = run.config()
        wanted = json.loads(_dump_json(config))
        if saved is None:
            write_atomic(run.config_path, _dump_json(config))
        elif not resume:
            raise ConfigError(
                f"The folder {str(run.path)!r} already holds a run. Pass --resume to continue it, "
                f"or choose another output folder."
            )
        elif saved != wanted:
            raise ConfigError(
                f"Cannot resume {str(run.path)!r}: its saved configuration differs from the one given "
                f"(changed fields: {', '.join(_changed_fields(saved, wanted)) or 'structure'}). "
                f"Resume with the original STUDY.toml, or write to a new output folder."
            )
        return run

    def config(self) -> dict | None:
        return _read_json(self.config_path) if self.config_path.exists() else None

    @property
    def done(self) -> bool:
        return self.result_path.exists()

    def result(self) -> dict | None:
        return _read_json(self.result_path) if self.done else None

    def checkpoint_step(self) -> int:
        """The number of steps the checkpoint holds (0 without one)."""
        marker = self.checkpoint_dir / "run.json"
        return int(_read_json(marker)["step"]) if marker.exists() else 0

    def prepare_resume(self) -> int:
        """Cut the live history back to the checkpoint's step, so the steps that will be
        recomputed are not listed twice; return that step."""
        step = self.checkpoint_step()
        if not self.history_path.exists():
            return step
        kept = []
        for line in self.history_path.read_text(encoding="utf-8").splitlines():
            try:
                row = json.loads(line)
            except json.JSONDecodeError:
                break  # the last line of a killed run may be cut short
            if "step" not in row or int(row["step"]) < step:
                kept.append(line + "\n")
        write_atomic(self.history_path, "".join(kept))
        return step

    def history(self) -> Any:
        """The run's History: the final one when finished, else the live rows so far."""
        from ravine.optim import History

        if self.final_history.with_suffix(".json").exists():
            return History.load(self.final_history)
        if self.history_path.exists():
            return History.load(self.history_path)
        raise ConfigError(f"{str(self.path)!r} holds no run history (no {self.history_path.name}); give a "
                          f"folder written by `ravine run` or `ravine sweep`, such as OUT/runs/<run id>.")

    def finish(self, result: Mapping[str, Any], history: Any) -> None:
        """Save the final History and the result (written last: its presence marks the run finished)."""
        history.save(self.final_history)
        write_atomic(self.result_path, _dump_json(result))


def _read_json(path: Path) -> Any:
    try:
        return json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise DataError(f"Cannot read {str(path)!r} as JSON ({exc}). Delete the file or the run folder.") from None


def _changed_fields(a: Any, b: Any, prefix: str = "") -> list[str]:
    if isinstance(a, dict) and isinstance(b, dict):
        out = []
        for key in sorted(set(a) | set(b)):
            out.extend(_changed_fields(a.get(key), b.get(key), f"{prefix}{key}."))
        return out
    return [] if a == b else [prefix.rstrip(".")]


# ---------------------------------------------------------------- the sweep table

_FIXED_COLUMNS = {
    "run_id": "TEXT PRIMARY KEY",
    "status": "TEXT NOT NULL",
    "optimizer": "TEXT",
    "seed": "INTEGER",
    "restart": "INTEGER",
    "final_loss": "REAL",
    "best_loss": "REAL",
    "final_grad_norm": "REAL",
    "val_loss": "REAL",
    "n_steps": "INTEGER",
    "n_evals": "INTEGER",
    "wall_time": "REAL",
    "outcome": "TEXT",
    "message": "TEXT",
    "config": "TEXT NOT NULL",
}
METRIC_COLUMNS = ("final_loss", "best_loss", "final_grad_norm", "val_loss", "n_steps", "n_evals", "wall_time")


class SweepTable:
    """A SQLite table ``runs`` with one row per run of a sweep.

    Only the process that drives the sweep writes to it (workers return their
    results), so there is never contention for the file.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        try:
            self._db = sqlite3.connect(self.path)
            columns = ", ".join(f'"{name}" {kind}' for name, kind in _FIXED_COLUMNS.items())
            self._db.execute(f"CREATE TABLE IF NOT EXISTS runs ({columns})")
            self._db.commit()
        except sqlite3.DatabaseError as exc:
            raise DataError(f"{str(self.path)!r} is not a usable SQLite database ({exc}). "
                            f"Delete it or choose another output folder.") from None

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "SweepTable":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def columns(self) -> list[str]:
        return [row[1] for row in self._db.execute("PRAGMA table_info(runs)")]

    def _ensure_columns(self, names: Iterable[str]) -> None:
        present = set(self.columns())
        for name in names:
            if not _IDENTIFIER.match(name):
                raise ConfigError(f"Swept parameter name {name!r} cannot be a table column: use letters, "
                                  f"digits and underscores, starting with a letter.")
            if name not in present:
                self._db.execute(f'ALTER TABLE runs ADD COLUMN "{name}"')
                present.add(name)

    def record(self, run_id: str, *, status: str, config: Mapping[str, Any],
               swept: Mapping[str, Any] | None = None, metrics: Mapping[str, Any] | None = None,
               optimizer: str | None = None, seed: int | None = None, restart: int | None = None,
               outcome: str | None = None, message: str = "") -> None:
        """Insert or replace the row of ``run_id``: ``status`` is the run's (pending, finished,
        failed), ``outcome`` the optimiser's (converged, max_steps, diverged, ...)."""
        swept = {_column_name(k): v for k, v in (swept or {}).items()}
        clash = set(swept) & set(_FIXED_COLUMNS)
        if clash:
            raise ConfigError(f"Swept parameter names {sorted(clash)} clash with the table's own columns.")
        self._ensure_columns(swept)
        row: dict[str, Any] = {"run_id": run_id, "status": status, "optimizer": optimizer, "seed": seed,
                               "restart": restart, "outcome": outcome, "message": message,
                               "config": json.dumps(to_jsonable(config), sort_keys=True)}
        for key in METRIC_COLUMNS:
            row[key] = to_jsonable((metrics or {}).get(key))
        row.update({k: to_jsonable(v) for k, v in swept.items()})
        names = ", ".join(f'"{k}"' for k in row)
        marks = ", ".join("?" for _ in row)
        self._db.execute(f"INSERT OR REPLACE INTO runs ({names}) VALUES ({marks})", list(row.values()))
        self._db.commit()

    def statuses(self) -> dict[str, str]:
        return dict(self._db.execute("SELECT run_id, status FROM runs"))

    def rows(self, order_by: str = "run_id") -> list[dict]:
        """Every row as a dict; ``order_by`` must name a column."""
        if order_by not in self.columns():
            raise ConfigError(f"Cannot order by {order_by!r}; columns are {self.columns()}.")
        cursor = self._db.execute(f'SELECT * FROM runs ORDER BY "{order_by}"')
        names = [d[0] for d in cursor.description]
        return [dict(zip(names, row)) for row in cursor]


def _column_name(dotted: str) -> str:
    """``optimizer.lr`` → ``lr``; other dotted paths keep their parts joined by ``_``."""
    parts = dotted.split(".")
    if parts[0] == "optimizer" and len(parts) == 2:
        return parts[1]
    return "_".join(parts)
