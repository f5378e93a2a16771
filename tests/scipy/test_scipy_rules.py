"""ravine.scipy: special functions, distributions, linalg, convolution and odeint,
checked against finite differences (to second order where the rule is traced)."""

import numpy
import pytest
import scipy.stats

import test_scipy_special_extra as extra
from gradsweep import P, R, S, U, covered, ids, run_case, sweep
from ravine import grad
from ravine.scipy import linalg, signal, special, stats

ANY, POS, UNIT01 = [R(), R(3)], [P() + 0.5, P(2, 3) + 0.5], [U(3, low=0.1, high=0.9)]

SPECIAL = (
    sweep(special.expit, ANY) + sweep(special.logit, UNIT01) + sweep(special.erf, ANY) + sweep(special.erfc, ANY)
    + sweep(special.erfinv, [U(3, low=-0.8, high=0.8)]) + sweep(special.erfcinv, [U(3, low=0.2, high=1.8)])
    + sweep(special.ndtr, ANY) + sweep(special.log_ndtr, ANY)
    + sweep(special.gammaln, POS) + sweep(special.gamma, POS) + sweep(special.digamma, POS, covers=("digamma",))
    + sweep(special.psi, POS, covers=("psi",)) + sweep(special.rgamma, POS)
    + sweep(special.polygamma, [0, 1, numpy.array([0, 2, 1])], [P(3) + 0.5])
    + sweep(special.beta, [P(3)], [P(3), P()]) + sweep(special.betaln, [P(2, 3)], [P(3)])
    + sweep(special.gammainc, [1.5, P(3) + 1], [P(3)], argnums=(1,))
    + sweep(special.gammaincc, [2.5], [P(3)], argnums=(1,))
    + sweep(special.betainc, [2.0], [3.0], [U(3, low=0.2, high=0.8)], argnums=(2,))
    + sweep(special.multigammaln, [P() + 2, P(3) + 2], [1, 3], argnums=(0,))
    + sweep(special.i0, ANY) + sweep(special.i1, ANY) + sweep(special.iv, [0.5, 2], [P(3)], argnums=(1,))
    + sweep(special.ive, [1], [R(3)], argnums=(1,))
    + sweep(special.j0, ANY) + sweep(special.j1, ANY) + sweep(special.jn, [2, 0], [P(3)], argnums=(1,), covers=("jn",))
    + sweep(special.y0, POS) + sweep(special.y1, POS) + sweep(special.yn, [1, 3], [P(3)], argnums=(1,), covers=("yn",))
    + sweep(special.xlogy, [R(3)], [P(3), P()]) + sweep(special.xlog1py, [R(3)], [P(3)])
    + sweep(special.logsumexp, [R(3), R(2, 3)], axis=[None, -1], keepdims=[False, True])
    + sweep(lambda a: special.logsumexp(a, axis=0, b=numpy.array([[1.0], [2.0]])), [R(2, 3)], covers=("logsumexp",))
    + sweep(special.softmax, [R(2, 3)], axis=[None, 1]) + sweep(special.log_softmax, [R(3)])
)

ST = stats
STATS = (
    sweep(ST.norm.logpdf, [R(3)], [R()], [P()]) + sweep(ST.norm.pdf, [R(3)], [R(3)], [P(3)])
    + sweep(ST.norm.cdf, [R(3)], [R()], [P()]) + sweep(ST.norm.logcdf, [R(3)], [R()], [P()])
    + sweep(ST.norm.sf, [R(3)], [0.0], [P()]) + sweep(ST.norm.logsf, [R(3)])
    + sweep(ST.t.logpdf, [R(3)], [P() + 2], [R()], [P()]) + sweep(ST.t.pdf, [R(3)], [P() + 2])
    + sweep(ST.t.cdf, [R(3)], [3.0], [R()], [P()], argnums=(0, 2, 3)) + sweep(ST.t.logcdf, [R(3)], [2.0], argnums=(0,))
    + sweep(ST.multivariate_normal.logpdf, [R(3), R(2, 3)], [R(3)], [S(3, 3)], argnums=(0, 1))
    + sweep(lambda x, m, A: ST.multivariate_normal.pdf(x, m, A @ A.T + numpy.eye(3)), [R(3)], [R(3)], [R(3, 3)],
            covers=("pdf",))
    + sweep(ST.dirichlet.logpdf, [numpy.array([0.2, 0.3, 0.5])], [P(3) + 1]) + sweep(ST.dirichlet.pdf, [numpy.array([0.2, 0.8])], [P(2)])
    + sweep(ST.beta.logpdf, UNIT01, [P() + 1], [P(3) + 1]) + sweep(ST.beta.pdf, UNIT01, [2.0], [P() + 1])
    + sweep(ST.beta.cdf, UNIT01, [2.0], [3.0], argnums=(0,)) + sweep(ST.beta.logcdf, UNIT01, [2.0], [3.0], argnums=(0,))
    + sweep(ST.gamma.logpdf, [P(3) + 1], [P() + 1], [0.0], [P()]) + sweep(ST.gamma.pdf, [P(3)], [2.0])
    + sweep(ST.gamma.cdf, [P(3)], [2.0], [0.1], [P()], argnums=(0, 2, 3)) + sweep(ST.gamma.logcdf, [P(3)], [2.0], argnums=(0,))
    + sweep(ST.poisson.logpmf, [numpy.array([0.0, 1.0, 4.0])], [P(3) + 1], argnums=(1,))
    + sweep(ST.poisson.pmf, [numpy.array([2.0])], [P(3) + 1], argnums=(1,))
    + sweep(ST.poisson.cdf, [numpy.array([0.0, 3.0])], [P(2) + 1], argnums=(1,))
    + sweep(ST.poisson.logcdf, [numpy.array([2.0])], [P() + 1], argnums=(1,))
    + sweep(ST.chi2.logpdf, [P(3) + 1], [P() + 1, 3.0], [0.2], [P()]) + sweep(ST.chi2.pdf, [P(3) + 1], [1.0, 4.0])
    + sweep(ST.chi2.cdf, [P(3) + 1], [2.0, 5.0], [0.1], [P()], argnums=(0, 2, 3))
    + sweep(ST.chi2.logcdf, [P(3)], [3.0], argnums=(0,))
)


def banded(lower, upper, n=5):
    """Storage (l + u + 1, n) of a diagonally dominant banded matrix."""
    ab = R(lower + upper + 1, n)
    ab[upper] += 4.0
    return ab


def tri(lower):
    A = R(3, 3) + 3 * numpy.eye(3)
    return numpy.tril(A) if lower else numpy.triu(A)


LINALG_SIGNAL = (
    sweep(linalg.solve_triangular, [tri(True)], [R(3), R(3, 2)], trans=[0, 1], lower=[True])
    + sweep(linalg.solve_triangular, [tri(False)], [R(3, 2)], trans=[0, "T"], unit_diagonal=[False, True])
    + sweep(lambda ab, b: linalg.solve_banded((1, 1), ab, b), [banded(1, 1)], [R(5), R(5, 2)], covers=("solve_banded",))
    + sweep(lambda ab, b: linalg.solve_banded((0, 2), ab, b), [banded(0, 2)], [R(5)], covers=("solve_banded",))
    + sweep(lambda ab, b: linalg.solve_banded((2, 1), ab, b), [banded(2, 1)], [R(5, 3)], covers=("solve_banded",))
    + sweep(linalg.solve_sylvester, [S(2, 2)], [S(2, 2)], [R(2, 2)])
    + sweep(linalg.sqrtm, [S(3, 3)])
    + sweep(lambda A: linalg.cholesky(0.5 * (A + A.T)), [S(3, 3)], covers=("cholesky",))
    + sweep(lambda A: linalg.cholesky(0.5 * (A + A.T), lower=True), [S(3, 3)], covers=("cholesky",))
    + sweep(lambda A: linalg.expm(0.5 * A), [R(3, 3), R(2, 2, 2)], covers=("expm",))
    + sweep(linalg.solve, [S(3, 3)], [R(3), R(3, 2)], assume_a=[None, "sym", "pos"])
    + sweep(linalg.inv, [S(3, 3)], assume_a=[None, "pos"])
    + sweep(linalg.det, [R(3, 3)])
    + sweep(lambda a, b: linalg.block_diag(a, b), [R(2, 2)], [R(1, 3)], covers=("block_diag",))
    + sweep(signal.convolve, [R(4)], [R(2)], mode=["full", "same", "valid"])
    + sweep(signal.convolve, [R(2, 3)], [R(3, 2)], mode=["full", "same"])
    + sweep(signal.convolve, [R(3, 3)], [R(2, 2)], mode=["valid", "same"])
    + sweep(signal.convolve, [R(2)], [R(4)], mode=["full", "same", "valid"])
)


# Constants (zero derivative), checked in test_scipy_values.py instead of swept.
CONSTANT = {"gammasgn"}


def test_every_exported_special_and_linalg_function_is_swept():
    swept = covered(SPECIAL, STATS, LINALG_SIGNAL, extra.CASES)  # the later functions are swept there
    missing = [name for name in special.__all__ + linalg.__all__ + signal.__all__
               if name not in swept and name not in CONSTANT]
    assert not missing, f"no derivative sweep covers {missing}"


@pytest.mark.parametrize("case", SPECIAL, ids=ids(SPECIAL))
def test_special(case):
    run_case(case)


@pytest.mark.parametrize("case", STATS, ids=ids(STATS))
def test_stats(case):
    run_case(case)


@pytest.mark.parametrize("case", LINALG_SIGNAL, ids=ids(LINALG_SIGNAL))
def test_linalg_and_signal(case):
    run_case(case)


def test_values_match_scipy():
    x = R(4)
    numpy.testing.assert_allclose(stats.norm.logpdf(x, 0.3, 1.7), scipy.stats.norm.logpdf(x, 0.3, 1.7))
    numpy.testing.assert_allclose(stats.t.cdf(x, 3.0, 0.2, 1.5), scipy.stats.t.cdf(x, 3.0, 0.2, 1.5))
    numpy.testing.assert_allclose(stats.gamma.logpdf(x + 3, 2.0, 0.5, 2.0), scipy.stats.gamma.logpdf(x + 3, 2.0, 0.5, 2.0))
    numpy.testing.assert_allclose(stats.beta.logpdf(0.3, 2.0, 3.0), scipy.stats.beta.logpdf(0.3, 2.0, 3.0))
    numpy.testing.assert_allclose(stats.poisson.logpmf(3.0, 2.5), scipy.stats.poisson.logpmf(3, 2.5))
    numpy.testing.assert_allclose(stats.poisson.cdf(3.0, 2.5), scipy.stats.poisson.cdf(3, 2.5))
    A = S(3, 3)
    numpy.testing.assert_allclose(stats.multivariate_normal.logpdf(x[:3], x[1:], A),
                                  scipy.stats.multivariate_normal.logpdf(x[:3], x[1:], A))
    numpy.testing.assert_allclose(stats.dirichlet.logpdf(numpy.array([0.2, 0.8]), numpy.array([2.0, 3.0])),
                                  scipy.stats.dirichlet.logpdf(numpy.array([0.2, 0.8]), numpy.array([2.0, 3.0])))
    # d/dμ log N(x; μ, σ) = (x − μ)/σ²
    assert grad(stats.norm.logpdf, 1)(1.0, 0.25, 2.0) == pytest.approx(0.75 / 4.0)


@pytest.mark.parametrize("b_shape, kwargs", [((2, 3), {}), ((3,), {"axis": -1}), ((2, 1), {"axis": 0, "keepdims": True}),
                                              ((2, 3), {"axis": (0, 1)})])
def test_logsumexp_with_traced_weights(b_shape, kwargs):
    # log Σ b eᵃ: ∂/∂b = eᵃ⁻ˡˢᵉ, ∂/∂a = b eᵃ⁻ˡˢᵉ; both arguments traced, both modes, order 2
    import scipy.special

    from ravine.test_util import check_grads

    rng = numpy.random.default_rng(0)
    a, b = rng.standard_normal((2, 3)), numpy.abs(rng.standard_normal(b_shape)) + 0.2
    f = lambda a, b: special.logsumexp(a, b=b, **kwargs)  # noqa: E731
    assert numpy.allclose(f(a, b), scipy.special.logsumexp(a, b=b, **kwargs))
    check_grads(f, argnum=(0, 1), modes=("fwd", "rev"), order=2)(a, b)
