"""Two differentiable primitives over the non-zero pattern of a sparse matrix.

For a pattern P of nnz positions (i_n, j_n) in an m×p matrix (stored in CSR
order, so a value vector g of length nnz *is* a CSR matrix S(g)):

* ``pattern_dots(A, B, P)[n] = A[i_n] · B[j_n]``       (A: m×d, B: p×d)
* ``pattern_matmul(g, B, P) = S(g) B``                 (m×d; ``transpose=True``: S(g)ᵀ B, p×d)

These are what GloVe needs: its residuals are ``pattern_dots(W, W̃)`` and the
gradients of Σ_n f_n e_n² are S(2 f e) W̃ and S(2 f e)ᵀ W.  Both are bilinear,
so their derivatives are each other (written with Sᵀ for the transpose):

    pattern_dots(A, B):   Ā = S(ḡ) B,          B̄ = S(ḡ)ᵀ A
    pattern_matmul(g, B): ḡ_n = Ȳ[i_n]·B[j_n] = pattern_dots(Ȳ, B),   B̄ = S(g)ᵀ Ȳ

and every rule is again one of the two primitives, so derivatives of any order
work.  Gathering rows with ``A[i]`` would give the same numbers through the
general indexing rule, but its scatter-add over nnz×d entries is about ten
times slower than a sparse matrix product.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as _np
import scipy.sparse as _sp

from ravine.autodiff.core import defjvp, defvjp
from ravine.autodiff.tracer import primitive
from ravine.errors import ShapeError

__all__ = ["SparsePattern", "pattern_dots", "pattern_matmul"]

_CHUNK = 16384
_DENSE_LIMIT = 1 << 22  # m·p entries (32 MB of float64)


@dataclass(frozen=True, eq=False)
class SparsePattern:
    """The positions of the non-zeros of an m×p matrix, in CSR order."""

    rows: _np.ndarray
    cols: _np.ndarray
    indptr: _np.ndarray
    shape: tuple[int, int]

    @classmethod
    def from_matrix(cls, matrix) -> tuple["SparsePattern", _np.ndarray]:
        """(pattern, values) of a scipy.sparse matrix, duplicates summed, explicit zeros dropped."""
        csr = _sp.csr_matrix(matrix, dtype=float, copy=True)
        csr.sum_duplicates()
        csr.eliminate_zeros()
        csr.sort_indices()
        rows = _np.repeat(_np.arange(csr.shape[0]), _np.diff(csr.indptr))
        return cls(rows, csr.indices.copy(), csr.indptr.copy(), csr.shape), csr.data.copy()

    @property
    def nnz(self) -> int:
        return int(self.cols.shape[0])

    def matrix(self, values) -> _sp.csr_matrix:
        """S(values): the CSR matrix with ``values`` on this pattern."""
        return _sp.csr_matrix((_np.asarray(values), self.cols, self.indptr), shape=self.shape)


def _check(A, B, pattern: SparsePattern, transpose: bool = False) -> None:
    m, p = pattern.shape
    if transpose:
        m, p = p, m
    if _np.shape(A)[0] != m or _np.shape(B)[0] != p:
        raise ShapeError(f"sparse pattern is {pattern.shape}; received factors with {_np.shape(A)[0]} "
                         f"and {_np.shape(B)[0]} rows.")
    if _np.ndim(A) != 2 or _np.shape(A)[1:] != _np.shape(B)[1:]:
        raise ShapeError(f"pattern_dots needs two matrices with the same number of columns (the vector "
                         f"dimension d); received shapes {_np.shape(A)} and {_np.shape(B)}.")


@primitive
def pattern_dots(A, B, pattern: SparsePattern):
    """A[i_n] · B[j_n] for every non-zero position n of ``pattern``."""
    _check(A, B, pattern)
    m, p = pattern.shape
    if m * p <= _DENSE_LIMIT:
        # small vocabularies: one matrix product and a gather beat gathering nnz rows of A and B
        return (A @ B.T)[pattern.rows, pattern.cols]
    out = _np.empty(pattern.nnz, dtype=_np.result_type(A, B))
    for start in range(0, pattern.nnz, _CHUNK):
        stop = start + _CHUNK
        out[start:stop] = _np.einsum("nd,nd->n", A[pattern.rows[start:stop]], B[pattern.cols[start:stop]])
    return out


@primitive
def pattern_matmul(g, B, pattern: SparsePattern, transpose: bool = False):
    """S(g) B, or S(g)ᵀ B when ``transpose``."""
    if _np.shape(g) != (pattern.nnz,):
        raise ShapeError(f"pattern_matmul needs {pattern.nnz} values; received shape {_np.shape(g)}.")
    S = pattern.matrix(g)
    if transpose:
        if _np.shape(B)[0] != pattern.shape[0]:
            raise ShapeError(f"S(g)ᵀ B needs B with {pattern.shape[0]} rows; received {_np.shape(B)[0]}.")
        return _np.asarray(S.T @ B)
    if _np.shape(B)[0] != pattern.shape[1]:
        raise ShapeError(f"S(g) B needs B with {pattern.shape[1]} rows; received {_np.shape(B)[0]}.")
    return _np.asarray(S @ B)


def _dots_in_order(Y, B, pattern, transpose):
    # ⟨Y, S(g) B⟩ = Σ_n g_n Y[i_n]·B[j_n]; with the transpose the roles of i and j swap.
    return pattern_dots(B, Y, pattern) if transpose else pattern_dots(Y, B, pattern)


defvjp(pattern_dots,
       lambda ans, A, B, pattern: lambda g: pattern_matmul(g, B, pattern),
       lambda ans, A, B, pattern: lambda g: pattern_matmul(g, A, pattern, transpose=True))
defjvp(pattern_dots,
       lambda dA, ans, A, B, pattern: pattern_dots(dA, B, pattern),
       lambda dB, ans, A, B, pattern: pattern_dots(A, dB, pattern))

defvjp(pattern_matmul,
       lambda ans, g, B, pattern, transpose=False: lambda Y: _dots_in_order(Y, B, pattern, transpose),
       lambda ans, g, B, pattern, transpose=False: lambda Y: pattern_matmul(g, Y, pattern, not transpose))
defjvp(pattern_matmul,
       lambda dg, ans, g, B, pattern, transpose=False: pattern_matmul(dg, B, pattern, transpose),
       lambda dB, ans, g, B, pattern, transpose=False: pattern_matmul(g, dB, pattern, transpose))
