"""``linalg.lstsq(a, b, rcond=None)`` with derivatives: (x, residuals, rank, s) as NumPy.

x = A⁺b, the least-squares solution of A x ≈ b (the one of least norm when A is wide),
b a vector (m,) or a matrix (m, k).  For A of full rank (rank = min(m, n)) x is smooth,
and with r = b − A x (Golub–Pereyra's derivative of A⁺, applied to b):

    dx = A⁺(db − dA x) + A⁺A⁺ᴴ dAᴴ r               tall or square A (m ≥ n; A⁺A = I)
    dx = A⁺(db − dA x) + (I − A⁺A) dAᴴ A⁺ᴴ x       wide A (m < n; r = 0)

Gradients (G = ∂L/∂Re + i ∂L/∂Im; ravine's cotangent is conj G), with y = A⁺ᴴ G_x:

    G_b = y,   G_A = −y xᴴ + r (A⁺y)ᴴ  (tall),   G_A = −y xᴴ + A⁺ᴴx (G_x − A⁺A G_x)ᴴ  (wide)

Every A⁺ or A⁺ᴴ applied to a vector is one more least-squares solve with A or Aᴴ (the same
rcond), by the same primitive: no pseudo-inverse and no m × m projector is formed, and the
rules can be differentiated again.  The value of x (and s) is NumPy's own.

residuals = Σ |b − A x|² per column (only when rank = n < m, else empty, as NumPy): written
from x, so d residuals = 2 Re Σ conj(r) dr.  s: the singular values of A from the same LAPACK
call, ds_i = Re u_iᴴ dA v_i (as svdvals).  rank: a constant, counted as LAPACK counts it
(s_i > rcond · s_max, with rcond ≤ 0 or ≥ 1 meaning 2⁻⁵³).

Rank-deficient A (rank < min(m, n), singular values cut by rcond included) is refused when A
is traced: x = A⁺b jumps where the rank changes, and where rcond cuts a non-zero singular
value the constant-rank formula above is not the derivative of the truncated solution.
Differentiating in b alone is fine for any rank (x is linear in b).
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.core import defjvp, defvjp
from ravine.autodiff.tracer import Box, getval, primitive
from ravine.errors import NotDifferentiableError
from ravine.numpy import wrapper as anp
from ravine.numpy.linalg_base import H, T, _as_columns, conj, real_if
from ravine.numpy.linalg_spectral import _grad_singular_values, _jvp_singular_values
from ravine.numpy.untraced import numpy_unless_traced

__all__ = ["lstsq"]


@primitive
def _lstsq(A, b, rcond):
    """(x, s) of numpy.linalg.lstsq."""
    x, _, _, s = _np.linalg.lstsq(A, b, rcond)
    return (x, s)


def _solve(A, rhs, rcond):
    """A⁺ rhs, by the primitive (so that rules built on it are traced too)."""
    return _lstsq(A, rhs, rcond)[0]


def _outer(u, v):
    """u vᵀ for vectors, u vᵀ column by column summed (u @ vᵀ) for matrices."""
    return anp.matmul(_as_columns(u), T(_as_columns(v)))


def _is_tall(A):
    m, n = _np.shape(getval(A))
    return m >= n


def _jvp_A(g, ans, A, b, rcond):
    x, s = ans
    dx = -_solve(A, anp.matmul(g, x), rcond)
    if _is_tall(A):
        dx = dx + _solve(A, _solve(H(A), anp.matmul(H(g), b - anp.matmul(A, x)), rcond), rcond)
    else:
        z = anp.matmul(H(g), _solve(H(A), x, rcond))
        dx = dx + z - _solve(A, anp.matmul(A, z), rcond)
    return (dx, _jvp_singular_values(g, s, A))


def _jvp_b(g, ans, A, b, rcond):
    _, s = ans
    return (_solve(A, g, rcond), _np.zeros(_np.shape(getval(s))))


def _grad_A(ans, A, b, rcond):
    x, s = ans

    def vjp(g):
        gx, gs = g
        G = conj(gx)
        y = _solve(H(A), G, rcond)
        grad = -_outer(y, conj(x))
        if _is_tall(A):
            grad = grad + _outer(b - anp.matmul(A, x), conj(_solve(A, y, rcond)))
        else:
            rest = G - _solve(A, anp.matmul(A, G), rcond)
            grad = grad + _outer(_solve(H(A), x, rcond), conj(rest))
        out = real_if(A, conj(grad))
        if isinstance(gs, Box) or _np.any(gs):  # s was used: its rule needs an SVD, skipped otherwise
            out = out + _grad_singular_values(s, A)(gs)
        return out

    return vjp


def _grad_b(ans, A, b, rcond):
    return lambda g: real_if(b, conj(_solve(H(A), conj(g[0]), rcond)))


defvjp(_lstsq, _grad_A, _grad_b)
defjvp(_lstsq, _jvp_A, _jvp_b)


def _rank(s, rcond, m, n):
    """LAPACK's count (gelsd): singular values above rcond · s_max."""
    s = _np.asarray(getval(s))
    if rcond is None:
        rcond = _np.finfo(_np.float64).eps * max(m, n)
    if not 0 < rcond < 1:
        rcond = 2.0**-53
    return _np.intc(_np.count_nonzero(s > rcond * s.max())) if s.size else _np.intc(0)


@numpy_unless_traced(_np.linalg.lstsq)
def lstsq(a, b, rcond=None):
    """(x, residuals, rank, s) as numpy.linalg.lstsq; x, residuals and s are differentiable
    in a (of full rank) and b, rank is a constant (see :mod:`ravine.numpy.linalg_lstsq`)."""
    a, b = anp.asarray(a), anp.asarray(b)
    for ndim in (_np.ndim(getval(a)), max(_np.ndim(getval(b)), 2)):  # a vector b counts as one column
        if ndim != 2:
            raise _np.linalg.LinAlgError(f"{ndim}-dimensional array given. Array must be two-dimensional")
    m, n = _np.shape(getval(a))
    if _np.shape(getval(b))[0] != m:
        raise _np.linalg.LinAlgError("Incompatible dimensions")
    x, s = _lstsq(a, b, rcond)
    rank = _rank(s, rcond, m, n)
    if isinstance(a, Box) and rank < min(m, n):
        raise NotDifferentiableError(
            f"linalg.lstsq: a of shape {(m, n)} has rank {rank} < {min(m, n)} (rcond={rcond}), and its least-squares "
            "solution has no derivative in a there (it jumps where the rank changes). Differentiate a "
            "regularised problem instead (e.g. solve(a.T @ a + lam * eye(n), a.T @ b)), drop the dependent "
            "columns, or pass ravine.getval(a) to differentiate in b alone."
        )
    if rank == n and m > n:
        r = b - anp.matmul(a, x)
        residuals = anp.sum(anp.real(r * conj(r)), axis=0)
        residuals = anp.reshape(residuals, (1,)) if _np.ndim(getval(b)) == 1 else residuals
    else:
        residuals = _np.array([], dtype=_np.asarray(getval(s)).dtype)
    return x, residuals, rank, s
