"""eigh, eig and svd for real and complex matrices: derivatives of phase-free functions
of the decompositions against central finite differences (both modes, second order),
and against answers known in closed form."""

import numpy
import pytest

import ravine.numpy as np
from gradsweep import C, R, ids, run_case, sweep
from ravine import grad, make_jvp
from ravine.errors import NotDifferentiableError
from ravine.test_util import check_grads

la = np.linalg


def flat(*arrays):
    return np.concatenate([np.ravel(a) for a in arrays])


def projector(V, k=0):
    """v_k v_kᴴ: free of v_k's phase (and sign)."""
    return V[..., :, k:k + 1] * np.conj(V[..., None, :, k])


def eigh_phase_free(A, UPLO="L"):
    w, V = la.eigh(A, UPLO)
    return flat(w, np.abs(V), projector(V, 1))


def eig_phase_free(A):
    w, V = la.eig(A)
    spectral_projector = V[..., :, :1] * la.inv(V)[..., :1, :]  # x₀ y₀ᵀ / (y₀ᵀ x₀): free of any scaling of V
    return flat(w, np.abs(V), spectral_projector)


def svd_phase_free(A):
    U, s, Vh = la.svd(A, full_matrices=False)
    return flat(s, np.abs(U), np.abs(Vh), U[..., :, :1] * Vh[..., :1, :])  # u₀ v₀ᴴ: the common phase cancels


_B = R(3, 3)
REAL_SPECTRUM = _B @ numpy.diag([1.0, 2.0, 3.5]) @ numpy.linalg.inv(_B)  # eig returns real arrays here

SPECTRAL = (
    # eigh reads one triangle of a (here non-symmetric, even non-Hermitian) matrix
    sweep(eigh_phase_free, [R(4, 4), R(2, 3, 3), C(4, 4), C(2, 3, 3)], UPLO=["L", "U"], covers=("eigh",))
    + sweep(lambda A: la.eigvalsh(A, "U"), [C(3, 3)], covers=("eigvalsh",))
    + sweep(eig_phase_free, [R(4, 4), R(2, 3, 3), C(4, 4), C(2, 3, 3)], covers=("eig",))
    + sweep(eig_phase_free, [REAL_SPECTRUM], covers=("eig",))
    + sweep(la.eigvals, [R(3, 3), C(2, 3, 3)])
    + sweep(svd_phase_free, [C(3, 3), C(4, 2), C(2, 4), C(2, 3, 2), C(2, 2, 3)], covers=("svd",))
    + sweep(lambda A: la.svd(A, compute_uv=False), [C(3, 2), C(2, 2, 3)], covers=("svd",))
    + sweep(la.norm, [C(3, 2)], ord=["nuc", 2, -2])
    + sweep(la.norm, [C(2, 3, 4)], ord=["nuc"], axis=[(2, 0)])
    + sweep(lambda A: flat(*la.slogdet(A)), [C(3, 3), C(2, 3, 3)], covers=("slogdet",))  # the phase too
    + sweep(la.pinv, [C(3, 3), C(4, 2), C(2, 2, 4)])
    + sweep(lambda X: la.pinv(X @ np.conj(np.swapaxes(X, -1, -2))), [C(4, 2), C(2, 3, 2)], covers=("pinv",))  # rank 2
)


@pytest.mark.parametrize("case", SPECTRAL, ids=ids(SPECTRAL))
def test_spectral(case):
    run_case(case)


def test_real_spectrum_gives_real_arrays():
    w, V = la.eig(REAL_SPECTRUM)
    assert not numpy.iscomplexobj(w) and not numpy.iscomplexobj(V)
    assert not numpy.iscomplexobj(grad(lambda A: np.sum(np.abs(la.eig(A)[1])))(REAL_SPECTRUM))


def test_a_tuple_of_complex_and_real_outputs():
    # eigenvalues (complex) and |eigenvectors| (real) in one pytree
    check_grads(lambda A: tuple(la.eig(A)[:1]) + (np.abs(la.eig(A)[1]),))(C(3, 3))


# ---- eigh reads one triangle ----------------------------------------------------------------------------


def largest_eigenvalue_2x2(a, b, d):
    """Of the symmetric (or Hermitian) [[a, b̄], [b, d]]."""
    return (a + d) / 2 + numpy.sqrt(((a - d) / 2) ** 2 + abs(b) ** 2)


@pytest.mark.parametrize("UPLO", ["L", "U"])
def test_eigh_derivative_reaches_only_the_triangle_it_reads(UPLO):
    A = numpy.array([[1.0, 5.0], [0.5, 3.0]])  # not symmetric: 'L' reads 0.5, 'U' reads 5.0
    b = A[1, 0] if UPLO == "L" else A[0, 1]
    read, ignored = ((1, 0), (0, 1)) if UPLO == "L" else ((0, 1), (1, 0))
    g = grad(lambda A: la.eigh(A, UPLO)[0][-1])(A)
    r = numpy.sqrt(1.0 + b**2)  # λ_max = 2 + sqrt(1 + b²)
    numpy.testing.assert_allclose(g[read], b / r)
    assert g[ignored] == 0.0
    numpy.testing.assert_allclose([g[0, 0], g[1, 1]], [0.5 - 0.5 / r, 0.5 + 0.5 / r])
    assert la.eigh(A, UPLO)[0][-1] == pytest.approx(largest_eigenvalue_2x2(1.0, b, 3.0))
    # forward mode: moving the ignored entry changes nothing
    direction = numpy.zeros((2, 2))
    direction[ignored] = 1.0
    assert make_jvp(lambda A: la.eigh(A, UPLO)[0])(A)(direction)[1] == pytest.approx([0.0, 0.0])


def test_eigh_of_a_complex_hermitian_matrix_known_gradient():
    b = 0.6 - 0.8j  # |b| = 1
    A = numpy.array([[1.0, numpy.conj(b)], [b, 3.0]])
    g = grad(lambda A: la.eigvalsh(A)[-1])(A)
    # λ_max = 2 + sqrt(1 + |b|²); for a real f of complex b, autograd's gradient is ∂f/∂Re b − i ∂f/∂Im b
    numpy.testing.assert_allclose(g[1, 0], numpy.conj(b) / numpy.sqrt(2.0))
    assert g[0, 1] == 0.0
    assert la.eigvalsh(A)[-1] == pytest.approx(largest_eigenvalue_2x2(1.0, b, 3.0))


# ---- eig -------------------------------------------------------------------------------------------------


def test_eig_known_gradients_trace_and_determinant():
    A = numpy.array([[0.0, -2.0, 0.5], [1.0, 0.3, 0.0], [0.2, 0.0, 1.5]])  # a complex pair and a real eigenvalue
    assert numpy.iscomplexobj(la.eig(A)[0])
    # Σ wᵢ² = tr(A²): gradient 2Aᵀ;  Π wᵢ = det A: gradient det(A) A⁻ᵀ
    g = grad(lambda A: np.real(np.sum(la.eig(A)[0] ** 2)))(A)
    assert not numpy.iscomplexobj(g)  # a real matrix gets a real gradient, though w and V are complex
    numpy.testing.assert_allclose(g, 2 * A.T, atol=1e-12)
    numpy.testing.assert_allclose(grad(lambda A: np.real(np.prod(la.eig(A)[0])))(A),
                                  numpy.linalg.det(A) * numpy.linalg.inv(A).T, atol=1e-12)


def test_eig_eigenvalue_derivative_uses_left_and_right_vectors():
    A = numpy.array([[2.0, 3.0], [0.0, 5.0]])  # w = (2, 5); for λ = 2: x = e₀, y ∝ (1, −1)·… with yᵀx = 1
    w, _ = la.eig(A)
    k = int(numpy.argmin(w))
    g = grad(lambda A: np.real(la.eig(A)[0][k]))(A)
    # dλ = yᵀ dA x / yᵀx with x = (1, 0) and y = (1, −1) (left eigenvector of λ = 2): gradient y xᵀ
    numpy.testing.assert_allclose(g, [[1.0, 0.0], [-1.0, 0.0]], atol=1e-12)


# ---- svd -------------------------------------------------------------------------------------------------


def test_complex_nuclear_and_spectral_norm_gradients():
    A = C(3, 2)
    U, s, Vh = numpy.linalg.svd(A, full_matrices=False)
    # ‖A‖_* = Σ sᵢ: d‖A‖_* = Re tr((U Vᴴ)ᴴ dA), so autograd's gradient is conj(U Vᴴ)
    numpy.testing.assert_allclose(grad(lambda A: la.norm(A, "nuc"))(A), numpy.conj(U @ Vh))
    numpy.testing.assert_allclose(grad(lambda A: la.norm(A, 2))(A), numpy.conj(numpy.outer(U[:, 0], Vh[0])))


# ---- errors ----------------------------------------------------------------------------------------------


def test_repeated_eigenvalues():
    A = numpy.diag([1.0, 1.0, 2.0])
    weights = R(3, 3)
    # a symmetric function of the eigenvalues is still differentiable: Σ w = tr A
    numpy.testing.assert_allclose(grad(lambda A: np.sum(la.eigvalsh(A)))(A), numpy.eye(3))
    with pytest.raises(NotDifferentiableError, match="positions 0 and 1 are equal"):
        grad(lambda A: np.sum(weights * la.eigh(A)[1]))(A)
    with pytest.raises(NotDifferentiableError, match="eigenvalues alone"):
        make_jvp(lambda A: la.eigh(A)[1])(A)(R(3, 3))
    with pytest.raises(NotDifferentiableError, match="equal"):
        grad(lambda A: np.real(np.sum(weights * la.eig(A)[1])))(A)
    with pytest.raises(NotDifferentiableError, match="singular values"):
        grad(lambda A: np.sum(weights * la.svd(A)[0]))(A)


def test_eigh_rejects_a_bad_triangle_name():
    with pytest.raises(ValueError, match="'L' or 'U'"):
        la.eigh(R(2, 2), "X")
    A = R(3, 3)
    numpy.testing.assert_allclose(la.eigh(A, "u")[0], numpy.linalg.eigh(A, "U")[0])


def test_complex_determinant_phase_and_log_modulus():
    theta = 0.7
    A = numpy.diag([2.0 * numpy.exp(1j * theta), 3.0])  # det = 6 e^{iθ}
    along_theta = numpy.diag([2j * numpy.exp(1j * theta), 0.0])  # dA/dθ
    (sign, logdet), (dsign, dlogdet) = make_jvp(la.slogdet)(A)(along_theta)
    assert sign == pytest.approx(numpy.exp(1j * theta)) and logdet == pytest.approx(numpy.log(6.0))
    assert dsign == pytest.approx(1j * numpy.exp(1j * theta)) and dlogdet == pytest.approx(0.0)
    assert not numpy.iscomplexobj(dlogdet)
