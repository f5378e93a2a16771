"""A loss on a pytree of parameters seen as a function of one flat vector.

The diagnostics think in vectors θ ∈ ℝᵐ (eigenvectors, finite-difference
coordinates); users write losses on dicts of weight matrices.  This module
converts one into the other, and names each coordinate ("W1[2, 0]") so reports
can point at the parameter that is wrong.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

import numpy as _np

from ravine.autodiff.tracer import getval
from ravine.errors import NotDifferentiableError, ShapeError
from ravine.misc.flatten import flatten, tree_leaves

__all__ = ["FlatLoss", "flat_loss", "leaf_names", "coordinate_name"]


@dataclass(frozen=True)
class FlatLoss:
    """``fun(θ) = loss(unflatten(θ))`` and the point ``theta`` = flatten(params)."""

    fun: Callable[[Any], Any]
    theta: _np.ndarray
    unflatten: Callable[[Any], Any]
    names: list[str]
    sizes: list[int]
    shapes: list[tuple[int, ...]]


def _named_leaves(tree: Any, prefix: str) -> list[tuple[str, Any]]:
    # Same order as ravine.misc.flatten.tree_leaves: dict keys sorted by repr, sequences in order.
    value = getval(tree)
    if isinstance(value, dict):
        out = []
        for key in sorted(value.keys(), key=repr):
            out += _named_leaves(tree[key], f"{prefix}[{key!r}]" if prefix else str(key))
        return out
    if isinstance(value, (tuple, list)):
        out = []
        for i in range(len(value)):
            out += _named_leaves(tree[i], f"{prefix}[{i}]")
        return out
    return [(prefix or "params", tree)]


def leaf_names(params: Any) -> list[str]:
    """Readable names of the leaves of ``params`` in flatten order."""
    named = _named_leaves(params, "")
    if len(named) != len(tree_leaves(params)):  # pragma: no cover - guards the ordering contract
        raise ShapeError("internal: leaf naming disagrees with ravine.misc.flatten")
    return [name for name, _ in named]


def flat_loss(loss: Callable[[Any], Any], params: Any) -> FlatLoss:
    """Wrap ``loss(params)`` as a function of the flat vector θ."""
    if not callable(loss):
        raise NotDifferentiableError(f"loss must be a callable of the parameters; received {type(loss).__name__}.")
    leaves = tree_leaves(params)
    for leaf in leaves:
        kind = _np.asarray(getval(leaf)).dtype.kind
        if kind not in "fc":
            raise NotDifferentiableError(
                f"parameters must be floating-point arrays; a leaf has dtype kind {kind!r}. "
                "Convert with x.astype(float).")
    theta, unflatten = flatten(params)
    theta = _np.asarray(getval(theta), dtype=float)
    shapes = [tuple(_np.shape(getval(leaf))) for leaf in leaves]
    sizes = [int(_np.prod(s)) for s in shapes]

    def fun(vec: Any) -> Any:
        return loss(unflatten(vec))

    return FlatLoss(fun, theta, unflatten, leaf_names(params), sizes, shapes)


def coordinate_name(flat: FlatLoss, index: int) -> str:
    """The name of flat coordinate ``index``, e.g. ``W1[2, 0]``."""
    offset = 0
    for name, size, shape in zip(flat.names, flat.sizes, flat.shapes):
        if index < offset + size:
            if shape == ():
                return name
            where = _np.unravel_index(index - offset, shape)
            return f"{name}[{', '.join(str(int(i)) for i in where)}]"
        offset += size
    raise ShapeError(f"coordinate {index} is out of range for {offset} parameters.")
