"""The record of a run: one row per iterate, saved as JSON + ``.npz`` (no pickle).

Columns (NumPy arrays, one entry per iterate θ_k, k = 0 … n_steps):

=========  ==============================================================
step       k
loss       J(θ_k) (the mini-batch loss for stochastic runs)
grad_norm  ‖∇J(θ_k)‖ (of the gradient the optimiser received)
step_norm  ‖θ_{k+1} − θ_k‖, the step actually taken (0 on the final row)
lr         the learning rate (or step length) used for that step
time       wall-clock seconds since the start of the run
evals      loss/gradient evaluations so far (line searches included)
avg_loss   optional: J at the averaged iterate θ̃_k (iterate averaging)
val_loss   optional: the held-out loss at θ_k
=========  ==============================================================

plus ``params`` (an array of shape (rows, dim)) for problems small enough to
plot, and ``meta`` (method, hyper-parameters, status, message).  Readers may
use the attributes or :meth:`History.to_dict` (the same keys, plain data).

:class:`HistoryWriter` appends rows to a JSON-lines file while a run goes, so
a run that is killed still leaves its history; :meth:`History.load` reads
either form.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import numpy as _np

from ravine.errors import DataError

__all__ = ["History", "HistoryWriter", "COLUMNS", "OPTIONAL_COLUMNS"]

COLUMNS = ("step", "loss", "grad_norm", "step_norm", "lr", "time", "evals")
OPTIONAL_COLUMNS = ("avg_loss", "val_loss")


def _stem(path: str | os.PathLike) -> Path:
    p = Path(path)
    return p.with_suffix("") if p.suffix in (".json", ".npz", ".jsonl") else p


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as fh:
        fh.write(data)
    os.replace(tmp, path)


class History:
    """Per-iterate arrays of a run (see the module docstring for the columns)."""

    def __init__(self, meta: dict | None = None) -> None:
        self.meta: dict = dict(meta or {})
        self._rows: dict[str, list] = {name: [] for name in COLUMNS + OPTIONAL_COLUMNS}
        self._params: list[_np.ndarray] = []

    # -- writing ---------------------------------------------------------
    def append(self, *, step: int, loss: float, grad_norm: float, step_norm: float, lr: float,
               time: float, evals: int, avg_loss: float | None = None, val_loss: float | None = None,
               params: _np.ndarray | None = None) -> dict:
        """Add one row; returns it as a dict of plain numbers."""
        row = {"step": int(step), "loss": float(loss), "grad_norm": float(grad_norm),
               "step_norm": float(step_norm), "lr": float(lr), "time": float(time), "evals": int(evals)}
        for name, value in (("avg_loss", avg_loss), ("val_loss", val_loss)):
            if value is not None:
                row[name] = float(value)
        for name in COLUMNS + OPTIONAL_COLUMNS:
            if name in row:
                self._rows[name].append(row[name])
        if params is not None:
            self._params.append(_np.array(params, dtype=float, copy=True))
        return row

    def truncate(self, n_rows: int) -> None:
        """Keep the first ``n_rows`` rows (used when a finished run is resumed)."""
        for name in self._rows:
            del self._rows[name][n_rows:]
        del self._params[n_rows:]

    # -- reading ---------------------------------------------------------
    def __len__(self) -> int:
        return len(self._rows["step"])

    def __getattr__(self, name: str) -> Any:
        if name in COLUMNS or name in OPTIONAL_COLUMNS:
            values = self.__dict__["_rows"][name]
            if name in OPTIONAL_COLUMNS and not values:
                return None
            dtype = int if name in ("step", "evals") else float
            return _np.asarray(values, dtype=dtype)
        if name == "params":
            params = self.__dict__["_params"]
            return _np.stack(params) if params else None
        raise AttributeError(f"History has no column {name!r}; columns: {COLUMNS + OPTIONAL_COLUMNS}")

    def columns(self) -> list[str]:
        """The names of the columns that hold data."""
        return [n for n in COLUMNS + OPTIONAL_COLUMNS if n in COLUMNS or self._rows[n]]

    def to_dict(self) -> dict:
        """``{column: array, ..., "params": array or None, "meta": dict}``."""
        out: dict[str, Any] = {name: getattr(self, name) for name in self.columns()}
        out["params"] = self.params
        out["meta"] = dict(self.meta)
        return out

    @classmethod
    def from_dict(cls, data: dict) -> "History":
        """Inverse of :meth:`to_dict` (also accepts lists instead of arrays)."""
        missing = [c for c in COLUMNS if c not in data]
        if missing:
            raise DataError(f"a history needs the columns {list(COLUMNS)}; missing {missing}.")
        h = cls(data.get("meta"))
        for name in COLUMNS + OPTIONAL_COLUMNS:
            if data.get(name) is not None:
                h._rows[name] = [v.item() if hasattr(v, "item") else v for v in _np.asarray(data[name])]
        lengths = {name: len(h._rows[name]) for name in h.columns()}
        if len(set(lengths.values())) > 1:
            raise DataError(f"history columns have different lengths: {lengths}.")
        if data.get("params") is not None:
            h._params = [_np.asarray(row, dtype=float) for row in _np.asarray(data["params"], dtype=float)]
        return h

    # -- files -----------------------------------------------------------
    def save(self, path: str | os.PathLike) -> tuple[Path, Path]:
        """Write ``<path>.json`` (meta, column names) and ``<path>.npz`` (arrays)."""
        stem = _stem(path)
        arrays = {name: getattr(self, name) for name in self.columns()}
        if self._params:
            arrays["params"] = self.params
        buf = io.BytesIO()
        _np.savez(buf, **arrays)
        npz, js = stem.with_suffix(".npz"), stem.with_suffix(".json")
        atomic_write_bytes(npz, buf.getvalue())
        atomic_write_bytes(js, json.dumps({"format": "ravine.optim.History/1", "meta": self.meta,
                                           "columns": list(arrays)}, indent=1, default=str).encode())
        return js, npz

    @classmethod
    def load(cls, path: str | os.PathLike) -> "History":
        """Read a history written by :meth:`save` or by :class:`HistoryWriter` (``.jsonl``)."""
        p = Path(path)
        if p.suffix == ".jsonl":
            return _load_jsonl(p)
        stem = _stem(p)
        js, npz = stem.with_suffix(".json"), stem.with_suffix(".npz")
        if not js.exists() or not npz.exists():
            raise DataError(f"no saved history at {stem}: expected {js.name} and {npz.name}.")
        head = json.loads(js.read_text())
        with _np.load(npz, allow_pickle=False) as data:
            arrays = {name: data[name] for name in data.files}
        arrays["meta"] = head.get("meta", {})
        return cls.from_dict(arrays)


def _load_jsonl(path: Path) -> History:
    lines = [line for line in path.read_text().splitlines() if line.strip()]
    if not lines:
        raise DataError(f"{path} is empty; it is not a history written by HistoryWriter.")
    first = json.loads(lines[0])
    h = History(first.get("meta"))
    for line in lines[1:]:
        try:
            row = json.loads(line)
        except json.JSONDecodeError:
            break  # a run killed mid-write leaves a partial last line
        if row.get("meta_update"):
            h.meta.update(row["meta_update"])
            continue
        params = row.pop("params", None)
        h.append(**row, params=None if params is None else _np.asarray(params, dtype=float))
    return h


class HistoryWriter:
    """Appends each row to ``<path>.jsonl`` as it is recorded (flushed every
    ``flush_every`` rows); the first line holds the meta."""

    def __init__(self, path: str | os.PathLike, meta: dict, flush_every: int = 1, append: bool = False) -> None:
        self.path = _stem(path).with_suffix(".jsonl")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._fh = open(self.path, "a" if append and self.path.exists() else "w")
        if self._fh.tell() == 0:
            self._fh.write(json.dumps({"meta": meta}, default=str) + "\n")
        self._pending = 0
        self.flush_every = max(1, int(flush_every))

    def write(self, row: dict, params: _np.ndarray | None = None) -> None:
        record = dict(row)
        if params is not None:
            record["params"] = [float(v) for v in params]
        self._fh.write(json.dumps(record) + "\n")
        self._pending += 1
        if self._pending >= self.flush_every:
            self._fh.flush()
            self._pending = 0

    def update_meta(self, meta: dict) -> None:
        self._fh.write(json.dumps({"meta_update": meta}, default=str) + "\n")

    def close(self) -> None:
        if not self._fh.closed:
            self._fh.flush()
            self._fh.close()
