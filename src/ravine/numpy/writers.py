"""NumPy's in-place writers: ``put``, ``putmask``, ``place``, ``copyto``,
``fill_diagonal``, ``put_along_axis``.

They write into their first argument and return None, which tracing cannot follow:
ravine's traced arrays are immutable (as ``a[i] = x`` is refused), and a plain NumPy
target that receives traced values would keep only their numbers and silently drop the
derivative.  So when any argument is traced each of them raises a
:class:`~ravine.errors.TracingError` that names the function and the differentiable way
to write it — a new array built with ``np.where``, ``np.concatenate`` or an index-add
with ``np.untake`` (the zero array with given values added at an index, whose
derivative is a gather).  With plain NumPy arguments each is NumPy's own function.
"""

from __future__ import annotations

import numpy as _np

from ravine.errors import TracingError
from ravine.numpy.wrapper import _contains_box

__all__ = ["copyto", "fill_diagonal", "place", "put", "put_along_axis", "putmask"]

_REMEDIES = {
    "put": "np.where(mask, v, a) with a constant boolean mask of the written positions, or, for distinct "
           "flat indices ind, a + np.reshape(np.untake(v - np.take(a, ind), ind, (a.size,), a.dtype), a.shape)",
    "putmask": "np.where(mask, values, a) (values of a's shape; NumPy's putmask cycles shorter ones)",
    "place": "np.where(mask, np.reshape(np.untake(vals, np.flatnonzero(mask), (a.size,), a.dtype), a.shape), a)",
    "copyto": "np.where(where, src, dst) (or src itself) and keep the returned array",
    "fill_diagonal": "np.where(np.eye(n, m, dtype=bool), val, a) for a 2-d a of shape (n, m)",
    "put_along_axis": "np.where(mask, values, arr) with a constant boolean mask of the written positions "
                      "(values broadcast to arr's shape), or an index-add with np.untake",
}


def _writer(name: str):
    numpy_function = getattr(_np, name)

    def write(*args, **kwargs):
        if _contains_box(list(args) + list(kwargs.values())):
            raise TracingError(
                f"np.{name} writes into an array in place, which cannot be differentiated: a traced "
                f"target is immutable, and traced values written into a plain array would lose their "
                f"derivative. Build a new array instead: {_REMEDIES[name]}.")
        return numpy_function(*args, **kwargs)

    write.__name__ = write.__qualname__ = name
    write.__doc__ = (f"``numpy.{name}`` for plain arrays; with a traced argument raises TracingError "
                     f"(use {_REMEDIES[name]}).")
    return write


put, putmask, place = _writer("put"), _writer("putmask"), _writer("place")
copyto, fill_diagonal, put_along_axis = _writer("copyto"), _writer("fill_diagonal"), _writer("put_along_axis")
