"""copysign, heaviside, ldexp, frexp, modf, divmod, nextafter and the constant elementwise
functions: NumPy's values (untraced and traced), derivatives against central differences,
and the exact derivative rules the docstrings state."""

import numpy
import pytest
from traced_values import traced_call

import ravine
import ravine.numpy as np
from ravine import NotDifferentiableError
from ravine.test_util import check_grads

rng = numpy.random.default_rng(5)
M = rng.standard_normal((3, 4))
V = rng.standard_normal(4)
F32 = M.astype(numpy.float32)


def traced_value(f, x):
    """f(x) computed on a traced x: (the output as returned, its value)."""
    return traced_call(f, x)


def assert_same(actual, expected):
    if isinstance(expected, tuple):
        assert isinstance(actual, tuple) and len(actual) == len(expected)
        for a, e in zip(actual, expected):
            assert_same(a, e)
        return
    numpy.testing.assert_array_equal(actual, expected)
    assert numpy.asarray(actual).dtype == numpy.asarray(expected).dtype


# ---- values: plain calls are NumPy's, traced calls give NumPy's values ----------------------------

X = numpy.array([-2.5, -1.0, -0.0, 0.0, 0.75, 3.0, numpy.inf, -numpy.inf, numpy.nan])
CALLS = {
    "copysign": lambda ns, x: ns.copysign(x, X[::-1]),
    "copysign_first_plain": lambda ns, x: ns.copysign(X[::-1], x),
    "heaviside": lambda ns, x: ns.heaviside(x, 0.5),
    "heaviside_x2": lambda ns, x: ns.heaviside(X[::-1], x),
    "ldexp": lambda ns, x: ns.ldexp(x, numpy.arange(-4, 5)),
    "frexp": lambda ns, x: ns.frexp(x),
    "modf": lambda ns, x: ns.modf(x),
    "divmod": lambda ns, x: ns.divmod(x, 0.7),
    "divmod_x2": lambda ns, x: ns.divmod(2.5, x),
    "spacing": lambda ns, x: ns.spacing(x),
    "signbit": lambda ns, x: ns.signbit(x),
    "isneginf": lambda ns, x: ns.isneginf(x),
    "isposinf": lambda ns, x: ns.isposinf(x),
    "isin": lambda ns, x: ns.isin(x, [0.75, 3.0]),
    "nextafter_x2": lambda ns, x: ns.nextafter(X[::-1], x),
}


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("name", CALLS)
@pytest.mark.parametrize("x", [X, X.astype(numpy.float32)], ids=["f64", "f32"])
def test_values_equal_numpy_plain_and_traced(name, x):
    expected = CALLS[name](numpy, x)
    assert_same(CALLS[name](np, x), expected)
    assert_same(traced_value(lambda t: CALLS[name](np, t), x)[1], expected)


def test_gcd_lcm_are_integer_constants():
    a, b = numpy.array([12, 18, -4, 0]), numpy.array([8, 27, 6, 5])
    assert_same(np.gcd(a, b), numpy.gcd(a, b))
    assert_same(np.lcm(a, b), numpy.lcm(a, b))
    g = ravine.grad(lambda x: np.sum(x * np.gcd(np.astype(x, int), b)))(a * 1.0)
    numpy.testing.assert_array_equal(g, numpy.gcd(a, b))


# ---- derivatives ---------------------------------------------------------------------------------


@pytest.mark.parametrize("x2", [M[::-1] + 0.1, V, -1.5, 2.0], ids=["same", "row", "neg", "pos"])
def test_copysign_derivative_in_x1(x2):
    check_grads(lambda x: np.copysign(x, x2), modes=("fwd", "rev"), order=2)(M)
    expected = numpy.sign(M) * numpy.sign(x2) * numpy.ones_like(M)
    numpy.testing.assert_array_equal(ravine.grad(lambda x: np.sum(np.copysign(x, x2)))(M), expected)


def test_copysign_derivative_in_x2_is_zero_and_traced_both():
    numpy.testing.assert_array_equal(ravine.grad(lambda y: np.sum(np.copysign(M, y) * y))(M + 0.1),
                                     numpy.copysign(M, M + 0.1))  # only the explicit factor y counts
    check_grads(lambda x: np.copysign(x, x * 2 - 0.3), modes=("fwd", "rev"), order=2)(V)


def test_heaviside_derivative_in_x2_is_the_indicator_of_x1_zero():
    x1 = numpy.array([[-1.0, 0.0, 2.0, 0.0], [0.0, 3.0, -0.0, numpy.nan]])
    g = ravine.grad(lambda x2: np.sum(np.heaviside(x1, x2) * numpy.arange(1.0, 9.0).reshape(2, 4)))(
        numpy.full((2, 4), 0.5))
    numpy.testing.assert_array_equal(g, numpy.where(x1 == 0, numpy.arange(1.0, 9.0).reshape(2, 4), 0.0))
    finite = numpy.nan_to_num(x1, nan=1.0)  # (finite differences of a NaN are NaN)
    check_grads(lambda x2: np.heaviside(finite, x2), modes=("fwd", "rev"), order=2)(rng.standard_normal((2, 4)))
    check_grads(lambda x2: np.heaviside(finite, x2), modes=("fwd", "rev"), order=2)(0.3)  # a broadcast scalar
    numpy.testing.assert_allclose(ravine.grad(lambda s: np.sum(np.heaviside(x1, s)))(0.3), 4.0)


def test_heaviside_derivative_in_x1_is_zero():
    numpy.testing.assert_array_equal(ravine.grad(lambda x: np.sum(np.heaviside(x, 0.5) + x))(M), numpy.ones_like(M))
    numpy.testing.assert_array_equal(
        ravine.grad(lambda x: np.sum(np.heaviside(x, x * 3)))(numpy.array([0.0, 1.0, -1.0])), [3.0, 0.0, 0.0])


@pytest.mark.parametrize("x2", [numpy.array([[-2], [0], [3]]), numpy.arange(-1, 3), 5, -3])
def test_ldexp_is_linear_in_x1(x2):
    check_grads(lambda x: np.ldexp(x, x2), modes=("fwd", "rev"), order=2)(M)
    numpy.testing.assert_array_equal(ravine.grad(lambda x: np.sum(np.ldexp(x, x2)))(M),
                                     numpy.ldexp(numpy.ones_like(M), x2) * numpy.ones_like(M))
    check_grads(lambda s: np.ldexp(s, x2), modes=("fwd", "rev"), order=2)(0.8)  # x1 broadcast up


def test_ldexp_keeps_float32_and_does_not_overflow_before_the_product():
    assert np.ldexp(F32, 3).dtype == numpy.float32
    assert traced_value(lambda x: np.ldexp(x, 3), F32)[1].dtype == numpy.float32
    assert traced_value(lambda x: np.ldexp(x, 1024), 0.5)[1] == 2.0 ** 1023


def test_frexp_mantissa_derivative_is_two_to_minus_e():
    x = M * 10
    check_grads(lambda x: np.frexp(x)[0], modes=("fwd", "rev"), order=2)(x)
    numpy.testing.assert_array_equal(ravine.grad(lambda x: np.sum(np.frexp(x)[0]))(x),
                                     numpy.ldexp(1.0, -numpy.frexp(x)[1]))
    assert not isinstance(traced_value(np.frexp, x)[0][1], ravine.numpy.ArrayBox)  # exponent constant


def test_modf_fraction_has_derivative_one_integral_zero():
    x = M * 3
    check_grads(lambda x: np.modf(x)[0], modes=("fwd", "rev"), order=2)(x)
    numpy.testing.assert_array_equal(ravine.grad(lambda x: np.sum(np.modf(x)[0] * 2 + np.modf(x)[1]))(x),
                                     numpy.full_like(x, 2.0))


def test_divmod_remainder_is_mod_quotient_constant():
    x, y = M * 3, numpy.abs(V) + 0.5
    check_grads(lambda x: np.divmod(x, y)[1], modes=("fwd", "rev"), order=2)(x)
    check_grads(lambda y: np.divmod(x, y)[1], modes=("fwd", "rev"), order=2)(y)
    numpy.testing.assert_allclose(ravine.grad(lambda y: np.sum(np.divmod(x, y)[1]))(y),
                                  ravine.grad(lambda y: np.sum(np.mod(x, y)))(y))
    numpy.testing.assert_allclose(ravine.grad(lambda y: np.sum(np.divmod(x, y)[1]))(y),
                                  -numpy.floor(x / y).sum(axis=0))
    assert not isinstance(traced_value(lambda x: np.divmod(x, y), x)[0][0], ravine.numpy.ArrayBox)


@pytest.mark.parametrize("name", ["signbit", "spacing", "isneginf", "isposinf"])
def test_constant_elementwise_give_zero_derivative(name):
    g = ravine.grad(lambda x: np.sum(x + getattr(np, name)(x)))(M)
    numpy.testing.assert_array_equal(g, numpy.ones_like(M))


# ---- nextafter: refused in x1, constant in x2 -------------------------------------------------------


def test_nextafter_refuses_a_traced_x1_and_shows_the_differentiable_spelling():
    with pytest.raises(NotDifferentiableError, match=r"nextafter.*x1.*derivative in x1 is 1") as err:
        ravine.grad(lambda x: np.sum(np.nextafter(x, numpy.inf)))(M)
    assert "ravine.getval(x1)" in str(err.value)
    # the spelling the message suggests gives derivative 1 and nextafter's exact value
    f = lambda x: x + (np.nextafter(ravine.getval(x), numpy.inf) - ravine.getval(x))
    numpy.testing.assert_array_equal(ravine.grad(lambda x: np.sum(f(x)))(M), numpy.ones_like(M))
    numpy.testing.assert_array_equal(traced_value(f, M)[1], numpy.nextafter(M, numpy.inf))


def test_nextafter_plain_is_numpy():
    assert_same(np.nextafter(M, 0.0), numpy.nextafter(M, 0.0))
