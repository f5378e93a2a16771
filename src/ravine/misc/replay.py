"""Trace a function once, then replay its graph: autograd's ``const_graph``.

``g = const_graph(fun, *fixed_args, **fixed_kwargs)`` is ``g(*args) =
fun(*fixed_args, *args, **fixed_kwargs)``.  Its first call traces ``fun``: every
primitive applied to ``args``, or to values computed from them, is recorded in
order, as the reverse-mode tape records it.  Later calls with arguments of the
same structure, shapes and dtypes replay the recorded primitives on the new
values and skip ``fun``'s Python code; work that does not depend on ``args``
(say a ``fixed_args`` preprocessing step) was done once, at the first call, and
its results are reused.  Primitives that no output depends on are not replayed.

Replaying calls the primitives themselves, so a replayed function can be
differentiated (``grad(g)``) like any other.  New shapes or dtypes start a new
trace.  ``fun`` may itself compute derivatives: ``const_graph(grad(loss))``
records the forward and backward passes and replays both.

What a replay cannot know, and how ravine keeps that from giving wrong numbers:

* Python decisions made on the values at the first call (``if x > 0``,
  ``bool(x)``, ``x.astype(int)``, a non-differentiable function of the arguments
  such as ``argmax``) would be frozen.  ravine notices such reads of traced
  values (:func:`ravine.autodiff.tracer.read_value`); a function that makes them
  is not cached: it runs in full on every call, with a warning saying so.
* Values read with ``ravine.getval`` and random numbers drawn inside ``fun``
  are not traced: a replay reuses those of the first call.  Keep them out of
  ``fun`` (pass the random draws in as arguments).
"""

from __future__ import annotations

import warnings
from functools import wraps
from typing import Any, Callable

from ravine.autodiff.core import ReverseTrace, _boxable_leaves, _rebuild
from ravine.autodiff.pytrees import join_tree, split_tree
from ravine.autodiff.tracer import Box, _may_hold_box, getval, new_box

__all__ = ["const_graph"]


class _RecordingTrace(ReverseTrace):
    """A reverse trace that also remembers whether a traced value was read as a
    plain value while it recorded."""

    __slots__ = ("read_values",)
    records_constants = True

    def __init__(self) -> None:
        super().__init__()
        self.read_values = False

    def note_value_read(self) -> None:
        self.read_values = True

    def constant_from_values(self, fun: Callable, ans: Any, args: tuple, kwargs: dict) -> Any:
        # A comparison or argmax of traced values (the mask in max's or maximum's
        # derivative, say): recorded as a step, so that a replay recomputes it, and
        # boxed in this trace only, so that the steps using it are recorded too.
        # For any other trace it stays a constant.
        box_type = Box.type_mappings.get(type(ans))
        if (box_type is None or isinstance(ans, Box) or any(isinstance(v, Box) for v in kwargs.values())
                or any(type(a) in (list, tuple) and _may_hold_box(a) for a in args)):
            self.read_values = True  # a Python bool or an index: what it decides is not recorded
            return ans
        values, argnums, parents = [], [], []
        for position, arg in enumerate(args):
            x = arg
            while isinstance(x, Box) and x._trace is not self:
                x = x._value
            if isinstance(x, Box):
                values.append(None)
                argnums.append(position)
                parents.append(x._node)
            else:
                values.append(getval(arg))
        node = self.record(fun, ans, tuple(values), kwargs, tuple(argnums), tuple(parents), False)
        return box_type(ans, self, node)


class _Graph:
    """The primitives an output depends on, in the order they ran, each as
    ``(primitive, arguments with holes, keyword arguments, hole positions, the
    steps that fill the holes)``; steps ``0 .. n_inputs-1`` are the inputs."""

    __slots__ = ("n_inputs", "steps", "outputs", "structure")

    def __init__(self, n_inputs: int, steps: list, outputs: list, structure: Any) -> None:
        self.n_inputs = n_inputs
        self.steps = steps
        self.outputs = outputs  # per output leaf: ("step", index) or ("constant", value)
        self.structure = structure

    def replay(self, inputs: list) -> Any:
        values: dict[int, Any] = dict(enumerate(inputs))
        for index, fun, args, kwargs, argnums, parents in self.steps:
            args = list(args)
            for position, parent in zip(argnums, parents):
                args[position] = values[parent]
            values[index] = fun(*args, **kwargs)
        leaves = [values[ref] if kind == "step" else ref for kind, ref in self.outputs]
        return join_tree(self.structure, leaves)


def const_graph(fun: Callable, *fixed_args: Any, **fixed_kwargs: Any) -> Callable:
    """``fun`` with its first ``len(fixed_args)`` positional arguments and the
    keyword arguments fixed, traced on its first call and replayed afterwards
    (see the module docstring for what a replay reuses)."""
    graphs: dict[Any, _Graph | None] = {}
    warned: list[bool] = []

    @wraps(fun)
    def replaying(*args: Any, **kwargs: Any) -> Any:
        if kwargs:
            raise TypeError(
                f"const_graph({getattr(fun, '__name__', 'fun')}) takes positional arguments only; "
                "fix keyword arguments when wrapping: const_graph(fun, key=value)."
            )
        leaves = _boxable_leaves(args)
        if leaves is None or any(isinstance(leaf, Box) for leaf in leaves):
            # Integers or other constants among the arguments, or values traced from
            # outside: nothing to replay safely, so run fun as it is.
            return fun(*fixed_args, *args, **fixed_kwargs)
        key = _signature(args)
        if key in graphs:
            graph = graphs[key]
            if graph is not None:
                return graph.replay(leaves)
            return fun(*fixed_args, *args, **fixed_kwargs)
        value, graph = _trace(fun, fixed_args, fixed_kwargs, args, leaves)
        graphs[key] = graph
        if graph is None and not warned:
            warned.append(True)
            warnings.warn(
                f"const_graph({getattr(fun, '__name__', 'fun')}): the function reads the value of a "
                "traced argument (bool(), a comparison, a cast to int, a non-differentiable function) "
                "or closes over a value traced from outside, so its graph cannot be replayed; it runs "
                "in full on every call.",
                RuntimeWarning,
                stacklevel=2,
            )
        return value

    return replaying


def _trace(fun: Callable, fixed_args: tuple, fixed_kwargs: dict, args: tuple, leaves: list) -> tuple[Any, _Graph | None]:
    """Run ``fun`` on boxed ``args``: (its value, the graph, or None if replaying
    it could give a wrong answer)."""
    trace = _RecordingTrace()
    nodes = trace.roots(len(leaves))
    boxed = _rebuild(args, [new_box(leaf, trace, node) for leaf, node in zip(leaves, nodes)])
    out = fun(*fixed_args, *boxed, **fixed_kwargs)
    structure, out_leaves = split_tree(out)
    outputs, values, replayable = [], [], not trace.read_values
    for leaf in out_leaves:
        if isinstance(leaf, Box) and leaf._trace is trace:
            outputs.append(("step", leaf._node))
            values.append(leaf._value)
        else:
            replayable = replayable and not isinstance(leaf, Box)  # a box of another trace
            outputs.append(("constant", leaf))
            values.append(leaf)
    value = join_tree(structure, values)
    if not replayable:
        return value, None
    steps = _needed_steps(trace.tape, len(leaves), [ref for kind, ref in outputs if kind == "step"])
    if steps is None:
        return value, None
    return value, _Graph(len(leaves), steps, outputs, structure)


def _needed_steps(tape: list, n_inputs: int, wanted: list[int]) -> list | None:
    """The tape entries the outputs depend on, in tape order, with the recorded
    arguments at traced positions dropped (they are refilled on replay); None if
    an entry kept a box of an outer trace among its arguments."""
    needed = set(wanted)
    for index in range(len(tape) - 1, n_inputs - 1, -1):
        if index in needed:
            needed.update(tape[index][5])
    steps = []
    for index in sorted(i for i in needed if i >= n_inputs):
        fun, _ans, args, kwargs, argnums, parents, nested = tape[index]
        if nested:
            return None
        args = list(args)
        for position in argnums:
            args[position] = None
        steps.append((index, fun, tuple(args), kwargs, argnums, parents))
    return steps


def _signature(tree: Any) -> Any:
    """Containers, keys, leaf types, shapes and dtypes: what a graph is valid for."""
    kind = type(tree)
    if kind is list or kind is tuple:
        return kind, tuple(_signature(v) for v in tree)
    if kind is dict:
        return kind, tuple((k, _signature(v)) for k, v in tree.items())
    return kind, getattr(tree, "shape", None), getattr(tree, "dtype", None)
