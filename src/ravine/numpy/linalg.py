"""``ravine.numpy.linalg``: numpy.linalg with derivatives, for matrices and stacks of them.

Rules (A: ..., n, n; Aᵀ swaps the last two axes; ḡ the cotangent, Ȧ the tangent):

* inv:      d(A⁻¹) = −A⁻¹ dA A⁻¹;                 Ā = −A⁻ᵀ ḡ A⁻ᵀ
* solve:    x = A⁻¹b, dx = A⁻¹(db − dA x);         b̄ = A⁻ᵀ ḡ, Ā = −b̄ xᵀ
* det:      d det A = det A · tr(A⁻¹ dA);          Ā = ḡ det A · A⁻ᵀ  (slogdet: log|det A|, sign constant)
* cholesky: A = LLᵀ, dL = L Φ(L⁻¹ dA L⁻ᵀ) with Φ = lower triangle, diagonal halved
* eigh:     dwᵢ = vᵢᵀ dA vᵢ, dV = V (F ∘ Vᵀ dA V), Fᵢⱼ = 1/(wⱼ − wᵢ)
* svd:      A = U S Vᵀ (thin), with Fᵢⱼ = 1/(sⱼ² − sᵢ²) (Townsend 2016)
* qr:       A = QR (m ≥ n), X = Qᵀ dA R⁻¹, Ω = tril(X,−1) − tril(X,−1)ᵀ, dR = (X − Ω)R, dQ = QΩ + dA R⁻¹ − QX
* pinv:     the Golub–Pereyra formula for A⁺ of constant rank

Cholesky and eigh read one triangle of A; their rules treat A as symmetric (the
derivative along a symmetric direction), as autograd does.  ``norm`` and
``matrix_power`` are written from differentiable primitives.  Names not wrapped
here (``LinAlgError``, ``matrix_rank``, ``lstsq``, ...) are NumPy's own.
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.core import defjvp, defvjp
from ravine.autodiff.tracer import getval, primitive
from ravine.errors import NotDifferentiableError, ShapeError
from ravine.numpy import wrapper as anp

__all__ = ["inv", "solve", "det", "slogdet", "cholesky", "eigh", "eigvalsh", "svd", "qr", "pinv",
           "norm", "matrix_power"]

inv = primitive(_np.linalg.inv)
det = primitive(_np.linalg.det)
cholesky = primitive(_np.linalg.cholesky)


def T(x):
    """Transpose of the last two axes."""
    return anp.swapaxes(x, -1, -2)


# autograd.numpy.linalg's private name for the batched matrix product; code written for
# autograd (its own test-suite among it) calls it, so it stays reachable here.
_dot = anp.matmul


def _sym(x):
    return 0.5 * (x + T(x))


def _as_matrix(x, d):
    """Append two axes so a stack of scalars multiplies a stack of matrices."""
    return anp.expand_dims(anp.expand_dims(x, -1), -1) if d else x


def _diag_embed(x):
    """(..., k) -> (..., k, k) with x on the diagonal."""
    return anp.expand_dims(x, -1) * _np.eye(_np.shape(getval(x))[-1])


def _diag_part(x):
    return anp.diagonal(x, 0, -2, -1)


def _check_square(name, A):
    shape = _np.shape(getval(A))
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ShapeError(f"linalg.{name} needs square matrices (..., n, n); received shape {shape}.")


def _real_only(name, A, traced=True):
    """The rules for cholesky, eigh, svd and qr are written for real matrices (Aᵀ, not Aᴴ):
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


@primitive
def _solve(A, b):
    return _np.linalg.solve(A, b)


def solve(a, b):
    """x with a x = b; b is a vector (n,) or a stack of matrices (..., n, k), as in NumPy 2."""
    _check_square("solve", a)
    return _solve(a, b)


def _as_columns(b):
    return anp.expand_dims(b, -1) if anp.ndim(b) == 1 else b


def _grad_solve_A(ans, A, b):
    def vjp(g):
        gb = _as_columns(_solve(T(A), g) if anp.ndim(b) > 1 else _solve(T(A), anp.reshape(g, (-1, 1))))
        out = -anp.matmul(gb, T(_as_columns(ans)))
        return anp.sum(out, axis=tuple(range(out.ndim - A.ndim))) if out.ndim > A.ndim else out

    return vjp


def _grad_solve_b(ans, A, b):
    def vjp(g):
        if anp.ndim(b) == 1:
            return anp.reshape(_solve(T(A), anp.reshape(g, (-1, 1))), _np.shape(getval(b)))
        return _solve(T(A), g)

    return vjp


defvjp(_solve, _grad_solve_A, _grad_solve_b)
defjvp(_solve, lambda g, ans, A, b: -_solve(A, anp.reshape(anp.matmul(g, _as_columns(ans)), _np.shape(getval(ans))))
       if anp.ndim(b) > 1 else -_solve(A, anp.matmul(g, ans)),
       lambda g, ans, A, b: _solve(A, g))

defvjp(det, lambda ans, A: lambda g: _as_matrix(g * ans, True) * T(inv(A)))
defjvp(det, lambda g, ans, A: ans * anp.sum(T(inv(A)) * g, axis=(-2, -1)))


@primitive
def _logabsdet(A):
    return _np.linalg.slogdet(A)[1]


defvjp(_logabsdet, lambda ans, A: lambda g: _as_matrix(g, True) * T(inv(A)))
defjvp(_logabsdet, lambda g, ans, A: anp.sum(T(inv(A)) * g, axis=(-2, -1)))


def slogdet(a):
    """(sign, log|det a|); the sign is piecewise constant, so only the log carries
    a derivative."""
    _check_square("slogdet", a)
    return _np.linalg.slogdet(getval(a))[0], _logabsdet(a)


# ---- Cholesky ------------------------------------------------------------------------------------------


def _phi(x):
    """Lower triangle with the diagonal halved."""
    return anp.tril(x) - 0.5 * _diag_embed(_diag_part(x))


def _grad_cholesky(ans, A):
    # Ā = sym(L⁻ᵀ Φ(Lᵀ ḡ) L⁻¹)
    L = ans
    _real_only("cholesky", A)

    def vjp(g):
        inner = _phi(anp.matmul(T(L), g))
        S = _solve(T(L), T(_solve(T(L), T(inner))))
        return _sym(S)

    return vjp


def _jvp_cholesky(g, ans, A):
    L = ans
    _real_only("cholesky", A)
    X = _solve(L, T(_solve(L, T(_sym(g)))))  # L⁻¹ sym(dA) L⁻ᵀ
    return anp.matmul(L, _phi(X))


defvjp(cholesky, _grad_cholesky)
defjvp(cholesky, _jvp_cholesky)

# ---- symmetric eigendecomposition ---------------------------------------------------------------------


def _gap_inverse(w, square=False):
    """F[..., i, j] = 1 / (w_j − w_i) (or of the squares), 0 on the diagonal;
    traced, since F depends on w (second derivatives need that)."""
    if square:
        w = w * w
    gaps = anp.expand_dims(w, -2) - anp.expand_dims(w, -1)
    eye = _np.eye(_np.shape(getval(w))[-1], dtype=bool)
    return anp.where(eye, 0.0, 1.0 / anp.where(eye, 1.0, gaps))


@primitive
def _eigh(A, UPLO="L"):
    w, v = _np.linalg.eigh(A, UPLO)
    return (w, v)


def _grad_eigh(ans, A, UPLO="L"):
    w, V = ans
    F = _gap_inverse(w)

    def vjp(g):
        gw, gV = g
        inner = _diag_embed(gw) + F * anp.matmul(T(V), gV)
        return _sym(anp.matmul(anp.matmul(V, inner), T(V)))

    return vjp


def _jvp_eigh(g, ans, A, UPLO="L"):
    w, V = ans
    P = anp.matmul(anp.matmul(T(V), _sym(g)), V)
    return (_diag_part(P), anp.matmul(V, _gap_inverse(w) * P))


defvjp(_eigh, _grad_eigh)
defjvp(_eigh, _jvp_eigh)


def eigh(a, UPLO="L"):
    """(w, v) for symmetric a: eigenvalues ascending and orthonormal eigenvectors.
    Derivatives need distinct eigenvalues."""
    _check_square("eigh", a)
    _real_only("eigh", a, a is not getval(a))
    w, v = _eigh(a, UPLO)
    return w, v


def eigvalsh(a, UPLO="L"):
    return eigh(a, UPLO)[0]


# ---- singular values, QR, pseudo-inverse ------------------------------------------------------------


@primitive
def _svd(A):
    U, s, Vh = _np.linalg.svd(A, full_matrices=False)
    return (U, s, Vh)


def _grad_svd(ans, A):
    U, s, Vh = ans
    V = T(Vh)
    F = _gap_inverse(s, square=True)
    m, n = _np.shape(getval(A))[-2:]

    def vjp(g):
        gU, gs, gVh = g
        gV = T(gVh)
        S = _diag_embed(s)
        S_inv = _diag_embed(1.0 / s)
        UtgU, VtgV = anp.matmul(T(U), gU), anp.matmul(T(V), gV)
        core = anp.matmul(F * (UtgU - T(UtgU)), S) + _diag_embed(gs) + anp.matmul(S, F * (VtgV - T(VtgV)))
        out = anp.matmul(anp.matmul(U, core), Vh)
        if m > _np.shape(getval(s))[-1]:
            out = out + anp.matmul(anp.matmul(gU - anp.matmul(U, UtgU), S_inv), Vh)
        if n > _np.shape(getval(s))[-1]:
            out = out + anp.matmul(anp.matmul(U, S_inv), T(gV - anp.matmul(V, VtgV)))
        return out

    return vjp


def _jvp_svd(g, ans, A):
    U, s, Vh = ans
    V = T(Vh)
    F = _gap_inverse(s, square=True)
    S = _diag_embed(s)
    S_inv = _diag_embed(1.0 / s)
    P = anp.matmul(anp.matmul(T(U), g), V)
    ds = _diag_part(P)
    dU = anp.matmul(U, F * (anp.matmul(P, S) + anp.matmul(S, T(P))))
    dV = anp.matmul(V, F * (anp.matmul(S, P) + anp.matmul(T(P), S)))
    dU = dU + anp.matmul(anp.matmul(g, V), S_inv) - anp.matmul(U, anp.matmul(P, S_inv))
    dV = dV + anp.matmul(anp.matmul(T(g), U), S_inv) - anp.matmul(V, anp.matmul(T(P), S_inv))
    return (dU, ds, T(dV))


defvjp(_svd, _grad_svd)
defjvp(_svd, _jvp_svd)


@primitive
def _singular_values(A):
    return _np.linalg.svd(A, compute_uv=False)


defvjp(_singular_values, lambda ans, A: lambda g: anp.matmul(
    anp.matmul(_svd(A)[0], _diag_embed(g)), _svd(A)[2]))
defjvp(_singular_values, lambda g, ans, A: _diag_part(anp.matmul(anp.matmul(T(_svd(A)[0]), g), T(_svd(A)[2]))))


def svd(a, full_matrices=True, compute_uv=True, hermitian=False):
    """(U, s, Vh) with a = U diag(s) Vh.  Derivatives need distinct, non-zero
    singular values; for a non-square a, pass full_matrices=False (the extra
    columns of the full U or Vh are not unique, so they have no derivative)."""
    _real_only("svd", a, a is not getval(a))
    if not compute_uv:
        return _singular_values(a)
    m, n = _np.shape(getval(a))[-2:]
    if full_matrices and m != n:
        if getval(a) is a:
            return _np.linalg.svd(a, full_matrices=True)
        raise NotDifferentiableError(
            "svd(a, full_matrices=True) of a non-square traced matrix has no derivative (its extra "
            "singular vectors are not unique); pass full_matrices=False."
        )
    U, s, Vh = _svd(a)
    return U, s, Vh


@primitive
def _qr(A):
    Q, R = _np.linalg.qr(A, mode="reduced")
    return (Q, R)


def _grad_qr(ans, A):
    # Ā = (Q̄ + Q copyltu(M)) R⁻ᵀ with M = R R̄ᵀ − Q̄ᵀ Q, copyltu(M) = tril(M) + tril(M, −1)ᵀ
    Q, R = ans

    def vjp(g):
        gQ, gR = g
        M = anp.matmul(R, T(gR)) - anp.matmul(T(gQ), Q)
        sym = anp.tril(M) + T(anp.tril(M, -1))
        return T(_solve(R, T(gQ + anp.matmul(Q, sym))))

    return vjp


def _jvp_qr(g, ans, A):
    Q, R = ans
    dA_Rinv = T(_solve(T(R), T(g)))
    X = anp.matmul(T(Q), dA_Rinv)
    lower = anp.tril(X, -1)
    Omega = lower - T(lower)
    return (anp.matmul(Q, Omega) + dA_Rinv - anp.matmul(Q, X), anp.matmul(X - Omega, R))


defvjp(_qr, _grad_qr)
defjvp(_qr, _jvp_qr)


def qr(a, mode="reduced"):
    """(Q, R) with a = QR, Q with orthonormal columns, R upper triangular (m ≥ n;
    mode 'reduced' only)."""
    _real_only("qr", a, a is not getval(a))
    m, n = _np.shape(getval(a))[-2:]
    if mode != "reduced" or m < n:
        raise NotDifferentiableError(
            f"qr is differentiable for mode='reduced' and tall or square matrices (m >= n); "
            f"received mode={mode!r} and shape {_np.shape(getval(a))}. For a wide matrix, take qr of a.T."
        )
    Q, R = _qr(a)
    return Q, R


pinv = primitive(_np.linalg.pinv)


def _grad_pinv(ans, A, rcond=None, hermitian=False, **kw):
    # Ā = −A⁺ᵀ ḡ A⁺ᵀ + (I − A A⁺) ḡᵀ A⁺ A⁺ᵀ + A⁺ᵀ A⁺ ḡᵀ (I − A⁺ A)
    P = ans

    def vjp(g):
        left = _np.eye(_np.shape(getval(A))[-2]) - anp.matmul(A, P)
        right = _np.eye(_np.shape(getval(A))[-1]) - anp.matmul(P, A)
        return (-anp.matmul(anp.matmul(T(P), g), T(P))
                + anp.matmul(anp.matmul(left, T(g)), anp.matmul(P, T(P)))
                + anp.matmul(anp.matmul(T(P), P), anp.matmul(T(g), right)))

    return vjp


def _jvp_pinv(g, ans, A, rcond=None, hermitian=False, **kw):
    P = ans
    left = _np.eye(_np.shape(getval(A))[-2]) - anp.matmul(A, P)
    right = _np.eye(_np.shape(getval(A))[-1]) - anp.matmul(P, A)
    return (-anp.matmul(anp.matmul(P, g), P) + anp.matmul(anp.matmul(P, T(P)), anp.matmul(T(g), left))
            + anp.matmul(anp.matmul(right, T(g)), anp.matmul(T(P), P)))


defvjp(pinv, _grad_pinv)
defjvp(pinv, _jvp_pinv)

# ---- composed from the primitives above ---------------------------------------------------------------


def matrix_power(a, n):
    """aⁿ by repeated squaring (a⁻¹ first for negative n)."""
    _check_square("matrix_power", a)
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
    return anp.sqrt(anp.sum(anp.real(x * anp.conj(x)), axis=axes, keepdims=keepdims))


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
    return anp.sum(a**ord, axis=axes, keepdims=keepdims) ** (1.0 / ord)


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
        _real_only(f"norm(ord={ord!r})", m, m is not getval(m))
        s = _singular_values(m)
        out = {"nuc": anp.sum, 2: anp.max, -2: anp.min}[ord](s, axis=-1)
        out = anp.expand_dims(anp.expand_dims(out, -1), -1)
        out = anp.moveaxis(out, (-2, -1), (row, col))
    else:
        raise ValueError(f"Invalid norm order {ord!r} for matrices.")
    return out if keepdims else anp.squeeze(out, axis=(row, col))


def __getattr__(name):
    try:
        return getattr(_np.linalg, name)
    except AttributeError:
        raise AttributeError(f"module 'ravine.numpy.linalg' has no attribute {name!r}") from None
