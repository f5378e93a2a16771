"""The public extension API: define your own primitives and their derivatives.

>>> from ravine.extend import primitive, defvjp, defjvp
>>> @primitive
... def logsumexp(x):
...     m = x.max()
...     return m + numpy.log(numpy.sum(numpy.exp(x - m)))
>>> defvjp(logsumexp, lambda ans, x: lambda g: g * np.exp(x - ans))
>>> defjvp(logsumexp, lambda g, ans, x: np.sum(g * np.exp(x - ans)))
"""

from ravine.autodiff.core import (
    VSpace,
    def_linear,
    defjvp,
    defjvp_argnum,
    defjvp_argnums,
    defvjp,
    defvjp_argnum,
    defvjp_argnums,
    vspace,
)
from ravine.autodiff.tracer import Box, getval, notrace_primitive
from ravine.autodiff.tracer import extension_primitive as primitive
from ravine.numpy.boxes import ArrayBox
from ravine.numpy.vjps import unbroadcast, unbroadcast_f
from ravine.builtins import SequenceBox, DictBox, SequenceVSpace, DictVSpace

__all__ = [
    "primitive", "notrace_primitive", "defvjp", "defvjp_argnum", "defvjp_argnums", "defjvp",
    "defjvp_argnum", "defjvp_argnums", "def_linear", "vspace", "VSpace", "Box", "ArrayBox",
    "SequenceBox", "DictBox", "SequenceVSpace", "DictVSpace", "getval", "unbroadcast", "unbroadcast_f",
]
