"""autograd's ``autograd.tracer`` names, for code that imports them from there
(``from autograd.tracer import primitive, getval, isbox``).  The tracer itself
is :mod:`ravine.autodiff.tracer`; new code should import from
:mod:`ravine.extend`."""

from ravine.autodiff.tracer import Box, getval, isbox, new_box, notrace_primitive
from ravine.autodiff.tracer import extension_primitive as primitive

__all__ = ["primitive", "notrace_primitive", "Box", "new_box", "isbox", "getval"]
