"""Set operations (``intersect1d``, ``union1d``, ``setdiff1d``, ``setxor1d`` and the
array-API ``unique_*``) and integer index helpers.

The set operations return entries of their inputs, sorted and de-duplicated: those
values would carry a derivative, and ravine has no rule for them, so a traced input
whose values reach the result is refused with a
:class:`~ravine.errors.NotDifferentiableError`, as ``unique`` is.  ``setdiff1d``'s
second argument only decides membership (piecewise constant: derivative 0), so it is
read as a constant.  On plain arrays each is NumPy's function.

The index helpers (``lexsort``, ``ravel_multi_index``, ``unravel_index``,
``diag_indices``, ``tril_indices``, ``triu_indices``, ``mask_indices``, ``ix_`` and the
``*_from`` forms, which take an array only for its shape) return integer indices:
constants.
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.tracer import notrace_primitive, read_value
from ravine.numpy.wrapper import _refuse_traced

__all__ = [
    "diag_indices",
    "diag_indices_from",
    "intersect1d",
    "ix_",
    "lexsort",
    "mask_indices",
    "ravel_multi_index",
    "setdiff1d",
    "setxor1d",
    "tril_indices",
    "tril_indices_from",
    "triu_indices",
    "triu_indices_from",
    "union1d",
    "unique_all",
    "unique_counts",
    "unique_inverse",
    "unique_values",
    "unravel_index",
]


def intersect1d(ar1, ar2, assume_unique=False, return_indices=False):
    """``numpy.intersect1d``; refuses traced arrays (the common values would carry a derivative)."""
    _refuse_traced("intersect1d", "ar1", ar1)
    _refuse_traced("intersect1d", "ar2", ar2)
    return _np.intersect1d(ar1, ar2, assume_unique, return_indices)


def union1d(ar1, ar2):
    """``numpy.union1d``; refuses traced arrays."""
    _refuse_traced("union1d", "ar1", ar1)
    _refuse_traced("union1d", "ar2", ar2)
    return _np.union1d(ar1, ar2)


def setdiff1d(ar1, ar2, assume_unique=False):
    """``numpy.setdiff1d``; refuses a traced ``ar1`` (its values are the result); a traced
    ``ar2`` only decides membership and is read as a constant."""
    _refuse_traced("setdiff1d", "ar1", ar1)
    return _np.setdiff1d(ar1, read_value(ar2), assume_unique)


def setxor1d(ar1, ar2, assume_unique=False):
    """``numpy.setxor1d``; refuses traced arrays."""
    _refuse_traced("setxor1d", "ar1", ar1)
    _refuse_traced("setxor1d", "ar2", ar2)
    return _np.setxor1d(ar1, ar2, assume_unique)


def _unique(name):
    numpy_function = getattr(_np, name)

    def unique_x(x):
        _refuse_traced(name, "x", x)
        return numpy_function(x)

    unique_x.__name__ = unique_x.__qualname__ = name
    unique_x.__doc__ = f"``numpy.{name}``; refuses a traced array, as ``unique`` does."
    return unique_x


unique_all, unique_counts = _unique("unique_all"), _unique("unique_counts")
unique_inverse, unique_values = _unique("unique_inverse"), _unique("unique_values")



def _reading_a_sequence(numpy_function):
    """A constant wrapper whose first argument may be a tuple or list of traced arrays
    (``lexsort``'s keys, ``ravel_multi_index``'s index arrays): their values are read."""

    def constant(first, *args, **kwargs):
        if type(first) in (list, tuple):
            first = type(first)(read_value(item) for item in first)
        return numpy_function(first, *args, **kwargs)

    constant.__name__ = constant.__qualname__ = numpy_function.__name__
    constant.__doc__ = f"``numpy.{numpy_function.__name__}``: integer indices, a constant."
    return notrace_primitive(constant)


lexsort = _reading_a_sequence(_np.lexsort)
ravel_multi_index = _reading_a_sequence(_np.ravel_multi_index)
unravel_index = notrace_primitive(_np.unravel_index)
diag_indices = notrace_primitive(_np.diag_indices, reads_values=False)
diag_indices_from = notrace_primitive(_np.diag_indices_from, reads_values=False)
tril_indices = notrace_primitive(_np.tril_indices, reads_values=False)
tril_indices_from = notrace_primitive(_np.tril_indices_from, reads_values=False)
triu_indices = notrace_primitive(_np.triu_indices, reads_values=False)
triu_indices_from = notrace_primitive(_np.triu_indices_from, reads_values=False)
mask_indices = notrace_primitive(_np.mask_indices, reads_values=False)
ix_ = notrace_primitive(_np.ix_)
