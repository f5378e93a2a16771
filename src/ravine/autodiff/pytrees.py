"""Splitting a nest of tuples, lists and dicts into its leaves and putting new
leaves back: the plain walk that the engine's helpers share (``const_graph``'s
outputs, ``odeint``'s extra arguments).  Leaves are whatever is not a tuple,
list or dict; nothing is traced or converted."""

from __future__ import annotations

from typing import Any

__all__ = ["split_tree", "join_tree"]


def split_tree(tree: Any) -> tuple[Any, list]:
    """``(structure, leaves)``: the containers and keys of ``tree``, and its leaves in
    depth-first order (dict entries in insertion order)."""
    leaves: list = []

    def walk(node: Any) -> Any:
        kind = type(node)
        if kind is tuple or kind is list:
            return kind, [walk(v) for v in node]
        if kind is dict:
            return dict, [(k, walk(v)) for k, v in node.items()]
        leaves.append(node)
        return None

    return walk(tree), leaves


def join_tree(structure: Any, leaves: Any) -> Any:
    """The tree with ``structure`` (from :func:`split_tree`) holding ``leaves``."""
    feed = iter(leaves)

    def build(node: Any) -> Any:
        if node is None:
            return next(feed)
        kind, children = node
        if kind is dict:
            return {k: build(child) for k, child in children}
        return kind(build(child) for child in children)

    return build(structure)
