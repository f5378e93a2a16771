"""A sweep of ravine.scipy against SciPy: values on traced arguments, and reverse- and
forward-mode derivatives against central differences of SciPy's own function.  Each
test pins a bug the sweep found:

* linalg: solve_triangular with trans=2/'C' (reverse mode raised; complex 'C' had the
  forward derivative of 'T'); cholesky(lower=False) read the lower triangle where SciPy
  reads the upper one; solve/inv with assume_a 'upper triangular', 'lower triangular',
  'diagonal', 'tridiagonal' used the whole matrix (wrong value and derivative);
* integrate.odeint: tfirst=True, Dfun with args, and ml/mu (passed on to the adjoint
  and tangent systems, whose Jacobians are other ones: a wrong derivative);
* special: logsumexp with b broadcasting a to more axes; gammainc/betainc's derivative
  at a = 1, x = 0 (0·∞);
* stats: t.cdf's derivative at x = loc (NaN); gamma, chi2 and beta off their support
  and at a = 1, y = 0 (NaN where SciPy has −∞, 0 or 1); poisson.logcdf's forward
  derivative below the support; dirichlet at xᵢ = 0, αᵢ = 1; multivariate_normal with
  SciPy's forms of x, mean and cov (x of shape (..., d), a vector cov, one dimension).
"""

import numpy
import pytest
import scipy.integrate
import scipy.linalg
import scipy.special
import scipy.stats

import ravine
import ravine.numpy as np
from ravine.scipy import linalg, special, stats
from ravine.scipy.integrate import odeint
from tests.support.traced_values import traced_value

RNG = numpy.random.default_rng(7)


def _central(fun, x, direction, h=1e-6):
    return (numpy.asarray(fun(x + h * direction)) - numpy.asarray(fun(x - h * direction))) / (2 * h)


def assert_like_scipy(ours, theirs, x, rtol=1e-6, atol=1e-9, direction=None):
    """ours(x) on a traced x is theirs(x); its gradient (reverse) and its JVP (forward)
    along a random direction are the central difference of theirs."""
    x = numpy.asarray(x, dtype=float)
    want = numpy.asarray(theirs(x))
    numpy.testing.assert_allclose(traced_value(ours, x), want, rtol=1e-10, atol=1e-300)
    weights = RNG.standard_normal(want.shape)
    direction = RNG.standard_normal(x.shape) if direction is None else direction
    slope = numpy.sum(weights * _central(theirs, x, direction))
    grad = ravine.grad(lambda v: np.sum(ours(v) * weights))(x)
    assert numpy.sum(grad * direction) == pytest.approx(slope, rel=rtol, abs=atol)
    _, tangent = ravine.make_jvp(ours)(x)(direction)
    assert numpy.sum(weights * tangent) == pytest.approx(slope, rel=rtol, abs=atol)


# ---- linalg ------------------------------------------------------------------------------------------

N = 4
A = RNG.standard_normal((N, N)) + 3 * numpy.eye(N)
B = RNG.standard_normal((N, 2))
SPD = A @ A.T + N * numpy.eye(N)


@pytest.mark.parametrize("trans", [2, "C"])
@pytest.mark.parametrize("lower", [False, True])
def test_solve_triangular_conjugate_transpose_differentiates_like_scipy(trans, lower):
    kw = {"trans": trans, "lower": lower}
    assert_like_scipy(lambda a: linalg.solve_triangular(a, B, **kw), lambda a: scipy.linalg.solve_triangular(a, B, **kw), A)
    assert_like_scipy(lambda b: linalg.solve_triangular(A, b, **kw), lambda b: scipy.linalg.solve_triangular(A, b, **kw), B)


def test_complex_solve_triangular_with_trans_c_has_the_conjugate_transposes_derivative():
    a = A + 1j * RNG.standard_normal((N, N))
    direction = RNG.standard_normal((N, N)) + 1j * RNG.standard_normal((N, N))
    scipy_fun = lambda m: scipy.linalg.solve_triangular(m, B, trans="C")
    _, tangent = ravine.make_jvp(lambda m: linalg.solve_triangular(m, B, trans="C"))(a)(direction)
    numpy.testing.assert_allclose(tangent, _central(scipy_fun, a, direction), rtol=1e-6, atol=1e-9)


@pytest.mark.parametrize("lower", [False, True])
def test_cholesky_reads_the_triangle_scipy_reads(lower):
    nonsymmetric = SPD + numpy.triu(RNG.standard_normal((N, N)), 1)
    ours, theirs = lambda a: linalg.cholesky(a, lower=lower), lambda a: scipy.linalg.cholesky(a, lower=lower)
    numpy.testing.assert_allclose(traced_value(ours, nonsymmetric), theirs(nonsymmetric), rtol=1e-12)
    # along symmetric directions the (documented, symmetrised) gradient is SciPy's derivative
    sym = RNG.standard_normal((N, N))
    assert_like_scipy(ours, theirs, SPD, direction=sym + sym.T)


STRUCTURES = ["upper triangular", "lower triangular", "diagonal", "tridiagonal"]


@pytest.mark.parametrize("assume_a", STRUCTURES)
@pytest.mark.parametrize("transposed", [False, True])
def test_solve_reads_only_the_structure_scipy_reads(assume_a, transposed):
    kw = {"assume_a": assume_a, "transposed": transposed}
    assert_like_scipy(lambda a: linalg.solve(a, B, **kw), lambda a: scipy.linalg.solve(a, B, **kw), A)
    assert_like_scipy(lambda b: linalg.solve(A, b, **kw), lambda b: scipy.linalg.solve(A, b, **kw), B)


@pytest.mark.parametrize("assume_a", ["upper triangular", "lower triangular", "diagonal"])
@pytest.mark.parametrize("lower", [False, True])
def test_inv_reads_what_scipy_reads(assume_a, lower):
    kw = {"assume_a": assume_a, "lower": lower}
    assert_like_scipy(lambda a: linalg.inv(a, **kw), lambda a: scipy.linalg.inv(a, **kw), A)
    batch = numpy.stack([A, A.T + 1.0])
    assert_like_scipy(lambda a: linalg.inv(a, **kw), lambda a: scipy.linalg.inv(a, **kw), batch)


# ---- odeint ------------------------------------------------------------------------------------------

T = numpy.array([0.0, 0.4, 1.0])
TOL = {"rtol": 1e-10, "atol": 1e-12}


def test_odeint_tfirst_matches_scipy_and_differentiates():
    ours = lambda k: odeint(lambda s, y, k: -k * y * np.cos(s), numpy.array([1.0, 0.5]), T, (k,), tfirst=True, **TOL)
    theirs = lambda k: scipy.integrate.odeint(lambda s, y, k: -k * y * numpy.cos(s), numpy.array([1.0, 0.5]), T,
                                              (k,), tfirst=True, **TOL)
    assert_like_scipy(ours, theirs, numpy.array([0.7, 1.3]), rtol=1e-5)
    # one state: the adjoint and tangent systems called f(t, y) as f(y, t)
    scalar = lambda y0: odeint(lambda s, y: -y * np.cos(s) + s, y0, T, tfirst=True, **TOL)[:, None]
    assert_like_scipy(scalar, lambda y0: scipy.integrate.odeint(lambda s, y: -y * numpy.cos(s) + s, y0, T,
                                                                 tfirst=True, **TOL), 1.2, rtol=1e-5)


STIFF = numpy.array([[-1000.0, 1.0], [0.0, -0.5]])


def test_odeint_jacobian_options_serve_only_the_solve_of_y():
    y0 = numpy.array([1.0, 0.5])
    t = numpy.array([0.0, 2.0, 5.0])
    jac = lambda y, s, k: STIFF * k
    for options in ({"ml": 0, "mu": 1}, {"Dfun": jac}, {"Dfun": lambda y, s, k: jac(y, s, k).T, "col_deriv": True}):
        def ours(k, options=options):
            return odeint(lambda y, s, k: np.dot(STIFF, y) * k, y0, t, (k,), **options, **TOL)

        def theirs(k, options=options):
            return scipy.integrate.odeint(lambda y, s, k: STIFF @ y * k, y0, t, (k,), **options, **TOL)

        numpy.testing.assert_allclose(ours(1.0), theirs(1.0), rtol=1e-8)
        _, tangent = ravine.make_jvp(ours)(1.0)(1.0)
        numpy.testing.assert_allclose(tangent, _central(theirs, 1.0, 1.0), rtol=1e-5, atol=1e-9)


# ---- special -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("axis", [0, 1, (0, 2), -1, None])
def test_logsumexp_with_b_broadcasting_a_differentiates_in_both(axis):
    a, b = RNG.standard_normal((3, 4)), RNG.uniform(0.5, 2.0, (2, 3, 4))
    assert_like_scipy(lambda v: special.logsumexp(v, axis=axis, b=b), lambda v: scipy.special.logsumexp(v, axis=axis, b=b), a)
    assert_like_scipy(lambda w: special.logsumexp(a, axis=axis, b=w), lambda w: scipy.special.logsumexp(a, axis=axis, b=w), b)


def test_incomplete_gamma_and_beta_derivatives_at_the_edge_of_the_support():
    # ∂_x P(1, x) = e⁻ˣ; ∂_x I_x(1, b) = b (1 − x)^{b−1}; ∂_x I_x(a, 1) = a x^{a−1}
    assert ravine.grad(lambda x: special.gammainc(1.0, x))(0.0) == pytest.approx(1.0)
    assert ravine.grad(lambda x: special.gammaincc(1.0, x))(0.0) == pytest.approx(-1.0)
    assert ravine.grad(lambda x: special.betainc(1.0, 2.5, x))(0.0) == pytest.approx(2.5)
    assert ravine.grad(lambda x: special.betainc(2.5, 1.0, x))(1.0) == pytest.approx(2.5)


# ---- stats -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["cdf", "logcdf", "sf"])
def test_t_cdf_differentiates_at_its_centre(name):
    x = numpy.array([0.2, 0.2, 1.1])  # two points at x = loc
    ours, theirs = getattr(stats.t, name), getattr(scipy.stats.t, name)
    assert_like_scipy(lambda v: ours(v, 3.3, 0.2, 1.4), lambda v: theirs(v, 3.3, 0.2, 1.4), x)
    assert_like_scipy(lambda m: ours(x, 3.3, m, 1.4), lambda m: theirs(x, 3.3, m, 1.4), 0.2)


OFF = numpy.array([-0.7, -0.1, 0.0, 0.5, 1.0, 1.6])  # below, on and above the supports [0, ∞) and [0, 1]
SUPPORTED = [("gamma", (2.2,)), ("gamma", (1.0,)), ("gamma", (0.6,)), ("chi2", (2.0,)), ("chi2", (3.1,)),
             ("beta", (2.2, 1.6)), ("beta", (1.0, 1.0)), ("beta", (1.0, 2.5)), ("beta", (0.7, 1.0))]


@pytest.mark.parametrize("name, shapes", SUPPORTED, ids=[f"{n}{s}" for n, s in SUPPORTED])
@pytest.mark.parametrize("method", ["logpdf", "pdf", "cdf", "logcdf"])
def test_values_on_and_off_the_support_are_scipys(name, shapes, method):
    ours, theirs = getattr(getattr(stats, name), method), getattr(getattr(scipy.stats, name), method)
    with numpy.errstate(divide="ignore"):
        numpy.testing.assert_allclose(ours(OFF, *shapes), theirs(OFF, *shapes), rtol=1e-12)
        numpy.testing.assert_allclose(traced_value(lambda x: ours(x, *shapes), OFF), theirs(OFF, *shapes), rtol=1e-12)
    strict = numpy.array([-0.7, -0.1, 0.5, 1.6])  # no boundary point, where derivatives are infinite
    outside = (strict < 0) | ((strict > 1) & (name == "beta"))
    for at in (0, len(shapes) + 1, len(shapes) + 2):  # x, loc and scale: the result is constant off the support
        args = [strict, *shapes, 0.0, 1.0]

        def along(v, at=at, args=args):
            return ours(*args[:at], v, *args[at + 1:])

        start = numpy.asarray(args[at], float)
        grad = ravine.grad(lambda v: np.sum(np.where(outside, along(v), 0.0)))(start)
        _, tangent = ravine.make_jvp(along)(start)(numpy.ones(numpy.shape(start)))
        assert numpy.all(grad == 0) and numpy.all(numpy.asarray(tangent)[outside] == 0)


@pytest.mark.parametrize("name, shapes", [("gamma", (2.2,)), ("beta", (2.2, 1.6))])
def test_shape_parameters_still_differentiate_on_the_support(name, shapes):
    inside = numpy.array([0.2, 0.5, 0.8])
    for i in range(len(shapes)):
        def with_shape(v, i=i, fun=None):
            values = list(shapes)
            values[i] = v
            return fun(inside, *values, 0.1, 1.2)

        assert_like_scipy(lambda v: with_shape(v, fun=getattr(stats, name).logpdf),
                          lambda v: with_shape(v, fun=getattr(scipy.stats, name).logpdf), shapes[i])


def test_poisson_logcdf_forward_derivative_below_the_support_is_zero():
    k = numpy.array([-1.0, 0.0, 2.0])
    value, tangent = ravine.make_jvp(lambda mu: stats.poisson.logcdf(k, mu))(1.3)(1.0)
    numpy.testing.assert_allclose(value, scipy.stats.poisson.logcdf(k, 1.3))
    numpy.testing.assert_allclose(tangent, [0.0, *_central(lambda mu: scipy.stats.poisson.logcdf(k[1:], mu), 1.3, 1.0)],
                                  rtol=1e-6)


def test_dirichlet_at_a_zero_coordinate_with_unit_concentration():
    x, alpha = numpy.array([0.0, 0.4, 0.6]), numpy.array([1.0, 2.0, 3.0])
    numpy.testing.assert_allclose(stats.dirichlet.logpdf(x, alpha), scipy.stats.dirichlet.logpdf(x, alpha), rtol=1e-12)
    numpy.testing.assert_allclose(traced_value(lambda a: stats.dirichlet.logpdf(x, a), alpha),
                                  scipy.stats.dirichlet.logpdf(x, alpha), rtol=1e-12)


D = 3
MU = RNG.standard_normal(D)
COV = SPD[:D, :D]
POINTS = RNG.standard_normal((4, 2, D))
MVN_FORMS = [  # (x, mean, cov) in the forms SciPy accepts
    (POINTS, MU, COV), (POINTS[:1, 0], MU, COV), (POINTS[0, 0], None, COV), (POINTS, MU, numpy.array([1.0, 2.0, 0.5])),
    (POINTS[:, 0], MU, 2.0), (numpy.array([0.3, -0.2, 1.1]), 0.4, 2.0), (numpy.array([0.3, -0.2]), None, None),
    (numpy.array(0.3), MU, COV),
]


@pytest.mark.parametrize("allow_singular", [False, True])
@pytest.mark.parametrize("form", range(len(MVN_FORMS)))
def test_multivariate_normal_reads_its_arguments_as_scipy_does(form, allow_singular):
    x, mean, cov = MVN_FORMS[form]
    for method in ("logpdf", "pdf"):
        ours, theirs = getattr(stats.multivariate_normal, method), getattr(scipy.stats.multivariate_normal, method)
        want = theirs(x, mean, cov, allow_singular=allow_singular)
        got = ours(x, mean, cov, allow_singular=allow_singular)
        assert numpy.shape(got) == numpy.shape(want)
        numpy.testing.assert_allclose(got, want, rtol=1e-10)
    assert_like_scipy(lambda v: stats.multivariate_normal.logpdf(v, mean, cov, allow_singular),
                      lambda v: scipy.stats.multivariate_normal.logpdf(v, mean, cov, allow_singular), x)
    if numpy.ndim(cov) == 1:
        assert_like_scipy(lambda c: stats.multivariate_normal.logpdf(x, mean, c, allow_singular),
                          lambda c: scipy.stats.multivariate_normal.logpdf(x, mean, c, allow_singular), cov)


def test_multivariate_normal_entropy_with_a_diagonal_given_as_a_vector():
    variances = numpy.array([1.0, 2.0, 0.5])
    assert_like_scipy(lambda c: stats.multivariate_normal.entropy(MU, c),
                      lambda c: scipy.stats.multivariate_normal.entropy(MU, c), variances)


@pytest.mark.parametrize("name", ["softmax", "log_softmax"])
@pytest.mark.parametrize("x", [numpy.float64(0.3), numpy.asarray(-1.2)], ids=["scalar", "0d_array"])
def test_softmax_of_a_0d_value_is_scipys_scalar(name, x):
    # The traced log_softmax of a 0-d x had shape (1,) (logsumexp's keepdims), SciPy's is a scalar.
    want = getattr(scipy.special, name)(x)
    got = traced_value(getattr(special, name), x)
    assert type(got) is type(want) and numpy.shape(got) == ()
    assert got == pytest.approx(want, abs=1e-15)
    assert ravine.grad(getattr(special, name))(x) == 0.0  # constant: softmax of one entry is 1
