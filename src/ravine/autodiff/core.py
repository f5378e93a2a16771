"""Reverse and forward mode on top of the tracer, and the derivative registries.

Reverse mode (lecture 004).  A :class:`ReverseTrace` keeps a *tape*: the list of
nodes in the order the forward pass created them.  That order is already a
topological order of the graph, so the backward pass needs no sort: it walks the
tape backwards from the output node, and for each node that received a
cotangent ḡ it applies the vector-Jacobian product of every differentiable
argument, ḡ_parent += VJP_i(ḡ), accumulating where paths meet.

Forward mode.  A :class:`ForwardTrace` carries a tangent with each box and
pushes it through each primitive as it runs: ẏ = Σ_i JVP_i(ẋ_i).

Derivative rules follow HIPS autograd's conventions, so rules written for
autograd register unchanged:

* ``defvjp(f, maker_0, maker_1, ...)`` with ``maker_i(ans, *args, **kwargs)``
  returning ``g -> ḡ_i`` (the cotangent for argument i);
* ``defjvp(f, jvp_0, jvp_1, ...)`` with ``jvp_i(g, ans, *args, **kwargs)``
  returning the output tangent caused by the tangent ``g`` of argument i.
"""

from __future__ import annotations

import linecache
from collections.abc import Callable
from typing import Any

from ravine.autodiff.pytrees import rebuild_container
from ravine.autodiff.tracer import Box, Trace, getval, new_box
from ravine.errors import (
    MissingRuleError,
    NotDifferentiableError,
    ShapeError,
    TracingError,
)

__all__ = [
    "make_vjp",
    "make_jvp",
    "backward_pass",
    "defvjp",
    "defvjp_argnum",
    "defvjp_argnums",
    "def_fast_vjp",
    "def_fast_jvp",
    "def_dual_vjp",
    "defjvp",
    "defjvp_argnum",
    "defjvp_argnums",
    "def_linear",
    "VSpace",
    "vspace",
    "add_outgrads",
    "zeros_like_value",
]


# ----------------------------------------------------------------------------
# vector spaces
# ----------------------------------------------------------------------------


class VSpace:
    """The vector space a value lives in: what zero is, how to add, how to
    take inner products.  Registered per type with :meth:`register`.  A
    subclass defines what it needs: ``zeros`` always, and ``add``,
    ``scalar_mul``, ``inner_prod`` (or autograd's ``_add``, ``_scalar_mul``,
    ``_inner_prod``, which these call) where ``+``, ``*`` and a dot product are
    not already right; the rest raise until defined."""

    __slots__ = ()
    mappings: dict[type, Callable[[Any], "VSpace"]] = {}
    iscomplex = False

    def zeros(self) -> Any:
        raise self._undefined("zeros")

    def ones(self) -> Any:
        raise self._undefined("ones")

    def standard_basis(self):
        raise self._undefined("standard_basis")

    def randn(self) -> Any:
        raise self._undefined("randn")

    def add(self, x: Any, y: Any) -> Any:
        return self._add(x, y)

    def scalar_mul(self, x: Any, a: Any) -> Any:
        return self._scalar_mul(x, a)

    def inner_prod(self, x: Any, y: Any) -> Any:
        return self._inner_prod(x, y)

    def covector(self, x: Any) -> Any:
        return self._covector(x)

    def mut_add(self, x: Any, y: Any) -> Any:
        return self.add(x, y)

    # autograd's names for the operations, which its VSpace subclasses override
    def _add(self, x: Any, y: Any) -> Any:
        return x + y

    def _scalar_mul(self, x: Any, a: Any) -> Any:
        return x * a

    def _inner_prod(self, x: Any, y: Any) -> Any:
        raise self._undefined("inner_prod")

    def _covector(self, x: Any) -> Any:
        return x

    def _undefined(self, name: str) -> NotImplementedError:
        return NotImplementedError(f"{type(self).__name__}.{name} is not defined; define it in the VSpace subclass.")

    @classmethod
    def register(cls, value_type: type, vspace_maker: Callable[[Any], "VSpace"] | None = None) -> None:
        VSpace.mappings[value_type] = vspace_maker or cls


def vspace(value: Any) -> VSpace:
    """The :class:`VSpace` of ``value`` (boxes look through to their value)."""
    try:
        return VSpace.mappings[type(value)](value)
    except KeyError:
        if isinstance(value, Box):
            return vspace(getval(value))
        raise NotDifferentiableError(
            f"No vector space is registered for type {type(value).__name__}; ravine works with "
            "floats, complex numbers, NumPy arrays and tuples, lists and dicts of them."
        ) from None


def zeros_like_value(value: Any) -> Any:
    return vspace(value).zeros()


def add_outgrads(prev: Any, new: Any) -> Any:
    """Accumulate two cotangents for the same node."""
    if prev is None:
        return new
    tp, tn = type(prev), type(new)
    if tp in _plain_add_types and tn in _plain_add_types:
        return prev + new
    adder = _sparse_adders.get(tp) or _sparse_adders.get(tn)
    if adder is not None:
        return adder(prev, new)
    return vspace(prev).add(prev, new)


def densify(g: Any) -> Any:
    """Turn a sparse cotangent (see :data:`_sparse_adders`) into an ordinary value."""
    return g.densify() if type(g) in _sparse_adders else g


# Types for which ``a + b`` is the vector-space addition (filled by ravine.numpy).
_plain_add_types: set[type] = {float, complex}
# Sparse cotangent types -> function adding two cotangents, at least one of them
# sparse.  A sparse cotangent records only the parts of a value that received
# something (one entry of a dict of parameters, say), so a loop that reads every
# entry costs O(n) rather than O(n²).  Rules that are not sparse-aware receive
# ``densify(g)``.
_sparse_adders: dict[type, Callable[[Any, Any], Any]] = {}
# Primitives whose VJP rules accept sparse cotangents as they are.
sparse_aware: set[Callable] = set()


# ----------------------------------------------------------------------------
# reverse mode
# ----------------------------------------------------------------------------


class ReverseTrace(Trace):
    """A reverse-mode trace.  Its node for a value is the value's position on
    the tape; the tape holds, per position, the tuple
    ``(fun, ans, args, kwargs, argnums, parents, nested)``: the primitive, its
    raw answer, its arguments with this trace's boxes removed, the positions of
    those arguments, the tape positions of their nodes, and whether ``args``
    still hold boxes of an outer trace."""

    __slots__ = ("tape",)

    def __init__(self) -> None:
        super().__init__()
        self.tape: list[tuple] = []

    def record(self, fun, ans, args, kwargs, argnums, parents, nested):
        tape = self.tape
        tape.append((fun, ans, args, kwargs, argnums, parents, nested))
        return len(tape) - 1

    def root(self) -> int:
        return self.record(*_ROOT)

    def roots(self, n: int) -> range:
        """``n`` root nodes at once (the leaves of a pytree input)."""
        tape = self.tape
        start = len(tape)
        tape.extend([_ROOT] * n)
        return range(start, start + n)


# A root node: where the backward pass stops; no function, no parents.
_ROOT = (None, None, (), {}, (), (), False)


def _missing_vjp(fun: Callable, argnum: int) -> MissingRuleError:
    name = getattr(fun, "__name__", repr(fun))
    return MissingRuleError(
        f"Reverse-mode derivative of {name!r} with respect to argument {argnum} is not defined. "
        f"Register one with ravine.extend.defvjp({name}, ...), or treat that argument as a "
        "constant."
    )


def backward_pass(g: Any, end_node: int, trace: ReverseTrace, start_node: int) -> Any:
    """Propagate the cotangent ``g`` of tape position ``end_node`` back to ``start_node``."""
    return densify(_backward(g, end_node, trace.tape, start_node)[start_node])


def _backward(g: Any, end_node: int, tape: list, stop: int) -> list:
    """Walk the tape from ``end_node`` down to (not including) position ``stop``;
    return the cotangents, where those of positions ≤ ``stop`` have arrived."""
    outgrads: list[Any] = [None] * (max(end_node, stop) + 1)
    outgrads[end_node] = g
    sparse_types, box, plain_types = _sparse_adders, Box, _plain_add_types  # locals: read per node
    for i in range(end_node, stop, -1):
        g = outgrads[i]
        if g is None:
            continue
        outgrads[i] = None  # drop each cotangent as soon as it is used
        fun, ans, args, kwargs, argnums, parents, nested = tape[i]
        if type(g) in sparse_types and fun not in sparse_aware:
            g = g.densify()
        # First-order shortcut (see def_fast_vjp): only on raw values, so nothing
        # that an outer trace would need to see is computed outside it.
        if not nested:
            fast = fun.fast_vjp
            parent_grads = None
            if fast is not None and not isinstance(g, box):
                parent_grads = fast(g, ans, args, kwargs, argnums)
        else:
            # Forward over reverse (a Hessian-vector product): see def_dual_vjp.
            dual = fun.dual_vjp
            parent_grads = None if dual is None else _dual_vjp(dual, g, ans, args, kwargs, argnums)
        if parent_grads is None:
            parent_grads = _general_vjp(fun, g, ans, args, kwargs, argnums)
        for j, pg in zip(parents, parent_grads):
            prev = outgrads[j]
            if prev is None:
                outgrads[j] = pg
            elif type(prev) in plain_types and type(pg) in plain_types:
                outgrads[j] = prev + pg
            else:
                outgrads[j] = add_outgrads(prev, pg)
    return outgrads


def _dual_vjp(rule: Callable, g: Any, ans: Any, args: tuple, kwargs: dict, argnums: tuple) -> list | None:
    """Apply a dual VJP rule when every box among ``g``, ``ans`` and ``args``
    belongs to one forward trace and holds a raw value with a raw tangent; None
    otherwise (then the general rules run)."""
    box = Box
    trace = None
    values = list(args)
    tangents = [None] * len(args)
    for i, x in enumerate(args):
        if isinstance(x, box):
            if trace is None:
                trace = x._trace
                if type(trace) is not ForwardTrace:
                    return None
            elif x._trace is not trace:
                return None
            value, tangent = x._value, x._node
            if isinstance(value, box) or isinstance(tangent, box):
                return None  # a third trace below this one
            values[i] = value
            tangents[i] = tangent
    if trace is None:
        return None
    g_parts, ans_parts = _dual_parts(g, trace), _dual_parts(ans, trace)
    if g_parts is None or ans_parts is None:
        return None
    pairs = rule(*g_parts, *ans_parts, tuple(values), tuple(tangents), kwargs, argnums)
    if pairs is None:
        return None
    box_types = box.type_mappings
    return [value if tangent is None else box_types[type(value)](value, trace, tangent)
            for value, tangent in pairs]


def _dual_parts(x: Any, trace: ForwardTrace) -> tuple | None:
    """(value, tangent) of ``x``: its value and tangent if it is a box of ``trace``
    over a raw value, ``(x, None)`` if it is raw; None for a box of another trace."""
    if not isinstance(x, Box):
        return x, None
    if x._trace is not trace:
        return None
    value, tangent = x._value, x._node
    if isinstance(value, Box) or isinstance(tangent, Box):
        return None
    return value, tangent


def _general_vjp(fun: Callable, g: Any, ans: Any, args: tuple, kwargs: dict, argnums: tuple) -> list:
    """The cotangents for ``argnums`` from the rules registered with defvjp."""
    try:
        if fun.vjp_argnums is not None:
            return fun.vjp_argnums(argnums, ans, args, kwargs)(g)
        vjps = fun.vjps
        parent_grads = []
        for argnum in argnums:
            try:
                maker = vjps[argnum]
            except KeyError:
                raise _missing_vjp(fun, argnum) from None
            parent_grads.append(maker(ans, *args, **kwargs)(g))
    except TypeError as error:  # free when nothing is raised (Python ≥ 3.11)
        raise _keyword_error(fun, kwargs, error) or error
    return parent_grads


def _keyword_error(fun: Callable, kwargs: dict, error: TypeError) -> NotDifferentiableError | None:
    """A rule that does not take one of the call's keywords (``np.exp(x, where=m)``,
    ``np.multiply(x, y, dtype=...)``) restated as an error that names the keyword;
    None for any other TypeError."""
    message = str(error)
    for keyword in kwargs:
        if f"unexpected keyword argument '{keyword}'" in message:
            name = getattr(fun, "__name__", repr(fun))
            hint = {
                "out": f"use the returned value (y = np.{name}(...)) instead of out=",
                "where": f"write np.where(mask, np.{name}(...), other) instead of where=",
                "dtype": "cast the result with .astype(dtype) instead of dtype=",
            }.get(keyword, f"call np.{name} without {keyword}=")
            return NotDifferentiableError(
                f"{name}(..., {keyword}=...) on a traced value: ravine's derivative rule for {name} "
                f"does not take the keyword {keyword!r}, so it cannot differentiate this call; {hint}."
            )
    return None


# Functions that turn a container output holding boxes (a tuple of traced arrays,
# say) into one traced value; registered by ravine.builtins.  Without them such an
# output would look independent of x and its derivatives would silently be zero.
output_packers: list[Callable[[Any], Any]] = []


def _pack_output(value: Any) -> Any:
    for pack in output_packers:
        value = pack(_plain_containers(value))
    return value


def _plain_containers(value: Any) -> Any:
    """``value`` with tuple, list and dict subclasses (namedtuples, NumPy's
    ``EighResult``, OrderedDicts) made plain, at every depth, so that the packers
    see the traced values inside; they would otherwise look like constants."""
    if isinstance(value, Box) or not isinstance(value, _CONTAINERS):
        return value
    if isinstance(value, dict):
        return {k: _plain_containers(v) for k, v in value.items()}
    return (list if isinstance(value, list) else tuple)(_plain_containers(v) for v in value)


def _as_type_of(template: Any, value: Any) -> Any:
    """``value`` (a plain container of ``template``'s length) rebuilt as
    ``template``'s own type when that is a subclass: a namedtuple output comes
    back as that namedtuple."""
    kind = type(template)
    if kind in _CONTAINERS or not isinstance(template, _CONTAINERS) or type(value) is kind:
        return value
    return rebuild_container(template, list(value.values()) if isinstance(value, dict) else list(value))


_SEQUENCE_NOTE = (
    "ravine: if a traced value was stored into a plain NumPy array (a[i] = x, inside the function "
    "being differentiated), the array cannot hold it; collect the values in a list and call "
    "np.stack(values) (import ravine.numpy as np), or use np.where(mask, x, a)."
)


def _call_traced(fun: Callable, start: Any) -> Any:
    """``fun(start)``, with NumPy's errors about traced values restated: a plain
    NumPy ufunc called on a box (``numpy.exp(x)``), or a box stored into a NumPy array."""
    try:
        return fun(start)
    except TypeError as error:  # free when nothing is raised (Python ≥ 3.11)
        message = str(error)
        if "does not support ufuncs" not in message or "Box" not in message:
            raise
        raise TracingError(
            f"A plain NumPy ufunc was called on a traced value{_where_raised(error)}; plain NumPy cannot "
            "follow derivatives. Use ravine.numpy's function of the same name (import ravine.numpy as np: "
            "np.exp, np.maximum, ...) inside the function you differentiate, or call the ufunc on "
            "ravine.getval(x) where no derivative is needed."
        ) from error
    except ValueError as error:
        if ("setting an array element with a sequence" in str(error) and hasattr(error, "add_note")
                and _SEQUENCE_NOTE not in getattr(error, "__notes__", ())):
            error.add_note(_SEQUENCE_NOTE)
        raise


def _where_raised(error: BaseException) -> str:
    """`` at file:line (source)`` of the innermost Python frame of ``error``."""
    tb = error.__traceback__
    if tb is None:
        return ""
    while tb.tb_next is not None:
        tb = tb.tb_next
    code = tb.tb_frame.f_code
    source = linecache.getline(code.co_filename, tb.tb_lineno).strip()
    return f" at {code.co_filename}:{tb.tb_lineno}" + (f" ({source})" if source else "")


def _in_dtype_of(x: Any, grad: Any) -> Any:
    """The gradient of a float (or complex) input in that input's own dtype: a step
    computed in another precision (``np.mean(x, dtype=np.float32)`` of a float64 x,
    a complex64 z times a float64 constant) does not change the dtype of the gradient."""
    x_dtype = getattr(x, "dtype", None)
    grad_dtype = getattr(grad, "dtype", None)
    if (x_dtype is None or grad_dtype is None or x_dtype == grad_dtype
            or x_dtype.kind not in "fc" or grad_dtype.kind != x_dtype.kind):
        return grad
    return grad.astype(x_dtype)


def _separate_buffers(grads: list) -> None:
    """Copy, in place in ``grads``, each array that shares its buffer with an earlier one.

    A rule may hand ḡ itself to two leaves (the operands of ``x + y``) or give one
    leaf a view of another's cotangent (through a reshape); a caller that then
    updates one gradient in place (``g *= -lr``) would silently change the other.
    NumPy views point their ``base`` at the array that owns the memory, so one
    identity check per leaf finds every such pair.
    """
    owners: set[int] = set()
    for i, g in enumerate(grads):
        if not hasattr(g, "base"):
            continue  # a Python number: immutable
        base = g.base
        owner = id(g if base is None else base)
        if owner in owners:
            grads[i] = g.copy()
        else:
            owners.add(owner)


def make_vjp(fun: Callable, x: Any) -> tuple[Callable[[Any], Any], Any]:
    """Trace ``fun`` at ``x``; return ``(vjp, fun(x))`` where ``vjp(g)`` is the
    vector-Jacobian product gᵀ ∂fun/∂x.

    A tuple, list or dict ``x`` (a pytree of arrays, say the parameters of a
    network) is traced leaf by leaf: ``fun`` receives the same container holding
    one box per leaf, so reading ``params[0]`` is plain indexing rather than a
    traced operation, and each leaf's cotangent arrives on its own node.
    """
    trace = ReverseTrace()
    leaves = _boxable_leaves(x)
    if leaves:
        leaf_nodes = trace.roots(len(leaves))
        start_box = _rebuild(x, [new_box(leaf, trace, node) for leaf, node in zip(leaves, leaf_nodes)])
        start_node = leaf_nodes[-1]
    else:
        start_node = trace.root()
        start_box = new_box(x, trace, start_node)
    output = _call_traced(fun, start_box)
    end_box = _pack_output(output)
    if isinstance(end_box, Box) and end_box._trace is trace:
        end_value = _as_type_of(output, end_box._value)
        end_node = end_box._node  # a tape position

        if leaves:
            def vjp(g: Any) -> Any:
                outgrads = _backward(g, end_node, trace.tape, start_node)
                grads = [outgrads[node] for node in leaf_nodes]
                for i, (leaf, leaf_grad) in enumerate(zip(leaves, grads)):
                    if leaf_grad is None:
                        grads[i] = vspace(leaf).zeros()
                    elif type(leaf_grad) in _sparse_adders:
                        grads[i] = leaf_grad.densify()
                    grads[i] = _in_dtype_of(leaf, grads[i])
                _separate_buffers(grads)
                return _rebuild(x, grads)
        else:
            def vjp(g: Any) -> Any:
                return _in_dtype_of(x, backward_pass(g, end_node, trace, start_node))

    else:
        # The output does not depend on x: every derivative is zero.
        end_value = end_box if isinstance(end_box, Box) else output
        x_space = vspace(x)

        def vjp(g: Any) -> Any:
            return x_space.zeros()

    return vjp, end_value


_CONTAINERS = (tuple, list, dict)


def _boxable_leaves(x: Any) -> list | None:
    """The leaves of a tuple, list or dict ``x`` (nested to any depth), when there
    is at least one and every leaf is a value ravine can box; None otherwise
    (then ``x`` is traced as one value, as it always could be)."""
    kind = type(x)
    if kind not in _CONTAINERS and not isinstance(x, _CONTAINERS):  # namedtuples, OrderedDicts count
        return None
    box_types = Box.type_mappings
    if kind is list or kind is tuple:  # a flat list of parameters, without the walk below
        for v in x:
            if type(v) in _CONTAINERS or type(v) not in box_types:
                break
        else:
            return list(x) or None
    leaves: list = []
    stack = [x]
    while stack:
        node = stack.pop()
        kind = type(node)
        if isinstance(node, (tuple, list)):
            stack.extend(reversed(node))
        elif isinstance(node, dict):
            stack.extend(reversed(list(node.values())))
        elif kind in box_types:
            leaves.append(node)
        else:
            return None
    return leaves or None


def _rebuild(structure: Any, leaves: list) -> Any:
    """A container shaped like ``structure`` whose leaves are, in order, ``leaves``."""
    kind = type(structure)
    # A flat container (the usual list of parameters) is rebuilt in one step.
    entries = structure.values() if isinstance(structure, dict) else structure
    for v in entries:
        if isinstance(v, _CONTAINERS):
            return _rebuild_nested(structure, iter(leaves))
    if kind is list:
        return list(leaves)
    return rebuild_container(structure, leaves)


def _rebuild_nested(structure: Any, leaves: Any) -> Any:
    if isinstance(structure, dict):
        return rebuild_container(structure, [_rebuild_nested(v, leaves) for v in structure.values()])
    if isinstance(structure, (tuple, list)):
        return rebuild_container(structure, [_rebuild_nested(v, leaves) for v in structure])
    return next(leaves)


def _structure(tree: Any) -> str:
    """A short description of a container's structure for error messages."""
    kind = type(tree)
    if isinstance(tree, (list, tuple)):
        inner = ", ".join(_structure(v) for v in tree)
        if kind is list:
            return f"[{inner}]"
        name = "" if kind is tuple else kind.__name__
        return f"{name}({inner}{',' if len(tree) == 1 and not name else ''})"
    if isinstance(tree, dict):
        name = "" if kind is dict else kind.__name__
        return name + "{" + ", ".join(f"{k!r}: {_structure(v)}" for k, v in tree.items()) + "}"
    shape = getattr(getval(tree), "shape", None)
    return f"array{tuple(shape)}" if shape is not None else type(getval(tree)).__name__


def _leaves_like(structure: Any, tree: Any, out: list) -> bool:
    """Append the entries of ``tree`` at the leaf positions of ``structure``; False
    if ``tree`` is not a container of the same shape (a list may stand for a
    tuple and the other way round)."""
    if isinstance(structure, (list, tuple)):
        if not isinstance(tree, (list, tuple)) or len(tree) != len(structure):
            return False
        return all(_leaves_like(s, t, out) for s, t in zip(structure, tree))
    if isinstance(structure, dict):
        if not isinstance(tree, dict) or tree.keys() != structure.keys():
            return False
        return all(_leaves_like(structure[k], tree[k], out) for k in structure)
    out.append(tree)
    return True


# ----------------------------------------------------------------------------
# forward mode
# ----------------------------------------------------------------------------


def _missing_jvp(fun: Callable, argnum: int) -> MissingRuleError:
    name = getattr(fun, "__name__", repr(fun))
    return MissingRuleError(
        f"Forward-mode derivative of {name!r} with respect to argument {argnum} is not defined. "
        f"Register one with ravine.extend.defjvp({name}, ...), or use reverse mode."
    )


class ForwardTrace(Trace):
    """A forward-mode trace.  Its node for a value is the value's tangent."""

    __slots__ = ()

    def record(self, fun, ans, args, kwargs, argnums, parents, nested):
        # ``parents`` holds the tangents of the traced arguments.
        fast = fun.fast_jvp
        if fast is not None and not nested:
            # First-order shortcut (see def_fast_jvp), on raw values only.
            for t in parents:
                if isinstance(t, Box):
                    break
            else:
                tangent = fast(parents, ans, args, kwargs, argnums)
                if tangent is not None:
                    return tangent
        try:
            if fun.jvp_argnums is not None:
                return fun.jvp_argnums(argnums, list(parents), ans, args, kwargs)
            jvps = fun.jvps
            tangent = None
            for argnum, parent_tangent in zip(argnums, parents):
                try:
                    rule = jvps[argnum]
                except KeyError:
                    raise _missing_jvp(fun, argnum) from None
                t = rule(parent_tangent, ans, *args, **kwargs)
                tangent = t if tangent is None else add_outgrads(tangent, t)
        except TypeError as error:
            raise _keyword_error(fun, kwargs, error) or error
        return tangent


def make_jvp(fun: Callable, x: Any) -> Callable[[Any], tuple[Any, Any]]:
    """Return ``jvp(v) -> (fun(x), ∂fun/∂x · v)``, computed in one forward pass."""

    leaves = _boxable_leaves(x)

    def jvp(v: Any) -> tuple[Any, Any]:
        trace = ForwardTrace()
        tangents: list = []
        if leaves:
            # Leaf by leaf, as in make_vjp.
            if not _leaves_like(x, v, tangents):
                raise ShapeError(
                    f"The tangent must have the structure of the point: the point is {_structure(x)}, "
                    f"the tangent {_structure(v)}. Pass one array per leaf, in the same containers "
                    "(for instance [np.ones_like(a) for a in params])."
                )
            start_box = _rebuild(x, [new_box(leaf, trace, t) for leaf, t in zip(leaves, tangents)])
        else:
            start_box = new_box(x, trace, v)
        output = _call_traced(fun, start_box)
        end_box = _pack_output(output)
        if isinstance(end_box, Box) and end_box._trace is trace:
            return _as_type_of(output, end_box._value), _as_type_of(output, end_box._node)
        if isinstance(end_box, Box):
            return end_box, vspace(end_box).zeros()
        return output, _as_type_of(output, vspace(end_box).zeros())

    return jvp


# ----------------------------------------------------------------------------
# registering derivative rules
# ----------------------------------------------------------------------------


def def_fast_vjp(fun: Callable, rule: Callable) -> None:
    """Register a first-order shortcut ``rule(g, ans, args, kwargs, argnums)`` for a
    primitive that already has its ``defvjp`` rules.

    The backward pass calls it only when ``g``, ``ans`` and ``args`` are raw values
    (no trace is differentiating the backward pass itself), so it may use plain
    NumPy and skip the closures of the maker pattern.  It returns the cotangents
    for ``argnums``, equal to what the ``defvjp`` rules give, or None where it does
    not handle the call (then those rules run).  Registering any other VJP rule
    for ``fun`` removes it.
    """
    fun.fast_vjp = rule


def def_dual_vjp(fun: Callable, rule: Callable) -> None:
    """Register a forward-over-reverse shortcut for a primitive that already has
    its ``defvjp`` and ``defjvp`` rules.

    In a Hessian-vector product ``make_jvp(grad(f))`` the backward pass of the
    inner reverse trace runs on boxes of the outer forward trace: dual numbers,
    a value with a tangent.  The general rules compute the cotangent with
    wrapped primitives, each of which pushes a tangent along.  The shortcut
    ``rule(g, g_dot, ans, ans_dot, args, arg_dots, kwargs, argnums)`` receives
    the raw values and tangents (a tangent of None is zero) and returns, per
    entry of ``argnums``, the pair ``(ḡ_i, its tangent or None)`` — what the
    general rules give up to rounding — or None where it does not handle the call.
    Registering any other VJP rule for ``fun`` removes it.
    """
    fun.dual_vjp = rule


def def_fast_jvp(fun: Callable, rule: Callable) -> None:
    """Register a forward-mode shortcut ``rule(tangents, ans, args, kwargs, argnums)``
    for a primitive that already has its ``defjvp`` rules.

    Forward mode calls it only when the arguments, the answer and the tangents
    (one per entry of ``argnums``) are raw values, so it may use plain NumPy.  It
    returns the output tangent, equal to what the ``defjvp`` rules give, or None
    where it does not handle the call.  Registering any other JVP rule for
    ``fun`` removes it.
    """
    fun.fast_jvp = rule


def defvjp_argnum(fun: Callable, vjpmaker: Callable) -> None:
    """Register ``vjpmaker(argnum, ans, args, kwargs) -> (g -> ḡ)`` for every argument."""

    class _AllArgnums(dict):
        def __missing__(self, argnum):
            return lambda ans, *args, **kwargs: vjpmaker(argnum, ans, args, kwargs)

    fun.vjps = _AllArgnums()
    fun.fast_vjp = None
    fun.dual_vjp = None


def defvjp_argnums(fun: Callable, vjpmaker: Callable) -> None:
    """Register ``vjpmaker(argnums, ans, args, kwargs) -> (g -> [ḡ_i for i in argnums])``,
    for rules that share work between arguments."""
    fun.vjp_argnums = vjpmaker
    fun.fast_vjp = None
    fun.dual_vjp = None


def defvjp(fun: Callable, *vjpmakers: Callable | None, argnums: list[int] | None = None) -> None:
    """Register one VJP maker per argument: ``maker(ans, *args, **kwargs) -> (g -> ḡ)``.

    ``None`` marks an argument as non-differentiable (asking for its
    derivative raises :class:`~ravine.errors.NotDifferentiableError`).
    """
    argnums = range(len(vjpmakers)) if argnums is None else argnums
    for argnum, maker in zip(argnums, vjpmakers):
        if maker is not None:
            fun.vjps[argnum] = maker
    fun.fast_vjp = None
    fun.dual_vjp = None


def defjvp_argnum(fun: Callable, jvpmaker: Callable) -> None:
    """Register ``jvpmaker(argnum, g, ans, args, kwargs)`` for every argument."""

    class _AllArgnums(dict):
        def __missing__(self, argnum):
            return lambda g, ans, *args, **kwargs: jvpmaker(argnum, g, ans, args, kwargs)

    fun.jvps = _AllArgnums()
    fun.fast_jvp = None


def defjvp_argnums(fun: Callable, jvpmaker: Callable) -> None:
    """Register ``jvpmaker(argnums, gs, ans, args, kwargs) -> tangent`` (joint rule)."""
    fun.jvp_argnums = jvpmaker
    fun.fast_jvp = None


def _same(fun: Callable, argnum: int) -> Callable:
    # "same": the function is linear in this argument, so its JVP is the function
    # itself applied to the tangent.
    def jvp(g, ans, *args, **kwargs):
        args = list(args)
        args[argnum] = g
        return fun(*args, **kwargs)

    return jvp


def defjvp(fun: Callable, *jvps: Callable | str | None, argnums: list[int] | None = None) -> None:
    """Register one JVP per argument: ``jvp(g, ans, *args, **kwargs) -> ẏ``.

    The string ``"same"`` says the function is linear in that argument."""
    argnums = range(len(jvps)) if argnums is None else argnums
    for argnum, jvp in zip(argnums, jvps):
        if jvp is None:
            continue
        fun.jvps[argnum] = _same(fun, argnum) if jvp == "same" else jvp
    fun.fast_jvp = None


def def_linear(fun: Callable) -> None:
    """Declare ``fun`` linear in each argument: its JVP applies ``fun`` to the tangent."""
    defjvp_argnum(fun, lambda argnum, g, ans, args, kwargs: _same(fun, argnum)(g, ans, *args, **kwargs))
