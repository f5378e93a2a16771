"""Splitting a nest of tuples, lists and dicts into its leaves and putting new
leaves back: the plain walk that the engine's helpers share (``const_graph``'s
outputs, ``odeint``'s extra arguments).  Leaves are whatever is not a tuple,
list or dict; nothing is traced or converted.  Subclasses count as their base
(a namedtuple is a tuple, an OrderedDict a dict) and are rebuilt as themselves
(:func:`rebuild_container`)."""

from __future__ import annotations

import copy
from typing import Any

__all__ = ["split_tree", "join_tree", "rebuild_container", "is_sequence", "is_mapping"]


def is_sequence(node: Any) -> bool:
    """A tuple or list, subclasses (namedtuples) included."""
    return isinstance(node, (tuple, list))


def is_mapping(node: Any) -> bool:
    """A dict, subclasses (OrderedDict, defaultdict) included."""
    return isinstance(node, dict)


def rebuild_container(template: Any, children: list) -> Any:
    """A container of ``template``'s type holding ``children`` (for a dict, the values
    in the order of ``template``'s keys): a namedtuple by its fields, an OrderedDict
    or defaultdict as a copy of the original with new values."""
    kind = type(template)
    if kind is list:
        return list(children)
    if kind is tuple:
        return tuple(children)
    if kind is dict:
        return dict(zip(template, children))
    if isinstance(template, tuple):
        return kind(*children) if hasattr(template, "_fields") else kind(children)
    if isinstance(template, dict):
        rebuilt = copy.copy(template)  # keeps a defaultdict's factory
        rebuilt.clear()
        rebuilt.update(zip(list(template), children))
        return rebuilt
    return kind(children)


def split_tree(tree: Any) -> tuple[Any, list]:
    """``(structure, leaves)``: the containers and keys of ``tree``, and its leaves in
    depth-first order (dict entries in insertion order)."""
    leaves: list = []

    def walk(node: Any) -> Any:
        if is_sequence(node) or is_mapping(node):  # the template keeps the type and keys, not the leaves
            template = rebuild_container(node, [None] * len(node))
            if is_mapping(node):
                return template, [(k, walk(v)) for k, v in node.items()]
            return template, [walk(v) for v in node]
        leaves.append(node)
        return None

    return walk(tree), leaves


def join_tree(structure: Any, leaves: Any) -> Any:
    """The tree with ``structure`` (from :func:`split_tree`) holding ``leaves``."""
    feed = iter(leaves)

    def build(node: Any) -> Any:
        if node is None:
            return next(feed)
        template, children = node
        if is_mapping(template):
            return rebuild_container(template, [build(child) for _, child in children])
        return rebuild_container(template, [build(child) for child in children])

    return build(structure)
