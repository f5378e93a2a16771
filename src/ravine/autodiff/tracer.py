"""Tracing: boxes, traces and primitives.

A differentiated function runs on *boxes*.  A box wraps an ordinary value (a
NumPy array, a float) together with the *trace* it belongs to and the *node*
that records how it was computed.  Every primitive (a function ravine knows how
to differentiate) unboxes its arguments, calls the underlying NumPy function on
the raw values, asks the trace to record a node, and boxes the answer.  So
running ``f(box)`` builds the computation graph of lecture 004 as a side effect:
each node holds the primitive, its arguments, its value and its parents.

Nesting.  ``grad(grad(f))`` starts two traces.  Each trace has a level, and a
trace started later (inside) has a higher level.  A primitive receiving boxes of
several levels processes the *highest* level first: it unboxes those arguments
only, and calls itself again on what remains, which may still hold boxes of a
lower level.  Worked example, f(x) = x * x, computing f''(3)::

    outer trace, level 1:   x1 = Box(3.0, level 1)
    inner trace, level 2:   x2 = Box(x1, level 2)      # a box holding a box
    x2 * x2  -> multiply sees level 2 on top, unboxes to x1 * x1,
                which sees level 1, unboxes to 3.0 * 3.0 = 9.0,
                boxed at level 1 (recording a level-1 node), then
                boxed at level 2 (recording a level-2 node).

The inner backward pass evaluates the derivative rules on x1, a level-1 box, so
the derivative 2 * x1 is itself traced at level 1, and the outer backward pass
differentiates it once more: f''(3) = 2.

The modes (reverse: :mod:`ravine.autodiff.core` records nodes on a tape;
forward: it pushes tangents along) plug into this module through
:class:`Trace` subclasses; this module knows nothing of derivatives.
"""

from __future__ import annotations

import copy
import itertools
from abc import ABC, abstractmethod
from contextlib import contextmanager
from typing import Any, Callable, Iterator

from ravine.errors import NotDifferentiableError, ShapeError, TracingError

__all__ = [
    "Box",
    "Trace",
    "primitive",
    "extension_primitive",
    "notrace_primitive",
    "new_box",
    "isbox",
    "getval",
    "read_value",
    "trace_scope",
]

_levels = itertools.count(1)


class Trace(ABC):
    """One differentiation in progress.  Subclasses decide what a node is."""

    __slots__ = ("level",)
    # Whether constant_from_values does more than note the read (a replaying trace):
    # checked per traced comparison, so that ordinary traces pay nothing for the hook.
    records_constants = False

    def __init__(self) -> None:
        self.level = next(_levels)

    @abstractmethod
    def record(self, fun, ans, args, kwargs, argnums, parents, nested):
        """Record one primitive call; ``nested`` says whether ``args`` still hold
        boxes (of an outer trace), so that ``ans`` and ``args`` are not all raw values."""

    def note_value_read(self) -> None:
        """A box of this trace was read as a plain value (``bool(x)``, a cast to
        int): what follows depends on the value through a constant that no node
        records.  Derivatives do not care; a trace that replays its graph on new
        values (``ravine.misc.const_graph``) must."""

    def constant_from_values(self, fun: Callable, ans: Any, args: tuple, kwargs: dict) -> Any:
        """``ans = fun(*args)`` is a non-differentiable function (a comparison,
        ``argmax``) of values that include boxes of this trace.  For derivatives it
        is a constant, returned as it is; a replaying trace may record it instead."""
        self.note_value_read()
        return ans


class Box:
    """A value being traced: ``_value`` (the raw value, or a box of an outer
    trace), ``_trace`` and ``_node``."""

    __slots__ = ("_value", "_trace", "_node")
    type_mappings: dict[type, type["Box"]] = {}

    def __init__(self, value: Any, trace: Trace, node: Any) -> None:
        self._value = value
        self._trace = trace
        self._node = node

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._value!r}, level={self._trace.level})"

    def __format__(self, spec: str) -> str:
        # f"{loss:.3f}" inside a differentiated function prints the value (reading it for
        # display drops no derivative); without a format spec it shows the box, as repr does.
        return format(self._value, spec) if spec else repr(self)

    # A copy is the same traced value (same trace, same node): its derivative flows back
    # to the original.  (The default deep copy duplicated the node: a silent zero.)
    def __copy__(self) -> "Box":
        return type(self)(self._value, self._trace, self._node)

    def __deepcopy__(self, memo: dict) -> "Box":
        return type(self)(copy.deepcopy(self._value, memo), self._trace, self._node)

    def __reduce_ex__(self, protocol: int):
        raise TracingError("A traced value cannot be pickled: its derivative would be lost. Pickle "
                           "ravine.getval(x) (the plain value) instead, outside the differentiated function.")

    @classmethod
    def register(cls, value_type: type) -> None:
        """Box values of ``value_type`` with this class."""
        Box.type_mappings[value_type] = cls
        Box.type_mappings[cls] = cls


def new_box(value: Any, trace: Trace, node: Any) -> Box:
    try:
        return Box.type_mappings[type(value)](value, trace, node)
    except KeyError:
        if type(value).__name__ in ("int", "bool") or getattr(getattr(value, "dtype", None), "kind", "?") in "iub":
            raise NotDifferentiableError(
                f"Cannot differentiate with respect to a value of type {type(value).__name__}"
                f"{_dtype_note(value)}: integers and booleans are constants. "
                "Pass a float instead, e.g. grad(f)(3.0) or x.astype(float)."
            ) from None
        raise NotDifferentiableError(
            f"Cannot differentiate with respect to a value of type {type(value).__name__}. "
            "ravine differentiates floats, complex numbers, NumPy float/complex arrays and "
            "tuples, lists and dicts of them."
        ) from None


def _dtype_note(value: Any) -> str:
    dtype = getattr(value, "dtype", None)
    return f" (dtype {dtype})" if dtype is not None else ""


def isbox(x: Any) -> bool:
    return isinstance(x, Box)


def getval(x: Any) -> Any:
    """The raw value under any number of boxes."""
    while isinstance(x, Box):
        x = x._value
    return x


def read_value(x: Any) -> Any:
    """:func:`getval` for a value that is about to decide something (a branch, an
    index, a count): each trace it leaves is told (:meth:`Trace.note_value_read`)."""
    while isinstance(x, Box):
        x._trace.note_value_read()
        x = x._value
    return x


# Argument positions of the boxes a primitive received (shared, never mutated).
_FIRST, _SECOND, _BOTH = (0,), (1,), (0, 1)

_CONTAINERS = frozenset({tuple, list, dict})
_CONTAINER_BASES = (tuple, list, dict)  # for isinstance: namedtuples and OrderedDicts too
# Functions that turn a tuple, list or dict holding boxes into one traced container
# (registered by ravine.builtins).  A primitive's argument that is such a container
# (a list of traced parameters, say) is traced as one value, so the primitive's own
# derivative rule applies to it rather than being bypassed by its leaves.
argument_packers: list[Callable[[Any], Any]] = []


def _may_hold_box(container: Any) -> bool:
    """Whether a box may sit in ``container`` (a nested container counts as maybe):
    a shape tuple of ints, the common container argument, is cleared in one pass."""
    for v in container.values() if isinstance(container, dict) else container:
        if isinstance(v, (Box, *_CONTAINER_BASES)):
            return True
    return False


def _packed(args: tuple) -> tuple | None:
    """``args`` with each container that holds boxes packed into one traced value;
    None when there is nothing to pack."""
    if not argument_packers:
        return None
    packed = None
    for i, a in enumerate(args):
        if isinstance(a, _CONTAINER_BASES) and _may_hold_box(a):
            if type(a) not in _CONTAINERS:
                # Its rule would be bypassed if its boxes reached the function unseen.
                raise NotDifferentiableError(
                    f"A {type(a).__name__} holding traced values was passed to a primitive; ravine traces "
                    "tuples, lists and dicts as one value there, but not their subclasses. Pass a plain "
                    f"tuple, list or dict (for a namedtuple p: tuple(p), then {type(a).__name__}(*p) inside)."
                )
            value = argument_packers[0](a)
            if value is not a:
                if packed is None:
                    packed = list(args)
                packed[i] = value
    return None if packed is None else tuple(packed)


def primitive(f_raw: Callable, traces_containers: bool = False) -> Callable:
    """Wrap ``f_raw`` so that calls on boxes are recorded.

    Derivative rules are attached later with :func:`ravine.autodiff.core.defvjp`
    and :func:`ravine.autodiff.core.defjvp`.  With ``traces_containers`` a
    tuple, list or dict argument holding boxes is traced as one value (its
    cotangent a container of the same shape), as the primitives users define
    need; ravine's NumPy functions leave containers to NumPy's own semantics.
    """

    box_types = Box.type_mappings

    def f_wrapped(*args, **kwargs):
        # Hot path: this runs for every traced operation.  Calls of one and two
        # positional arguments (almost all of them) find their boxes without a
        # loop; the answer is boxed without the extra call through new_box; and
        # f_raw is called directly (not f_wrapped) when no box of an outer trace
        # remains after unboxing.
        n_args = len(args)
        if n_args == 1:
            x = args[0]
            if not isinstance(x, Box):
                if traces_containers and isinstance(x, _CONTAINER_BASES):
                    packed = _packed(args)
                    if packed is not None:
                        return f_wrapped(*packed, **kwargs)
                return f_raw(x, **kwargs)
            top = x._trace
            xv = x._value
            argvals = (xv,)
            argnums = _FIRST
            parents = (x._node,)
            nested = isinstance(xv, Box)
        elif n_args == 2:
            x, y = args
            x_boxed = isinstance(x, Box)
            y_boxed = isinstance(y, Box)
            if traces_containers and ((not x_boxed and isinstance(x, _CONTAINER_BASES))
                                      or (not y_boxed and isinstance(y, _CONTAINER_BASES))):
                packed = _packed(args)
                if packed is not None:
                    return f_wrapped(*packed, **kwargs)
            if x_boxed:
                top = x._trace
                if y_boxed and y._trace is top:  # the usual case: one trace
                    xv = x._value
                    yv = y._value
                    argnums = _BOTH
                    parents = (x._node, y._node)
                    nested = isinstance(xv, Box) or isinstance(yv, Box)
                elif y_boxed and y._trace.level > top.level:  # y belongs to an inner trace
                    top = y._trace
                    xv = x
                    yv = y._value
                    argnums = _SECOND
                    parents = (y._node,)
                    nested = True
                else:
                    xv = x._value
                    yv = y
                    argnums = _FIRST
                    parents = (x._node,)
                    nested = y_boxed or isinstance(xv, Box)
            elif y_boxed:
                top = y._trace
                xv = x
                yv = y._value
                argnums = _SECOND
                parents = (y._node,)
                nested = isinstance(yv, Box)
            else:
                return f_raw(x, y, **kwargs)
            argvals = (xv, yv)
        else:
            top = None
            containers = False
            for a in args:
                if isinstance(a, Box):
                    if top is None or a._trace.level > top.level:
                        top = a._trace
                elif traces_containers and isinstance(a, _CONTAINER_BASES):
                    containers = True
            if containers:
                packed = _packed(args)
                if packed is not None:
                    return f_wrapped(*packed, **kwargs)
            if top is None:
                return f_raw(*args, **kwargs)
            values = list(args)
            box_argnums = []
            box_parents = []
            nested = False
            for i, a in enumerate(args):
                if isinstance(a, Box):
                    if a._trace is top:
                        value = values[i] = a._value
                        box_argnums.append(i)
                        box_parents.append(a._node)
                        nested = nested or isinstance(value, Box)
                    else:
                        nested = True
            argvals = tuple(values)
            argnums = tuple(box_argnums)
            parents = tuple(box_parents)
        try:
            ans = f_wrapped(*argvals, **kwargs) if nested else f_raw(*argvals, **kwargs)
        except ValueError as error:  # free when nothing is raised (Python ≥ 3.11)
            shape_error = _as_shape_error(f_raw, argvals, error)
            if shape_error is None:
                raise
            raise shape_error from error
        node = top.record(f_wrapped, ans, argvals, kwargs, argnums, parents, nested)
        box_type = box_types.get(type(ans))
        if box_type is None:
            if top.records_constants:  # an integer read from a replayed constant (k[0] of an argsort)
                return top.constant_from_values(f_wrapped, ans, argvals, kwargs)
            return new_box(ans, top, node)  # raises the error that explains the type
        return box_type(ans, top, node)

    f_wrapped.fun = f_raw
    f_wrapped._is_primitive = True
    f_wrapped.vjps = {}
    f_wrapped.vjp_argnums = None
    f_wrapped.fast_vjp = None
    f_wrapped.fast_jvp = None
    f_wrapped.dual_vjp = None
    f_wrapped.jvps = {}
    f_wrapped.jvp_argnums = None
    f_wrapped.__name__ = getattr(f_raw, "__name__", "primitive")
    f_wrapped.__qualname__ = getattr(f_raw, "__qualname__", f_wrapped.__name__)
    f_wrapped.__doc__ = getattr(f_raw, "__doc__", None)
    f_wrapped.__wrapped__ = f_raw
    return f_wrapped


_SHAPE_WORDS = ("broadcast", "shape", "align", "dimension", "mismatch", "size")


def _as_shape_error(f_raw: Callable, argvals: list, error: ValueError) -> ShapeError | None:
    """NumPy's ValueError about incompatible shapes, restated as a ShapeError that names
    the function and the shapes it received; None for other ValueErrors."""
    if isinstance(error, ShapeError) or not any(w in str(error).lower() for w in _SHAPE_WORDS):
        return None
    name = getattr(f_raw, "__name__", repr(f_raw))
    shapes = ", ".join(str(getattr(getval(a), "shape", "scalar")) for a in argvals
                       if hasattr(getval(a), "shape") or isinstance(getval(a), (int, float, complex)))
    return ShapeError(
        f"{name} received arrays whose shapes do not fit together: {shapes} ({error}). "
        "Check the shapes of the arguments (print ravine.getval(x).shape inside the function); "
        "reshape, transpose or add an axis (x[:, None]) so they broadcast or align."
    )


def extension_primitive(f_raw: Callable) -> Callable:
    """The ``primitive`` of :mod:`ravine.extend` (and ``ravine.primitive``): a
    function with derivative rules of your own.  An argument that is a tuple,
    list or dict holding traced values (a list of parameters) is traced as one
    value, so your rules receive it whole and are never bypassed by its leaves."""
    return primitive(f_raw, traces_containers=True)


def notrace_primitive(f_raw: Callable, reads_values: bool = True) -> Callable:
    """Wrap a function whose output is a constant: it sees raw values and its
    result is never traced (comparisons, ``argmax``, shapes, random numbers).
    ``reads_values=False`` declares that it looks only at shapes and dtypes
    (``np.shape``, ``np.zeros_like``), so its result is the same for any values."""

    def f_wrapped(*args, **kwargs):
        raw_kwargs = {k: _raw_value(v) for k, v in kwargs.items()} if kwargs else kwargs
        ans = f_raw(*[_raw_value(a) for a in args], **raw_kwargs)
        if reads_values:
            for x in _leaves((*args, *kwargs.values()) if kwargs else args):
                while isinstance(x, Box):
                    if x._trace.records_constants:  # rare: only a replaying trace asks
                        for trace in _traces_in(args, kwargs):
                            ans = trace.constant_from_values(f_wrapped, ans, args, kwargs)
                        return ans
                    x = x._value
        return ans

    f_wrapped.fun = f_raw
    f_wrapped._is_primitive = False
    f_wrapped.__name__ = getattr(f_raw, "__name__", "notrace_primitive")
    f_wrapped.__qualname__ = getattr(f_raw, "__qualname__", f_wrapped.__name__)
    f_wrapped.__doc__ = getattr(f_raw, "__doc__", None)
    f_wrapped.__wrapped__ = f_raw
    return f_wrapped


def _raw_value(x: Any) -> Any:
    """``x`` without boxes: a box's value, and the values inside lists and tuples
    (``np.lexsort((x0, x1))`` with traced keys)."""
    kind = type(x)
    if kind is list or kind is tuple:
        return kind(_raw_value(v) for v in x)
    return getval(x)


def _leaves(values: tuple) -> Iterator[Any]:
    for x in values:
        if type(x) is list or type(x) is tuple:
            yield from _leaves(x)
        else:
            yield x


def _traces_in(args: tuple, kwargs: dict) -> list[Trace]:
    """The traces of every box in ``args`` and ``kwargs``, boxes within boxes included."""
    traces: list[Trace] = []
    for x in _leaves((*args, *kwargs.values()) if kwargs else args):
        while isinstance(x, Box):
            if x._trace not in traces:
                traces.append(x._trace)
            x = x._value
    return traces


@contextmanager
def trace_scope(trace: Trace) -> Iterator[Trace]:
    """Context for one trace; exists so that a future trace stack has one place
    to live.  Levels are unique, so nothing needs undoing on exit."""
    yield trace


def raise_setitem(self: Box, key: Any, value: Any) -> None:
    raise TracingError(
        "In-place assignment into a traced array (a[i] = x) cannot be differentiated. "
        "Build a new array instead: np.where(mask, x, a), np.concatenate([...]), "
        "or collect values in a list and call np.stack(values)."
    )
