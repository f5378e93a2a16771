"""``ravine.scipy.linalg``: solve_triangular, sqrtm, cholesky, solve_sylvester with derivatives.

* solve_triangular: x = op(A)⁻¹ b, op(A) = A or Aᵀ; b̄ = op(A)⁻ᵀ ḡ and Ā = −(b̄ xᵀ or x b̄ᵀ),
  kept to A's triangle (the other triangle is never read).
* solve_sylvester: A X + X B = Q; Q̄ = S(Aᵀ, Bᵀ, ḡ), Ā = −Q̄ Xᵀ, B̄ = −Xᵀ Q̄.
* sqrtm: X² = A, so dX X + X dX = dA: dX = S(X, X, dA) and Ā = S(Xᵀ, Xᵀ, ḡ).
"""

from __future__ import annotations

import numpy as _np
import scipy.linalg as _sl

from ravine.autodiff.core import defjvp, defvjp
from ravine.autodiff.tracer import getval, primitive
from ravine.numpy import linalg as _nla
from ravine.numpy import wrapper as anp

__all__ = ["solve_triangular", "solve_sylvester", "sqrtm", "cholesky"]


def _T(x):
    return anp.swapaxes(x, -1, -2)


def _columns(x):
    return anp.expand_dims(x, -1) if anp.ndim(x) == 1 else x


@primitive
def solve_triangular(a, b, trans=0, lower=False, unit_diagonal=False, **kwargs):
    return _sl.solve_triangular(a, b, trans=trans, lower=lower, unit_diagonal=unit_diagonal, **kwargs)


def _transposed(trans):
    return {0: 1, 1: 0, "N": 1, "T": 0}[trans]


def _triangle(x, lower, unit_diagonal):
    k = -1 if unit_diagonal else 0
    return anp.tril(x, k) if lower else anp.triu(x, -k)


def _grad_tri_b(ans, a, b, trans=0, lower=False, unit_diagonal=False, **kw):
    return lambda g: solve_triangular(a, g, trans=_transposed(trans), lower=lower, unit_diagonal=unit_diagonal)


def _grad_tri_a(ans, a, b, trans=0, lower=False, unit_diagonal=False, **kw):
    def vjp(g):
        gb = _columns(solve_triangular(a, g, trans=_transposed(trans), lower=lower, unit_diagonal=unit_diagonal))
        x = _columns(ans)
        outer = anp.matmul(gb, _T(x)) if trans in (0, "N") else anp.matmul(x, _T(gb))
        return -_triangle(outer, lower, unit_diagonal)

    return vjp


defvjp(solve_triangular, _grad_tri_a, _grad_tri_b)
defjvp(solve_triangular,
       lambda g, ans, a, b, trans=0, lower=False, unit_diagonal=False, **kw: -solve_triangular(
           a, anp.matmul(_triangle(g, lower, unit_diagonal) if trans in (0, "N") else _T(_triangle(g, lower, unit_diagonal)), ans),
           trans=trans, lower=lower, unit_diagonal=unit_diagonal),
       lambda g, ans, a, b, trans=0, lower=False, unit_diagonal=False, **kw: solve_triangular(
           a, g, trans=trans, lower=lower, unit_diagonal=unit_diagonal))


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
    unless ``lower``; derivatives as :func:`ravine.numpy.linalg.cholesky`."""
    L = _nla.cholesky(a)
    return L if lower else _T(L)


def __getattr__(name):
    try:
        return getattr(_sl, name)
    except AttributeError:
        raise AttributeError(f"module 'ravine.scipy.linalg' has no attribute {name!r}") from None
