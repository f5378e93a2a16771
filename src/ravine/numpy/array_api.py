"""NumPy 2's array-API spellings, bound to the very functions ravine already wraps.

Each alias *is* the wrapped function of the long name (``acos is arccos``), so it
has the same derivative rules, to every order, in both modes:

* ``acos``, ``acosh``, ``asin``, ``asinh``, ``atan``, ``atanh``: d/dx arccos x = −1/√(1 − x²),
  d/dx arccosh x = 1/√(x² − 1), d/dx arcsin x = 1/√(1 − x²), d/dx arcsinh x = 1/√(x² + 1),
  d/dx arctan x = 1/(1 + x²), d/dx arctanh x = 1/(1 − x²);
* ``atan2(y, x)`` is ``arctan2``: ∂/∂y = x/(x² + y²), ∂/∂x = −y/(x² + y²);
* ``pow`` is ``power``; ``concat`` is ``concatenate`` (linear: the cotangent is split
  back into the pieces); ``permute_dims(a, axes)`` is ``transpose`` (the cotangent is
  transposed back).

The bitwise ones act on integers and booleans, whose results carry no derivative:
``bitwise_invert`` and ``bitwise_not`` are ``invert``, ``bitwise_left_shift`` is
``left_shift``, ``bitwise_right_shift`` is ``right_shift`` (constants in ravine), and
``bitwise_count`` (the number of 1-bits of |x|) is a constant of its own.
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.tracer import notrace_primitive
from ravine.numpy import wrapper as _w

__all__ = [
    "acos",
    "acosh",
    "asin",
    "asinh",
    "atan",
    "atan2",
    "atanh",
    "bitwise_count",
    "bitwise_invert",
    "bitwise_left_shift",
    "bitwise_not",
    "bitwise_right_shift",
    "concat",
    "permute_dims",
    "pow",
]

acos, acosh, asin, asinh = _w.arccos, _w.arccosh, _w.arcsin, _w.arcsinh
atan, atan2, atanh = _w.arctan, _w.arctan2, _w.arctanh
pow = _w.power
concat = _w.concatenate
permute_dims = _w.transpose

bitwise_invert = bitwise_not = _w.invert
bitwise_left_shift, bitwise_right_shift = _w.left_shift, _w.right_shift
bitwise_count = notrace_primitive(_np.bitwise_count)
