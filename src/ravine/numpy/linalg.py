"""``ravine.numpy.linalg``: numpy.linalg with derivatives, for matrices and stacks of them.

Rules (A: ..., n, n; Aᵀ swaps the last two axes; ḡ the cotangent, Ȧ the tangent):

* inv:      d(A⁻¹) = −A⁻¹ dA A⁻¹;                 Ā = −A⁻ᵀ ḡ A⁻ᵀ
* solve:    x = A⁻¹b, dx = A⁻¹(db − dA x);         b̄ = A⁻ᵀ ḡ, Ā = −b̄ xᵀ
* det:      d det A = det A · tr(A⁻¹ dA);          Ā = ḡ det A · A⁻ᵀ
* slogdet:  d log|det A| = Re tr(A⁻¹ dA); the sign is constant for a real A, and the phase
            s = det/|det| of a complex A has ds = s · i Im tr(A⁻¹ dA)
* cholesky: A = LLᵀ, dL = L Φ(L⁻¹ dA L⁻ᵀ) with Φ = lower triangle, diagonal halved
* eigh, eig, svd (real or complex): see :mod:`ravine.numpy.linalg_spectral`
* qr:       A = QR (m ≥ n), X = Qᵀ dA R⁻¹, Ω = tril(X,−1) − tril(X,−1)ᵀ, dR = (X − Ω)R, dQ = QΩ + dA R⁻¹ − QX
* pinv:     A⁺ of constant rank (Golub–Pereyra), real or complex:
            dA⁺ = −A⁺ dA A⁺ + A⁺A⁺ᴴ dAᴴ (I − AA⁺) + (I − A⁺A) dAᴴ A⁺ᴴA⁺

Cholesky reads one triangle of A; its rule treats A as symmetric (the derivative
along a symmetric direction), as autograd does.  Cholesky and qr are for real
matrices; pinv and the spectral decompositions take complex ones too.  ``norm`` and
``matrix_power`` are written from differentiable primitives.  ``lstsq`` is in
:mod:`ravine.numpy.linalg_lstsq`; the array-API functions (vector_norm, vecdot, svdvals, ...),
``cond``, ``multi_dot``, ``tensorinv``, ``tensorsolve`` and ``matrix_rank`` (a constant) in
:mod:`ravine.numpy.linalg_namespace`.  Names not wrapped here (``LinAlgError``, ...) are NumPy's own.
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.core import defjvp, defvjp
from ravine.autodiff.tracer import Box, getval, primitive
from ravine.errors import NotDifferentiableError, ShapeError
from ravine.numpy import wrapper as anp
from ravine.numpy.linalg_base import (H, QRResult, SlogdetResult, T, _dot, _solve, as_matrix, check_square, conj,
                                      diag_embed, diag_part, named, solve, sym)
from ravine.numpy.linalg_spectral import _read_triangle, eig, eigh, eigvals, eigvalsh, singular_values, svd

__all__ = ["inv", "solve", "det", "slogdet", "cholesky", "eigh", "eigvalsh", "eig", "eigvals", "svd", "qr", "pinv",
           "norm", "matrix_power"]

inv = primitive(_np.linalg.inv)
det = primitive(_np.linalg.det)
_cholesky = primitive(_np.linalg.cholesky)


def _real_only(name, A, traced=True):
    """The rules for cholesky and qr are written for real matrices (Aᵀ, not Aᴴ):
    refuse a traced complex matrix rather than return a wrong derivative."""
    if traced and _np.iscomplexobj(getval(A)):
        raise NotDifferentiableError(
            f"linalg.{name} of a complex matrix cannot be differentiated by ravine (its derivative "
            f"rule is for real matrices). Differentiate a real formulation instead, e.g. the real "
            f"embedding [[Re A, -Im A], [Im A, Re A]], or call linalg.{name} on getval(A) if no "
            "derivative is needed."
        )


# ---- inverse, solve, determinants ------------------------------------------------------------
defvjp(inv, lambda ans, A: lambda g: -anp.matmul(anp.matmul(T(ans), g), T(ans)))
defjvp(inv, lambda g, ans, A: -anp.matmul(anp.matmul(ans, g), ans))


defvjp(det, lambda ans, A: lambda g: as_matrix(g * ans, True) * T(inv(A)))
defjvp(det, lambda g, ans, A: ans * anp.sum(T(inv(A)) * g, axis=(-2, -1)))


@primitive
def _logabsdet(A):
    return _np.linalg.slogdet(A)[1]


defvjp(_logabsdet, lambda ans, A: lambda g: as_matrix(g, True) * T(inv(A)))
# log|det A| = Re log det A: the real part of the holomorphic rule (a complex tangent was returned)
defjvp(_logabsdet, lambda g, ans, A: anp.real(anp.sum(T(inv(A)) * g, axis=(-2, -1))))


@primitive
def _det_phase(A):
    return _np.linalg.slogdet(A)[0]


# The sign of a complex determinant is its phase s = det A / |det A|: ds = s · i Im tr(A⁻¹ dA).
# Gradient G_A = −i Im(conj(G_s) s) A⁻ᴴ; autograd's cotangent conjugated: VJP ḡ ↦ i Im(ḡ s) A⁻ᵀ.
defvjp(_det_phase, lambda ans, A: lambda g: as_matrix(1j * anp.imag(g * ans), True) * T(inv(A)))
defjvp(_det_phase, lambda g, ans, A: ans * (1j * anp.imag(anp.sum(T(inv(A)) * g, axis=(-2, -1)))))


def slogdet(a):
    """(sign, log|det a|).  For a real a the sign (±1) is piecewise constant, so only
    the log carries a derivative; for a complex a the sign is the phase det/|det|,
    differentiable as well."""
    check_square("slogdet", a)
    if a is not getval(a) and _np.iscomplexobj(getval(a)):
        return named(SlogdetResult, _det_phase(a), _logabsdet(a))
    return named(SlogdetResult, _np.linalg.slogdet(getval(a))[0], _logabsdet(a))


# ---- Cholesky ------------------------------------------------------------------------------------------


def _phi(x):
    """Lower triangle with the diagonal halved."""
    return anp.tril(x) - 0.5 * diag_embed(diag_part(x))


def _grad_cholesky(ans, A):
    # Ā = sym(L⁻ᵀ Φ(Lᵀ ḡ) L⁻¹)
    L = ans
    _real_only("cholesky", A)

    def vjp(g):
        inner = _phi(anp.matmul(T(L), g))
        S = _solve(T(L), T(_solve(T(L), T(inner))))
        return sym(S)

    return vjp


def _jvp_cholesky(g, ans, A):
    L = ans
    _real_only("cholesky", A)
    X = _solve(L, T(_solve(L, T(sym(g)))))  # L⁻¹ sym(dA) L⁻ᵀ
    return anp.matmul(L, _phi(X))


defvjp(_cholesky, _grad_cholesky)
defjvp(_cholesky, _jvp_cholesky)


def cholesky(a, /, *, upper=False):
    """The Cholesky factor L (A = LLᵀ) or, with ``upper``, R = Lᵀ (A = RᵀR), which NumPy
    computes from A's upper triangle: R = cholesky(Aᵀ)ᵀ."""
    if not isinstance(a, Box):
        return _np.linalg.cholesky(a, upper=upper)
    return T(_cholesky(T(a))) if upper else _cholesky(a)

# ---- QR, pseudo-inverse ------------------------------------------------------------------------------


@primitive
def _qr(A):
    Q, R = _np.linalg.qr(A, mode="reduced")
    return (Q, R)


def _require_full_rank(R):
    """The QR rules solve with R: a zero on its diagonal (A rank-deficient) leaves Q's
    trailing columns, and so both factors' derivatives, undefined."""
    if _np.any(diag_part(getval(R)) == 0):
        raise NotDifferentiableError(
            "qr: R has a zero on its diagonal (the matrix is rank-deficient), so its Q and R have no "
            "derivative there. Differentiate a full-rank matrix (add a small multiple of the identity), "
            "or use svd/eigh-based quantities that stay defined.")


def _grad_qr(ans, A):
    # Ā = (Q̄ + Q copyltu(M)) R⁻ᵀ with M = R R̄ᵀ − Q̄ᵀ Q, copyltu(M) = tril(M) + tril(M, −1)ᵀ
    Q, R = ans
    _require_full_rank(R)

    def vjp(g):
        gQ, gR = g
        M = anp.matmul(R, T(gR)) - anp.matmul(T(gQ), Q)
        sym = anp.tril(M) + T(anp.tril(M, -1))
        return T(_solve(R, T(gQ + anp.matmul(Q, sym))))

    return vjp


def _jvp_qr(g, ans, A):
    Q, R = ans
    _require_full_rank(R)
    dA_Rinv = T(_solve(T(R), T(g)))
    X = anp.matmul(T(Q), dA_Rinv)
    lower = anp.tril(X, -1)
    Omega = lower - T(lower)
    return (anp.matmul(Q, Omega) + dA_Rinv - anp.matmul(Q, X), anp.matmul(X - Omega, R))


defvjp(_qr, _grad_qr)
defjvp(_qr, _jvp_qr)


def qr(a, mode="reduced"):
    """(Q, R) with a = QR, Q with orthonormal columns, R upper triangular (m ≥ n;
    mode 'reduced', or 'r' for R alone)."""
    if not isinstance(a, Box):
        return _np.linalg.qr(a, mode)
    _real_only("qr", a, a is not getval(a))
    m, n = _np.shape(getval(a))[-2:]
    if mode == "r" and m >= n:
        return _qr(a)[1]
    if mode != "reduced" or m < n:
        raise NotDifferentiableError(
            f"qr is differentiable for mode='reduced' and tall or square matrices (m >= n); "
            f"received mode={mode!r} and shape {_np.shape(getval(a))}. For a wide matrix, take qr of a.T."
        )
    Q, R = _qr(a)
    return named(QRResult, Q, R)


_pinv = primitive(_np.linalg.pinv)


def _pinv_projectors(A, P):
    """I − A A⁺ and I − A⁺ A: the projectors off the range of A and off its row space."""
    m, n = _np.shape(getval(A))[-2:]
    return _np.eye(m) - anp.matmul(A, P), _np.eye(n) - anp.matmul(P, A)


def _grad_pinv(ans, A, rcond=None, hermitian=False, **kw):
    # gradient (∂/∂Re + i ∂/∂Im): G_A = −A⁺ᴴ G A⁺ᴴ + (I − A A⁺) Gᴴ A⁺ A⁺ᴴ + A⁺ᴴ A⁺ Gᴴ (I − A⁺ A);
    # autograd's cotangent is its conjugate (for real A: Aᴴ = Aᵀ and conj does nothing)
    P = ans
    left, right = _pinv_projectors(A, P)

    def vjp(g):
        G = conj(g)
        out = (-anp.matmul(anp.matmul(H(P), G), H(P))
               + anp.matmul(anp.matmul(left, H(G)), anp.matmul(P, H(P)))
               + anp.matmul(anp.matmul(H(P), P), anp.matmul(H(G), right)))
        return conj(out)

    return vjp


def _jvp_pinv(g, ans, A, rcond=None, hermitian=False, **kw):
    P = ans
    left, right = _pinv_projectors(A, P)
    return (-anp.matmul(anp.matmul(P, g), P) + anp.matmul(anp.matmul(P, H(P)), anp.matmul(H(g), left))
            + anp.matmul(anp.matmul(right, H(g)), anp.matmul(H(P), P)))


defvjp(_pinv, _grad_pinv)
defjvp(_pinv, _jvp_pinv)


def pinv(a, rcond=None, hermitian=False, *, rtol=_np._NoValue):
    """A⁺.  With ``hermitian`` NumPy decomposes the matrix eigh reads (A's lower triangle,
    mirrored), so the derivative goes to that triangle only, as eigh's does."""
    options = {} if rtol is _np._NoValue else {"rtol": rtol}
    if hermitian and isinstance(a, Box):
        return _pinv(_read_triangle(a, "L"), rcond, False, **options)
    return _pinv(a, rcond, hermitian, **options)

# ---- composed from the primitives above ---------------------------------------------------------------


def matrix_power(a, n):
    """aⁿ by repeated squaring (a⁻¹ first for negative n)."""
    check_square("matrix_power", a)
    if n < 0:
        a, n = inv(a), -n
    result = None
    while n:
        if n & 1:
            result = a if result is None else anp.matmul(result, a)
        n >>= 1
        if n:
            a = anp.matmul(a, a)
    return result if result is not None else anp.broadcast_to(_np.eye(_np.shape(getval(a))[-1]), _np.shape(getval(a)))


def norm(x, ord=None, axis=None, keepdims=False):
    """numpy.linalg.norm from differentiable pieces: vector p-norms, and the
    Frobenius, nuclear, 1, 2, ∞ (and negative) matrix norms.  A list or tuple
    (of traced scalars, say) is first made an array, as by ``np.array``."""
    if isinstance(x, (list, tuple)):
        x = anp.array(x)
    ndim = anp.ndim(x)
    if axis is None:
        if ord is None:
            return _root_sum_squares(x, tuple(range(ndim)), keepdims)
        axis = tuple(range(ndim))
    axes = (axis,) if isinstance(axis, (int, _np.integer)) else tuple(axis)
    if len(axes) == 1:
        return _vector_norm(x, 2 if ord is None else ord, axes, keepdims)
    if len(axes) == 2:
        return _matrix_norm(x, "fro" if ord is None else ord, axes, keepdims)
    raise ShapeError(f"norm takes one axis (vector norm) or two (matrix norm); received axis={axis!r}.")


def _root_sum_squares(x, axes, keepdims):
    return anp.root_flat_at_zero(anp.sum(anp.real(x * anp.conj(x)), axis=axes, keepdims=keepdims))


def _vector_norm(x, ord, axes, keepdims):
    if ord == 2:
        return _root_sum_squares(x, axes, keepdims)
    a = anp.abs(x)
    if ord == _np.inf:
        return anp.max(a, axis=axes, keepdims=keepdims)
    if ord == -_np.inf:
        return anp.min(a, axis=axes, keepdims=keepdims)
    if ord == 0:
        return _np.sum(getval(a) != 0, axis=axes, keepdims=keepdims).astype(float)
    total = anp.sum(a**ord, axis=axes, keepdims=keepdims)
    return anp.root_flat_at_zero(total, ord) if ord >= 1 else total ** (1.0 / ord)


def _matrix_norm(x, ord, axes, keepdims):
    row, col = (a % anp.ndim(x) for a in axes)
    if ord == "fro":
        return _root_sum_squares(x, axes, keepdims)
    if ord in (1, -1, _np.inf, -_np.inf):
        summed_axis, reduce_axis = (row, col) if ord in (1, -1) else (col, row)
        sums = anp.sum(anp.abs(x), axis=summed_axis, keepdims=True)
        out = (anp.max if ord in (1, _np.inf) else anp.min)(sums, axis=reduce_axis, keepdims=True)
    elif ord in ("nuc", 2, -2):
        m = anp.moveaxis(x, (row, col), (-2, -1))
        s = singular_values(m)
        out = {"nuc": anp.sum, 2: anp.max, -2: anp.min}[ord](s, axis=-1)
        out = anp.expand_dims(anp.expand_dims(out, -1), -1)
        out = anp.moveaxis(out, (-2, -1), (row, col))
    else:
        raise ValueError(f"Invalid norm order {ord!r} for matrices.")
    return out if keepdims else anp.numpy_scalar(anp.squeeze(out, axis=(row, col)))


# The modules below import norm, inv and _vector_norm from this one: they come last.
from ravine.numpy.linalg_lstsq import lstsq
from ravine.numpy.linalg_namespace import (
    cond,
    cross,
    diagonal,
    matmul,
    matrix_norm,
    matrix_rank,
    matrix_transpose,
    multi_dot,
    outer,
    svdvals,
    tensordot,
    tensorinv,
    tensorsolve,
    trace,
    vecdot,
    vector_norm,
)

__all__ += ["cond", "cross", "diagonal", "lstsq", "matmul", "matrix_norm", "matrix_rank", "matrix_transpose",
            "multi_dot", "outer", "svdvals", "tensordot", "tensorinv", "tensorsolve", "trace", "vecdot", "vector_norm"]


def __getattr__(name):
    try:
        return getattr(_np.linalg, name)
    except AttributeError:
        raise AttributeError(f"module 'ravine.numpy.linalg' has no attribute {name!r}") from None
