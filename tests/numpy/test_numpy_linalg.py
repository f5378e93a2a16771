"""ravine.numpy.linalg: derivatives of decompositions, solves and norms, checked to
second order in both modes (single matrices and stacks)."""

import numpy
import pytest

import ravine.numpy as np
from gradsweep import R, S, ids, run_case, sweep
from ravine import grad
from ravine.errors import NotDifferentiableError, ShapeError

la = np.linalg


def flat(*arrays):
    """One output array (check_grads differentiates an array or a boxed container)."""
    return np.concatenate([np.ravel(a) for a in arrays])


def sym(A):
    return 0.5 * (A + np.swapaxes(A, -1, -2))


def well_conditioned(*shape):
    return R(*shape) + 3 * numpy.eye(shape[-1])


def eigh_invariants(A):
    w, v = la.eigh(sym(A))
    return flat(w, v[..., :, 0:1] * v[..., None, :, 0])  # the projector v₀v₀ᵀ does not depend on v₀'s sign


def svd_invariants(A):
    U, s, Vh = la.svd(A, full_matrices=False)
    return flat(s, np.matmul(U[..., :, :1], Vh[..., :1, :]))  # u₀v₀ᵀ is sign-free


def qr_parts(A):
    Q, R_ = la.qr(A)
    return flat(Q, R_)


LINALG = (
    sweep(la.inv, [well_conditioned(3, 3), well_conditioned(2, 3, 3)])
    + sweep(la.solve, [well_conditioned(3, 3)], [R(3), R(3, 2)])
    + sweep(la.solve, [well_conditioned(2, 3, 3)], [R(2, 3, 2)], covers=("solve",))
    + sweep(la.det, [R(3, 3), R(2, 3, 3), R(1, 1)])
    + sweep(lambda A: la.slogdet(A)[1], [R(3, 3), R(2, 3, 3)], covers=("slogdet",))
    + sweep(lambda A: la.cholesky(sym(A)), [S(3, 3), S(2, 3, 3)], covers=("cholesky",))
    + sweep(eigh_invariants, [R(3, 3), R(2, 3, 3)], covers=("eigh",))
    + sweep(lambda A: la.eigvalsh(sym(A)), [R(3, 3)], covers=("eigvalsh",))
    + sweep(svd_invariants, [R(3, 3), R(4, 2), R(2, 4), R(2, 3, 2)], covers=("svd",))
    + sweep(lambda A: la.svd(A, compute_uv=False), [R(3, 2), R(2, 2, 3)], covers=("svd",))
    + sweep(qr_parts, [R(3, 3), R(4, 2), R(2, 3, 2)], covers=("qr",))
    + sweep(la.pinv, [R(3, 3), R(4, 2), R(2, 4)])
    + sweep(lambda X: la.pinv(la._dot(la.T(X), X)), [R(3, 5), R(2, 3, 4)], covers=("pinv",))  # constant rank 3 < 5
    + sweep(la.matrix_power, [R(3, 3)], [0, 1, 3, -2])
    + sweep(la.norm, [R(4)], ord=[None, 1, 2, numpy.inf, -numpy.inf, 3, 0.5])
    + sweep(la.norm, [R(2, 3), R(3, 3)], ord=["fro", "nuc", 1, -1, 2, -2, numpy.inf, -numpy.inf])
    + sweep(la.norm, [R(2, 3, 4)], ord=[None], axis=[None, 1, (0, 2)], keepdims=[False, True])
    + sweep(la.norm, [R(2, 3, 4)], ord=["nuc", 1, 2], axis=[(2, 0)], keepdims=[False, True])
)


@pytest.mark.parametrize("case", LINALG, ids=ids(LINALG))
def test_linalg(case):
    run_case(case)


def test_known_gradients():
    A = well_conditioned(3, 3)
    numpy.testing.assert_allclose(grad(la.det)(A), numpy.linalg.det(A) * numpy.linalg.inv(A).T)
    numpy.testing.assert_allclose(grad(lambda A: la.slogdet(A)[1])(A), numpy.linalg.inv(A).T)
    x = R(4)
    numpy.testing.assert_allclose(grad(la.norm)(x), x / numpy.linalg.norm(x))
    sign, logdet = la.slogdet(-numpy.eye(3))
    assert sign == -1.0 and logdet == 0.0


def test_norm_of_a_list_of_traced_scalars():
    # |(3x, 4x, 12)| at x = 1 is 13; its derivative is (9x + 16x) / 13 = 25/13
    f = lambda x: la.norm([3 * x, 4 * x, 12.0])  # noqa: E731
    assert grad(f)(1.0) == pytest.approx(25 / 13)
    assert grad(lambda x: la.norm((x, 2 * x)))(1.0) == pytest.approx(5**0.5)


def test_errors_name_the_problem():
    with pytest.raises(ShapeError, match="square"):
        la.inv  # noqa: B018  (plain numpy function; the traced wrappers below check)
        grad(lambda A: np.sum(la.solve(A, numpy.ones(2))))(R(2, 3))
    with pytest.raises(NotDifferentiableError, match="full_matrices=False"):
        grad(lambda A: np.sum(la.svd(A)[1]))(R(3, 2))
    with pytest.raises(NotDifferentiableError, match="m >= n"):
        grad(lambda A: np.sum(la.qr(A)[1]))(R(2, 3))


def test_untraced_calls_match_numpy():
    A = R(3, 2)
    assert la.svd(A)[0].shape == (3, 3)
    assert la.LinAlgError is numpy.linalg.LinAlgError
    numpy.testing.assert_allclose(la.norm(A, "nuc"), numpy.linalg.norm(A, "nuc"))
    numpy.testing.assert_allclose(la.matrix_power(R(2, 2) * 0 + numpy.eye(2), 0), numpy.eye(2))
