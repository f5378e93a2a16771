"""Selection, repetition and assembly functions on traced arrays (unstack, block,
broadcast_arrays, resize, insert, delete, extract, compress, choose, trim_zeros,
apply_along_axis, apply_over_axes, sort_complex) and the conversions that keep a traced
value traced: NumPy's values, derivatives against central differences in both modes to
second order, over shapes, axes (negative ones too) and keyword forms."""

import numpy
import pytest
from traced_values import traced_call

import ravine
import ravine.numpy as np
from ravine.test_util import check_grads

rng = numpy.random.default_rng(3)
V = rng.standard_normal(5)
M = rng.standard_normal((3, 4))
T = rng.standard_normal((2, 3, 4))
B = rng.standard_normal((3, 4))


def traced_value(f, x):
    """f(x) on a traced x, with every output's value (asserting each output is traced)."""
    out, values = traced_call(f, x)
    outs = out if isinstance(out, (tuple, list)) else [out]
    assert all(isinstance(o, ravine.numpy.ArrayBox) for o in outs), "an output lost its trace"
    return values


def assert_same(actual, expected):
    if isinstance(expected, (tuple, list)):
        assert type(actual) is type(expected) and len(actual) == len(expected)
        for a, e in zip(actual, expected):
            assert_same(a, e)
        return
    numpy.testing.assert_array_equal(actual, expected)
    assert numpy.shape(actual) == numpy.shape(expected)
    assert numpy.asarray(actual).dtype == numpy.asarray(expected).dtype


# (expression in a namespace `ns`, the traced input): run with ravine.numpy on a traced
# input and with numpy on the plain input; every output must match, every piece differentiate.
CASES = {
    "unstack": (lambda ns, x: ns.unstack(x), T),
    "unstack_axis": (lambda ns, x: ns.unstack(x, axis=1), T),
    "unstack_neg": (lambda ns, x: ns.unstack(x, axis=-1), M),
    "block_2x2": (lambda ns, x: ns.block([[x, B], [B[:1] * 2, x[:1]]]), M),
    "block_flat": (lambda ns, x: ns.block([x, V, 1.5]), V),
    "block_mixed_ndim": (lambda ns, x: ns.block([[x[0]], [V[:4]]]), M),
    "block_3d": (lambda ns, x: ns.block([[[x], [x]]]), T),
    "broadcast_arrays": (lambda ns, x: ns.broadcast_arrays(x, M, 2.0), V[:4]),
    "broadcast_arrays_col": (lambda ns, x: ns.broadcast_arrays(x[:, :1], x[:1, :]), M),
    "resize_grow": (lambda ns, x: ns.resize(x, (4, 5)), M),
    "resize_shrink": (lambda ns, x: ns.resize(x, 7), M),
    "resize_3d": (lambda ns, x: ns.resize(x, (2, 2, 3)), V),
    "insert_flat": (lambda ns, x: ns.insert(x, 2, x[0] * 3), M),
    "insert_axis": (lambda ns, x: ns.insert(x, [1, 3], x[:, 0:1] ** 2, axis=1), M),
    "insert_neg_axis": (lambda ns, x: ns.insert(x, 0, 7.0, axis=-2), M),
    "insert_slice": (lambda ns, x: ns.insert(x, slice(0, 4, 2), x[:2] * 5), V),
    "insert_plain_values": (lambda ns, x: ns.insert(x, [0, 0], [1.0, 2.0]), V),
    "insert_traced_values_only": (lambda ns, x: ns.insert(V, [1, 4], x[1:3]), V),
    "delete_flat": (lambda ns, x: ns.delete(x, [0, 5, 11]), M),
    "delete_axis": (lambda ns, x: ns.delete(x, 1, axis=1), M),
    "delete_neg_axis_slice": (lambda ns, x: ns.delete(x, slice(None, None, 2), axis=-1), T),
    "delete_mask": (lambda ns, x: ns.delete(x, x > 0), V),
    "extract": (lambda ns, x: ns.extract(x > 0, x), M),
    "extract_other_cond": (lambda ns, x: ns.extract(numpy.arange(12).reshape(3, 4) % 3 == 0, x), M),
    "compress_none": (lambda ns, x: ns.compress([True, False, True], x), M),
    "compress_axis": (lambda ns, x: ns.compress([False, True, True, False], x, axis=1), M),
    "compress_neg_axis": (lambda ns, x: ns.compress(x[:, 0, 0] > -10, x, axis=-3), T),
    "choose": (lambda ns, x: ns.choose(numpy.array([[0, 1, 2, 0]] * 3), [x, B, 2 * x]), M),
    "choose_bcast": (lambda ns, x: ns.choose(numpy.array([0, 1, 1, 0]), [x, x[0]]), M),
    "choose_wrap": (lambda ns, x: ns.choose(numpy.array([0, 3, -1, 2]), [x[0], x[1], x[2]], mode="wrap"), M),
    "choose_clip": (lambda ns, x: ns.choose(numpy.array([0, 7, -1, 2]), (x[0], x[1]), mode="clip"), M),
    "sort_complex": (lambda ns, x: ns.sort_complex(x), M),
    "sort_complex_1d": (lambda ns, x: ns.sort_complex(x), V),
    "sort_complex_complex": (lambda ns, x: ns.sort_complex(x + 1j * x[::-1]), V),
}


@pytest.mark.parametrize("name", CASES)
def test_values_match_numpy_plain_and_traced(name):
    expr, x = CASES[name]
    expected = expr(numpy, x)
    assert_same(expr(np, x), expected)
    assert_same(traced_value(lambda t: expr(np, t), x), expected)


@pytest.mark.parametrize("name", [n for n in CASES if n != "sort_complex_complex"])
def test_derivatives(name):
    expr, x = CASES[name]
    pieces = expr(numpy, x)
    for k in range(len(pieces)) if isinstance(pieces, (tuple, list)) else [None]:
        f = (lambda t: expr(np, t)) if k is None else (lambda t, k=k: expr(np, t)[k])
        check_grads(f, modes=("fwd", "rev"), order=2)(x)


def test_sort_complex_of_complex_input_derivative():
    check_grads(lambda x: np.real(np.sort_complex(x + 1j * x[::-1])) * 2 + np.imag(np.sort_complex(x + 1j * x[::-1])),
                modes=("fwd", "rev"), order=2)(V)


def test_repeated_entries_accumulate():
    # resize cycles the entries; broadcast copies them: each copy adds its cotangent.
    numpy.testing.assert_array_equal(ravine.grad(lambda x: np.sum(np.resize(x, 12)))(V), [3.0, 3.0, 2.0, 2.0, 2.0])
    numpy.testing.assert_array_equal(ravine.grad(lambda x: np.sum(np.broadcast_arrays(x, M)[0]))(V[:4]),
                                     numpy.full(4, 3.0))
    numpy.testing.assert_array_equal(ravine.grad(lambda x: np.sum(np.delete(x, [0, 2])))(V), [0, 1, 0, 1, 1])


def test_integer_inputs_give_numpy_constants():
    i = numpy.arange(12).reshape(3, 4)
    assert_same(np.resize(i, 5), numpy.resize(i, 5))
    assert_same(np.insert(i, 1, 9, axis=0), numpy.insert(i, 1, 9, axis=0))
    assert_same(np.block([[i, i]]), numpy.block([[i, i]]))
    seen = {}

    def into_integers(v):  # a traced value inserted into an int array is cast: a constant, as in NumPy
        seen["out"] = np.insert(i, 1, v, axis=0)
        return v * 2.0

    assert ravine.grad(into_integers)(2.7) == 2.0
    assert_same(seen["out"], numpy.insert(i, 1, 2.7, axis=0))


def test_insert_casts_values_to_the_arrays_dtype():
    f32 = M.astype(numpy.float32)
    assert_same(traced_value(lambda v: np.insert(f32, 1, v), 2.5), numpy.insert(f32, 1, 2.5))
    assert_same(traced_value(lambda x: np.insert(x, 1, 2.5), f32), numpy.insert(f32, 1, 2.5))


def test_block_rejects_tuples_like_numpy():
    with pytest.raises(TypeError, match="tuple"):
        ravine.grad(lambda x: np.sum(np.block(([x, x],))))(M)


# ---- trim_zeros --------------------------------------------------------------------------------

Z = numpy.array([0.0, 0.0, 1.5, 0.0, -2.0, 3.0, 0.0])
Z2 = numpy.array([[0, 0, 2, 3, 0, 0], [0, 1, 0, 3, 0, 0], [0, 0, 0, 0, 0, 0.0]])


@pytest.mark.parametrize("x, kwargs", [(Z, {}), (Z, {"trim": "f"}), (Z, {"trim": "b"}), (Z2, {}),
                                       (Z2, {"axis": -1}), (Z2, {"axis": 0, "trim": "b"}),
                                       (numpy.zeros(4), {}), (Z, {"axis": ()})])
def test_trim_zeros(x, kwargs):
    expected = numpy.trim_zeros(x, **kwargs)
    assert_same(np.trim_zeros(x, **kwargs), expected)
    assert_same(traced_value(lambda t: np.trim_zeros(t, **kwargs), x), expected)
    if expected.size:
        # Finite differences must not move the trimmed zeros (that changes the shape): only the
        # kept block varies; an inner zero stays in and is differentiated like the other kept entries.
        keep = _kept_block(x, expected)
        check_grads(lambda t: np.trim_zeros(np.where(keep, t, 0.0), **kwargs) ** 2,
                    modes=("fwd", "rev"), order=2)(x)


def _kept_block(x, view):
    """The boolean mask of the entries of ``x`` that the slice ``view`` of it keeps."""
    offset = (view.__array_interface__["data"][0] - x.__array_interface__["data"][0]) // x.itemsize
    start = numpy.unravel_index(offset, x.shape)
    keep = numpy.zeros(x.shape, bool)
    keep[tuple(slice(s, s + n) for s, n in zip(start, view.shape))] = True
    return keep


def test_trim_zeros_derivative_reaches_inner_zeros():
    numpy.testing.assert_array_equal(ravine.grad(lambda x: np.sum(np.trim_zeros(x)))(Z), [0, 0, 1, 1, 1, 1, 0])


# ---- apply_along_axis / apply_over_axes ---------------------------------------------------------


@pytest.mark.parametrize("axis", [0, 1, -1, 2, -3])
@pytest.mark.parametrize("func1d", [lambda r: np.sum(r ** 2), lambda r: np.cumsum(r) * r[0],
                                    lambda r: np.outer(r, r[:2])], ids=["scalar", "vector", "matrix"])
def test_apply_along_axis(func1d, axis):
    expected = numpy.apply_along_axis(lambda r: func1d(r), axis, T)
    assert_same(np.apply_along_axis(func1d, axis, T), expected)
    assert_same(traced_value(lambda t: np.apply_along_axis(func1d, axis, t), T), expected)
    check_grads(lambda t: np.apply_along_axis(func1d, axis, t), modes=("fwd", "rev"), order=2)(T)


def test_apply_along_axis_extra_arguments_and_closure_over_traced_values():
    f = lambda r, p, scale=1.0: np.sum(np.abs(r) ** p) * scale
    assert_same(np.apply_along_axis(f, 1, M, 3, scale=2.0), numpy.apply_along_axis(f, 1, M, 3, scale=2.0))
    check_grads(lambda t: np.apply_along_axis(f, 1, t, 3, scale=2.0), modes=("fwd", "rev"), order=2)(M)
    # the array is plain, the function closes over a traced weight: still differentiated
    check_grads(lambda w: np.apply_along_axis(lambda r: np.sum(r * w), 0, M), modes=("fwd", "rev"), order=2)(V[:3])


def test_apply_along_axis_rejects_empty_iteration_and_bad_axis():
    with pytest.raises(ValueError, match="iteration dimensions are 0"):
        ravine.grad(lambda t: np.sum(np.apply_along_axis(np.sum, 1, t)))(numpy.zeros((0, 3)))
    with pytest.raises(numpy.exceptions.AxisError):
        ravine.grad(lambda t: np.sum(np.apply_along_axis(np.sum, 2, t)))(M)


@pytest.mark.parametrize("axes", [0, [0, 2], (-1,), [2, -3]])
@pytest.mark.parametrize("func", [np.sum, np.max, np.mean, lambda a, axis: np.cumsum(a, axis=axis)],
                         ids=["sum", "max", "mean", "cumsum"])
def test_apply_over_axes(func, axes):
    expected = numpy.apply_over_axes(lambda a, axis: ravine.getval(func(a, axis)), T, axes)
    assert_same(np.apply_over_axes(func, T, axes), expected)
    assert_same(traced_value(lambda t: np.apply_over_axes(func, t, axes), T), expected)
    check_grads(lambda t: np.apply_over_axes(func, t, axes), modes=("fwd", "rev"), order=2)(T)


def test_apply_over_axes_wrong_shape():
    with pytest.raises(ValueError, match="correct shape"):
        np.apply_over_axes(lambda a, axis: a[None], T, [1])
    with pytest.raises(ValueError, match="correct shape"):
        ravine.grad(lambda t: np.sum(np.apply_over_axes(lambda a, axis: a[None], t, [1])))(T)


# ---- conversions: a traced value stays traced ----------------------------------------------------


@pytest.mark.parametrize("name, kwargs", [("asanyarray", {}), ("ascontiguousarray", {}), ("asfortranarray", {}),
                                          ("asarray_chkfinite", {}), ("require", {"requirements": ["C", "W"]}),
                                          ("asanyarray", {"dtype": numpy.float32}),
                                          ("require", {"dtype": numpy.complex128})])
@pytest.mark.parametrize("x", [M, V, numpy.float64(0.5), [0.5, -1.0]], ids=["2d", "1d", "0d", "list"])
def test_conversions_keep_traces(name, kwargs, x):
    f = getattr(np, name)
    expected = getattr(numpy, name)(x, **kwargs)
    assert_same(f(x, **kwargs), expected)
    if isinstance(x, list):
        assert_same(traced_value(lambda s: f([s * 1.0, x[1]], **kwargs), x[0]), expected)
        return
    assert_same(traced_value(lambda t: f(t, **kwargs), x), expected)
    if numpy.dtype(kwargs.get("dtype", float)) == numpy.float64:
        check_grads(lambda t: f(t, **kwargs) * 2.0, modes=("fwd", "rev"), order=2)(x)


def test_asarray_chkfinite_reads_values():
    with pytest.raises(ValueError, match="infs or NaNs"):
        ravine.grad(lambda x: np.sum(np.asarray_chkfinite(x + numpy.inf)))(V)
    with pytest.raises(ValueError, match="infs or NaNs"):
        np.asarray_chkfinite(numpy.array([1.0, numpy.nan]))


def test_piecewise_values_and_derivatives():
    x = numpy.linspace(-2.0, 2.0, 7) + 0.05  # away from the condition boundaries

    def f(v):
        return np.piecewise(v, [v < 0, v > 1], [lambda u: u ** 2, lambda u: np.sin(u), 0.5])

    expected = numpy.piecewise(x, [x < 0, x > 1], [lambda u: u ** 2, lambda u: numpy.sin(u), 0.5])
    numpy.testing.assert_array_equal(f(x), expected)
    numpy.testing.assert_array_equal(ravine.make_jvp(f)(x)(numpy.zeros_like(x))[0], expected)
    check_grads(f, modes=("fwd", "rev"), order=2)(x)
    # ∂/∂x: 2x on the first piece, cos x on the second, 0 on the constant default.
    g = ravine.grad(lambda v: np.sum(f(v)))(x)
    numpy.testing.assert_allclose(g, numpy.where(x < 0, 2 * x, numpy.where(x > 1, numpy.cos(x), 0.0)))
    # Traced constants, and functions that close over a traced value (x itself plain).
    assert ravine.grad(lambda c: np.sum(np.piecewise(x, [x < 0], [lambda u: u, c])))(1.5) == (x >= 0).sum()
    s_grad = ravine.grad(lambda s: np.sum(np.piecewise(x, [x < 0], [lambda u: u * s, lambda u: u])))(2.0)
    numpy.testing.assert_allclose(s_grad, x[x < 0].sum())
    with pytest.raises(ValueError, match="functions are expected"):
        ravine.grad(lambda v: np.sum(np.piecewise(v, [v < 0], [1.0, 2.0, 3.0])))(x)
