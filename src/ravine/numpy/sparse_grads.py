"""A sparse cotangent for indexing: ``x[i]`` read many times costs O(reads), not O(reads · size).

The VJP of ``A[index]`` is a zero array of A's shape with ḡ added at ``index``.
Building that array for every read makes a loop such as
``sum(x[i] * x[i] for i in range(n))`` cost O(n²) in its backward pass: n dense
arrays of size n, added one by one.  Instead, in a first-order backward pass the
VJP returns a :class:`SparseArrayGrad` that records the pieces
``ḡ = base + Σ_k untake(value_k, index_k)``; the engine adds pieces to it in
O(1) and turns it into an array once, when a rule that is not sparse-aware
needs it (see ``ravine.autodiff.core._sparse_adders``).

When the cotangent is itself traced (a derivative of a derivative) the VJP uses
the ``untake`` primitive instead, so that it can be differentiated again.
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff import core
from ravine.autodiff.tracer import Box

__all__ = ["SparseArrayGrad", "is_basic_index"]

_BASIC_INDEX_TYPES = (int, _np.integer, slice, type(Ellipsis), type(None))


def is_basic_index(index) -> bool:
    """True for indices made only of ints, slices, ``...`` and ``None``: they
    select each entry at most once, so ``out[index] += g`` accumulates exactly
    (advanced indices may repeat an entry and need ``np.add.at``)."""
    parts = index if type(index) is tuple else (index,)
    for part in parts:
        if type(part) is bool or type(part) is _np.bool_ or not isinstance(part, _BASIC_INDEX_TYPES):
            return False
    return True


def add_at(out: _np.ndarray, index, g) -> None:
    """``out[index] += g`` in place, with repeated indices accumulating."""
    if is_basic_index(index):
        out[index] += g
    else:
        _np.add.at(out, index, g)


class SparseArrayGrad:
    """``base + Σ_k untake(value_k, index_k)`` for an array of ``shape``/``dtype``.

    Owned by one backward pass: :func:`_add` appends to it in place, which is
    safe because the engine never hands the same sparse cotangent to two
    accumulators.  ``base`` is a dense cotangent that may be shared, so it is
    never written to.
    """

    __slots__ = ("shape", "dtype", "base", "pieces")

    def __init__(self, shape, dtype, index, value):
        self.shape = shape
        self.dtype = dtype
        self.base = None
        self.pieces = [(index, value)]

    def densify(self) -> _np.ndarray:
        dtypes = [_np.asarray(value).dtype for _, value in self.pieces]
        if self.base is not None:
            dtypes.append(_np.asarray(self.base).dtype)
        out = _np.zeros(self.shape, dtype=_np.result_type(self.dtype, *dtypes))
        if self.base is not None:
            out += self.base
        for index, value in self.pieces:
            add_at(out, index, value)
        return out


_DENSE_TYPES = frozenset({_np.ndarray, _np.float64, _np.float32, _np.float16, _np.longdouble,
                          _np.complex128, _np.complex64, _np.clongdouble, float, complex})


def _add(a, b):
    """Sum of two cotangents of which at least one is a :class:`SparseArrayGrad`."""
    if type(a) is not SparseArrayGrad:
        a, b = b, a
    if type(b) is SparseArrayGrad:
        a.pieces.extend(b.pieces)
        if b.base is not None:
            a.base = b.base if a.base is None else a.base + b.base
        return a
    if isinstance(b, Box) or type(b) not in _DENSE_TYPES:
        # A traced dense cotangent (higher order): add as ordinary values.
        return core.add_outgrads(a.densify(), b)
    a.base = b if a.base is None else a.base + b
    return a


core._sparse_adders[SparseArrayGrad] = _add
