"""multivariate_normal with a singular covariance (allow_singular=True): values
against SciPy, derivatives against finite differences along covariances of the
same rank (Σ = B Bᵀ with B of shape (d, r)) and points in the support."""

import numpy
import pytest
import scipy.stats

import ravine.numpy as np
from gradsweep import R
from ravine import grad
from ravine.scipy.stats import multivariate_normal as mvn
from ravine.test_util import check_grads

D, RANK = 4, 2
B, MU, Z = R(D, RANK), R(D), R(RANK)
COV = B @ B.T


def test_values_match_scipy_on_the_support_and_off_it():
    x = MU + B @ Z
    expected = scipy.stats.multivariate_normal.logpdf(x, MU, COV, allow_singular=True)
    assert mvn.logpdf(x, MU, COV, allow_singular=True) == pytest.approx(expected, rel=1e-10)
    assert mvn.pdf(x, MU, COV, allow_singular=True) == pytest.approx(numpy.exp(expected), rel=1e-10)
    off = x + numpy.linalg.svd(B)[0][:, -1]  # a step along a direction Σ never moves in
    batch = numpy.stack([x, off, MU + B @ R(RANK)])
    numpy.testing.assert_allclose(mvn.logpdf(batch, MU, COV, allow_singular=True),
                                  scipy.stats.multivariate_normal.logpdf(batch, MU, COV, allow_singular=True),
                                  rtol=1e-10)
    assert mvn.logpdf(off, MU, COV, allow_singular=True) == -numpy.inf


def test_full_rank_covariance_gives_the_ordinary_density():
    A = R(3, 3)
    cov, x, mu = A @ A.T + numpy.eye(3), R(2, 3), R(3)
    numpy.testing.assert_allclose(mvn.logpdf(x, mu, cov, allow_singular=True), mvn.logpdf(x, mu, cov), rtol=1e-10)
    g_cov = grad(lambda c: np.sum(mvn.logpdf(x, mu, c, allow_singular=True)))(cov)
    numpy.testing.assert_allclose(g_cov, grad(lambda c: np.sum(mvn.logpdf(x, mu, c)))(cov), rtol=1e-8, atol=1e-10)


def on_support(z, mu, b):
    return mvn.logpdf(mu + np.matmul(b, z), mu, np.matmul(b, b.T), allow_singular=True)


@pytest.mark.parametrize("argnum", [0, 1, 2], ids=["x", "mean", "cov"])
def test_logpdf_derivatives_to_second_order(argnum):
    check_grads(on_support, argnum, rtol=1e-4, atol=1e-6)(Z, MU, B)


def test_pdf_and_batch_derivatives():
    zs = R(3, RANK)
    batch = lambda zs, b: mvn.pdf(MU + np.matmul(zs, b.T), MU, np.matmul(b, b.T), allow_singular=True)  # noqa: E731
    check_grads(batch, 0, rtol=1e-4, atol=1e-6)(zs, B)
    check_grads(batch, 1, modes=("rev",), rtol=1e-4, atol=1e-6)(zs, B)


def test_gradient_in_x_is_minus_the_pseudo_inverse_times_the_residual():
    x = MU + B @ Z
    expected = -numpy.linalg.pinv(COV) @ (x - MU)
    numpy.testing.assert_allclose(grad(mvn.logpdf)(x, MU, COV, True), expected, rtol=1e-8)
    numpy.testing.assert_allclose(grad(mvn.logpdf, 1)(x, MU, COV, True), -expected, rtol=1e-8)


def test_entropy_of_a_singular_covariance():
    assert mvn.entropy(MU, COV) == pytest.approx(scipy.stats.multivariate_normal.entropy(MU, COV), rel=1e-10)
    check_grads(lambda b: mvn.entropy(MU, np.matmul(b, b.T)), rtol=1e-4, atol=1e-6)(B)
    # ∂H/∂Σ = ½ Σ⁺ along same-rank directions
    numpy.testing.assert_allclose(grad(lambda c: mvn.entropy(MU, c))(COV), 0.5 * numpy.linalg.pinv(COV), atol=1e-8)


def test_scalar_variance_entropy_takes_the_dimension_of_the_mean():
    assert mvn.entropy(numpy.zeros(3), 2.0) == pytest.approx(scipy.stats.multivariate_normal.entropy(numpy.zeros(3), 2.0))


def test_indefinite_covariance_is_refused():
    with pytest.raises(ValueError, match="positive semi-definite"):
        mvn.logpdf(numpy.zeros(2), numpy.zeros(2), numpy.diag([1.0, -1.0]), allow_singular=True)
