"""κ for singular and indefinite Hessians, against numpy.linalg.eigvalsh of the
explicit matrix: an eigenvalue at rounding level is a zero (κ = inf, not 1e16),
and the smallest magnitude of an indefinite spectrum is found when it is 0."""

import numpy
import pytest

import ravine.numpy as np
from ravine.diagnose.curvature import (
    condition_number,
    extreme_eigenpairs,
    hessian_matrix,
    hessian_operator,
)
from tests.diagnose.test_krylov import rotated


def _rotated(eigenvalues, seed=0):
    """Q diag(λ) Qᵀ, symmetrised exactly (the symmetry check refuses rounding asymmetry)."""
    a = rotated(eigenvalues, seed)
    return 0.5 * (a + a.T)


def test_softmax_regression_hessian_is_singular_not_indefinite():
    # Adding a constant to every logit leaves the softmax unchanged, so the Hessian has a
    # null space; the loss is convex, so it is positive semidefinite.  Rounding made
    # λmin ≈ −7e-17 and κ was reported as 8e16, "indefinite".
    rng = numpy.random.default_rng(0)
    X, Y = rng.normal(size=(20, 3)), numpy.eye(4)[rng.integers(0, 4, 20)]

    def loss(p):
        z = np.dot(X, p["W"]) + p["b"]
        return -np.mean(np.sum(Y * (z - np.log(np.sum(np.exp(z), axis=1, keepdims=True))), axis=1))

    params = {"W": rng.normal(size=(3, 4)), "b": rng.normal(size=4)}
    reference = numpy.linalg.eigvalsh(hessian_matrix(loss, params))
    assert abs(reference[0]) < 1e-15 * reference[-1]  # the null space, at rounding level
    kappa = condition_number(hessian_operator(loss, params))
    assert kappa.value == numpy.inf and not kappa.definite and kappa.abs_min == 0.0
    assert "singular" in kappa.formula
    assert kappa.lambda_max == pytest.approx(reference[-1], rel=1e-10)


@pytest.mark.parametrize("n", [10, 100])  # dense path, and Lanczos on the operator
def test_indefinite_with_zero_eigenvalues_is_infinitely_ill_conditioned(n):
    # ARPACK's "smallest magnitude" mode returned |λ|min = 0.1 for the n = 100 case,
    # so κ = 40 was reported for a matrix with 50 exact zero eigenvalues.
    lams = numpy.r_[-1.0, numpy.zeros(n // 2), numpy.linspace(0.1, 4.0, n - n // 2 - 1)]
    kappa = condition_number(_rotated(lams))
    assert kappa.value == numpy.inf and kappa.abs_min == 0.0 and not kappa.definite
    assert (kappa.lambda_min, kappa.lambda_max) == (pytest.approx(-1.0), pytest.approx(4.0))


@pytest.mark.parametrize("smallest", [0.1, 1e-5])
def test_indefinite_condition_number_of_a_large_operator_uses_the_smallest_magnitude(smallest):
    lams = numpy.r_[-3.0, smallest, numpy.linspace(0.5, 4.0, 98)]
    kappa = condition_number(_rotated(lams, seed=1))
    assert kappa.value == pytest.approx(4.0 / smallest, rel=1e-4)
    assert kappa.abs_min == pytest.approx(smallest, rel=1e-4) and not kappa.definite


def test_definite_and_exactly_singular_cases_are_unchanged():
    assert condition_number(numpy.diag([2.0, 8.0])).value == pytest.approx(4.0)
    neg = condition_number(numpy.diag([-2.0, -8.0]))
    assert neg.value == pytest.approx(4.0) and neg.definite
    zero = condition_number(numpy.diag([0.0, 5.0]))
    assert zero.value == numpy.inf and not zero.definite


def test_a_null_space_and_a_crowd_of_tiny_eigenvalues_give_inf_with_the_resolution():
    # A trained softmax regression's Hessian: exact zeros, then a continuum down from 1e-8.
    # ARPACK's test ‖r‖ ≤ tol·|θ| cannot pass near 0; the search gave up after ~10⁵ products
    # and condition_number raised a ConfigError (advising a tol it does not take).
    lams = numpy.r_[numpy.zeros(40), numpy.geomspace(1e-12, 1e-8, 40), numpy.linspace(0.05, 2.0, 40)]
    kappa = condition_number(_rotated(lams, seed=2))
    assert kappa.value == numpy.inf and not kappa.definite and "singular" in kappa.formula
    assert kappa.lambda_max == pytest.approx(2.0, rel=1e-10)
    # the reported resolution is honest: λmin lies within it of 0, and it is small against λmax
    assert abs(kappa.lambda_min) <= kappa.zero_tol < 1e-3 * kappa.lambda_max


def test_smallest_eigenpairs_report_how_far_they_may_be_from_an_eigenvalue():
    lams = numpy.r_[numpy.zeros(30), numpy.linspace(0.5, 3.0, 70)]
    found = extreme_eigenpairs(_rotated(lams, seed=3), 3, "smallest")
    assert found.method == "lanczos" and found.accuracy > 0
    assert numpy.all(numpy.abs(found.values) <= found.accuracy)
    top = extreme_eigenpairs(_rotated(lams, seed=3), 2, "largest")
    numpy.testing.assert_allclose(top.values, lams[-2:], atol=top.accuracy + 1e-12)


def test_an_ill_conditioned_but_regular_operator_keeps_its_precise_kappa():
    lams = numpy.r_[1e-6, numpy.linspace(0.01, 1.0, 99)]
    kappa = condition_number(_rotated(lams, seed=4))
    assert kappa.definite and kappa.value == pytest.approx(1e6, rel=1e-6)
