"""autograd's ``autograd.tracer`` names, for code that imports them from there
(``from autograd.tracer import primitive, getval, isbox``).  The tracer itself
is :mod:`ravine.autodiff.tracer`; new code should import from
:mod:`ravine.extend`.

It also carries autograd's API for custom traces, as its ``print_trace`` and
``dot_graph`` examples use it: subclass :class:`Node` with
``__init__(self, value, fun, args, kwargs, parent_argnums, parents)`` (called for
every primitive applied to traced values, ``parents`` being the nodes of the
traced arguments) and ``initialize_root(self, *args)``; then
``trace(Node_subclass.new_root(x), fun, x)`` runs ``fun`` and returns
``(value, end_node)``.  To look at the graph of a differentiation, see
:func:`ravine.trace_graph`.
"""

from __future__ import annotations

import warnings
from typing import Any, Callable

from ravine.autodiff.tracer import Box, Trace, getval, isbox, new_box, notrace_primitive
from ravine.autodiff.tracer import extension_primitive as primitive

__all__ = ["primitive", "notrace_primitive", "Box", "new_box", "isbox", "getval", "Node", "trace"]


class Node:
    """A node of a custom trace (autograd's ``tracer.Node``): subclasses define
    what a node keeps."""

    def __init__(self, value: Any, fun: Callable, args: tuple, kwargs: dict, parent_argnums: tuple,
                 parents: tuple) -> None:
        raise NotImplementedError(f"{type(self).__name__} must define __init__(value, fun, args, kwargs, "
                                  "parent_argnums, parents).")

    def initialize_root(self, *args: Any, **kwargs: Any) -> None:
        raise NotImplementedError(f"{type(self).__name__} must define initialize_root.")

    @classmethod
    def new_root(cls, *args: Any, **kwargs: Any) -> Node:
        root = cls.__new__(cls)
        root.initialize_root(*args, **kwargs)
        return root


class _NodeTrace(Trace):
    """A trace whose node for each primitive call is a user's :class:`Node`."""

    __slots__ = ("node_type",)

    def __init__(self, node_type: type) -> None:
        super().__init__()
        self.node_type = node_type

    def record(self, fun, ans, args, kwargs, argnums, parents, nested):
        return self.node_type(ans, fun, args, kwargs, argnums, parents)


def trace(start_node: Node, fun: Callable, x: Any) -> tuple[Any, Node | None]:
    """Run ``fun(x)`` with ``x`` traced from ``start_node``; ``(value, end node)``,
    the end node None (with a warning) when the value does not depend on ``x``."""
    node_trace = _NodeTrace(type(start_node))
    end = fun(new_box(x, node_trace, start_node))
    if isinstance(end, Box) and end._trace is node_trace:
        return end._value, end._node
    warnings.warn("Output seems independent of input.", stacklevel=2)
    return end, None
