"""The computation graph of lecture 004, made visible.

``trace_graph(fun)(*args)`` runs ``fun`` once under a reverse-mode trace and
returns the graph it recorded: one :class:`Node` per primitive call, with the
lecture's attributes — ``value`` (what it computed), ``fun`` (the primitive),
``args``/``kwargs`` (what it was called with) and ``parents`` (the nodes its
traced arguments came from).  Printing the graph gives a table in execution
order, which is a topological order::

    >>> print(trace_graph(lambda z: 1.0 / (1.0 + np.exp(-z)))(1.5))
      node  primitive      value     parents
         0  input          1.5
         1  negative       -1.5      0
         ...

``graph.backward()`` runs backpropagation as message passing over those nodes,
in reverse order: each node's adjoint v̄ (the sum of the VJP messages from its
children) is shown in an extra column, and the inputs' adjoints are the
gradient.  It uses each primitive's registered VJP rules (the general ones, not
the engine's first-order shortcuts), exactly as the lecture's
``backward_pass`` does.  ``graph.to_dot()`` writes Graphviz source.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable

import numpy as _np

from ravine.autodiff.core import ReverseTrace, _boxable_leaves, _general_vjp, _rebuild, add_outgrads, vspace
from ravine.autodiff.tracer import Box, new_box
from ravine.errors import ShapeError

__all__ = ["trace_graph", "Graph", "Node"]


@dataclass(frozen=True)
class Node:
    """One primitive call: ``value = fun(*args, **kwargs)``; ``parents[k]`` is the
    node whose value sits at position ``argnums[k]`` of ``args``; ``adjoint`` is
    v̄ = ∂(output)/∂value after :meth:`Graph.backward` (None before, or off the
    output's paths)."""

    index: int
    fun: str
    value: Any
    args: tuple
    kwargs: dict
    parents: tuple[int, ...]
    argnums: tuple[int, ...]
    adjoint: Any = None


@dataclass(frozen=True)
class Graph:
    """The nodes in execution order (inputs first) and the output node's index
    (None when the output does not depend on the inputs)."""

    nodes: tuple[Node, ...]
    output: int | None
    _primitives: tuple  # the primitive of each node, for backward()

    def backward(self, g: Any = None) -> Graph:
        """The same graph with each node's adjoint filled in, from the output's
        cotangent ``g`` (default 1, the lecture's L̄ = 1 for a scalar output)."""
        if self.output is None:
            return self
        end = self.nodes[self.output]
        adjoints: list[Any] = [None] * len(self.nodes)
        adjoints[self.output] = vspace(end.value).ones() if g is None else g
        for node in reversed(self.nodes[: self.output + 1]):
            v_bar = adjoints[node.index]
            if v_bar is None or not node.parents:
                continue
            messages = _general_vjp(self._primitives[node.index], v_bar, node.value, node.args, node.kwargs,
                                    node.argnums)
            for parent, message in zip(node.parents, messages):
                adjoints[parent] = add_outgrads(adjoints[parent], message)
        nodes = tuple(replace(node, adjoint=adjoint) for node, adjoint in zip(self.nodes, adjoints))
        return replace(self, nodes=nodes)

    def gradient(self) -> list:
        """The inputs' adjoints after :meth:`backward` (one per traced input)."""
        return [node.adjoint for node in self.nodes if node.fun == "input"]

    def __str__(self) -> str:
        show_adjoint = any(node.adjoint is not None for node in self.nodes)
        header = f"{'node':>6}  {'primitive':14} {'value':24} {'parents':10}" + ("  adjoint" if show_adjoint else "")
        rows = [header.rstrip()]
        for node in self.nodes:
            parents = ", ".join(str(p) for p in node.parents)
            row = f"{node.index:>6}  {node.fun:14} {_short(node.value):24} {parents:10}"
            if show_adjoint:
                row += "  " + ("" if node.adjoint is None else _short(node.adjoint))
            rows.append(row.rstrip())
        if self.output is not None:
            rows.append(f"output: node {self.output}")
        return "\n".join(rows)

    def to_dot(self) -> str:
        """Graphviz source: a box per node (primitive and value), an arrow from each
        parent to its child labelled with the argument position."""
        lines = ["digraph computation {", "  rankdir=LR;", '  node [shape=box, fontname="monospace"];']
        for node in self.nodes:
            label = f"{node.index}: {node.fun}\\n{_short(node.value)}"
            if node.adjoint is not None:
                label += f"\\nadjoint {_short(node.adjoint)}"
            style = ", style=bold" if node.index == self.output else ""
            lines.append(f'  n{node.index} [label="{label}"{style}];')
        for node in self.nodes:
            for parent, argnum in zip(node.parents, node.argnums):
                lines.append(f'  n{parent} -> n{node.index} [label="{argnum}"];')
        lines.append("}")
        return "\n".join(lines)


def trace_graph(fun: Callable, argnum: int = 0) -> Callable[..., Graph]:
    """``trace_graph(fun, argnum)(*args, **kwargs)``: the computation graph of
    ``fun`` traced with respect to argument ``argnum`` (a float, an array, or a
    tuple, list or dict of them, each leaf an input node)."""

    def traced(*args: Any, **kwargs: Any) -> Graph:
        if argnum >= len(args):
            raise ShapeError(f"trace_graph(argnum={argnum}) was called with {len(args)} positional argument(s).")
        x = args[argnum]
        trace = ReverseTrace()
        leaves = _boxable_leaves(x)
        if leaves:
            nodes = trace.roots(len(leaves))
            boxed = _rebuild(x, [new_box(leaf, trace, node) for leaf, node in zip(leaves, nodes)])
        else:
            leaves = [x]
            boxed = new_box(x, trace, trace.root())
        out = fun(*args[:argnum], boxed, *args[argnum + 1:], **kwargs)
        return _graph(trace, leaves, out)

    return traced


def _graph(trace: ReverseTrace, leaves: list, out: Any) -> Graph:
    nodes, primitives = [], []
    for index, (prim, ans, args, kwargs, argnums, parents, _nested) in enumerate(trace.tape):
        if index < len(leaves):
            nodes.append(Node(index, "input", leaves[index], (), {}, (), ()))
        else:
            nodes.append(Node(index, getattr(prim, "__name__", repr(prim)), ans, args, kwargs, parents, argnums))
        primitives.append(prim)
    output = out._node if isinstance(out, Box) and out._trace is trace else None
    return Graph(tuple(nodes), output, tuple(primitives))


def _short(value: Any) -> str:
    """A value in a few characters: numbers to 4 significant digits, small arrays
    inline, larger ones by shape."""
    array = _np.asarray(value)
    if array.dtype.kind not in "biufc":
        return repr(value)[:24]
    if array.size <= 3:
        with _np.printoptions(precision=4, suppress=True):
            text = _np.array2string(array, separator=", ") if array.ndim else f"{array.item():.4g}"
        return text if len(text) <= 24 else f"array{array.shape}"
    return f"array{array.shape}"
