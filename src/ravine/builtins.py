"""Tuples, lists and dicts inside differentiated code.

A function may take or return containers of arrays (pytrees): ``grad`` of a
function of a dict of parameters returns a dict of gradients.  Inside the
function, a traced container is a :class:`SequenceBox` or :class:`DictBox`;
reading an entry is a primitive whose VJP puts the cotangent back in that entry.
To *build* a traced container inside differentiated code, use this module's
``tuple``, ``list`` and ``dict`` (plain ``tuple(...)`` would make a tuple of
boxes, which works too, but cannot be differentiated as one value), and its
``isinstance``, which looks through boxes.
"""

from __future__ import annotations

import builtins as _b
from typing import Any

from ravine.autodiff import core, tracer
from ravine.autodiff.core import (VSpace, add_outgrads, def_fast_vjp, defjvp, defjvp_argnums, defvjp,
                                  defvjp_argnum, vspace)
from ravine.autodiff.tracer import Box, getval, primitive

__all__ = ["tuple", "list", "dict", "isinstance", "type", "SequenceBox", "DictBox",
           "SequenceVSpace", "DictVSpace"]

isinstance_ = _b.isinstance
type_ = _b.type


# ----------------------------------------------------------------------------
# reading entries
# ----------------------------------------------------------------------------


@primitive
def container_take(A, idx):
    return A[idx]


class SparseContainerGrad:
    """The cotangent of a container of which only some entries received one:
    ``parts`` maps index -> cotangent; the rest are zero."""

    __slots__ = ("container", "_space", "parts")

    def __init__(self, container, parts, space=None):
        self.container = container
        self._space = space
        self.parts = parts

    @property
    def space(self):
        # Built on first use: most sparse cotangents are merged and densified
        # once, so building the vector space for every read would be wasted.
        if self._space is None:
            self._space = vspace(self.container)
        return self._space

    def densify(self):
        return self.space.from_parts(self.parts)

    def __getitem__(self, idx):
        if idx in self.parts:
            return core.densify(self.parts[idx])
        return self.space.subspace(idx).zeros()


def _add_sparse(a, b):
    if type_(a) is SparseContainerGrad and type_(b) is SparseContainerGrad:
        parts = _b.dict(a.parts)
        for k, v in b.parts.items():
            parts[k] = add_outgrads(parts.get(k), v)
        return SparseContainerGrad(a.container, parts, a._space)
    sparse, dense = (a, b) if type_(a) is SparseContainerGrad else (b, a)
    return sparse.space.add_parts(dense, sparse.parts)


core._sparse_adders[SparseContainerGrad] = _add_sparse


def _container_untake_maker(ans, A, idx):
    return lambda g: SparseContainerGrad(A, {idx: g})


defvjp(container_take, _container_untake_maker)
def_fast_vjp(container_take, lambda g, ans, args, kwargs, argnums: [SparseContainerGrad(args[0], {args[1]: g})])
defjvp(container_take, "same")


# ----------------------------------------------------------------------------
# building containers
# ----------------------------------------------------------------------------


@primitive
def make_sequence(seq_type, *args):
    return seq_type(args)


defvjp_argnum(make_sequence, lambda argnum, ans, args, kwargs: lambda g: g[argnum - 1])


def _entry_tangents(argnums, gs, args):
    """Tangents of the entries args[1:]: the given ones, zeros for constant entries.
    One joint rule rather than one per entry, which would build and add n
    containers of n entries each."""
    given = _b.dict(_b.zip(argnums, gs))
    return [given[i] if i in given else vspace(a).zeros() for i, a in _b.enumerate(args[1:], 1)]


defjvp_argnums(make_sequence, lambda argnums, gs, ans, args, kwargs: make_sequence(
    args[0], *_entry_tangents(argnums, gs, args)))


@primitive
def _make_dict(keys, *values):
    return _b.dict(_b.zip(keys, values))


defvjp_argnum(_make_dict, lambda argnum, ans, args, kwargs: lambda g: g[args[0][argnum - 1]])
defjvp_argnums(_make_dict, lambda argnums, gs, ans, args, kwargs: _make_dict(
    args[0], *_entry_tangents(argnums, gs, args)))


class _ContainerMeta(_b.type):
    """Metaclass of ravine's ``tuple``, ``list`` and ``dict``: an instance check
    (and a subclass check) asks about the built-in type the class stands for, so
    ``isinstance([1.0], ravine.list)`` is True, with Python's ``isinstance`` as
    well as with ravine's."""

    def __instancecheck__(cls, obj):
        return isinstance_(obj, cls._builtin)

    def __subclasscheck__(cls, other):
        return _b.issubclass(other, cls._builtin)


class tuple(_b.tuple, metaclass=_ContainerMeta):  # noqa: A001 - deliberately shadows the builtin
    """``tuple(...)`` that stays differentiable as one value; also usable as the
    class in ``isinstance(x, tuple)``."""

    _builtin = _b.tuple

    def __new__(cls, iterable=()):
        return make_sequence(_b.tuple, *iterable)


class list(_b.list, metaclass=_ContainerMeta):  # noqa: A001
    """``list(...)`` that stays differentiable as one value; also usable as the
    class in ``isinstance(x, list)``."""

    _builtin = _b.list

    def __new__(cls, iterable=()):
        return make_sequence(_b.list, *iterable)


class dict(_b.dict, metaclass=_ContainerMeta):  # noqa: A001
    """``dict(...)`` that stays differentiable as one value; also usable as the
    class in ``isinstance(x, dict)``."""

    _builtin = _b.dict

    def __new__(cls, *args, **kwargs):
        items = _b.dict(*args, **kwargs)
        return _make_dict(_b.tuple(items.keys()), *items.values())


def isinstance(obj: Any, classinfo) -> bool:  # noqa: A001
    """``isinstance`` that looks through boxes."""
    return isinstance_(getval(obj), classinfo)


def type(obj: Any):  # noqa: A001
    """``type`` that looks through boxes."""
    return type_(getval(obj))


# ----------------------------------------------------------------------------
# boxes
# ----------------------------------------------------------------------------


class SequenceBox(Box):
    __slots__ = ()

    def __getitem__(self, idx):
        positions = _b.range(len(self))
        if isinstance_(idx, slice):
            return make_sequence(type_(getval(self)), *[self[i] for i in positions[idx]])
        # The gradient is keyed by position, so p[-1] must become p[len(p) - 1].
        return container_take(self, positions[idx])

    def __len__(self):
        return len(self._value)

    def __iter__(self):
        for i in _b.range(len(self)):
            yield container_take(self, i)

    def __add__(self, other):
        return make_sequence(type_(getval(self)), *self, *other)

    def __radd__(self, other):
        return make_sequence(type_(getval(self)), *other, *self)

    def index(self, value):
        return getval(self).index(value)


class DictBox(Box):
    __slots__ = ()

    def __getitem__(self, key):
        return container_take(self, key)

    def __len__(self):
        return len(self._value)

    def __iter__(self):
        return iter(self._value)

    def __contains__(self, key):
        return key in self._value

    def keys(self):
        return self._value.keys()

    def values(self):
        return [self[k] for k in self._value]

    def items(self):
        return [(k, self[k]) for k in self._value]

    def get(self, key, default=None):
        return self[key] if key in self._value else default


SequenceBox.register(_b.tuple)
SequenceBox.register(_b.list)
DictBox.register(_b.dict)


# ----------------------------------------------------------------------------
# vector spaces
# ----------------------------------------------------------------------------


class SequenceVSpace(VSpace):
    __slots__ = ("seq_type", "shape")

    def __init__(self, value):
        self.seq_type = type_(value)
        self.shape = [vspace(x) for x in value]

    def subspace(self, idx):
        return self.shape[idx]

    # Cotangents are assembled with make_sequence, a primitive: when the entries
    # are traced (a gradient being differentiated again) the container is traced
    # as one value, so an outer make_jvp/make_vjp sees it.
    def from_parts(self, parts):
        return make_sequence(self.seq_type, *(core.densify(parts[i]) if i in parts else s.zeros()
                                              for i, s in _b.enumerate(self.shape)))

    def add_parts(self, dense, parts):
        return make_sequence(self.seq_type, *(add_outgrads(x, parts[i]) if i in parts else x
                                              for i, x in _b.enumerate(dense)))

    def zeros(self):
        return self.seq_type(s.zeros() for s in self.shape)

    def ones(self):
        return self.seq_type(s.ones() for s in self.shape)

    def randn(self, rng=None):
        return self.seq_type(s.randn(rng) for s in self.shape)

    def add(self, x, y):
        if type_(y) is SparseContainerGrad:
            return _add_sparse(x, y)
        return make_sequence(self.seq_type, *(add_outgrads(a, b) for a, b in _b.zip(x, y)))

    def scalar_mul(self, x, a):
        return self.seq_type(s.scalar_mul(xi, a) for s, xi in _b.zip(self.shape, x))

    def inner_prod(self, x, y):
        return _b.sum(s.inner_prod(a, b) for s, a, b in _b.zip(self.shape, x, y))

    def covector(self, x):
        return self.seq_type(s.covector(xi) for s, xi in _b.zip(self.shape, x))

    def standard_basis(self):
        for i, s in _b.enumerate(self.shape):
            for v in s.standard_basis():
                yield self.seq_type(v if j == i else t.zeros() for j, t in _b.enumerate(self.shape))

    @property
    def size(self):
        return _b.sum(s.size for s in self.shape)

    def __eq__(self, other):
        return type_(other) is SequenceVSpace and self.seq_type is other.seq_type and self.shape == other.shape


class DictVSpace(VSpace):
    __slots__ = ("shape",)

    def __init__(self, value):
        self.shape = {k: vspace(v) for k, v in value.items()}

    def subspace(self, key):
        return self.shape[key]

    # Built with _make_dict, a primitive, for the reason given in SequenceVSpace.
    def from_parts(self, parts):
        keys = _b.tuple(self.shape)
        return _make_dict(keys, *(core.densify(parts[k]) if k in parts else self.shape[k].zeros() for k in keys))

    def add_parts(self, dense, parts):
        keys = _b.tuple(dense.keys())
        return _make_dict(keys, *(add_outgrads(dense[k], parts[k]) if k in parts else dense[k] for k in keys))

    def zeros(self):
        return {k: s.zeros() for k, s in self.shape.items()}

    def ones(self):
        return {k: s.ones() for k, s in self.shape.items()}

    def randn(self, rng=None):
        return {k: s.randn(rng) for k, s in self.shape.items()}

    def add(self, x, y):
        if type_(y) is SparseContainerGrad:
            return _add_sparse(x, y)
        keys = _b.tuple(self.shape)
        return _make_dict(keys, *(add_outgrads(x[k], y[k]) for k in keys))

    def scalar_mul(self, x, a):
        return {k: s.scalar_mul(x[k], a) for k, s in self.shape.items()}

    def inner_prod(self, x, y):
        return _b.sum(s.inner_prod(x[k], y[k]) for k, s in self.shape.items())

    def covector(self, x):
        return {k: s.covector(x[k]) for k, s in self.shape.items()}

    def standard_basis(self):
        for k, s in self.shape.items():
            for v in s.standard_basis():
                yield {j: v if j == k else t.zeros() for j, t in self.shape.items()}

    @property
    def size(self):
        return _b.sum(s.size for s in self.shape.values())

    def __eq__(self, other):
        return type_(other) is DictVSpace and self.shape == other.shape


VSpace.register(_b.tuple, SequenceVSpace)
VSpace.register(_b.list, SequenceVSpace)
VSpace.register(_b.dict, DictVSpace)
core.sparse_aware.update({make_sequence, _make_dict})


def _holds_box(value: Any) -> bool:
    if isinstance_(value, Box):
        return True
    if type_(value) in (_b.tuple, _b.list):
        return _b.any(_holds_box(v) for v in value)
    if type_(value) is _b.dict:
        return _b.any(_holds_box(v) for v in value.values())
    return False


def pack_container_output(value: Any) -> Any:
    """A tuple, list or dict output holding traced values, as one traced container."""
    if not _holds_box(value) or isinstance_(value, Box):
        return value
    if type_(value) is _b.dict:
        return _make_dict(_b.tuple(value.keys()), *[pack_container_output(v) for v in value.values()])
    return make_sequence(type_(value), *[pack_container_output(v) for v in value])


core.output_packers.append(pack_container_output)
tracer.argument_packers.append(pack_container_output)
