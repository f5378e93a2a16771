"""Checks on what an optimiser's ``update`` receives, before any arithmetic.

A bad input to ``update(g, state, θ)`` must not turn into a silently wrong
step: NumPy would broadcast a velocity of one entry over a gradient of five,
``zip`` would drop the last members of a chain whose state is too short, and a
NaN in g would poison every later step through the state (Adam's v, Adagrad's
G, BFGS's H).  These functions raise a :class:`~ravine.errors.RavineError`
naming the transformation, what it received and what to do instead.
"""

from __future__ import annotations

from typing import Any

import numpy as _np

from ravine.errors import ConfigError, DivergenceError, ShapeError

__all__ = ["check_chain_state", "check_finite_gradient", "check_params", "check_state"]


def check_finite_gradient(owner: str, g: _np.ndarray) -> None:
    """g must be finite: a NaN or ±Inf entry is a DivergenceError naming how many and where."""
    finite = _np.isfinite(g)
    if finite.all():
        return
    bad = _np.flatnonzero(~finite)
    raise DivergenceError(
        f"{owner}: the gradient it received has {bad.size} non-finite entr{'y' if bad.size == 1 else 'ies'} "
        f"of {g.size} (the first, {g[bad[0]]}, at flat index {int(bad[0])}); a step from it would be NaN "
        "and would poison the optimiser's state. Check the loss and its gradient "
        "(ravine.test_util.check_grads), lower the learning rate, or clip the gradient (clip_by_norm)."
    )


def check_params(owner: str, g: _np.ndarray, x: _np.ndarray | None, needs_params: bool) -> None:
    """θ must be given when the update uses it, and have as many entries as g."""
    if x is None:
        if needs_params:
            raise ConfigError(f"{owner} needs the parameters: call update(grads, state, params).")
        return
    if x.size != g.size:
        raise ShapeError(
            f"{owner}: the gradient has {g.size} entries but the parameters have {x.size}; pass the "
            "gradient of the loss with respect to these parameters (same structure and shapes)."
        )


def check_state(owner: str, state: Any, state_type: type, n: int) -> None:
    """``state`` must be an instance of ``state_type`` (what ``init`` returns) whose array
    fields end in the parameter count n (vectors (n,), matrices (n, n) or (m, n)).
    A stateless transformation (a state type without fields) also accepts ``None``."""
    if state is None and not state_type._fields:
        return
    if not isinstance(state, state_type):
        raise ConfigError(
            f"{owner}: received a state of type {type(state).__name__}, expected {state_type.__name__}; "
            f"pass the state that {owner}'s own init(params) (or its previous update) returned."
        )
    for field, leaf in zip(state._fields, state):
        if isinstance(leaf, _np.ndarray) and leaf.ndim and leaf.shape[-1] != n:
            raise ShapeError(
                f"{owner}: state field {field!r} has shape {leaf.shape}, made for {leaf.shape[-1]} "
                f"parameters, but the gradient has {n} entries; call init(params) again for these parameters."
            )


def check_chain_state(n_transforms: int, state: Any) -> None:
    """A chain's state is the tuple of its members' states, one per member."""
    if not isinstance(state, tuple) or hasattr(state, "_fields") or len(state) != n_transforms:
        plain = isinstance(state, tuple) and not hasattr(state, "_fields")
        what = f"a tuple of {len(state)}" if plain else f"a {type(state).__name__}"
        raise ConfigError(
            f"chain: the state must be the tuple of its {n_transforms} members' states, received {what}; "
            "pass the state that this chain's init(params) (or its previous update) returned."
        )
