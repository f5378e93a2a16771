"""Values of the additions to ravine.scipy (chi2, gammasgn, solve_banded) against
SciPy, and the errors their bad arguments raise."""

import numpy
import pytest
import scipy.linalg
import scipy.special
import scipy.stats

import ravine.numpy as np
from gradsweep import P, R
from ravine import elementwise_grad, grad
from ravine.errors import NotDifferentiableError
from ravine.scipy import linalg, special, stats


@pytest.mark.parametrize("df", [1.0, 2.5, 7.0])
def test_chi2_matches_scipy(df):
    x = 4 * P(6)
    for name in ("logpdf", "pdf", "cdf", "logcdf"):
        numpy.testing.assert_allclose(getattr(stats.chi2, name)(x, df), getattr(scipy.stats.chi2, name)(x, df),
                                      rtol=1e-12, err_msg=name)
    numpy.testing.assert_allclose(stats.chi2.logpdf(x + 1, df, 0.5, 2.0),
                                  scipy.stats.chi2.logpdf(x + 1, df, 0.5, 2.0), rtol=1e-12)


def test_chi2_derivatives_in_closed_form():
    # d/dx log p = (k/2 − 1)/x − 1/2;  d/dx cdf = p
    x, k = P(4) + 1, 3.0
    numpy.testing.assert_allclose(elementwise_grad(stats.chi2.logpdf)(x, k), (k / 2 - 1) / x - 0.5)
    numpy.testing.assert_allclose(elementwise_grad(stats.chi2.cdf)(x, k), scipy.stats.chi2.pdf(x, k))


def test_gammasgn_is_a_constant_with_zero_derivative():
    x = numpy.array([-2.5, -1.5, -0.5, 0.7, 3.0])
    numpy.testing.assert_array_equal(special.gammasgn(x), scipy.special.gammasgn(x))
    # usable inside differentiated code: Γ(x) = sgn Γ(x) · exp(ln|Γ(x)|)
    gamma_via_sign = lambda x: special.gammasgn(x) * np.exp(special.gammaln(x))  # noqa: E731
    numpy.testing.assert_allclose(elementwise_grad(gamma_via_sign)(x), scipy.special.gamma(x) * scipy.special.digamma(x))
    assert grad(lambda x: special.gammasgn(x) * 1.0)(0.7) == 0.0


@pytest.mark.parametrize("lower,upper", [(1, 1), (0, 2), (2, 0), (0, 0), (2, 3)])
def test_solve_banded_matches_scipy(lower, upper):
    ab = R(lower + upper + 1, 6)
    ab[upper] += 5.0
    for b in (R(6), R(6, 3)):
        numpy.testing.assert_allclose(linalg.solve_banded((lower, upper), ab, b),
                                      scipy.linalg.solve_banded((lower, upper), ab, b), rtol=1e-12)


def test_solve_banded_gradient_is_the_dense_gradient_kept_to_the_band():
    # ∂/∂A of sum(A⁻¹ b) = −A⁻ᵀ 1 xᵀ, read back into the band storage
    lower, upper, n = 1, 2, 5
    ab = R(lower + upper + 1, n)
    ab[upper] += 5.0
    b = R(n)
    dense = numpy.zeros((n, n))
    for i in range(n):
        for j in range(max(0, i - lower), min(n, i + upper + 1)):
            dense[i, j] = ab[upper + i - j, j]
    x = numpy.linalg.solve(dense, b)
    G = -numpy.outer(numpy.linalg.solve(dense.T, numpy.ones(n)), x)
    expected = numpy.zeros_like(ab)
    for i in range(n):
        for j in range(max(0, i - lower), min(n, i + upper + 1)):
            expected[upper + i - j, j] = G[i, j]
    numpy.testing.assert_allclose(grad(lambda ab: np.sum(linalg.solve_banded((lower, upper), ab, b)))(ab), expected)


@pytest.mark.parametrize("l_and_u,shape,message", [
    ((1, 1), (2, 5), "must have l \\+ u \\+ 1 = 3 rows"),
    ((-1, 2), (2, 5), "one per diagonal"),
    (3, (3, 5), "pair \\(l, u\\)"),
])
def test_solve_banded_bad_arguments_are_named(l_and_u, shape, message):
    with pytest.raises(ValueError, match=message):
        linalg.solve_banded(l_and_u, R(*shape), R(5))


def test_scipy_functions_without_rules_work_on_plain_values_and_refuse_traced_ones():
    numpy.testing.assert_allclose(linalg.logm(2 * numpy.eye(2)), numpy.log(2) * numpy.eye(2), atol=1e-14)
    assert special.struve(1.0, 2.0) == pytest.approx(scipy.special.struve(1.0, 2.0))
    assert linalg.LinAlgError is numpy.linalg.LinAlgError  # classes pass through untouched
    with pytest.raises(NotDifferentiableError, match="ravine.scipy.linalg.logm is SciPy's own function.*solve_banded"):
        grad(lambda a: np.sum(linalg.logm(a)))(numpy.eye(2))
    with pytest.raises(NotDifferentiableError, match="ravine.scipy.special.struve"):
        grad(lambda x: special.struve(1.0, x))(2.0)
    with pytest.raises(AttributeError, match="has no attribute 'no_such_function'"):
        special.no_such_function  # noqa: B018
