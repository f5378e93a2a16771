"""The methods of NumPy's ufuncs (outer, reduce, accumulate, reduceat, at) on ravine's
wrapped ufuncs: NumPy's results on plain arrays, the same values and correct derivatives
on traced ones (before, ``np.add.outer`` and friends did not exist in ravine.numpy, even
for plain arrays)."""

import types

import numpy
import pytest

import ravine
import ravine.numpy as np
from ravine.errors import NotDifferentiableError, TracingError
from ravine.test_util import check_grads

rng = numpy.random.default_rng(3)
M = rng.standard_normal((3, 4))
T = rng.standard_normal((2, 3, 4))
V = rng.standard_normal(5)

CASES = {
    "add_outer": (lambda x: np.add.outer(x[0], x[1]), M),
    "multiply_outer_nd": (lambda x: np.multiply.outer(x, x[0]), M),
    "arctan2_outer": (lambda x: np.arctan2.outer(x, x * 0.5 + 2.0), V),
    "add_reduce": (lambda x: np.add.reduce(x), M),
    "add_reduce_axis_none_keep": (lambda x: np.add.reduce(x, axis=None, keepdims=True), T),
    "add_reduce_where_initial": (lambda x: np.add.reduce(x, axis=1, where=M > 0, initial=1.5), M),
    "multiply_reduce_neg_axis": (lambda x: np.multiply.reduce(x, axis=-1), M),
    "maximum_reduce_initial": (lambda x: np.maximum.reduce(x, axis=0, initial=0.2), M),
    "minimum_reduce_tuple": (lambda x: np.minimum.reduce(x, axis=(0, 2)), T),
    "logaddexp_reduce": (lambda x: np.logaddexp.reduce(x, axis=1), M),
    "logaddexp_reduce_all": (lambda x: np.logaddexp.reduce(x, axis=None), T),
    "hypot_reduce_tuple_keep": (lambda x: np.hypot.reduce(x, axis=(0, 2), keepdims=True), T),
    "subtract_reduce_initial": (lambda x: np.subtract.reduce(x, axis=0, initial=1.0), M),
    "add_accumulate": (lambda x: np.add.accumulate(x, axis=1), M),
    "multiply_accumulate": (lambda x: np.multiply.accumulate(x), M),
    "maximum_accumulate": (lambda x: np.maximum.accumulate(x, axis=-1), T),
    "logaddexp_accumulate": (lambda x: np.logaddexp.accumulate(x), V),
    "add_reduceat": (lambda x: np.add.reduceat(x, [0, 2, 1, 3], axis=1), M),
    "multiply_reduceat": (lambda x: np.multiply.reduceat(x, [0, 3]), V),
}


def numpy_version(fun):
    """``fun`` with NumPy in place of ravine.numpy."""
    return types.FunctionType(fun.__code__, {**fun.__globals__, "np": numpy})


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_are_numpys_and_derivatives_match_finite_differences(name):
    fun, x = CASES[name]
    expected = numpy_version(fun)(x)
    numpy.testing.assert_array_equal(fun(x), expected)  # plain arrays: NumPy's own method
    traced = ravine.make_jvp(fun)(x)(numpy.zeros_like(x))[0]
    numpy.testing.assert_allclose(traced, expected, rtol=1e-12, atol=1e-14)
    check_grads(fun, modes=("fwd", "rev"), order=2)(x)


def test_known_derivatives():
    # Σ_j outer(a, b)_ij = n_b a_i + Σ b;  running max: the derivative goes to the current maximum.
    a, b = V[:3], V[3:]
    numpy.testing.assert_allclose(ravine.grad(lambda a: np.sum(np.add.outer(a, b)))(a), numpy.full(3, b.size))
    x = numpy.array([1.0, 3.0, 2.0, 5.0])
    numpy.testing.assert_array_equal(ravine.grad(lambda x: np.sum(np.maximum.accumulate(x)))(x), [1.0, 2.0, 0.0, 1.0])
    # logaddexp.reduce is logsumexp: its gradient is the softmax.
    numpy.testing.assert_allclose(ravine.grad(lambda x: np.logaddexp.reduce(x))(V), numpy.exp(V) / numpy.exp(V).sum())


def test_ufunc_attributes_and_constant_ufuncs():
    assert (np.add.nin, np.add.nout, np.add.identity) == (2, 1, 0)
    assert np.arccos.reduce is np.acos.reduce
    # A constant ufunc's methods read values and return constants.
    g = ravine.grad(lambda x: np.sum(x * np.logical_or.reduce(x > 0, axis=0)))(M)
    numpy.testing.assert_array_equal(g, numpy.broadcast_to(numpy.logical_or.reduce(M > 0, axis=0), M.shape))


def test_at_works_on_plain_arrays_and_refuses_traced_ones():
    a = numpy.zeros(4)
    np.add.at(a, [0, 0, 2], 1.0)
    numpy.testing.assert_array_equal(a, [2.0, 0.0, 1.0, 0.0])
    with pytest.raises(TracingError, match=r"np\.add\.at.*untake"):
        ravine.grad(lambda v: np.sum(np.add.at(numpy.zeros(5), [0, 1], v[:2])))(V)
    # The functional form the message gives has the derivative of the scatter-add.
    idx = numpy.array([0, 0, 3])
    g = ravine.grad(lambda v: np.sum(np.untake(v[:3], idx, (5,), v.dtype) * numpy.arange(5.0)))(V)
    numpy.testing.assert_array_equal(g[:3], [0.0, 0.0, 3.0])


def test_errors_are_numpys_or_name_the_keyword():
    with pytest.raises(ValueError):
        ravine.grad(lambda x: np.arctan2.reduce(x[:0]))(V)  # empty, no identity: NumPy's error
    assert ravine.value_and_grad(lambda x: np.logaddexp.reduce(x[:0]))(V)[0] == -numpy.inf  # the identity
    with pytest.raises(NotDifferentiableError, match="where="):
        ravine.grad(lambda x: np.logaddexp.reduce(x, where=x > 0, initial=-numpy.inf))(V)
    with pytest.raises(TracingError, match="out="):
        ravine.grad(lambda x: np.add.reduce(x, out=numpy.empty(())))(V)
