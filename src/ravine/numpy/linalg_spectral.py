"""Eigen- and singular value decompositions with derivatives: ``eigh``, ``eig``, ``svd``,
for real or complex matrices and stacks of them.

Complex values.  A complex rule is derived for the gradient G = ∂L/∂Re + i ∂L/∂Im
in the real inner product ⟨X, Y⟩ = Re tr(XᴴY): ⟨G_A, dA⟩ = Σ ⟨G_out, d out⟩.
autograd's (and ravine's) cotangent ḡ is the conjugate of G (so that a holomorphic
f maps ḡ to f′ḡ), hence each VJP below is  ḡ ↦ conj(adjoint(conj ḡ)), and a real
input keeps the real part.  For real matrices, conj is the identity and the rules
are the familiar ones with transposes.

Gauge.  Eigen- and singular vectors are defined up to a phase e^{iθ} per vector
(a sign for real ones): only functions that do not depend on that phase (|V|, the
projector v vᴴ, u vᴴ, the eigenvalues, ...) have a derivative, and those are what
the rules get right.  The rules take the phase that moves least, Im(vᴴ dv) = 0
(for svd, on the right vectors v; the common phase of (u, v) then fixes u's).
All rules need distinct eigenvalues (non-zero, distinct singular values); equal
ones raise NotDifferentiableError when the vectors' derivative is asked for.
Second derivatives work: each rule is written with ravine's own (traced) operations.

eigh (A Hermitian, only the UPLO triangle read; S = that triangle mirrored, with
the real part of the diagonal: the matrix LAPACK decomposes):
    S = V diag(w) Vᴴ,  P = Vᴴ dS V,  dw = Re diag P,  dV = V (F ∘ P),  Fᵢⱼ = 1/(wⱼ − wᵢ)
    G_S = V (diag(G_w) + F ∘ VᴴG_V) Vᴴ,  G_A = tril(G_S + G_Sᴴ, −1) + diag(Re G_S)  (triu for 'U')
eig (A general, V with unit columns, as NumPy returns them):
    A = V diag(w) V⁻¹,  P = V⁻¹ dA V,  dw = diag P,  dV = V (X − diag(Re diag(VᴴV X))),  X = F ∘ P
    G_A = V⁻ᴴ (diag(G_w) + F̄ ∘ Vᴴ(G_V − V diag(Re diag(VᴴG_V)))) Vᴴ
svd (thin, k = min(m, n), A = U diag(s) Vᴴ, Fᵢⱼ = 1/(sⱼ² − sᵢ²)):
    P = Uᴴ dA V,  ds = Re diag P,
    UᴴdU = F ∘ (PS + SPᴴ) + i diag(Im P / s),  VᴴdV = F ∘ (SP + PᴴS)  (the phase sits in U),
    plus (I − UUᴴ) dA V S⁻¹ in dU and (I − VVᴴ) dAᴴ U S⁻¹ in dV (tall and wide A);
    G_A = U [(F ∘ K_U) S + diag(G_s) + S (F ∘ K_V) + diag(K_U)/2S] Vᴴ + the two projections,
    with K_U = UᴴG_U − G_UᴴU, K_V = VᴴG_V − G_VᴴV.
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.core import defjvp, defvjp
from ravine.autodiff.tracer import getval, primitive
from ravine.errors import NotDifferentiableError
from ravine.numpy import wrapper as anp
from ravine.numpy.linalg_base import (EighResult, EigResult, H, SVDResult, T, _solve, check_square, conj, diag_embed,
                                      diag_part, gap_inverse, named, real_if, require_distinct)

__all__ = ["eigh", "eigvalsh", "eig", "eigvals", "svd"]


# ---- Hermitian eigendecomposition ----------------------------------------------------------------------


def _read_triangle(A, UPLO):
    """The Hermitian matrix eigh decomposes: A's UPLO triangle, mirrored, real diagonal."""
    strict = anp.tril(A, -1) if UPLO == "L" else anp.triu(A, 1)
    return strict + H(strict) + diag_embed(anp.real(diag_part(A)))


def _read_triangle_adjoint(G, UPLO):
    """Adjoint of _read_triangle in Re tr(XᴴY): the gradient reaches only what eigh reads."""
    both = G + H(G)
    strict = anp.tril(both, -1) if UPLO == "L" else anp.triu(both, 1)
    return strict + diag_embed(anp.real(diag_part(G)))


@primitive
def _eigh(A, UPLO="L"):
    w, v = _np.linalg.eigh(A, UPLO)
    return (w, v)


def _grad_eigh(ans, A, UPLO="L"):
    w, V = ans
    F = gap_inverse(w)

    def vjp(g):
        gw, gV = g
        M = anp.matmul(H(V), conj(gV))
        require_distinct("eigh", w, M)
        G_S = anp.matmul(anp.matmul(V, diag_embed(gw) + F * M), H(V))
        return real_if(A, conj(_read_triangle_adjoint(G_S, UPLO)))

    return vjp


def _jvp_eigh(g, ans, A, UPLO="L"):
    w, V = ans
    P = anp.matmul(anp.matmul(H(V), _read_triangle(g, UPLO)), V)
    require_distinct("eigh", w, P)
    return (anp.real(diag_part(P)), anp.matmul(V, gap_inverse(w) * P))


defvjp(_eigh, _grad_eigh)
defjvp(_eigh, _jvp_eigh)


def eigh(a, UPLO: str = "L"):
    """(eigenvalues w, eigenvectors v), NumPy's EighResult, for Hermitian (real symmetric) a: eigenvalues ascending, orthonormal
    eigenvectors.  Only the UPLO triangle of a is read, so only it gets a derivative.
    Derivatives of v need distinct eigenvalues and are defined up to v's phase."""
    check_square("eigh", a)
    UPLO = UPLO.upper() if isinstance(UPLO, str) else UPLO  # NumPy takes 'l' and 'u' too
    if UPLO not in ("L", "U"):
        raise ValueError(f"eigh: UPLO must be 'L' or 'U'; received {UPLO!r}.")
    w, v = _eigh(a, UPLO)
    return named(EighResult, w, v)


def eigvalsh(a, UPLO: str = "L"):
    """Eigenvalues of Hermitian a, ascending (derivatives as :func:`eigh`)."""
    return eigh(a, UPLO)[0]


# ---- general eigendecomposition ------------------------------------------------------------------------


@primitive
def _eig(A):
    w, v = _np.linalg.eig(A)
    return (w, v)


def _grad_eig(ans, A):
    w, V = ans
    F = gap_inverse(w)

    def vjp(g):
        gw, gV = g
        # conjugated form of G_A above: V⁻ᵀ (diag(ḡ_w) + F ∘ (Vᵀḡ_V − VᵀV̄ diag(Re diag Vᵀḡ_V))) Vᵀ
        M = anp.matmul(T(V), gV)
        require_distinct("eig", w, M)
        inner = M - anp.matmul(anp.matmul(T(V), conj(V)), diag_embed(anp.real(diag_part(M))))
        Z = diag_embed(gw) + F * inner
        return real_if(A, _solve(T(V), anp.matmul(Z, T(V))))

    return vjp


def _jvp_eig(g, ans, A):
    w, V = ans
    P = _solve(V, anp.matmul(g, V))
    require_distinct("eig", w, P)
    X = gap_inverse(w) * P
    norm_change = anp.real(diag_part(anp.matmul(anp.matmul(H(V), V), X)))  # keeps every column of unit length
    return (diag_part(P), anp.matmul(V, X - diag_embed(norm_change)))


defvjp(_eig, _grad_eig)
defjvp(_eig, _jvp_eig)


def eig(a):
    """(w, v) with a v = v diag(w) for a general square a: complex in general, even
    for real a (NumPy returns real arrays when every eigenvalue is real).  Columns of
    v have unit length; derivatives need distinct eigenvalues and are defined up to
    each column's phase (use |v|, w, or phase-free products of v)."""
    check_square("eig", a)
    w, v = _eig(a)
    return named(EigResult, w, v)


def eigvals(a):
    """Eigenvalues of a general square a (derivatives as :func:`eig`)."""
    return eig(a)[0]


# ---- singular value decomposition -----------------------------------------------------------------------


@primitive
def _svd(A):
    U, s, Vh = _np.linalg.svd(A, full_matrices=False)
    return (U, s, Vh)


def _grad_svd(ans, A):
    U, s, Vh = ans
    V = H(Vh)
    F = gap_inverse(s, square=True)
    S = diag_embed(s)
    m, n = _np.shape(getval(A))[-2:]
    k = _np.shape(getval(s))[-1]
    is_complex = _np.iscomplexobj(getval(A))

    def vjp(g):
        gU, gs, gVh = g
        G_U, G_V = conj(gU), T(gVh)  # gradients of U and of V = Vhᴴ
        M_U, M_V = anp.matmul(H(U), G_U), anp.matmul(H(V), G_V)
        K_U, K_V = M_U - H(M_U), M_V - H(M_V)
        require_distinct("svd", s, K_U + K_V, square=True)
        core = anp.matmul(F * K_U, S) + diag_embed(gs) + anp.matmul(S, F * K_V)
        if is_complex:
            core = core + diag_embed(_over_singular_values(anp.expand_dims(diag_part(K_U), -2), s)[..., 0, :] / 2.0)
        out = anp.matmul(anp.matmul(U, core), Vh)
        if m > k:
            out = out + anp.matmul(_over_singular_values(G_U - anp.matmul(U, M_U), s), Vh)
        if n > k:
            out = out + anp.matmul(U, H(_over_singular_values(G_V - anp.matmul(V, M_V), s)))
        return real_if(A, conj(out))

    return vjp


def _over_singular_values(N, s, undefined=None):
    """N S⁻¹: column j of N divided by s_j.  Where s_j = 0 the singular vectors of a
    non-square matrix (and the phase of a complex one) are not unique: a zero column of N
    (nothing asked of them) contributes 0; any other raises in reverse mode, and in forward
    mode (where which outputs are used is not known) becomes ``undefined`` (NaN)."""
    zero = _np.asarray(getval(s)) == 0
    if not _np.any(zero):
        return N / anp.expand_dims(s, -2)
    asked = zero & _np.any(_np.asarray(getval(N)) != 0, axis=-2)
    if _np.any(asked) and undefined is None:
        raise NotDifferentiableError(
            "svd: a singular value is 0, so the matching singular vectors of this non-square (or complex) "
            "matrix are not unique and have no derivative. Differentiate the singular values alone "
            "(np.linalg.svd(a, compute_uv=False) or the norms), or perturb the matrix to full rank.")
    inverse = anp.where(zero, 0.0, 1.0 / anp.where(zero, 1.0, s))
    out = N * anp.expand_dims(inverse, -2)
    return anp.where(_np.expand_dims(asked, -2), undefined, out) if _np.any(asked) else out


def _jvp_svd(g, ans, A):
    U, s, Vh = ans
    V = H(Vh)
    F = gap_inverse(s, square=True)
    S = diag_embed(s)
    m, n = _np.shape(getval(A))[-2:]
    k = _np.shape(getval(s))[-1]
    P = anp.matmul(anp.matmul(H(U), g), V)
    require_distinct("svd", s, P, square=True)
    Omega_U = F * (anp.matmul(P, S) + anp.matmul(S, H(P)))
    if _np.iscomplexobj(getval(P)):
        phase = _over_singular_values(anp.expand_dims(1j * anp.imag(diag_part(P)), -2), s, _np.nan)
        Omega_U = Omega_U + diag_embed(phase[..., 0, :])
    dU = anp.matmul(U, Omega_U)
    if m > k:  # (I − UUᴴ) dA V S⁻¹, which is 0 for a square A
        dU = dU + _over_singular_values(anp.matmul(g, V) - anp.matmul(U, P), s, _np.nan)
    dV = anp.matmul(V, F * (anp.matmul(S, P) + anp.matmul(H(P), S)))
    if n > k:
        dV = dV + _over_singular_values(anp.matmul(H(g), U) - anp.matmul(V, H(P)), s, _np.nan)
    return (dU, anp.real(diag_part(P)), H(dV))


defvjp(_svd, _grad_svd)
defjvp(_svd, _jvp_svd)


@primitive
def singular_values(A):
    """The singular values of A (..., m, n), descending."""
    return _np.linalg.svd(A, compute_uv=False)


def _grad_singular_values(ans, A):
    # ds = Re diag(Uᴴ dA V), so G_A = U diag(G_s) Vᴴ and the VJP is conj of that
    U, _, Vh = _svd(A)
    return lambda g: real_if(A, anp.matmul(anp.matmul(conj(U), diag_embed(g)), conj(Vh)))


def _jvp_singular_values(g, ans, A):
    U, _, Vh = _svd(A)
    return anp.real(diag_part(anp.matmul(anp.matmul(H(U), g), H(Vh))))


defvjp(singular_values, _grad_singular_values)
defjvp(singular_values, _jvp_singular_values)


def svd(a, full_matrices: bool = True, compute_uv: bool = True, hermitian: bool = False):
    """(U, s, Vh) with a = U diag(s) Vh, for real or complex a.  Derivatives need
    distinct, non-zero singular values and are defined up to the common phase of
    each pair (uᵢ, vᵢ); for a non-square a, pass full_matrices=False (the extra
    columns of the full U or Vh are not unique, so they have no derivative)."""
    if getval(a) is a:
        return _np.linalg.svd(a, full_matrices, compute_uv, hermitian)
    if hermitian:
        return _hermitian_svd(a, compute_uv)
    if not compute_uv:
        return singular_values(a)
    m, n = _np.shape(getval(a))[-2:]
    if full_matrices and m != n:
        raise NotDifferentiableError(
            "svd(a, full_matrices=True) of a non-square traced matrix has no derivative (its extra "
            "singular vectors are not unique); pass full_matrices=False."
        )
    U, s, Vh = _svd(a)
    return named(SVDResult, U, s, Vh)


def _hermitian_svd(a, compute_uv):
    """NumPy's svd(a, hermitian=True), from eigh of a's lower triangle (so only that
    triangle gets a derivative): s = |w| in descending order, the signs of w moved into Vh."""
    w, u = eigh(a)
    w_raw = getval(w)
    order = _np.argsort(_np.abs(w_raw), axis=-1)[..., ::-1]
    s = anp.take_along_axis(anp.abs(w), order, axis=-1)
    if not compute_uv:
        return s
    signs = _np.take_along_axis(_np.copysign(1.0, w_raw), order, axis=-1)
    u = anp.take_along_axis(u, order[..., None, :], axis=-1)
    return named(SVDResult, u, s, conj(T(u * signs[..., None, :])))
