"""``np.r_[...]`` and ``np.c_[...]`` that follow traced values.

``r_[a, b, 1:4]`` joins its items along the first axis, ``c_[a, b]`` along the
last, after lifting each item to enough axes: a number becomes shape (1,) under
``r_`` and (1, 1) under ``c_``, a vector of length n becomes (n, 1) under ``c_``
(a column), and a slice ``start:stop:step`` becomes NumPy's ``arange`` (or
``linspace`` for a complex step).  The result is one ``concatenate`` of the
lifted items, so its derivative is the concatenation of the items' derivatives
(constants and slices contribute none).

Without a traced item, NumPy's own ``r_``/``c_`` answer, string directives
(``r_['0,2', a, b]``) included; those directives are not supported with traced
items (use ``concatenate``, ``stack`` or ``expand_dims`` there).
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.tracer import getval
from ravine.errors import NotDifferentiableError
from ravine.numpy import wrapper as anp
from ravine.numpy.wrapper import _contains_box  # a traced value, or a (nested) list of them

__all__ = ["r_", "c_"]


class _AxisConcatenator:
    """The object behind ``r_`` (``axis=0``, items lifted to 1-d) and ``c_``
    (``axis=-1``, items lifted to 2-d with vectors as columns)."""

    def __init__(self, name: str, numpy_version, axis: int, ndmin: int):
        self._name = name
        self._numpy = numpy_version
        self._axis = axis
        self._ndmin = ndmin

    def __getitem__(self, key):
        items = key if type(key) is tuple else (key,)
        if not any(_contains_box(item) for item in items):
            return self._numpy[key]
        if any(isinstance(item, str) for item in items):
            raise NotDifferentiableError(
                f"np.{self._name}[...] with a directive string ({[i for i in items if isinstance(i, str)]}) "
                "is not supported for traced values; write it with np.concatenate, np.stack or "
                "np.expand_dims instead.")
        return anp.concatenate([self._lift(item) for item in items], axis=self._axis)

    def _lift(self, item):
        if isinstance(item, slice):
            item = _np.r_[item]  # NumPy's arange / linspace for start:stop:step
        item = anp.asarray(item)
        ndim = _np.ndim(getval(item))
        if ndim >= self._ndmin:
            return item
        if self._ndmin == 1 or ndim == 0:
            return anp.reshape(item, (1,) * self._ndmin)
        return anp.reshape(item, (-1, 1))  # c_: a vector becomes a column

    def __len__(self) -> int:
        return 0  # as NumPy's r_ and c_


r_ = _AxisConcatenator("r_", _np.r_, axis=0, ndmin=1)
c_ = _AxisConcatenator("c_", _np.c_, axis=-1, ndmin=2)
