"""Pytrees: nested tuples, lists and dicts (namedtuples and OrderedDicts too) whose
leaves are arrays or numbers.

``flatten(tree)`` returns one flat float vector holding every leaf, in a fixed
order (dict keys sorted), and the function that rebuilds the tree from such a
vector.  Optimisers that think in vectors (BFGS, Newton, Lanczos) use it; both
directions are made of traced primitives, so they can be differentiated.
"""

from __future__ import annotations

from typing import Any, Callable

import numpy as _np

import ravine.numpy as rnp
from ravine.autodiff.pytrees import rebuild_container
from ravine.autodiff.tracer import getval

__all__ = ["flatten", "flatten_func", "tree_map", "tree_leaves", "tree_structure_equal"]


def _children(tree: Any) -> tuple[str, list[Any], Any] | None:
    """(kind, children, aux) for a container node, None for a leaf."""
    value = getval(tree)
    if isinstance(value, dict):
        keys = sorted(value.keys(), key=repr)
        return "dict", [tree[k] for k in keys], keys
    if isinstance(value, (tuple, list)):
        return type(value).__name__, [tree[i] for i in range(len(value))], value
    return None


def tree_leaves(tree: Any) -> list[Any]:
    """The leaves of ``tree`` in flatten order."""
    leaves: list[Any] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        split = _children(node)
        if split is None:
            leaves.append(node)
        else:
            stack.extend(reversed(split[1]))
    return leaves


def tree_map(fun: Callable, tree: Any, *rest: Any) -> Any:
    """Apply ``fun`` leafwise to ``tree`` (and matching trees ``rest``)."""
    split = _children(tree)
    if split is None:
        return fun(tree, *rest)
    kind, children, aux = split
    template = getval(tree)
    if kind == "dict":  # visited in flatten order (sorted keys), rebuilt in the tree's own order and type
        mapped = {k: tree_map(fun, tree[k], *[r[k] for r in rest]) for k in aux}
        return rebuild_container(template, [mapped[k] for k in template])
    mapped = [tree_map(fun, c, *[r[i] for r in rest]) for i, c in enumerate(children)]
    return rebuild_container(aux, mapped)  # a namedtuple keeps its type and fields


def tree_structure_equal(a: Any, b: Any) -> bool:
    """True when ``a`` and ``b`` have the same containers, keys and leaf shapes."""
    sa, sb = _children(a), _children(b)
    if sa is None or sb is None:
        return sa is None and sb is None and _np.shape(getval(a)) == _np.shape(getval(b))
    if sa[0] != sb[0] or len(sa[1]) != len(sb[1]):
        return False
    if sa[0] == "dict" and sa[2] != sb[2]:
        return False
    return all(tree_structure_equal(x, y) for x, y in zip(sa[1], sb[1]))


def flatten(tree: Any) -> tuple[Any, Callable[[Any], Any]]:
    """Flatten a pytree into one 1-D vector; return ``(vector, unflatten)``.

    >>> vec, unflatten = flatten({"W": np.ones((2, 3)), "b": np.zeros(3)})
    >>> vec.shape
    (9,)
    >>> unflatten(vec)["W"].shape
    (2, 3)
    """
    leaves = tree_leaves(tree)
    shapes = [_np.shape(getval(leaf)) for leaf in leaves]
    sizes = [int(_np.prod(s)) for s in shapes]
    if leaves:
        vector = rnp.concatenate([rnp.ravel(leaf) for leaf in leaves]) if len(leaves) > 1 else rnp.ravel(leaves[0])
    else:
        vector = _np.zeros(0)
    offsets = _np.concatenate([[0], _np.cumsum(sizes)]).astype(int)
    template = tree

    def unflatten(vec: Any) -> Any:
        n = int(offsets[-1])
        if _np.shape(getval(vec)) != (n,):
            from ravine.errors import ShapeError

            raise ShapeError(f"unflatten expects a vector of shape ({n},); received shape {_np.shape(getval(vec))}.")
        pieces = iter(
            rnp.reshape(vec[int(offsets[i]) : int(offsets[i + 1])], shapes[i]) for i in range(len(shapes))
        )
        return tree_map(lambda _leaf: next(pieces), template)

    return vector, unflatten


def flatten_func(func: Callable, example: Any) -> tuple[Callable, Callable, Any]:
    """``func`` of a pytree shaped like ``example`` as a function of one flat vector:
    returns ``(flat_func, unflatten, flat_example)`` with
    ``flat_func(v, *args) = flatten(func(unflatten(v), *args))[0]``."""
    flat_example, unflatten = flatten(example)

    def flat_func(vector: Any, *args: Any) -> Any:
        return flatten(func(unflatten(vector), *args))[0]

    return flat_func, unflatten, flat_example
