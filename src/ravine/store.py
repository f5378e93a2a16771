"""Where runs live on disk: run directories, incremental histories, checkpoints
for resuming, and the SQLite table a sweep fills with one row per run.

A run directory holds plain data only (nothing is pickled, nothing read back is
executed)::

    RUN_DIR/
      config.json        the run's configuration, written once
      history.jsonl      one JSON object per optimisation step, appended as it runs
      checkpoint.npz     arrays needed to continue (parameters, optimiser state)
      checkpoint.json    step and bookkeeping of that checkpoint
      result.json        written last, atomically: its presence means "finished"

Appending a line per step means an interrupted run loses at most the steps
after its last checkpoint, and ``--resume`` re-runs exactly those: the history is
cut back to the checkpoint's step and the run continues from the saved arrays.

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
    "RunDir", "SweepTable", "write_atomic", "to_jsonable", "ensure_writable_dir", "HISTORY_KEYS",
]

HISTORY_KEYS = ("step", "loss", "grad_norm", "step_norm", "lr", "time", "evals")
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
    """One run's folder: configuration, an append-only history, checkpoints, result.

    Create it with :meth:`open`; ``resume=False`` refuses a folder that already
    holds a run (so nothing is overwritten by accident), ``resume=True`` insists
    on the same configuration as before.
    """

    def __init__(self, path: Path):
        self.path = Path(path)
        self.config_path = self.path / "config.json"
        self.history_path = self.path / "history.jsonl"
        self.checkpoint_arrays = self.path / "checkpoint.npz"
        self.checkpoint_meta = self.path / "checkpoint.json"
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

    # -- reading ---------------------------------------------------------

    def config(self) -> dict | None:
        return _read_json(self.config_path) if self.config_path.exists() else None

    @property
    def done(self) -> bool:
        return self.result_path.exists()

    def result(self) -> dict | None:
        return _read_json(self.result_path) if self.done else None

    def read_history(self) -> list[dict]:
        """Every complete line of the history; a line cut short by a crash is ignored."""
        if not self.history_path.exists():
            return []
        records = []
        for line in self.history_path.read_text(encoding="utf-8").splitlines():
            try:
                records.append(json.loads(line))
            except json.JSONDecodeError:
                break
        return records

    def history_arrays(self) -> dict[str, np.ndarray]:
        """The history as one float array per key (``null`` read back as NaN)."""
        records = self.read_history()
        keys: list[str] = []
        for record in records:
            keys.extend(k for k in record if k not in keys)
        return {
            key: np.array([np.nan if r.get(key) is None else r[key] for r in records], dtype=float)
            for key in keys
        }

    # -- writing ---------------------------------------------------------

    def append(self, records: Iterable[Mapping[str, Any]]) -> None:
        """Append history records (one JSON line each) and flush them to disk."""
        lines = "".join(json.dumps(to_jsonable(r), allow_nan=False) + "\n" for r in records)
        if lines:
            with open(self.history_path, "a", encoding="utf-8") as handle:
                handle.write(lines)
                handle.flush()

    def save_checkpoint(self, arrays: Mapping[str, np.ndarray], meta: Mapping[str, Any]) -> None:
        """Save what is needed to continue; ``meta['step']`` is the number of finished steps."""
        if "step" not in meta:
            raise ConfigError("A checkpoint needs meta['step'], the number of finished steps.")
        fd, tmp = tempfile.mkstemp(dir=self.path, prefix=".checkpoint.", suffix=".npz")
        os.close(fd)
        try:
            np.savez(tmp, **{k: np.asarray(v) for k, v in arrays.items()})
            os.replace(tmp, self.checkpoint_arrays)
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        write_atomic(self.checkpoint_meta, _dump_json(meta))

    def load_checkpoint(self) -> tuple[dict[str, np.ndarray], dict] | None:
        """The last checkpoint, or None; the history is cut back to its step."""
        if not (self.checkpoint_meta.exists() and self.checkpoint_arrays.exists()):
            return None
        meta = _read_json(self.checkpoint_meta)
        with np.load(self.checkpoint_arrays, allow_pickle=False) as data:
            arrays = {k: data[k] for k in data.files}
        self._truncate_history(int(meta["step"]))
        return arrays, meta

    def restart(self) -> None:
        """Forget a partial run (no usable checkpoint): its history starts again."""
        for path in (self.history_path, self.checkpoint_arrays, self.checkpoint_meta):
            if path.exists():
                path.unlink()

    def finish(self, result: Mapping[str, Any]) -> None:
        """Record the final result (its presence marks the run finished) and the history as npz."""
        arrays = self.history_arrays()
        fd, tmp = tempfile.mkstemp(dir=self.path, prefix=".history.", suffix=".npz")
        os.close(fd)
        try:
            np.savez(tmp, **arrays)
            os.replace(tmp, self.path / "history.npz")
        finally:
            if os.path.exists(tmp):
                os.unlink(tmp)
        write_atomic(self.result_path, _dump_json(result))

    def _truncate_history(self, n_steps: int) -> None:
        records = [r for r in self.read_history() if int(r.get("step", 0)) < n_steps]
        text = "".join(json.dumps(r, allow_nan=False) + "\n" for r in records)
        write_atomic(self.history_path, text)


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
