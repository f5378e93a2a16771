"""autograd's ``autograd.core`` names, for code that imports them from there.

Code written for HIPS autograd sometimes reaches past ``autograd.extend`` into
``autograd.core`` (``from autograd.core import make_vjp, vspace``).  This module
gives those names their ravine meaning so such code runs after changing the
import; new code should use :mod:`ravine.extend` and :mod:`ravine`.  Nothing is
defined here: the engine lives in :mod:`ravine.autodiff.core`.

``make_vjp(fun, x)`` and ``make_jvp(fun, x)`` are the unary engine functions, as
in autograd (``ravine.make_vjp`` adds ``argnum``).  autograd's registries
``primitive_vjps`` / ``primitive_jvps`` have no counterpart: ravine keeps a
primitive's rules on the primitive (``fun.vjps``, ``fun.jvps``).

As in autograd, a primitive made with *this* module's ``primitive`` also carries the
pre-1.2 registration methods that old code calls, each with a DeprecationWarning:
``f.defvjp(lambda g, ans, vs, gvs, *args: ..., argnum=0)``,
``f.defgrad(lambda ans, *args: lambda g: ..., argnum=0)`` and
``f.defvjp_is_zero(argnums=(0,))``.
"""

import warnings
from typing import Any, Callable

from ravine.autodiff.core import add_outgrads, backward_pass, make_jvp, make_vjp
from ravine.autodiff.tracer import extension_primitive, isbox
from ravine.extend import (Box, VSpace, def_linear, defjvp, defjvp_argnum, defjvp_argnums, defvjp, defvjp_argnum,
                           defvjp_argnums, getval, notrace_primitive, vspace)

__all__ = [
    "make_vjp", "make_jvp", "backward_pass", "add_outgrads", "vspace", "VSpace", "defvjp",
    "defvjp_argnum", "defvjp_argnums", "defjvp", "defjvp_argnum", "defjvp_argnums", "def_linear",
    "primitive", "notrace_primitive", "Box", "isbox", "getval",
]


_DEPRECATED = ("f.{} is autograd's pre-1.2 API; use ravine.extend.defvjp(f, lambda ans, *args: lambda g: ...) "
               "instead (one VJP maker per argument).")


def primitive(f_raw: Callable) -> Callable:
    """:func:`ravine.extend.primitive`, plus autograd's deprecated ``defvjp``,
    ``defgrad`` and ``defvjp_is_zero`` methods (see the module docstring)."""
    f_wrapped = extension_primitive(f_raw)
    makers: dict[int, Callable] = {}

    def register(argnum: int, maker: Callable, method: str) -> None:
        warnings.warn(_DEPRECATED.format(method), DeprecationWarning, stacklevel=3)
        makers[argnum] = maker
        argnums = sorted(makers)
        defvjp(f_wrapped, *[makers[k] for k in argnums], argnums=argnums)

    def old_defvjp(vjp: Callable, argnum: int = 0) -> None:
        # the old rule received the vector spaces of the argument and of the cotangent too
        def maker(ans: Any, *args: Any, **kwargs: Any) -> Callable:
            return lambda g: vjp(g, ans, vspace(args[argnum]), vspace(g), *args, **kwargs)

        register(argnum, maker, "defvjp")

    def defgrad(maker: Callable, argnum: int = 0) -> None:
        register(argnum, maker, "defgrad")

    def defvjp_is_zero(argnums: Any = (0,)) -> None:
        for argnum in argnums:
            register(argnum, lambda ans, *args, argnum=argnum, **kwargs: lambda g: vspace(args[argnum]).zeros(),
                     "defvjp_is_zero")

    f_wrapped.defvjp = old_defvjp
    f_wrapped.defgrad = defgrad
    f_wrapped.defvjp_is_zero = defvjp_is_zero
    return f_wrapped
