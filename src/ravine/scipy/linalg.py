"""``ravine.scipy.linalg``: solve_triangular, solve_banded, sqrtm, cholesky, solve_sylvester with derivatives.

* solve_triangular: x = op(A)⁻¹ b, op(A) = A or Aᵀ; b̄ = op(A)⁻ᵀ ḡ and Ā = −(b̄ xᵀ or x b̄ᵀ),
  kept to A's triangle (the other triangle is never read).  op(A) = Aᴴ (trans=2 or 'C') is
  conj(A)ᵀ, so it differentiates as Aᵀ through conj (the same as Aᵀ for real A).
* solve_banded: x = A⁻¹ b with A stored by diagonals, ab[u + i − j, j] = A[i, j]
  (l diagonals below, u above); b̄ = A⁻ᵀ ḡ (Aᵀ is banded with l and u swapped)
  and Ā = −b̄ xᵀ kept to the band: āb[u + i − j, j] = −Σ_k b̄[i, k] x[j, k].
  Entries of ab outside the matrix (its unused corners) get zero.
* solve_sylvester: A X + X B = Q; Q̄ = S(Aᵀ, Bᵀ, ḡ), Ā = −Q̄ Xᵀ, B̄ = −Xᵀ Q̄.
* sqrtm: X² = A, so dX X + X dX = dA: dX = S(X, X, dA) and Ā = S(Xᵀ, Xᵀ, ḡ).
* expm: de^A = L(A, dA), the upper-right block of exp([[A, dA], [0, A]]); Ā = L(Aᵀ, ḡ).
* solve, inv, det, block_diag: SciPy's names for ravine.numpy.linalg's rules, applied to the
  part of ``a`` SciPy reads for the ``assume_a`` given: one triangle, mirrored, for
  'sym'/'her'/'pos' (the one ``lower`` names); the upper or lower triangle for
  'upper triangular'/'lower triangular'; the diagonal, or the three middle diagonals, for
  'diagonal'/'tridiagonal'.  The unread entries get a zero derivative.
"""

from __future__ import annotations

from typing import Any

import numpy as _np
import scipy.linalg as _sl

from ravine.autodiff.core import defjvp, defvjp
from ravine.autodiff.tracer import Box, getval, primitive
from ravine.numpy import linalg as _nla
from ravine.numpy import wrapper as anp
from ravine.scipy._untraced import plain_only

__all__ = ["solve_triangular", "solve_banded", "solve_sylvester", "sqrtm", "cholesky", "expm", "solve", "inv", "det",
           "block_diag"]


def _T(x):
    return anp.swapaxes(x, -1, -2)


def _columns(x):
    return anp.expand_dims(x, -1) if anp.ndim(x) == 1 else x


def solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False, **kwargs):
    """x with op(a) x = b, op(a) = a, aᵀ or aᴴ for trans = 0 ('N'), 1 ('T') or 2 ('C'),
    reading only a's ``lower`` (or upper) triangle, and not its diagonal if ``unit_diagonal``."""
    if not (isinstance(a, Box) or isinstance(b, Box)):
        return _sl.solve_triangular(a, b, trans=trans, lower=lower, unit_diagonal=unit_diagonal, **kwargs)
    if trans in (2, "C"):  # aᴴ = conj(a)ᵀ
        a = anp.conj(a) if _np.iscomplexobj(getval(a)) else a
        trans = 1
    return _solve_triangular(a, b, trans, lower, unit_diagonal, **kwargs)


@primitive
def _solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False, **kwargs):
    return _sl.solve_triangular(a, b, trans=trans, lower=lower, unit_diagonal=unit_diagonal, **kwargs)


def _transposed(trans):
    return {0: 1, 1: 0, "N": 1, "T": 0}[trans]


def _triangle(x, lower, unit_diagonal):
    k = -1 if unit_diagonal else 0
    return anp.tril(x, k) if lower else anp.triu(x, -k)


def _grad_tri_b(ans, a, b, trans=0, lower=False, unit_diagonal=False, **kw):
    return lambda g: _solve_triangular(a, g, trans=_transposed(trans), lower=lower, unit_diagonal=unit_diagonal)


def _grad_tri_a(ans, a, b, trans=0, lower=False, unit_diagonal=False, **kw):
    def vjp(g):
        gb = _columns(_solve_triangular(a, g, trans=_transposed(trans), lower=lower, unit_diagonal=unit_diagonal))
        x = _columns(ans)
        outer = anp.matmul(gb, _T(x)) if trans in (0, "N") else anp.matmul(x, _T(gb))
        return -_triangle(outer, lower, unit_diagonal)

    return vjp


defvjp(_solve_triangular, _grad_tri_a, _grad_tri_b)
defjvp(_solve_triangular,
       lambda g, ans, a, b, trans=0, lower=False, unit_diagonal=False, **kw: -_solve_triangular(
           a, anp.matmul(_triangle(g, lower, unit_diagonal) if trans in (0, "N") else _T(_triangle(g, lower, unit_diagonal)), ans),
           trans=trans, lower=lower, unit_diagonal=unit_diagonal),
       lambda g, ans, a, b, trans=0, lower=False, unit_diagonal=False, **kw: _solve_triangular(
           a, g, trans=trans, lower=lower, unit_diagonal=unit_diagonal))


def solve_banded(l_and_u: tuple[int, int], ab: Any, b: Any, overwrite_ab: bool = False, overwrite_b: bool = False,
                 check_finite: bool = True) -> Any:
    """x with A x = b, A given by its diagonals (see the module docstring); b may be (n,) or (n, k).
    The inputs are never overwritten (the derivatives need them): the overwrite flags are accepted and ignored."""
    try:
        lower, upper = (int(w) for w in l_and_u)
    except (TypeError, ValueError):
        raise ValueError(f"solve_banded: l_and_u must be a pair (l, u) of diagonal counts; received {l_and_u!r}.") from None
    rows = _np.shape(getval(ab))[0] if _np.ndim(getval(ab)) == 2 else None
    if lower < 0 or upper < 0 or rows != lower + upper + 1:
        raise ValueError(f"solve_banded: ab must have l + u + 1 = {lower + upper + 1} rows, one per diagonal, "
                         f"for (l, u) = {(lower, upper)}; received ab of shape {_np.shape(getval(ab))}.")
    return _solve_banded((lower, upper), ab, b, check_finite=check_finite)


@primitive
def _solve_banded(l_and_u, ab, b, check_finite=True):
    return _sl.solve_banded(l_and_u, ab, b, check_finite=check_finite)


def _shift(v, d):
    """w[j] = v[j + d] along axis 0, zero where j + d falls outside v."""
    n = _np.shape(getval(v))[0]
    if d == 0:
        return v
    rest = [(0, 0)] * (anp.ndim(v) - 1)
    if abs(d) >= n:
        return anp.zeros_like(v)
    return anp.pad(v[d:], [(0, d)] + rest) if d > 0 else anp.pad(v[:n + d], [(-d, 0)] + rest)


def _banded_transpose(lower, upper, ab):
    """The storage of Aᵀ (u below, l above): row l + d holds A[j + d, j]ᵀ = ab[u − d, j + d]."""
    return anp.stack([_shift(ab[upper - d], d) for d in range(-lower, upper + 1)])


def _banded_matmul(lower, upper, ab, x):
    """A x from the storage: (A x)[i] = Σ_d ab[u + d, i − d] x[i − d]."""
    col = (lambda r: r) if anp.ndim(x) == 1 else (lambda r: anp.expand_dims(r, -1))
    return sum(_shift(col(ab[upper + d]) * x, -d) for d in range(-upper, lower + 1))


def _grad_banded_b(ans, l_and_u, ab, b, check_finite=True):
    lower, upper = l_and_u
    return lambda g: _solve_banded((upper, lower), _banded_transpose(lower, upper, ab), g)


def _grad_banded_ab(ans, l_and_u, ab, b, check_finite=True):
    lower, upper = l_and_u

    def vjp(g):
        b_bar = _solve_banded((upper, lower), _banded_transpose(lower, upper, ab), g)
        outer = lambda d: _shift(b_bar, d) * ans  # noqa: E731  (b̄[j + d] x[j], d = i − j)
        rows = [outer(r - upper) if anp.ndim(ans) == 1 else anp.sum(outer(r - upper), axis=-1)
                for r in range(lower + upper + 1)]
        return -anp.stack(rows)

    return vjp


defvjp(_solve_banded, None, _grad_banded_ab, _grad_banded_b)
defjvp(_solve_banded, None,
       lambda g, ans, l_and_u, ab, b, check_finite=True: _solve_banded(l_and_u, ab, -_banded_matmul(*l_and_u, g, ans)),
       lambda g, ans, l_and_u, ab, b, check_finite=True: _solve_banded(l_and_u, ab, g))


@primitive
def solve_sylvester(a, b, q):
    """X with a X + X b = q."""
    return _sl.solve_sylvester(a, b, q)


defvjp(solve_sylvester,
       lambda ans, a, b, q: lambda g: -anp.matmul(solve_sylvester(_T(a), _T(b), g), _T(ans)),
       lambda ans, a, b, q: lambda g: -anp.matmul(_T(ans), solve_sylvester(_T(a), _T(b), g)),
       lambda ans, a, b, q: lambda g: solve_sylvester(_T(a), _T(b), g))
defjvp(solve_sylvester,
       lambda g, ans, a, b, q: solve_sylvester(a, b, -anp.matmul(g, ans)),
       lambda g, ans, a, b, q: solve_sylvester(a, b, -anp.matmul(ans, g)),
       lambda g, ans, a, b, q: solve_sylvester(a, b, g))


@primitive
def sqrtm(A, **kwargs):
    """The principal square root X of A (X² = A)."""
    X = _sl.sqrtm(A, **kwargs)
    return X[0] if isinstance(X, tuple) else X


defvjp(sqrtm, lambda ans, A, **kw: lambda g: solve_sylvester(_T(ans), _T(ans), g))
defjvp(sqrtm, lambda g, ans, A, **kw: solve_sylvester(ans, ans, g))


def cholesky(a, lower=False, **kwargs):
    """The Cholesky factor of a symmetric positive-definite ``a``: upper (UᵀU = a)
    unless ``lower``; derivatives as :func:`ravine.numpy.linalg.cholesky`.  Like SciPy it
    reads only the triangle it returns: a's upper one is the lower one of aᵀ, which
    NumPy's factorisation reads."""
    if not isinstance(a, Box):
        return _sl.cholesky(a, lower=lower, **kwargs)
    return _nla.cholesky(a) if lower else _T(_nla.cholesky(_T(a)))


# ---- the matrix exponential ----------------------------------------------------------------------


@primitive
def expm(A):
    """The matrix exponential e^A = Σ Aᵏ/k!."""
    return _sl.expm(A)


def _expm_frechet(A, E):
    """L(A, E), the derivative of e^A along E: the upper-right block of
    exp([[A, E], [0, A]]) (Mathias' block formula; traced, so every order works)."""
    n = _np.shape(getval(A))[-1]
    zeros = _np.zeros(_np.shape(getval(A)), dtype=_np.result_type(getval(A), getval(E)))
    block = anp.concatenate([anp.concatenate([A, E], axis=-1), anp.concatenate([zeros, A], axis=-1)], axis=-2)
    return expm(block)[..., :n, n:]


# de^A = L(A, dA); the adjoint of E ↦ L(A, E) in tr(XᵀY) is G ↦ L(Aᵀ, G) (the series has real coefficients).
defvjp(expm, lambda ans, A: lambda g: _expm_frechet(_T(A), g))
defjvp(expm, lambda g, ans, A: _expm_frechet(A, g))


# ---- SciPy's names for what ravine.numpy.linalg differentiates ------------------------------------

def _as_read(a, assume_a, lower):
    """The matrix SciPy's solver uses: for 'sym', 'her' and 'pos' one triangle, mirrored; for
    the triangular, diagonal and tridiagonal structures only those entries (whatever ``lower``)."""
    if assume_a in ("sym", "her", "pos", "symmetric", "hermitian", "positive definite"):
        from ravine.numpy.linalg_spectral import _read_triangle

        return _read_triangle(a, "L" if lower else "U")
    below, above = {"upper triangular": (0, None), "lower triangular": (None, 0), "diagonal": (0, 0),
                    "tridiagonal": (1, 1)}.get(assume_a, (None, None))
    a = a if below is None else anp.triu(a, -below)
    return a if above is None else anp.tril(a, above)


def solve(a, b, lower=False, overwrite_a=False, overwrite_b=False, check_finite=True, assume_a=None,
          transposed=False):
    """``scipy.linalg.solve``: x with a x = b (aᵀ x = b when ``transposed``); with
    ``assume_a`` 'sym'/'her'/'pos' the derivative reaches only the triangle SciPy reads."""
    if not (isinstance(a, Box) or isinstance(b, Box)):
        return _sl.solve(a, b, lower=lower, overwrite_a=overwrite_a, overwrite_b=overwrite_b,
                         check_finite=check_finite, assume_a=assume_a, transposed=transposed)
    a = _as_read(a, assume_a, lower)
    return _nla.solve(_T(a) if transposed else a, b)


def inv(a, overwrite_a=False, check_finite=True, *, assume_a=None, lower=False):
    """``scipy.linalg.inv``; the derivative of a⁻¹ of the part of a SciPy reads (see the
    module docstring).  With assume_a='diagonal' SciPy inverts the diagonal entries and
    returns the others as they are; so does this, and its derivative is that function's."""
    if not isinstance(a, Box):
        return _sl.inv(a, overwrite_a=overwrite_a, check_finite=check_finite, assume_a=assume_a, lower=lower)
    if assume_a == "diagonal":
        on_diagonal = _np.eye(_np.shape(getval(a))[-1], dtype=bool)
        return anp.where(on_diagonal, anp.expand_dims(1.0 / anp.diagonal(a, 0, -2, -1), -2), a)
    return _nla.inv(_as_read(a, assume_a, lower))


def det(a, overwrite_a=False, check_finite=True):
    """``scipy.linalg.det``."""
    return _sl.det(a, overwrite_a=overwrite_a, check_finite=check_finite) if not isinstance(a, Box) else _nla.det(a)


def block_diag(*arrs):
    """``scipy.linalg.block_diag``: the arrays on the diagonal of a zero matrix (each a
    block of the gradient)."""
    if not any(isinstance(a, Box) for a in arrs):
        return _sl.block_diag(*arrs)
    blocks = [anp.atleast_2d(a) for a in arrs]
    shapes = [_np.shape(getval(b)) for b in blocks]
    n_cols = sum(c for _, c in shapes)
    rows, start = [], 0
    for block, (r, c) in zip(blocks, shapes):
        left = _np.zeros((r, start))
        right = _np.zeros((r, n_cols - start - c))
        rows.append(anp.concatenate([left, block, right], axis=1))
        start += c
    return anp.concatenate(rows, axis=0)


def __getattr__(name):
    return plain_only("ravine.scipy.linalg", _sl, name, __all__)
