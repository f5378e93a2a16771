"""Shuffled mini-batches with a seed, as immutable state (so a run can resume
on exactly the batches it would have drawn).

Each epoch is a fresh permutation of the N examples cut into ⌈N/B⌉ batches
(the last one smaller when B does not divide N); B = N gives batch gradient
descent.  The generator is NumPy's PCG64; its state travels in
:class:`BatchState` as a plain dict.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as _np

from ravine.errors import ConfigError, ShapeError
from ravine.optim.base import check_int

__all__ = ["BatchState", "init_batches", "next_batch", "take_batch", "data_length"]


class BatchState(NamedTuple):
    epoch: int
    position: int
    order: _np.ndarray
    rng: dict


def data_length(data: Any) -> int:
    """N, the number of examples: the common length of the arrays in ``data``
    (an array, or a tuple/list/dict of arrays indexed along axis 0)."""
    arrays = list(data.values()) if isinstance(data, dict) else list(data) if isinstance(data, (tuple, list)) else [data]
    if not arrays:
        raise ConfigError("data is empty; pass an array or a tuple of arrays with one row per example.")
    lengths = {len(a) for a in arrays}
    if len(lengths) != 1:
        raise ShapeError(f"the arrays in data have different numbers of rows: {sorted(lengths)}; "
                         "each must have one row per example.")
    return lengths.pop()


def take_batch(data: Any, idx: _np.ndarray) -> Any:
    """The rows ``idx`` of every array in ``data`` (same container type)."""
    if isinstance(data, dict):
        return {k: _np.asarray(v)[idx] for k, v in data.items()}
    if isinstance(data, (tuple, list)):
        return type(data)(_np.asarray(v)[idx] for v in data)
    return _np.asarray(data)[idx]


def _permutation(rng_state: dict, n: int) -> tuple[_np.ndarray, dict]:
    gen = _np.random.Generator(_np.random.PCG64())
    gen.bit_generator.state = rng_state
    order = gen.permutation(n)
    return order, gen.bit_generator.state


def init_batches(n: int, batch_size: int, seed: int) -> BatchState:
    """The sampler at the start of epoch 0."""
    check_int("mini-batches", "batch_size", batch_size, minimum=1)
    check_int("mini-batches", "seed", seed)
    if batch_size > n:
        raise ConfigError(f"batch_size={batch_size} exceeds the {n} examples in data; use batch_size ≤ {n}.")
    rng = _np.random.Generator(_np.random.PCG64(seed)).bit_generator.state
    order, rng = _permutation(rng, n)
    return BatchState(0, 0, order, rng)


def next_batch(state: BatchState, batch_size: int) -> tuple[_np.ndarray, BatchState]:
    """The indices of the next batch and the advanced sampler."""
    n = len(state.order)
    epoch, position, order, rng = state
    if position >= n:
        order, rng = _permutation(rng, n)
        epoch, position = epoch + 1, 0
    idx = order[position:position + batch_size]
    return idx, BatchState(epoch, position + len(idx), order, rng)
