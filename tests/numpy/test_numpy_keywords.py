"""NumPy's less common keywords on traced values: each is differentiated correctly or
refused with an error that names it.

Found when this sweep was written (all silently wrong before): ``sum``/``mean``/``prod``/
``var``/``std``/``nansum`` with ``where=``, ``sum``/``prod``/``max`` with ``initial=``
and ``var``/``std`` with ``correction=`` returned derivatives that ignored the keyword;
``var(mean=traced)`` recursed without end; ``pad(reflect_type='odd')`` raised an
IndexError from its reverse-mode rule."""

import numpy
import pytest

import ravine
import ravine.numpy as np
from ravine.errors import NotDifferentiableError, TracingError
from ravine.test_util import check_grads

rng = numpy.random.default_rng(7)
M = rng.standard_normal((3, 4))
T = rng.standard_normal((2, 3, 4))
MASK = numpy.array([[1, 1, 1, 1], [0, 1, 1, 1], [0, 0, 0, 1]], dtype=bool)  # row 2 keeps one entry
TMASK = T > -0.5

REDUCTIONS = {
    "sum_where": (lambda x: np.sum(x, where=MASK), M),
    "sum_where_axis": (lambda x: np.sum(x, axis=1, where=MASK), M),
    "sum_where_bcast": (lambda x: np.sum(x, axis=0, where=numpy.array([True, False, True, True])), M),
    "sum_initial": (lambda x: np.sum(x, axis=0, initial=2.0), M),
    "prod_initial": (lambda x: np.prod(x, initial=2.0), M),
    "prod_where": (lambda x: np.prod(x, axis=1, where=MASK), M),
    "max_initial_below": (lambda x: np.max(x, initial=0.1), M),
    "max_initial_above": (lambda x: np.max(x, axis=1, initial=9.0), M),
    "max_where": (lambda x: np.max(x, axis=0, where=MASK, initial=-9.0), M),
    "amin_where": (lambda x: np.amin(x, axis=1, where=MASK, initial=9.0), M),
    "mean_where": (lambda x: np.mean(x, where=MASK), M),
    "mean_where_axes": (lambda x: np.mean(x, axis=(0, 2), where=TMASK, keepdims=True), T),
    "var_where": (lambda x: np.var(x, where=MASK), M),
    "std_where_axis": (lambda x: np.std(x, axis=1, where=MASK), M),
    "var_correction": (lambda x: np.var(x, axis=0, correction=1), M),
    "std_correction": (lambda x: np.std(x, correction=1.5), M),
    "var_where_ddof": (lambda x: np.var(x, axis=2, ddof=1, where=numpy.arange(24).reshape(2, 3, 4) % 3 != 0), T),
    "nansum_where": (lambda x: np.nansum(x, where=MASK, initial=1.0), M),
    "method_sum_where": (lambda x: x.sum(axis=1, where=MASK), M),
    "method_max_initial": (lambda x: x.max(initial=0.5), M),
    "method_std_where": (lambda x: x.std(where=MASK, axis=0, ddof=0), M),
    "numpy_sum_where": (lambda x: numpy.sum(x, where=MASK), M),
    "numpy_mean_where": (lambda x: numpy.mean(x, axis=0, where=MASK), M),
}


@pytest.mark.parametrize("name", sorted(REDUCTIONS))
def test_reduction_keywords_match_numpy_and_finite_differences(name):
    fun, x = REDUCTIONS[name]
    with numpy.errstate(invalid="ignore", divide="ignore"):
        expected = fun(x)
    assert isinstance(expected, (numpy.ndarray, numpy.floating, float))
    traced_value = ravine.value_and_grad(lambda v: np.sum(fun(v) * 1.0))(x)[0]
    numpy.testing.assert_allclose(traced_value, numpy.sum(expected), rtol=1e-12)
    check_grads(fun, modes=("fwd", "rev"), order=2)(x)


def test_the_where_mask_and_initial_give_the_known_derivatives():
    # ∂/∂x Σ_{m} x = m;  ∂/∂x mean(x, where=m) = m / #m;  a large initial wins the max.
    numpy.testing.assert_array_equal(ravine.grad(lambda x: np.sum(x, where=MASK))(M), MASK * 1.0)
    numpy.testing.assert_allclose(ravine.grad(lambda x: np.mean(x, where=MASK))(M), MASK / MASK.sum())
    numpy.testing.assert_array_equal(ravine.grad(lambda x: np.max(x, initial=9.0))(M), numpy.zeros_like(M))
    assert ravine.grad(lambda c: np.max(M, initial=c))(9.0) == 1.0
    # prod(x, initial=c) = c Π x: ∂/∂x_i = c Π x / x_i, and ∂/∂c = Π x.
    numpy.testing.assert_allclose(ravine.grad(lambda x: np.prod(x, initial=2.0))(M), 2.0 * numpy.prod(M) / M)
    numpy.testing.assert_allclose(ravine.grad(lambda c: np.prod(M, initial=c))(2.0), numpy.prod(M))
    # var with correction δ: ∂/∂x_i = 2 (x_i − x̄) / (n − δ).
    v = M.ravel()
    numpy.testing.assert_allclose(ravine.grad(lambda x: np.var(x, correction=1))(v),
                                  2 * (v - v.mean()) / (v.size - 1))


def test_var_with_a_given_mean_is_differentiated_in_both():
    x, mu = M, M.mean(axis=1, keepdims=True) + 0.3
    fun = lambda x, mu: np.var(x, axis=1, keepdims=True, mean=mu)
    numpy.testing.assert_allclose(fun(x, mu), numpy.var(x, axis=1, keepdims=True, mean=mu))
    check_grads(fun, modes=("fwd", "rev"), order=2)(x, mu)
    # ∂/∂μ mean|x − μ|² = −2 mean(x − μ)
    numpy.testing.assert_allclose(ravine.grad(lambda m: np.sum(fun(x, m)))(mu),
                                  -2 * (x - mu).mean(axis=1, keepdims=True))


def test_std_of_a_slice_with_one_entry_has_derivative_zero():
    g = ravine.grad(lambda x: np.sum(np.std(x, axis=1, where=MASK)))(M)
    assert MASK[2].sum() == 1
    numpy.testing.assert_array_equal(g[2], 0.0)
    assert numpy.all(numpy.isfinite(g))


def test_numpy_refusals_are_numpys_own():
    with pytest.raises(ValueError, match="initial"):
        ravine.grad(lambda x: np.max(x, where=MASK))(M)
    with pytest.raises(TracingError, match="out="):
        ravine.grad(lambda x: np.sum(x, where=MASK, out=numpy.empty(())))(M)


def test_untraced_calls_are_numpys_exact_results():
    for fun, x in REDUCTIONS.values():
        if fun.__code__.co_names and "numpy" in fun.__code__.co_names:
            continue
        with numpy.errstate(invalid="ignore", divide="ignore"):
            assert numpy.array_equal(fun(x), eval_with_numpy(fun, x), equal_nan=True)


def eval_with_numpy(fun, x):
    """``fun`` with NumPy in place of ravine.numpy (same code object, other globals)."""
    import types

    return types.FunctionType(fun.__code__, {**fun.__globals__, "np": numpy})(x)


# ---- keywords the rules do not take: a clear error, never a silent one -------------------------

@pytest.mark.parametrize("mode", ["rev", "fwd"])
@pytest.mark.parametrize("call, keyword", [
    (lambda x: np.exp(x, where=MASK, out=numpy.zeros_like(M)), "where"),
    (lambda x: np.multiply(x, 2.0, dtype=numpy.float32), "dtype"),
    (lambda x: np.sqrt(x * x, out=numpy.zeros_like(M)), "out"),
])
def test_a_keyword_without_a_rule_is_named(call, keyword, mode):
    f = lambda x: np.sum(call(x))
    with pytest.raises(NotDifferentiableError, match=f"{keyword}=") as info:
        if mode == "rev":
            ravine.grad(f)(M)
        else:
            ravine.make_jvp(f)(M)(numpy.ones_like(M))
    assert "cannot differentiate" in str(info.value)


def test_newer_keywords_of_clip_sort_diff_and_joins():
    lo, hi = -0.4, 0.6
    numpy.testing.assert_array_equal(np.clip(M, min=lo, max=hi), numpy.clip(M, min=lo, max=hi))
    check_grads(lambda x, a, b: np.clip(x, min=a, max=b), modes=("fwd", "rev"), order=2)(M, lo, hi)
    assert ravine.grad(lambda b: np.sum(np.clip(M, max=b)))(hi) == (M > hi).sum()
    check_grads(lambda x: np.sort(x, stable=True), modes=("fwd", "rev"), order=2)(M)
    check_grads(lambda x: np.real_if_close(x + 0j, tol=1000), modes=("fwd", "rev"), order=2)(M)
    for kw in ({"prepend": 0.5}, {"append": M[:, :1]}, {"prepend": M[:, :2], "append": 1.0}):
        numpy.testing.assert_array_equal(np.diff(M, **kw), numpy.diff(M, **kw))
        check_grads(lambda x, kw=kw: np.diff(x, 2, **kw), modes=("fwd", "rev"), order=2)(M)
    check_grads(lambda x, p: np.diff(x, prepend=p, axis=0), modes=("fwd", "rev"), order=2)(M, M[:1] * 2)
    for join in (np.concatenate, np.stack):
        out = join([M, M], dtype=numpy.float32)
        assert out.dtype == numpy.float32
        traced = ravine.grad(lambda x, join=join: np.sum(join([x, 2 * x], dtype=numpy.float32)))(M)
        numpy.testing.assert_allclose(traced, 3.0)
    with pytest.raises(TypeError, match="Cannot cast"):
        ravine.grad(lambda x: np.sum(np.concatenate([x, x], dtype=int, casting="safe")))(M)


def test_odd_reflection_in_both_modes():
    # reflect_type='odd' (2·edge − mirror) raised an IndexError in reverse mode at first; it is
    # now written from take and concatenate when one reflection covers the width.
    for mode, width in (("reflect", 2), ("symmetric", ((3, 0), (1, 4)))):
        f = lambda x, m=mode, w=width: np.pad(x, w, mode=m, reflect_type="odd")
        numpy.testing.assert_allclose(ravine.make_jvp(f)(M)(numpy.zeros_like(M))[0],
                                      numpy.pad(M, width, mode=mode, reflect_type="odd"), atol=1e-15)
        check_grads(f, modes=("fwd", "rev"), order=2)(M)
    wide = lambda x: np.pad(x, 4, mode="reflect", reflect_type="odd")
    numpy.testing.assert_array_equal(wide(M), numpy.pad(M, 4, mode="reflect", reflect_type="odd"))
    check_grads(wide, modes=("fwd",), order=2)(M)
    with pytest.raises(NotDifferentiableError, match="reflect_type='odd'"):
        ravine.grad(lambda x: np.sum(wide(x)))(M)


# ---- plain NumPy on traced values, and the array methods -------------------------------------

def test_a_plain_numpy_ufunc_on_a_traced_value_names_the_line():
    with pytest.raises(TracingError, match=r"plain NumPy ufunc.*numpy\.exp\(x\)") as info:
        ravine.grad(lambda x: numpy.sum(numpy.exp(x)))(M)
    assert "test_numpy_keywords.py" in str(info.value)
    with pytest.raises(TracingError, match="plain NumPy ufunc"):
        ravine.make_jvp(lambda x: numpy.maximum(x, 0.0))(M)(M)


def test_storing_a_traced_value_in_a_numpy_array_explains_itself():
    def f(x):
        a = numpy.zeros(3)
        a[0] = x[0]
        return np.sum(a)

    with pytest.raises(ValueError) as info:
        ravine.grad(f)(M[0])
    assert any("np.stack(values)" in note for note in info.value.__notes__)


def test_raw_numpy_functions_recommend_only_what_exists():
    with pytest.raises(TracingError, match=r"Use ravine\.numpy\.outer"):
        ravine.grad(lambda x: numpy.sum(numpy.outer(x, x)))(M[0])
    with pytest.raises(TracingError, match="ravine.numpy has no differentiable packbits") as info:
        ravine.grad(lambda x: numpy.packbits(x))(M[0])
    assert "ravine.numpy.packbits (import" not in str(info.value)


def test_array_methods_that_numpy_arrays_have():
    x0 = numpy.array([0.37, 1.7, -2.2])  # away from the jumps of round, // and divmod
    check_grads(lambda x: x.round(1) * x, modes=("fwd", "rev"), order=2)(x0)
    check_grads(lambda x: round(x[1], 1) * x, modes=("fwd", "rev"), order=2)(x0)
    check_grads(lambda x: (x // 0.5) * x + divmod(x, 0.5)[1], modes=("fwd", "rev"), order=2)(x0)
    check_grads(lambda x: 2.0 // x + divmod(3.0, x)[1], modes=("fwd", "rev"), order=2)(x0)
    check_grads(lambda x: x.take([0, 2, 2]) + x.flat[1], modes=("fwd", "rev"), order=2)(x0)
    check_grads(lambda x: np.stack(list(x)) * sum(v for v in x), modes=("fwd", "rev"), order=2)(x0)
    numpy.testing.assert_array_equal(ravine.grad(lambda x: np.sum(x.view() * x.itemsize))(x0), 8.0)

    def sizes(x):
        assert x.nbytes == 24 and x.itemsize == 8
        with pytest.raises(TypeError, match="0-d"):
            iter(x[0])
        return np.sum(x)

    ravine.grad(sizes)(x0)
    for method, args in [("sort", ()), ("fill", (0.0,)), ("put", ([0], [1.0])), ("resize", ((2,),))]:
        with pytest.raises(TracingError, match="in place"):
            ravine.grad(lambda x, method=method, args=args: getattr(x, method)(*args))(x0)
    with pytest.raises(TracingError, match="astype"):
        ravine.grad(lambda x: x.view(numpy.int64))(x0)
    with pytest.raises(TracingError, match="tobytes"):
        ravine.grad(lambda x: x.tobytes())(x0)


@pytest.mark.parametrize("dtype", [numpy.float32, numpy.float64])
def test_the_gradient_has_the_inputs_dtype_whatever_precision_a_step_used(dtype):
    # Before, a reduction with dtype= gave its own dtype to the gradient (float32 for float64 x).
    x = numpy.array([0.5, 1.5, -2.0], dtype=dtype)
    other = numpy.float64 if dtype == numpy.float32 else numpy.float32
    for f in (lambda v: np.mean(v, dtype=other), lambda v: np.sum(v, dtype=other) * 2.0,
              lambda v: np.var(v, dtype=other), lambda v: np.sum(v.astype(other) ** 2)):
        g = ravine.grad(f)(x)
        assert g.dtype == dtype
        assert ravine.grad(lambda p, f=f: f(p["x"]))({"x": x})["x"].dtype == dtype
        numpy.testing.assert_allclose(g, ravine.grad(f)(x.astype(numpy.float64)), rtol=1e-6)


def test_concatenate_takes_lists_of_traced_values_inside_the_sequence():
    x = numpy.array([1.0, 2.0])
    f = lambda v: np.concatenate([v, [v[0] * 2, 3.0]]) * numpy.arange(1.0, 5.0)
    numpy.testing.assert_array_equal(f(x), numpy.concatenate([x, [x[0] * 2, 3.0]]) * numpy.arange(1.0, 5.0))
    numpy.testing.assert_array_equal(ravine.grad(lambda v: np.sum(f(v)))(x), [1.0 + 6.0, 2.0])
    check_grads(f, modes=("fwd", "rev"), order=2)(x)


def test_the_jacobian_of_a_complex_output():
    # Real input: J = vjp(e) − i·vjp(i·e); complex input (holomorphic): J = vjp(e).
    x = numpy.array([0.3, -0.7])
    J = ravine.jacobian(lambda v: np.exp(1j * v) * v[::-1])(x)
    expected = numpy.diag(1j * numpy.exp(1j * x) * x[::-1]) + numpy.exp(1j * x)[:, None] * numpy.eye(2)[::-1]
    numpy.testing.assert_allclose(J, expected, atol=1e-15)
    z = numpy.array([0.3 + 0.2j, -0.7 + 1.0j])
    Jz = ravine.jacobian(lambda v: np.sin(v) * v[::-1])(z)
    expected_z = numpy.diag(numpy.cos(z) * z[::-1]) + numpy.sin(z)[:, None] * numpy.eye(2)[::-1]
    numpy.testing.assert_allclose(Jz, expected_z, atol=1e-15)


def test_keywords_that_composites_lacked():
    x = numpy.array([[1.0, numpy.nan, 3.0], [4.0, 5.0, -6.0]])
    keep = numpy.array([[True, True, False], [True, True, True]])
    f = lambda v: np.nanmean(v, axis=1, where=keep)
    numpy.testing.assert_array_equal(f(x), numpy.nanmean(x, axis=1, where=keep))
    # ∂/∂x = [selected and not NaN] / count per row
    expected = numpy.array([[1.0, 0.0, 0.0], [1 / 3, 1 / 3, 1 / 3]])
    numpy.testing.assert_allclose(ravine.grad(lambda v: np.sum(f(v)))(x), expected)
    assert np.nanmean(x, dtype=numpy.float32).dtype == numpy.float32
    a = numpy.arange(3.0)
    for join in (np.hstack, np.vstack):
        assert join((a, a), dtype=numpy.float32).dtype == numpy.float32
        numpy.testing.assert_array_equal(ravine.grad(lambda v, j=join: np.sum(j((v, 2 * v), dtype=numpy.float32)))(a), 3.0)
    assert np.asarray(a, device="cpu", copy=True) is not a
    with pytest.raises(ValueError, match="Device not understood"):
        np.linspace(0.0, 1.0, 3, device="gpu")
    numpy.testing.assert_array_equal(np.choose([0, 1, 0], [a, -a]), numpy.choose([0, 1, 0], [a, -a]))
    out = numpy.empty(3)
    np.choose([0, 1, 0], [a, -a], out)  # NumPy's third positional argument is out
    numpy.testing.assert_array_equal(out, [0.0, -1.0, 2.0])


PAD_CASES = {
    "mean": (M, 2, "mean", {}),
    "maximum_pairs": (M, ((1, 2), (0, 3)), "maximum", {}),
    "minimum_length": (M, 1, "minimum", {"stat_length": 2}),
    "mean_lengths_3d": (T, ((1, 0), (2, 1), (1, 1)), "mean", {"stat_length": ((1, 2), (2, 1), (3, 3))}),
    "median": (M, 2, "median", {}),
    "mean_long_length": (M, 3, "mean", {"stat_length": 10}),
    "linear_ramp_ends": (M, ((2, 1), (1, 3)), "linear_ramp", {"end_values": ((1.0, -2.0), (0.5, 0.0))}),
    "linear_ramp_3d": (T, 2, "linear_ramp", {}),
}


@pytest.mark.parametrize("name", sorted(PAD_CASES))
def test_pad_by_statistic_or_ramp_matches_numpy_and_differentiates(name):
    # These modes refused to differentiate before; they are written from take, the statistic
    # and concatenate, axis by axis as NumPy pads.
    x, width, mode, kwargs = PAD_CASES[name]
    f = lambda v: np.pad(v, width, mode=mode, **kwargs)
    expected = numpy.pad(x, width, mode=mode, **kwargs)
    numpy.testing.assert_array_equal(f(x), expected)
    numpy.testing.assert_allclose(ravine.make_jvp(f)(x)(numpy.zeros_like(x))[0], expected, rtol=1e-14, atol=1e-15)
    check_grads(f, modes=("fwd", "rev"), order=2)(x)


def test_pad_known_derivatives():
    # mean padding of a vector: each padded entry is the mean, so ∂/∂x_i of the sum is 1 + (b + a)/n.
    v = numpy.array([1.0, 4.0, 2.0])
    numpy.testing.assert_allclose(ravine.grad(lambda x: np.sum(np.pad(x, (2, 1), mode="mean")))(v), 1 + 3 / 3)
    # the ramp k/b from the end value to the edge: ∂/∂end = Σ (1 − k/b) over both sides
    ramp = ravine.grad(lambda e: np.sum(np.pad(v, (2, 2), mode="linear_ramp", end_values=e)))(0.5)
    assert ramp == pytest.approx(2 * (1.0 + 0.5))
    with pytest.raises(ValueError, match="stat_length of 0"):
        ravine.grad(lambda x: np.sum(np.pad(x, 1, mode="maximum", stat_length=0)))(v)


def test_linalg_keywords_hermitian_upper_and_mode_r():
    rng = numpy.random.default_rng(5)
    A = rng.standard_normal((2, 3, 3))
    S = A @ A.transpose(0, 2, 1) + 3 * numpy.eye(3)
    # pinv(hermitian=True) decomposes the lower triangle mirrored (NumPy uses eigh): its derivative
    # along a non-symmetric direction was silently the general pinv's before.
    check_grads(lambda s: np.linalg.pinv(s, hermitian=True), modes=("fwd", "rev"), order=2)(S)
    lower_only = numpy.tril(numpy.ones((3, 3)))
    g = ravine.grad(lambda s: np.sum(np.linalg.pinv(s, hermitian=True) * numpy.arange(9.0).reshape(3, 3)))(S)
    numpy.testing.assert_array_equal(g * (1 - lower_only), 0.0)
    numpy.testing.assert_allclose(ravine.make_jvp(lambda s: np.linalg.pinv(s, hermitian=True))(S)(0 * S)[0],
                                  numpy.linalg.pinv(S, hermitian=True), atol=1e-14)
    # cholesky(upper=True) = cholesky(Aᵀ)ᵀ; like the lower factor, differentiated along symmetric directions.
    upper = lambda s: np.linalg.cholesky(0.5 * (s + np.swapaxes(s, -1, -2)), upper=True)
    numpy.testing.assert_allclose(upper(S), numpy.linalg.cholesky(S, upper=True), atol=1e-14)
    check_grads(upper, modes=("fwd", "rev"), order=2)(S)
    B = rng.standard_normal((4, 3))
    numpy.testing.assert_allclose(np.linalg.qr(B, mode="r"), numpy.linalg.qr(B, mode="r"))
    check_grads(lambda b: np.linalg.qr(b, mode="r"), modes=("fwd", "rev"), order=2)(B)


def test_traced_fill_values_of_pad_and_nan_to_num():
    # Both raised before (a TracingError from inside NumPy).
    m = numpy.ones((2, 3))
    width = ((1, 0), (2, 1))
    n_padded = numpy.pad(m, width).size - m.size
    assert ravine.grad(lambda c: np.sum(np.pad(m, width, constant_values=c)))(2.0) == n_padded
    numpy.testing.assert_array_equal(ravine.make_jvp(lambda c: np.pad(m, width, constant_values=c))(2.0)(0.0)[0],
                                     numpy.pad(m, width, constant_values=2.0))
    check_grads(lambda x, c: np.pad(x, 1, constant_values=c), modes=("fwd", "rev"), order=2)(m, 2.0)
    with pytest.raises(NotDifferentiableError, match="one number"):
        ravine.grad(lambda c: np.sum(np.pad(m, 1, constant_values=np.stack([c, c]))))(2.0)
    x = numpy.array([1.0, numpy.nan, 3.0, numpy.inf, -numpy.inf])
    f = lambda c: np.nan_to_num(x, nan=c, posinf=2 * c, neginf=-c)
    numpy.testing.assert_array_equal(f(1.5), numpy.nan_to_num(x, nan=1.5, posinf=3.0, neginf=-1.5))
    assert ravine.grad(lambda c: np.sum(f(c)))(1.5) == 1.0 + 2.0 - 1.0
    # with the array traced too: its finite entries keep their derivative
    g = ravine.grad(lambda v: np.sum(np.nan_to_num(v, nan=v[0], posinf=0.0, neginf=0.0)))(x)
    numpy.testing.assert_array_equal(g, [2.0, 0.0, 1.0, 0.0, 0.0])
