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
"""

from ravine.autodiff.core import (
    VSpace,
    add_outgrads,
    backward_pass,
    def_linear,
    defjvp,
    defjvp_argnum,
    defjvp_argnums,
    defvjp,
    defvjp_argnum,
    defvjp_argnums,
    make_jvp,
    make_vjp,
    vspace,
)
from ravine.autodiff.tracer import Box, getval, isbox, notrace_primitive
from ravine.autodiff.tracer import extension_primitive as primitive

__all__ = [
    "make_vjp", "make_jvp", "backward_pass", "add_outgrads", "vspace", "VSpace", "defvjp",
    "defvjp_argnum", "defvjp_argnums", "defjvp", "defjvp_argnum", "defjvp_argnums", "def_linear",
    "primitive", "notrace_primitive", "Box", "isbox", "getval",
]
