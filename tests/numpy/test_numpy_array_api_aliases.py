"""NumPy 2's array-API spellings (acos, atan2, pow, concat, permute_dims, bitwise_*) are
ravine's wrapped functions themselves: the same object as the long name, NumPy's values,
derivatives against central differences, integer results constant."""

import numpy
import pytest

import ravine
import ravine.numpy as np
from ravine.test_util import check_grads

rng = numpy.random.default_rng(11)
U = rng.uniform(-0.9, 0.9, (2, 3))  # inside the domains of asin, acos, atanh
G = 1.1 + rng.random((2, 3))  # > 1 for acosh
M = rng.standard_normal((3, 4))
T = rng.standard_normal((2, 3, 4))

ALIASES = {"acos": "arccos", "acosh": "arccosh", "asin": "arcsin", "asinh": "arcsinh", "atan": "arctan",
           "atan2": "arctan2", "atanh": "arctanh", "pow": "power", "concat": "concatenate",
           "permute_dims": "transpose", "bitwise_invert": "invert", "bitwise_not": "invert",
           "bitwise_left_shift": "left_shift", "bitwise_right_shift": "right_shift"}


@pytest.mark.parametrize("alias, long_name", ALIASES.items())
def test_each_alias_is_the_wrapped_long_name(alias, long_name):
    assert getattr(np, alias) is getattr(np, long_name)
    assert getattr(np, alias) is not getattr(numpy, alias)  # not NumPy's function falling through
    assert alias in dir(np)


UNARY = [("acos", U), ("asin", U), ("atan", M), ("atanh", U), ("asinh", M), ("acosh", G)]


@pytest.mark.parametrize("name, x", UNARY, ids=[n for n, _ in UNARY])
def test_inverse_trig_values_and_derivatives(name, x):
    f = getattr(np, name)
    numpy.testing.assert_allclose(f(x), getattr(numpy, name)(x))
    check_grads(f, modes=("fwd", "rev"), order=2)(x)
    check_grads(lambda s: f(s * x), modes=("fwd", "rev"), order=2)(1.05)  # a traced scalar broadcast


def test_acos_matches_arccos_derivative_inside_grad():
    # The failure this module fixes: np.acos on a traced value used to raise NumPy's ufunc TypeError.
    assert ravine.grad(lambda x: np.acos(x))(0.3) == ravine.grad(lambda x: np.arccos(x))(0.3)
    numpy.testing.assert_allclose(ravine.grad(lambda x: np.acos(x))(0.3), -1 / numpy.sqrt(1 - 0.09))


@pytest.mark.parametrize("y, x", [(M, M * 0.5 + 2), (M[0], 1.5), (0.3, M)])
def test_atan2_in_both_arguments(y, x):
    numpy.testing.assert_allclose(np.atan2(y, x), numpy.atan2(y, x))
    check_grads(np.atan2, 0, modes=("fwd", "rev"), order=2)(y, x)
    check_grads(np.atan2, 1, modes=("fwd", "rev"), order=2)(y, x)


def test_pow_in_base_and_exponent():
    base, exponent = numpy.abs(M) + 0.5, M[0]
    numpy.testing.assert_allclose(np.pow(base, exponent), numpy.pow(base, exponent))
    check_grads(np.pow, 0, modes=("fwd", "rev"), order=2)(base, exponent)
    check_grads(np.pow, 1, modes=("fwd", "rev"), order=2)(base, exponent)
    check_grads(lambda b: np.pow(b, 3), modes=("fwd", "rev"), order=2)(base)


@pytest.mark.parametrize("axis", [0, 1, -1, -2, None])
def test_concat_along_axes(axis):
    f = lambda x: np.concat([x, 2 * x, M], axis=axis)
    numpy.testing.assert_array_equal(f(M), numpy.concat([M, 2 * M, M], axis=axis))
    check_grads(f, modes=("fwd", "rev"), order=2)(M)


def test_concat_positional_axis_and_default():
    numpy.testing.assert_array_equal(np.concat([T, T], 2), numpy.concat([T, T], 2))
    check_grads(lambda x: np.concat([x, x[:1]]), modes=("fwd", "rev"), order=2)(T)


@pytest.mark.parametrize("axes", [None, (2, 0, 1), (0, 2, 1), (-1, -3, -2)])
def test_permute_dims(axes):
    numpy.testing.assert_array_equal(np.permute_dims(T, axes), numpy.permute_dims(T, axes))
    check_grads(lambda x: np.permute_dims(x, axes) * numpy.arange(24.0).reshape(
        numpy.permute_dims(T, axes).shape), modes=("fwd", "rev"), order=2)(T)
    check_grads(lambda x: np.permute_dims(x, axes=axes), modes=("fwd", "rev"), order=2)(T)


I = numpy.array([[3, -5, 12], [0, 7, 255]])


@pytest.mark.parametrize("name, args", [("bitwise_count", (I,)), ("bitwise_invert", (I,)), ("bitwise_not", (I,)),
                                        ("bitwise_left_shift", (I, 2)), ("bitwise_right_shift", (I, 1))])
def test_bitwise_integer_functions_are_numpy_values_and_constants(name, args):
    numpy.testing.assert_array_equal(getattr(np, name)(*args), getattr(numpy, name)(*args))

    def uses_bits(x):  # integers derived from a traced float: the bitwise result is a constant
        bits = getattr(np, name)(np.astype(x, numpy.int64), *args[1:])
        assert not isinstance(bits, ravine.numpy.ArrayBox)
        return np.sum(x * bits)

    numpy.testing.assert_allclose(ravine.grad(uses_bits)(I * 1.0), getattr(numpy, name)(I, *args[1:]))
