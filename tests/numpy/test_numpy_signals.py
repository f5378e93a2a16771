"""convolve, correlate, interp, trapezoid, unwrap, ediff1d (ravine.numpy.signals) and i0 and
the window functions (ravine.numpy.windows): values against NumPy's, untraced and traced,
derivatives against central differences (forward and reverse, second order), and known
analytic results."""

import numpy
import pytest
from gradsweep import C, R
from scipy import special
from traced_values import forward_jacobian, traced_value

import ravine.numpy as np
from ravine import grad, jacobian
from ravine.errors import NotDifferentiableError
from ravine.test_util import check_grads

rng = numpy.random.default_rng(7)


# ---- convolve and correlate ---------------------------------------------------------------------

LENGTHS = [(1, 1), (5, 3), (6, 4), (3, 6), (4, 7), (2, 2), (7, 7), (1, 5)]
MODES = ["full", "same", "valid"]


@pytest.mark.parametrize("name", ["convolve", "correlate"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("n, m", LENGTHS)
def test_convolve_correlate_values_match_numpy(name, mode, n, m):
    for a, v in ((R(n), R(m)), (C(n), C(m)), (R(n), C(m)), (C(n), R(m))):
        expected = getattr(numpy, name)(a, v, mode)
        untraced = getattr(np, name)(a, v, mode)
        assert untraced.dtype == expected.dtype
        numpy.testing.assert_array_equal(untraced, expected)
        traced = traced_value(lambda a, v: getattr(np, name)(a, v, mode), a, v)
        assert traced.shape == expected.shape
        numpy.testing.assert_allclose(traced, expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name", ["convolve", "correlate"])
@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("n, m", [(5, 3), (4, 6), (2, 2), (6, 3)])
def test_convolve_correlate_derivatives(name, mode, n, m):
    fun = getattr(np, name)
    check_grads(lambda a, v: fun(a, v, mode), modes=("fwd", "rev"), order=2, argnum=(0, 1))(R(n), R(m))
    check_grads(lambda a, v: fun(a, v, mode), modes=("fwd", "rev"), order=2, argnum=(0, 1))(C(n), C(m))
    complex_a, complex_v = C(n), C(m)
    check_grads(lambda a: fun(a, complex_v, mode), modes=("fwd", "rev"), order=2)(R(n))  # real a, complex v
    check_grads(lambda v: fun(complex_a, v, mode), modes=("fwd", "rev"), order=2)(R(m))


def test_convolve_vjp_is_a_valid_correlation():
    a, v, g = R(6), R(4), R(9)
    ga = grad(lambda a: np.sum(g * np.convolve(a, v)))(a)
    numpy.testing.assert_allclose(ga, numpy.correlate(g, v, "valid"), rtol=1e-12)
    gv = grad(lambda v: np.sum(g * np.convolve(a, v)))(v)
    numpy.testing.assert_allclose(gv, numpy.correlate(g, a, "valid"), rtol=1e-12)


@pytest.mark.parametrize("name", ["convolve", "correlate"])
def test_a_real_sequence_gets_a_real_gradient_against_a_complex_one(name):
    a, v, weights = R(4), C(3), C(6)
    fun = getattr(np, name)
    ga = grad(lambda a: np.real(np.sum(weights * fun(a, v, "full"))))(a)
    gb = grad(lambda b: np.real(np.sum(weights * fun(v, b, "full"))))(a)
    assert ga.dtype == gb.dtype == numpy.float64
    for g, f in ((ga, lambda a: fun(a, v, "full")), (gb, lambda b: fun(v, b, "full"))):
        numpy.testing.assert_allclose(g, numpy.real(weights @ forward_jacobian(f, a)), rtol=1e-12)


def test_correlate_conjugates_v_so_it_is_antilinear_in_v():
    a, v = C(5), C(3)
    J = jacobian(lambda t: np.real(np.correlate(a, v + t * 1j, "full")))(0.0)
    # c[k] = Σ a[n+k] conj(v[n]); d/dt of conj(v + i t) is −i, so dc/dt = −i Σ a[n+k]
    numpy.testing.assert_allclose(J, numpy.real(-1j * numpy.correlate(a, numpy.ones(3), "full")), rtol=1e-12)


def test_convolve_scalars_and_mode_spellings():
    numpy.testing.assert_allclose(traced_value(lambda a: np.convolve(a, 3.0), 2.0), numpy.convolve(2.0, 3.0))
    a, v = R(5), R(2)
    for mode in (0, 1, 2):
        numpy.testing.assert_allclose(traced_value(lambda a, mode=mode: np.convolve(a, v, mode), a),
                                      numpy.convolve(a, v, mode), rtol=1e-12)


def test_convolve_errors():
    for mode in ("middle", "f", 3):
        with pytest.raises(ValueError, match="mode"):
            numpy.convolve(R(3), R(3), mode)
        with pytest.raises(ValueError, match="mode"):
            grad(lambda a, mode=mode: np.sum(np.convolve(a, a, mode)))(R(3))
    with pytest.raises(ValueError, match="empty"):
        grad(lambda a: np.sum(np.convolve(a, numpy.array([]))))(R(3))
    with pytest.raises(ValueError, match="1-d"):
        grad(lambda a: np.sum(np.convolve(a, R(2, 2))))(R(3))


# ---- interp -------------------------------------------------------------------------------------

XP = numpy.array([-1.0, 0.0, 0.5, 2.0, 3.0])
FP = R(5)
X = numpy.array([-1.7, -0.6, 0.2, 0.9, 1.7, 2.4, 2.9, 3.6])  # inside segments, and outside both ends
KNOTS = numpy.array([-1.0, 0.0, 0.5, 2.0, 3.0, numpy.nan, 1.0])


@pytest.mark.parametrize("kwargs", [{}, {"left": -5.0}, {"right": 7.0}, {"left": 1.5, "right": -2.5}])
def test_interp_values(kwargs):
    for x in (X, KNOTS, 0.3, 3.0, -2.0):
        for fp in (FP, C(5)):
            expected = numpy.interp(x, XP, fp, **kwargs)
            numpy.testing.assert_array_equal(np.interp(x, XP, fp, **kwargs), expected)
            traced = traced_value(lambda fp, x=x: np.interp(x, XP, fp, **kwargs), fp)
            numpy.testing.assert_array_equal(traced, expected)
            traced = traced_value(lambda xp, x=x, fp=fp: np.interp(x, xp, fp, **kwargs), XP)
            numpy.testing.assert_array_equal(traced, expected)


def test_interp_with_one_knot_and_repeated_knots():
    for xp, fp in ((numpy.array([0.5]), numpy.array([2.0])), (numpy.array([0.0, 1.0, 1.0, 2.0]), R(4)),
                   (numpy.array([0.0, 1.0, 2.0, 2.0]), R(4))):
        expected = numpy.interp(KNOTS, xp, fp, left=-1.0)
        numpy.testing.assert_array_equal(traced_value(lambda fp, xp=xp: np.interp(KNOTS, xp, fp, left=-1.0), fp),
                                         expected)
        g = grad(lambda fp, xp=xp: np.sum(np.interp(X, xp, fp)))(fp)
        assert numpy.all(numpy.isfinite(g))


def test_interp_periodic_values():
    xp, fp = numpy.array([190.0, -190.0, 350.0, -350.0]), numpy.array([5.0, 10.0, 3.0, 4.0])
    x = numpy.array([-180.0, -170.0, -185.0, 185.0, -10.0, -5.0, 0.0, 365.0, 10.0])
    expected = numpy.interp(x, xp, fp, period=360)
    numpy.testing.assert_array_equal(np.interp(x, xp, fp, period=360), expected)
    numpy.testing.assert_allclose(traced_value(lambda x: np.interp(x, xp, fp, period=360), x), expected,
                                  rtol=1e-13)
    numpy.testing.assert_allclose(traced_value(lambda p: np.interp(x, xp, fp, period=p), 360.0), expected,
                                  rtol=1e-13)


def test_interp_derivatives_away_from_knots():
    check_grads(lambda x, xp, fp: np.interp(x, xp, fp), modes=("fwd", "rev"), order=2,
                argnum=(0, 1, 2))(X, XP, FP)
    check_grads(lambda fp: np.interp(X, XP, fp), modes=("fwd", "rev"), order=2)(C(5))
    check_grads(lambda left, right: np.interp(X, XP, FP, left, right), modes=("fwd", "rev"), order=2,
                argnum=(0, 1))(0.3, -0.7)
    check_grads(lambda x: np.interp(x, XP, FP), modes=("fwd", "rev"), order=2)(0.7)
    x = numpy.array([10.0, 100.0, 200.0, 355.0, -20.0])
    xp, fp = numpy.array([30.0, 120.0, 250.0, 300.0]), R(4)
    check_grads(lambda x, xp, fp, p: np.interp(x, xp, fp, period=p), modes=("fwd", "rev"), order=2,
                argnum=(0, 1, 2, 3))(x, xp, fp, 360.0)


def test_interp_slopes_are_the_segment_slopes():
    slopes = numpy.diff(FP) / numpy.diff(XP)
    dx = grad(lambda x: np.sum(np.interp(x, XP, FP)))(X)
    expected = numpy.concatenate([[0.0], slopes[[0, 1, 2, 2, 3, 3]], [0.0]])  # flat outside
    numpy.testing.assert_allclose(dx, expected, rtol=1e-12)
    # weights on fp: 1 − t and t on the two ends of x's segment, summing to one
    J = jacobian(lambda fp: np.interp(0.2, XP, fp))(FP)
    numpy.testing.assert_allclose(J, [0.0, 0.6, 0.4, 0.0, 0.0], rtol=1e-12)


# ---- trapezoid ----------------------------------------------------------------------------------


@pytest.mark.parametrize("y, x, kwargs", [
    (R(6), None, {}), (R(6), None, {"dx": 0.3}), (R(3, 5), None, {"axis": 0}), (R(3, 5), numpy.sort(R(5)), {}),
    (R(4, 3), numpy.sort(R(4)), {"axis": 0}), (R(3, 4), numpy.sort(R(3, 4), axis=1), {}),
    (R(2, 3, 4), numpy.sort(R(3)), {"axis": -2}), (C(5), None, {}),
])
def test_trapezoid_values_and_derivatives(y, x, kwargs):
    expected = numpy.trapezoid(y, x, **kwargs)
    numpy.testing.assert_array_equal(np.trapezoid(y, x, **kwargs), expected)
    numpy.testing.assert_allclose(traced_value(lambda y: np.trapezoid(y, x, **kwargs), y), expected, rtol=1e-13)
    check_grads(lambda y: np.trapezoid(y, x, **kwargs), modes=("fwd", "rev"), order=2)(y)
    if x is not None:
        check_grads(lambda y, x: np.trapezoid(y, x, **kwargs), modes=("fwd", "rev"), order=2, argnum=(0, 1))(y, x)
    else:
        check_grads(lambda dx: np.trapezoid(y, dx=dx, **{k: v for k, v in kwargs.items() if k != "dx"}),
                    modes=("fwd", "rev"), order=2)(0.7)


def test_trapezoid_of_a_linear_function_is_exact_and_so_is_its_derivative():
    x = numpy.sort(rng.uniform(0, 3, 9))
    for slope in (0.5, -2.0):
        integral = np.trapezoid(slope * x + 1.0, x)
        assert integral == pytest.approx(slope * (x[-1] ** 2 - x[0] ** 2) / 2 + x[-1] - x[0], rel=1e-12)
    # d/dslope of ∫ (s t + 1) dt over [x0, x_end] is (x_end² − x0²)/2, and d/d x_end is s x_end + 1
    ds = grad(lambda s: np.trapezoid(s * x + 1.0, x))(0.5)
    assert ds == pytest.approx((x[-1] ** 2 - x[0] ** 2) / 2, rel=1e-12)
    dend = grad(lambda e: np.trapezoid(0.5 * np.append(x[:-1], e) + 1.0, np.append(x[:-1], e)))(x[-1])
    assert dend == pytest.approx(0.5 * x[-1] + 1.0, rel=1e-12)


# ---- unwrap -------------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs", [{}, {"discont": 4.0}, {"period": 5.0}, {"axis": 0}, {"period": 3.0, "discont": 1.0}])
def test_unwrap_values_and_identity_derivative(kwargs):
    p = numpy.cumsum(rng.uniform(-3.5, 3.5, (6, 7)), axis=1) % (2 * numpy.pi)
    expected = numpy.unwrap(p, **kwargs)
    numpy.testing.assert_array_equal(np.unwrap(p, **kwargs), expected)
    numpy.testing.assert_array_equal(traced_value(lambda p: np.unwrap(p, **kwargs), p), expected)
    assert numpy.any(numpy.abs(expected - p) > 1.0)  # some samples were unwrapped
    along_rows = {k: v for k, v in kwargs.items() if k != "axis"}
    numpy.testing.assert_array_equal(jacobian(lambda row: np.unwrap(row, **along_rows))(p[0]), numpy.eye(7))
    check_grads(lambda p: np.unwrap(p, **kwargs), modes=("fwd", "rev"), order=2)(p)


def test_unwrap_derivative_in_the_period_counts_the_wraps():
    p = numpy.array([0.0, 2.0, 4.0, 0.5, 5.9, 1.0])
    period = 6.0
    corrections = (numpy.unwrap(p, period=period) - p) / period  # integer multiples of the period
    J = jacobian(lambda T: np.unwrap(p, period=T))(period)
    numpy.testing.assert_allclose(J, corrections, atol=1e-12)
    assert numpy.any(J != 0)
    check_grads(lambda T: np.unwrap(p, period=T), modes=("fwd", "rev"), order=2)(period)


# ---- ediff1d ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kwargs", [{}, {"to_begin": -1.0}, {"to_end": [3.0, 4.0]}, {"to_begin": [1.0, 2.0], "to_end": 9.0}])
def test_ediff1d(kwargs):
    a = R(3, 4)
    expected = numpy.ediff1d(a, **kwargs)
    numpy.testing.assert_array_equal(np.ediff1d(a, **kwargs), expected)
    numpy.testing.assert_array_equal(traced_value(lambda a: np.ediff1d(a, **kwargs), a), expected)
    check_grads(lambda a: np.ediff1d(a, **kwargs), modes=("fwd", "rev"), order=2)(a)
    if kwargs:
        traced = {k: numpy.atleast_1d(v) * 1.0 for k, v in kwargs.items()}
        check_grads(lambda a, extra: np.ediff1d(a, **dict(zip(traced, extra))), modes=("fwd", "rev"), order=2,
                    argnum=(0, 1))(a, list(traced.values()))


def test_ediff1d_refuses_what_numpy_refuses():
    with pytest.raises(TypeError, match="to_begin"):
        grad(lambda a: np.sum(np.ediff1d(a, to_begin=1j)))(R(4))


# ---- i0 and windows -----------------------------------------------------------------------------


def test_i0_values_and_derivatives():
    x = numpy.array([-9.0, -3.2, -0.4, 0.0, 0.7, 2.5, 8.0, 8.5, 12.0])
    numpy.testing.assert_array_equal(np.i0(x), numpy.i0(x))
    numpy.testing.assert_array_equal(traced_value(np.i0, x), numpy.i0(x))
    numpy.testing.assert_allclose(grad(lambda x: np.sum(np.i0(x)))(x), special.i1(x), rtol=1e-12)
    # I₀'' = (I₀ + I₂)/2
    second = grad(lambda t: grad(np.i0)(t))
    for t in (-2.0, 0.0, 1.3, 9.5):
        assert second(t) == pytest.approx((special.i0(t) + special.iv(2, t)) / 2, rel=1e-10)
    check_grads(np.i0, modes=("fwd", "rev"), order=3)(x / 3)
    assert grad(lambda t: np.sum(np.i0([t, 2 * t])))(1.5) == pytest.approx(special.i1(1.5) + 2 * special.i1(3.0))
    with pytest.raises(TypeError, match="complex"):
        grad(lambda x: np.real(np.i0(x * 1j)))(1.0)


@pytest.mark.parametrize("M", [0, 1, 2, 5, 8])
def test_windows_are_numpy_constants(M):
    for name in ("bartlett", "blackman", "hamming", "hanning"):
        numpy.testing.assert_array_equal(getattr(np, name)(M), getattr(numpy, name)(M))
    numpy.testing.assert_array_equal(np.kaiser(M, 5.0), numpy.kaiser(M, 5.0))
    numpy.testing.assert_array_equal(traced_value(lambda b: np.kaiser(M, b), 5.0), numpy.kaiser(M, 5.0))
    # inside a differentiated function, a window is a constant factor
    x = R(M)
    numpy.testing.assert_allclose(grad(lambda x: np.sum(np.hanning(M) * x))(x), numpy.hanning(M))


def test_kaiser_is_differentiable_in_beta():
    check_grads(lambda b: np.kaiser(7, b), modes=("fwd", "rev"), order=2)(3.0)
    check_grads(lambda b: np.kaiser(6, b), modes=("fwd", "rev"), order=2)(0.5)
    # the window's ends are I₀(0)/I₀(β) = 1/I₀(β): derivative −I₁(β)/I₀(β)²
    d_end = grad(lambda b: np.kaiser(9, b)[0])(2.0)
    assert d_end == pytest.approx(-special.i1(2.0) / special.i0(2.0) ** 2, rel=1e-12)


@pytest.mark.parametrize("name", ["bartlett", "blackman", "hamming", "hanning", "kaiser"])
def test_a_traced_window_length_is_refused(name):
    fun = getattr(np, name)
    with pytest.raises(NotDifferentiableError, match=f"{name}: the window length M is traced"):
        grad(lambda M: np.sum(fun(M, 2.0) if name == "kaiser" else fun(M)))(5.0)


def test_the_names_are_ravines_own():
    from ravine.numpy import signals, windows

    for module in (signals, windows):
        for name in module.__all__:
            assert getattr(np, name) is getattr(module, name) is not getattr(numpy, name)
            assert name in dir(np)
