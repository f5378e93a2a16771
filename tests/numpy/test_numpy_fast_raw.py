"""The fast raw functions of ravine.numpy.operators compute exactly what NumPy computes.

They replace ``numpy.multiply``, ``numpy.sum``, ... inside the primitives by
Python operators and array methods (faster on small values); these tests
compare them with NumPy's own functions on plain values: same numbers, same
dtype, same type (array or scalar), same warnings.
"""

import warnings

import numpy
import pytest

from ravine.numpy.operators import FAST_RAW

F64, F32 = numpy.float64, numpy.float32
BINARY_OPERANDS = [
    (F64(1.5), 2.0), (2.0, F64(1.5)), (F64(1.5), F64(-0.5)), (F64(3.0), 2), (3, F64(2.0)),
    (F32(1.5), 2.0), (F32(1.5), F64(2.0)), (numpy.arange(3.0), 2.0), (2.0, numpy.arange(1.0, 4.0)),
    (numpy.ones((2, 3), numpy.float32), 0.5), (numpy.arange(3), 2), (numpy.arange(3.0), numpy.ones((2, 1))),
    (numpy.complex128(1 + 2j), 0.5), (1.5, 2.0), ([1.0, 2.0], 3.0), (F64(2.0), [1.0, 3.0]),
]


def _same(got, want):
    assert type(got) is type(want)
    assert numpy.asarray(got).dtype == numpy.asarray(want).dtype
    numpy.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "divide", "true_divide", "power"])
@pytest.mark.parametrize("x, y", BINARY_OPERANDS)
def test_binary_fast_path_matches_the_ufunc(name, x, y):
    _same(FAST_RAW[name](x, y), getattr(numpy, name)(x, y))


@pytest.mark.parametrize("x", [F64(1.5), F32(-2.0), numpy.arange(3.0), numpy.complex128(1j), 2.0, [1.0, -1.0]])
def test_negative_fast_path_matches_the_ufunc(x):
    _same(FAST_RAW["negative"](x), numpy.negative(x))


@pytest.mark.parametrize("x, y, warning", [(F64(1.0), 0.0, "divide by zero"), (F64(-8.0), 1 / 3, "invalid value")])
def test_scalar_edge_cases_warn_and_give_inf_or_nan_like_the_ufunc(x, y, warning):
    name = "true_divide" if warning.startswith("divide") else "power"
    with pytest.warns(RuntimeWarning, match=warning):
        got = FAST_RAW[name](x, y)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = getattr(numpy, name)(x, y)
    _same(got, want)


def test_binary_fast_path_passes_keyword_arguments_to_the_ufunc():
    out = numpy.zeros(3)
    result = FAST_RAW["multiply"](numpy.arange(3.0), 2.0, out=out)
    assert result is out
    numpy.testing.assert_array_equal(out, [0.0, 2.0, 4.0])


A = numpy.arange(24.0).reshape(2, 3, 4) - 7.5
REDUCTION_CALLS = [
    ((A,), {}), ((A, 1), {}), ((A,), {"axis": (0, 2)}), ((A,), {"axis": -1, "keepdims": True}),
    ((A, None, None, None, True), {}), ((numpy.array(3.5),), {}), ((numpy.array([True, True, False]),), {}),
    ((numpy.array([[1, 2]], numpy.int8),), {"axis": 1}), ((A.astype(numpy.float32),), {"axis": 0}),
    ((A,), {"where": A > 0, "initial": 0.0}), ((A.tolist(),), {"axis": 0}),
]


@pytest.mark.parametrize("name", ["sum", "mean", "max", "amax", "min", "amin"])
@pytest.mark.parametrize("args, kwargs", REDUCTION_CALLS)
def test_reduction_fast_path_matches_numpy(name, args, kwargs):
    if name == "mean" and ("initial" in kwargs or len(args) > 1 and args[1] is None and len(args) == 5):
        kwargs = {k: v for k, v in kwargs.items() if k != "initial"}
    if name in ("max", "amax", "min", "amin") and len(args) == 5:
        args = args[:1] + (None, None, True)  # their 4th positional is keepdims
    _same(FAST_RAW[name](*args, **kwargs), getattr(numpy, name)(*args, **kwargs))


@pytest.mark.parametrize("dtype", [numpy.float64, numpy.float32, numpy.complex128, numpy.complex64])
@pytest.mark.parametrize("kwargs", [{}, {"axis": 0}, {"axis": -1}, {"axis": (0, 2)}, {"axis": (2, -3)},
                                    {"axis": 1, "keepdims": True}, {"keepdims": True}])
def test_mean_fast_path_gives_numpys_bits(dtype, kwargs):
    x = numpy.random.default_rng(3).standard_normal((5, 7, 9)).astype(dtype) * 1e3 + 0.1
    if dtype in (numpy.complex128, numpy.complex64):
        x = x + 1j * x[::-1]
    _same(FAST_RAW["mean"](x, **kwargs), numpy.mean(x, **kwargs))


def test_mean_fast_path_leaves_errors_and_empty_slices_to_numpy():
    with pytest.raises(numpy.exceptions.AxisError):
        FAST_RAW["mean"](A, axis=3)
    with pytest.warns(RuntimeWarning, match="Mean of empty slice"):
        assert numpy.isnan(FAST_RAW["mean"](numpy.zeros((0, 3)), axis=0)).all()


def test_reduction_dtype_and_out_arguments_match_numpy():
    out = numpy.zeros(4)
    assert FAST_RAW["sum"](A, axis=(0, 1), out=out) is out
    numpy.testing.assert_array_equal(out, numpy.sum(A, axis=(0, 1)))
    _same(FAST_RAW["sum"](A, dtype=numpy.float32), numpy.sum(A, dtype=numpy.float32))


@pytest.mark.parametrize("args, kwargs", [
    ((A, (4, 6)), {}), ((A, -1), {}), ((A, (4, 6)), {"order": "F"}), ((A, (4, 6), "F"), {}),
    ((A.tolist(), (24,)), {}),
])
def test_reshape_fast_path_matches_numpy(args, kwargs):
    _same(FAST_RAW["reshape"](*args, **kwargs), numpy.reshape(*args, **kwargs))


@pytest.mark.parametrize("args, kwargs", [((A,), {}), ((A, (2, 0, 1)), {}), ((A,), {"axes": (1, 0, 2)}), ((A, None), {})])
def test_transpose_fast_path_matches_numpy(args, kwargs):
    _same(FAST_RAW["transpose"](*args, **kwargs), numpy.transpose(*args, **kwargs))


@pytest.mark.parametrize("name, args, kwargs", [
    ("swapaxes", (A, 0, 2), {}), ("swapaxes", (A,), {"axis1": 0, "axis2": -1}),
    ("ravel", (A,), {}), ("ravel", (A, "F"), {}), ("ravel", (A,), {"order": "F"}), ("ravel", (A.tolist(),), {}),
    ("squeeze", (A[:1, :, :1],), {}), ("squeeze", (A[:1, :, :1], 0), {}), ("squeeze", (A[:1, :, :1],), {"axis": (0, 2)}),
])
def test_shape_method_fast_paths_match_numpy(name, args, kwargs):
    _same(FAST_RAW[name](*args, **kwargs), getattr(numpy, name)(*args, **kwargs))
