"""svd and qr of rank-deficient matrices: derivatives where they exist, a clear error where not.

Found by a randomised hunt over compositions (a rank-one ``outer`` fed to ``svd``/``qr``):

* ``svd(a, full_matrices=False)`` of a tall or wide matrix with a zero singular value gave
  NaN everywhere in reverse mode, even for a function of the singular values alone, whose
  derivative exists (``svd(a, compute_uv=False)`` gave it): the rule multiplied the unused
  projection term, 0, by 1/0.  Its forward mode gave NaN in every column of dU, and for a
  square matrix too, where the projection (I − UUᴴ) is 0.
* ``qr`` of a matrix whose R has an exact zero on the diagonal raised NumPy's bare
  ``LinAlgError: Singular matrix`` from inside the rule.
"""

from __future__ import annotations

import numpy
import pytest

import ravine.numpy as np
from ravine import grad, make_jvp
from ravine.errors import NotDifferentiableError
from ravine.test_util import check_grads

TALL = numpy.zeros((3, 2))
TALL[0, 0] = 2.0  # singular values (2, 0)
WIDE = TALL.T.copy()
SQUARE = numpy.diag([1.5, 0.0])
DIRECTION = numpy.random.default_rng(3).standard_normal((3, 2))


@pytest.mark.parametrize("a", [TALL, WIDE, SQUARE], ids=["tall", "wide", "square"])
def test_singular_values_through_the_full_svd_have_the_svdvals_derivative(a):
    through_svd = grad(lambda x: np.sum(np.linalg.svd(x, full_matrices=False)[1] * numpy.array([1.0, 3.0])))(a)
    alone = grad(lambda x: np.sum(np.linalg.svd(x, compute_uv=False) * numpy.array([1.0, 3.0])))(a)
    assert numpy.all(numpy.isfinite(through_svd))
    numpy.testing.assert_allclose(through_svd, alone, atol=1e-15)
    # d s₁ = u₁ᵀ dA v₁ = dA[0, 0] for either shape (s₁ = 2 or 1.5 sits at entry (0, 0))
    assert through_svd[0, 0] == pytest.approx(1.0)


def _projector_of_first_left_vector(np_module, x):
    u = np_module.linalg.svd(x, full_matrices=False)[0][:, 0]
    return np_module.sum(np_module.outer(u, u) * numpy.arange(9.0).reshape(3, 3))


def test_the_vector_of_the_nonzero_singular_value_has_its_derivative():
    # u₁u₁ᵀ does not depend on the sign NumPy picks, so central differences of NumPy apply.
    got = grad(lambda x: _projector_of_first_left_vector(np, x))(TALL)
    h = 1e-6
    want = numpy.zeros_like(TALL)
    for index in numpy.ndindex(TALL.shape):
        step = numpy.zeros_like(TALL)
        step[index] = h
        want[index] = (_projector_of_first_left_vector(numpy, TALL + step)
                       - _projector_of_first_left_vector(numpy, TALL - step)) / (2 * h)
    numpy.testing.assert_allclose(got, want, atol=1e-8)
    tangent = make_jvp(lambda x: _projector_of_first_left_vector(np, x))(TALL)(DIRECTION)[1]
    assert tangent == pytest.approx(numpy.sum(want * DIRECTION), abs=1e-8)


def test_asking_for_the_vector_of_a_zero_singular_value_raises_a_clear_error():
    with pytest.raises(NotDifferentiableError, match="singular value is 0"):
        grad(lambda x: np.sum(np.linalg.svd(x, full_matrices=False)[0][:, 1] * numpy.array([1.0, 2.0, 3.0])))(TALL)


def test_forward_mode_marks_only_the_undefined_columns():
    _, (dU, ds, _) = make_jvp(lambda x: np.linalg.svd(x, full_matrices=False))(TALL)(DIRECTION)
    assert numpy.all(numpy.isfinite(dU[:, 0])) and numpy.all(numpy.isnan(dU[:, 1]))
    numpy.testing.assert_allclose(ds, [DIRECTION[0, 0], DIRECTION[1, 1]])  # uᵢᵀ dA vᵢ with u, v = ±e
    _, (dU, _, _) = make_jvp(lambda x: np.linalg.svd(x))(SQUARE)(DIRECTION[:2])
    assert numpy.all(numpy.isfinite(dU))  # square: no projection term, nothing undefined


def test_full_rank_svd_rules_are_unchanged():
    a = TALL + 0.4 * DIRECTION
    check_grads(lambda x: np.linalg.svd(x, full_matrices=False)[1], modes=("fwd", "rev"), order=2)(a)
    check_grads(lambda x: _projector_of_first_left_vector(np, x), modes=("fwd", "rev"), order=1)(a)


@pytest.mark.parametrize("mode", ["rev", "fwd"])
def test_qr_of_an_exactly_rank_deficient_matrix_names_the_problem(mode):
    a = numpy.array([[1.0, 0.0], [0.0, 0.0], [0.0, 0.0]])  # R = diag(±1, 0) exactly
    def f(x):
        return np.sum(np.linalg.qr(x)[1])

    with pytest.raises(NotDifferentiableError, match="qr: R has a zero on its diagonal"):
        if mode == "rev":
            grad(f)(a)
        else:
            make_jvp(f)(a)(numpy.ones((3, 2)))
    check_grads(f, modes=("fwd", "rev"), order=2)(a + 0.3 * DIRECTION)  # full rank nearby: unchanged
