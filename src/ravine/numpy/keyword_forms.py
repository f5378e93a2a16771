"""Newer NumPy keywords mapped onto the arguments ravine's primitives take.

``clip(a, min=lo, max=hi)`` (NumPy ≥ 2.1) is ``clip(a, lo, hi)``: the bounds are
moved to the positions where the primitive traces them, so a traced bound is
differentiated (∂clip/∂lo = [a < lo], ∂clip/∂hi = [a > hi], ∂clip/∂a = [lo ≤ a ≤ hi]).
"""

from __future__ import annotations

import numpy as _np

from ravine.numpy import wrapper as _w

__all__ = ["clip"]

_NoValue = _np._NoValue


def clip(a, a_min=_NoValue, a_max=_NoValue, out=None, *, min=_NoValue, max=_NoValue, **kwargs):
    """``numpy.clip``, also with NumPy 2.1's ``min=``/``max=`` keywords."""
    if min is not _NoValue or max is not _NoValue:
        if (a_min is not _NoValue and min is not _NoValue) or (a_max is not _NoValue and max is not _NoValue):
            raise TypeError("clip: pass each bound once, either as a_min/a_max or as min/max, not both.")
        a_min = min if min is not _NoValue else a_min
        a_max = max if max is not _NoValue else a_max
    lower = None if a_min is _NoValue else a_min
    upper = None if a_max is _NoValue else a_max
    if out is not None:
        kwargs["out"] = out
    return _w.clip(a, lower, upper, **kwargs)


clip.__wrapped__ = _w.clip
