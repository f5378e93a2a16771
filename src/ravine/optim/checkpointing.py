"""Optimiser state to and from disk without pickle: arrays in ``.npz``, the
rest (numbers, the layout) in JSON.

A state is a nest of NamedTuples and tuples whose leaves are arrays, numbers,
``None`` or JSON-able dicts (a random generator's state).  :func:`save_state`
writes its leaves in walk order; :func:`load_state` pours them back into a
*template* — ``opt.init(params)`` of the same optimiser — so no class is ever
looked up by name from a file.  Floats go through JSON as ``repr`` strings,
which round-trip exactly; arrays keep their bytes: a resumed run is
bit-identical.
"""

from __future__ import annotations

import io
import json
import os
from pathlib import Path
from typing import Any

import numpy as _np

from ravine.errors import ConfigError, DataError
from ravine.optim.history import _stem, atomic_write_bytes

__all__ = ["state_leaves", "save_state", "load_state", "save_arrays", "load_arrays"]


def _is_container(node: Any) -> bool:
    return isinstance(node, tuple)


def state_leaves(state: Any) -> list:
    """The leaves of a state, depth first, in field order."""
    leaves, stack = [], [state]
    while stack:
        node = stack.pop()
        if _is_container(node):
            stack.extend(reversed(node))
        else:
            leaves.append(node)
    return leaves


def _rebuild(template: Any, leaves: list) -> Any:
    """``template`` with its leaves replaced, in order, by ``leaves`` (consumed)."""
    if _is_container(template):
        children = [_rebuild(child, leaves) for child in template]
        return type(template)(*children) if hasattr(template, "_fields") else tuple(children)
    return leaves.pop(0)


def _describe(leaf: Any) -> dict:
    if leaf is None:
        return {"kind": "none"}
    if isinstance(leaf, (bool, _np.bool_)):
        return {"kind": "bool", "value": bool(leaf)}
    if isinstance(leaf, (int, _np.integer)):
        return {"kind": "int", "value": int(leaf)}
    if isinstance(leaf, (float, _np.floating)):
        return {"kind": "float", "value": repr(float(leaf))}
    if isinstance(leaf, _np.ndarray):
        return {"kind": "array", "shape": list(leaf.shape), "dtype": str(leaf.dtype)}
    if isinstance(leaf, (dict, str, list)):
        return {"kind": "json", "value": leaf}
    raise ConfigError(f"cannot save a state leaf of type {type(leaf).__name__}; states hold arrays and numbers.")


def save_arrays(path: Path, arrays: dict) -> None:
    buf = io.BytesIO()
    _np.savez(buf, **arrays)
    atomic_write_bytes(path, buf.getvalue())


def load_arrays(path: Path) -> dict:
    if not path.exists():
        raise DataError(f"missing checkpoint file {path}.")
    with _np.load(path, allow_pickle=False) as data:
        return {name: data[name] for name in data.files}


def save_state(path: str | os.PathLike, state: Any) -> None:
    """Write ``<path>.json`` and ``<path>.npz`` for an optimiser state."""
    stem = _stem(path)
    leaves = state_leaves(state)
    layout, arrays = [], {}
    for i, leaf in enumerate(leaves):
        layout.append(_describe(leaf))
        if isinstance(leaf, _np.ndarray):
            arrays[f"leaf{i}"] = leaf
    save_arrays(stem.with_suffix(".npz"), arrays)
    atomic_write_bytes(stem.with_suffix(".json"),
                       json.dumps({"format": "ravine.optim.state/1", "leaves": layout}).encode())


def load_state(path: str | os.PathLike, template: Any) -> Any:
    """Read a state saved by :func:`save_state` into the structure of ``template``."""
    stem = _stem(path)
    js = stem.with_suffix(".json")
    if not js.exists():
        raise DataError(f"no saved optimiser state at {js}.")
    layout = json.loads(js.read_text())["leaves"]
    arrays = load_arrays(stem.with_suffix(".npz"))
    expected = [_describe(leaf) for leaf in state_leaves(template)]
    if len(expected) != len(layout):
        raise ConfigError(
            f"the state saved at {js} has {len(layout)} leaves but this optimiser's state has "
            f"{len(expected)}: resume with the same method and options that wrote it."
        )
    leaves = []
    for i, (saved, want) in enumerate(zip(layout, expected)):
        if saved["kind"] != want["kind"] and not (saved["kind"] in ("int", "float") and want["kind"] in ("int", "float")):
            raise ConfigError(f"state leaf {i} was saved as {saved['kind']} but this optimiser expects {want['kind']}; "
                              "resume with the same method and options that wrote the checkpoint.")
        kind = want["kind"]
        if kind == "array":
            value = arrays[f"leaf{i}"]
            if list(value.shape) != want["shape"]:
                raise ConfigError(f"state leaf {i} has shape {tuple(value.shape)} on disk but "
                                  f"{tuple(want['shape'])} here: the parameters differ from the saved run.")
        elif kind == "float":
            value = float(saved["value"])
        elif kind == "int":
            value = int(saved["value"])
        elif kind == "none":
            value = None
        else:
            value = saved["value"]
        leaves.append(value)
    return _rebuild(template, leaves)
