"""Distribution functions whose derivative in a shape parameter has no closed form
must refuse a traced shape parameter (they used to hold it constant and return a
silently wrong derivative: zero for gamma/beta/chi2, a partial one for t), while
their derivatives in x, loc and scale still match SciPy's function.  Also: the
Poisson functions take SciPy's ``loc`` and agree with SciPy off the support, and
``special.yn`` truncates a non-integer order as SciPy does."""

import numpy
import pytest
import scipy.special
import scipy.stats

import ravine
import ravine.numpy as np
import ravine.scipy.special as special
import ravine.scipy.stats as stats
from ravine.errors import NotDifferentiableError

X = numpy.array([0.3, 0.9, 1.7])
U = numpy.array([0.15, 0.4, 0.8])  # inside (0, 1), for beta

# (label, ravine function, SciPy function, plain arguments, index of the shape parameter, its name)
SHAPE_CASES = [
    ("t.cdf", stats.t.cdf, scipy.stats.t.cdf, (X, 3.3, 0.2, 1.4), 1, "df"),
    ("t.logcdf", stats.t.logcdf, scipy.stats.t.logcdf, (X, 3.3, 0.2, 1.4), 1, "df"),
    ("t.sf", stats.t.sf, scipy.stats.t.sf, (X, 3.3, 0.2, 1.4), 1, "df"),
    ("gamma.cdf", stats.gamma.cdf, scipy.stats.gamma.cdf, (X, 2.2, 0.1, 1.3), 1, "a"),
    ("gamma.logcdf", stats.gamma.logcdf, scipy.stats.gamma.logcdf, (X, 2.2, 0.1, 1.3), 1, "a"),
    ("chi2.cdf", stats.chi2.cdf, scipy.stats.chi2.cdf, (X, 2.7, 0.1, 1.3), 1, "df"),
    ("chi2.logcdf", stats.chi2.logcdf, scipy.stats.chi2.logcdf, (X, 2.7, 0.1, 1.3), 1, "df"),
    ("beta.cdf a", stats.beta.cdf, scipy.stats.beta.cdf, (U, 2.2, 1.6), 1, "a"),
    ("beta.cdf b", stats.beta.cdf, scipy.stats.beta.cdf, (U, 2.2, 1.6), 2, "b"),
    ("beta.logcdf a", stats.beta.logcdf, scipy.stats.beta.logcdf, (U, 2.2, 1.6), 1, "a"),
    ("beta.logcdf b", stats.beta.logcdf, scipy.stats.beta.logcdf, (U, 2.2, 1.6), 2, "b"),
]


def _with(args, i, value):
    args = list(args)
    args[i] = value
    return args


def _central_difference(fun, x, h=1e-6):
    return (fun(x + h) - fun(x - h)) / (2 * h)


@pytest.mark.parametrize("label, fun, reference, args, i, name", SHAPE_CASES, ids=[c[0] for c in SHAPE_CASES])
def test_traced_shape_parameter_is_refused_in_both_modes(label, fun, reference, args, i, name):
    total = lambda p: np.sum(fun(*_with(args, i, p)))  # noqa: E731
    with pytest.raises(NotDifferentiableError, match=rf"shape parameter {name}\b.*getval\({name}\)"):
        ravine.grad(total)(args[i])
    with pytest.raises(NotDifferentiableError, match=rf"shape parameter {name}\b"):
        ravine.make_jvp(total)(args[i])(1.0)


@pytest.mark.parametrize("label, fun, reference, args, i, name", SHAPE_CASES, ids=[c[0] for c in SHAPE_CASES])
def test_other_arguments_still_differentiate_like_scipy(label, fun, reference, args, i, name):
    numpy.testing.assert_allclose(fun(*args), reference(*args), rtol=1e-12)
    shape_parameters = {1, 2} if label.startswith("beta") else {1}
    for j, value in enumerate(args):
        if j in shape_parameters:
            continue
        got = ravine.grad(lambda v: np.sum(fun(*_with(args, j, v))))(numpy.asarray(value, float))
        want = numpy.zeros(numpy.shape(value))
        for idx in numpy.ndindex(want.shape):
            def along(t, idx=idx):
                moved = numpy.array(value, dtype=float)
                moved[idx] += t
                return numpy.sum(reference(*_with(args, j, moved)))
            want[idx] = _central_difference(along, 0.0)
        numpy.testing.assert_allclose(got, want, rtol=1e-6, atol=1e-9)


K = numpy.array([-2.0, -1.0, 0.0, 2.5, 3.0, 7.0])  # below the support, on it, and between integers


@pytest.mark.parametrize("loc", [0, 2])
@pytest.mark.parametrize("name", ["logpmf", "pmf", "cdf", "logcdf"])
def test_poisson_values_match_scipy_with_loc_and_off_the_support(name, loc):
    with numpy.errstate(divide="ignore"):
        got = getattr(stats.poisson, name)(K, 2.3, loc)
        want = getattr(scipy.stats.poisson, name)(K, 2.3, loc)
    numpy.testing.assert_allclose(got, want, rtol=1e-12)


def test_poisson_derivatives_in_mu_match_closed_forms():
    mu = 2.3
    on = (K >= 0) & (K % 1 == 0)
    # d/dμ log p(k) = k/μ − 1 on the support; the mass is 0 elsewhere, with derivative 0.
    got = ravine.grad(lambda m: np.sum(stats.poisson.logpmf(K, m)))(mu)
    assert got == pytest.approx(numpy.sum(numpy.where(on, K / mu - 1.0, 0.0)), rel=1e-12)
    # d/dμ Q(j + 1, μ) = −p(j) for j = ⌊k − loc⌋ ≥ 0, and 0 below the support.
    j = numpy.floor(K - 1)
    got = ravine.grad(lambda m: np.sum(stats.poisson.cdf(K, m, 1)))(mu)
    want = -numpy.sum(numpy.where(j >= 0, scipy.stats.poisson.pmf(j, mu), 0.0))
    assert got == pytest.approx(want, rel=1e-12)


@pytest.mark.filterwarnings("ignore:floating point number truncated to an integer")  # SciPy's own
@pytest.mark.parametrize("n", [0.7, -1.6, 1, 2, 3.0, -2])
def test_yn_truncates_a_non_integer_order_as_scipy_and_differentiates_that(n):
    x = 1.3
    assert special.yn(n, x) == scipy.special.yn(n, x)
    want = _central_difference(lambda t: scipy.special.yn(n, t), x)
    assert ravine.grad(lambda t: special.yn(n, t))(x) == pytest.approx(want, rel=1e-7)
