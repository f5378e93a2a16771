"""The public extension API: define your own primitives and their derivatives.

>>> from ravine.extend import primitive, defvjp, defjvp
>>> @primitive
... def logsumexp(x):
...     m = x.max()
...     return m + numpy.log(numpy.sum(numpy.exp(x - m)))
>>> defvjp(logsumexp, lambda ans, x: lambda g: g * np.exp(x - ans))
>>> defjvp(logsumexp, lambda g, ans, x: np.sum(g * np.exp(x - ans)))

Rules registered here are checked where they run.  A VJP must return, for argument i, a
cotangent of argument i's shape; a JVP a tangent of the output's shape.  A rule that returns
another shape would otherwise give a silently wrong gradient: a cotangent of shape (n,) for a
scalar argument comes back as its gradient, and one that broadcasts in a later product spreads
wrong values over the right shape.  Each result is compared with the shape it must have (one
tuple comparison per call, only for rules registered here: ravine's own, tested one by one,
go through :mod:`ravine.autodiff.core`); a mismatch raises a
:class:`~ravine.errors.ShapeError` naming the primitive, the argument and the fix.  A JVP's
tangent that broadcasts to the output's shape (a scalar tangent for ``x * ones(n)``: the same
change in every entry) is broadcast.  Container arguments (a list traced whole by an
extension primitive) and cotangents that are not arrays or numbers are not checked.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as _np

from ravine.autodiff import core as _core
from ravine.autodiff.core import VSpace, def_linear, vspace
from ravine.autodiff.tracer import Box, getval, notrace_primitive
from ravine.autodiff.tracer import extension_primitive as primitive
from ravine.builtins import DictBox, DictVSpace, SequenceBox, SequenceVSpace
from ravine.errors import NotDifferentiableError, ShapeError
from ravine.numpy import wrapper as _wrapper
from ravine.numpy.boxes import ArrayBox
from ravine.numpy.vjps import unbroadcast, unbroadcast_f

__all__ = [
    "primitive", "notrace_primitive", "defvjp", "defvjp_argnum", "defvjp_argnums", "defjvp",
    "defjvp_argnum", "defjvp_argnums", "def_linear", "vspace", "VSpace", "Box", "ArrayBox",
    "SequenceBox", "DictBox", "SequenceVSpace", "DictVSpace", "getval", "unbroadcast", "unbroadcast_f",
]


_ARRAY_LIKE = (_np.ndarray, _np.generic, int, float, complex)


def _name(fun: Callable) -> str:
    return getattr(fun, "__name__", repr(fun))


def _shape_of(value: Any) -> tuple | None:
    """The shape of an array or number (traced or not); None for anything else."""
    raw = getval(value)
    return _np.shape(raw) if isinstance(raw, _ARRAY_LIKE) and not isinstance(raw, bool) else None


def _check_cotangent(fun: Callable, argnum: int, arg: Any, cotangent: Any) -> None:
    if cotangent is None:
        raise NotDifferentiableError(
            f"The VJP registered for {_name(fun)!r}, argument {argnum}, returned None. Return the "
            "cotangent (an array of the argument's shape), or register None in its place with "
            "defvjp to declare the argument non-differentiable.")
    want, got = _shape_of(arg), _shape_of(cotangent)
    if want is not None and got is not None and want != got:
        raise ShapeError(
            f"The VJP registered for {_name(fun)!r} returned a cotangent of shape {got} for argument "
            f"{argnum}, which has shape {want}: the cotangent must have its argument's shape. "
            + ("Spread it back over the axes the function reduced (np.broadcast_to(g, x.shape), with "
               "np.expand_dims for keepdims=False)." if _np.prod(got) < _np.prod(want) else
               "Sum it over the axes along which the argument was broadcast "
               "(ravine.extend.unbroadcast_f(x, lambda g: ...) does it)."))


def _checked_vjp_maker(fun: Callable, argnum: int, maker: Callable) -> Callable:
    def make(ans: Any, *args: Any, **kwargs: Any) -> Callable:
        vjp = maker(ans, *args, **kwargs)

        def checked(g: Any) -> Any:
            cotangent = vjp(g)
            _check_cotangent(fun, argnum, args[argnum], cotangent)
            return cotangent

        return checked

    return make


def _checked_tangent(fun: Callable, ans: Any, tangent: Any, which: str) -> Any:
    if tangent is None:
        raise NotDifferentiableError(
            f"The JVP registered for {_name(fun)!r} ({which}) returned None. Return the output's "
            "tangent, an array of the output's shape.")
    want, got = _shape_of(ans), _shape_of(tangent)
    if want is None or got is None or want == got:
        return tangent
    try:
        broadcast = _np.broadcast_shapes(got, want)
    except ValueError:
        broadcast = None
    if broadcast != want:
        raise ShapeError(
            f"The JVP registered for {_name(fun)!r} ({which}) returned a tangent of shape {got} for an "
            f"output of shape {want}: the tangent must have the output's shape (or broadcast to it).")
    return _wrapper.broadcast_to(tangent, want)


def _checked_jvp(fun: Callable, argnum: int, jvp: Callable | str | None) -> Callable | str | None:
    if jvp is None or isinstance(jvp, str):
        return jvp

    def checked(g: Any, ans: Any, *args: Any, **kwargs: Any) -> Any:
        return _checked_tangent(fun, ans, jvp(g, ans, *args, **kwargs), f"argument {argnum}")

    return checked


def defvjp(fun: Callable, *vjpmakers: Callable | None, argnums: list[int] | None = None) -> None:
    """Register one VJP maker per argument, ``maker(ans, *args, **kwargs) -> (g -> ḡ)``;
    ``None`` marks an argument as non-differentiable.  Each ḡ must have its argument's shape."""
    numbers = range(len(vjpmakers)) if argnums is None else argnums
    checked = [None if maker is None else _checked_vjp_maker(fun, argnum, maker)
               for argnum, maker in zip(numbers, vjpmakers)]
    _core.defvjp(fun, *checked, argnums=argnums)


def defvjp_argnum(fun: Callable, vjpmaker: Callable) -> None:
    """Register ``vjpmaker(argnum, ans, args, kwargs) -> (g -> ḡ)`` for every argument."""

    def checked(argnum: int, ans: Any, args: tuple, kwargs: dict) -> Callable:
        vjp = vjpmaker(argnum, ans, args, kwargs)

        def apply(g: Any) -> Any:
            cotangent = vjp(g)
            _check_cotangent(fun, argnum, args[argnum], cotangent)
            return cotangent

        return apply

    _core.defvjp_argnum(fun, checked)


def defvjp_argnums(fun: Callable, vjpmaker: Callable) -> None:
    """Register ``vjpmaker(argnums, ans, args, kwargs) -> (g -> [ḡ_i for i in argnums])``."""

    def checked(argnums: tuple, ans: Any, args: tuple, kwargs: dict) -> Callable:
        vjp = vjpmaker(argnums, ans, args, kwargs)

        def apply(g: Any) -> list:
            cotangents = list(vjp(g))
            if len(cotangents) != len(argnums):
                raise ShapeError(
                    f"The VJP registered for {_name(fun)!r} with defvjp_argnums returned {len(cotangents)} "
                    f"cotangents for the {len(argnums)} arguments {tuple(argnums)}; return one per argument.")
            for argnum, cotangent in zip(argnums, cotangents):
                _check_cotangent(fun, argnum, args[argnum], cotangent)
            return cotangents

        return apply

    _core.defvjp_argnums(fun, checked)


def defjvp(fun: Callable, *jvps: Callable | str | None, argnums: list[int] | None = None) -> None:
    """Register one JVP per argument, ``jvp(g, ans, *args, **kwargs) -> ẏ`` (``"same"``: linear
    in that argument).  Each ẏ must have the output's shape, or broadcast to it."""
    numbers = range(len(jvps)) if argnums is None else argnums
    _core.defjvp(fun, *[_checked_jvp(fun, argnum, jvp) for argnum, jvp in zip(numbers, jvps)], argnums=argnums)


def defjvp_argnum(fun: Callable, jvpmaker: Callable) -> None:
    """Register ``jvpmaker(argnum, g, ans, args, kwargs)`` for every argument."""

    def checked(argnum: int, g: Any, ans: Any, args: tuple, kwargs: dict) -> Any:
        return _checked_tangent(fun, ans, jvpmaker(argnum, g, ans, args, kwargs), f"argument {argnum}")

    _core.defjvp_argnum(fun, checked)


def defjvp_argnums(fun: Callable, jvpmaker: Callable) -> None:
    """Register ``jvpmaker(argnums, gs, ans, args, kwargs) -> tangent`` (joint rule)."""

    def checked(argnums: tuple, gs: list, ans: Any, args: tuple, kwargs: dict) -> Any:
        return _checked_tangent(fun, ans, jvpmaker(argnums, gs, ans, args, kwargs), f"arguments {tuple(argnums)}")

    _core.defjvp_argnums(fun, checked)
