"""ravine.numpy.statistics: quantiles, NaN-ignoring reductions, ptp, cov/corrcoef,
cumulative_*, histograms.

Values are NumPy's, untraced and traced (every quantile method, axes, keepdims, NaN
placements); derivatives match central finite differences to second order in both
modes (at points away from ties); and the analytic results hold: the median's
derivative is the indicator of the middle entries (sort's rule at ties), the
quantile's derivative in q is the slope between neighbouring order statistics,
cov's gradient is its closed form, NaNs get zero derivative.
"""

import warnings

import numpy
import pytest
from gradsweep import ids, run_case, sweep

import ravine
import ravine.numpy as np
from ravine.autodiff.core import make_vjp
from ravine.autodiff.tracer import Box
from ravine.errors import NotDifferentiableError
from ravine.test_util import check_grads

METHODS = ["linear", "lower", "higher", "nearest", "midpoint", "inverted_cdf", "averaged_inverted_cdf",
           "closest_observation", "interpolated_inverted_cdf", "hazen", "weibull", "median_unbiased",
           "normal_unbiased"]
CONTINUOUS = ["linear", "interpolated_inverted_cdf", "hazen", "weibull", "median_unbiased", "normal_unbiased"]

rng = numpy.random.default_rng(7)
A = rng.standard_normal((4, 5))
T = rng.standard_normal((2, 3, 4))
Y52 = rng.standard_normal((5, 2))


def with_nans(x, *where):
    x = numpy.array(x, dtype=float)
    for index in where:
        x[index] = numpy.nan
    return x


# NaNs here and there, a whole row of them (an all-NaN slice along axis 1), none in column 4.
AN = with_nans(A, (0, 1), (2, 0), (2, 1), (2, 2), (2, 3), (2, 4), (3, 3))
AN[2, 4] = 0.25
AN[1, :] = numpy.nan
# For derivative checks: NaNs, but no slice along either axis is all NaN.
AG = with_nans(A, (0, 1), (2, 3), (3, 0), (1, 1))


def traced_value(f, x):
    """f(x) computed on a traced x (its raw value), after checking that f traced it."""
    boxed = []

    def g(x):
        out = f(x)
        boxed.append(isinstance(out, Box))
        return out

    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        _, value = make_vjp(g, x)
    assert boxed == [True], "the function did not return a traced value"
    return value


def numpy_value(f, *args, **kwargs):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        return f(*args, **kwargs)


def assert_same(got, expected, rtol=1e-13):
    got, expected = numpy.asarray(got), numpy.asarray(expected)
    assert got.shape == expected.shape, (got.shape, expected.shape)
    assert got.dtype == expected.dtype, (got.dtype, expected.dtype)
    numpy.testing.assert_allclose(got, expected, rtol=rtol, atol=1e-15, equal_nan=True)


# ---- values ------------------------------------------------------------------------------------

QUANTILE_FORMS = [(0.37, {}), ([0.0, 0.13, 0.5, 0.71, 1.0], {}), ([[0.2, 0.9], [0.55, 0.05]], {})]
AXES = [None, 0, 1, -1, (0, 1)]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name,data", [("quantile", A), ("nanquantile", AN), ("quantile", AN),
                                       ("percentile", A), ("nanpercentile", AN)])
def test_quantile_values_are_numpys(method, name, data):
    scale = 100 if "percentile" in name else 1
    for q, _ in QUANTILE_FORMS:
        q = numpy.asarray(q) * scale
        for axis in AXES:
            for keepdims in (False, True):
                expected = numpy_value(getattr(numpy, name), data, q, axis=axis, method=method, keepdims=keepdims)
                f = getattr(np, name)
                assert_same(numpy_value(f, data, q, axis=axis, method=method, keepdims=keepdims), expected)
                assert_same(traced_value(lambda x, f=f, q=q, axis=axis, keepdims=keepdims: f(
                    x, q, axis=axis, method=method, keepdims=keepdims), data),
                            expected)


@pytest.mark.parametrize("name,data", [("median", A), ("median", AN), ("nanmedian", AN), ("median", T),
                                       ("nanmedian", with_nans(T, (0, 1, 2), (1, 0, 0)))])
def test_median_values_are_numpys(name, data):
    for axis in [None, 0, -1, (0, 1)]:
        for keepdims in (False, True):
            expected = numpy_value(getattr(numpy, name), data, axis=axis, keepdims=keepdims)
            f = getattr(np, name)
            assert_same(numpy_value(f, data, axis=axis, keepdims=keepdims), expected)
            assert_same(traced_value(lambda x, f=f, axis=axis, keepdims=keepdims: f(x, axis=axis, keepdims=keepdims), data), expected)


@pytest.mark.parametrize("nan_variant", [False, True])
@pytest.mark.parametrize("axis,weights", [(None, rng.random((4, 5))), (1, rng.random(5)), (0, rng.random(4)),
                                          ((0, 1), rng.random((4, 5))), (1, rng.random((4, 5))),
                                          (1, numpy.array([0.0, 0.0, 1.0, 0.0, 2.0]))])
def test_weighted_quantile_values_are_numpys(nan_variant, axis, weights):
    name = "nanquantile" if nan_variant else "quantile"
    data = AN if nan_variant else A
    if nan_variant and weights.ndim == 1:
        # NumPy 2.4's own nanquantile fails here (IndexError indexing the 1-d weights); ravine
        # asks NumPy first, so it raises the same error rather than answer differently.
        with pytest.raises(IndexError):
            numpy.nanquantile(data, 0.5, axis=axis, weights=weights, method="inverted_cdf")
        return
    for q in (0.0, 0.37, [0.13, 0.5, 1.0]):
        expected = numpy_value(getattr(numpy, name), data, q, axis=axis, weights=weights, method="inverted_cdf")
        got = traced_value(lambda x, q=q: getattr(np, name)(x, q, axis=axis, weights=weights, method="inverted_cdf"),
                           data)
        assert_same(got, expected)


def test_weighted_quantile_with_tied_data_is_numpys():
    x = numpy.array([3.0, 1.0, 2.0, 2.0, 2.0, 5.0, 1.0])
    w = numpy.array([1.0, 2.0, 0.5, 3.0, 0.0, 1.0, 1.0])
    for q in numpy.linspace(0, 1, 21):
        assert_same(traced_value(lambda x, q=q: np.quantile(x, q, weights=w, method="inverted_cdf"), x),
                    numpy.quantile(x, q, weights=w, method="inverted_cdf"))


def test_untraced_calls_are_numpys_own_results():
    x32 = A.astype(numpy.float32)
    for f, args in [("quantile", (x32, 0.3)), ("median", (x32,)), ("nanpercentile", (AN, [10, 90])),
                    ("nanstd", (AN,)), ("cov", (A,)), ("ptp", (A,)), ("nanargmax", (AN,))]:
        got, expected = numpy_value(getattr(np, f), *args), numpy_value(getattr(numpy, f), *args)
        assert type(got) is type(expected)
        assert_same(got, expected, rtol=0)


def test_traced_float32_keeps_numpys_dtype():
    x32 = A.astype(numpy.float32)
    assert_same(traced_value(lambda x: np.quantile(x, 0.3, axis=0), x32), numpy.quantile(x32, 0.3, axis=0), 1e-6)
    assert_same(traced_value(lambda x: np.median(x, axis=1), x32), numpy.median(x32, axis=1), 1e-6)


NAN_REDUCTIONS = [
    ("nanmax", {}), ("nanmax", {"axis": 0}), ("nanmax", {"axis": 1, "keepdims": True}),
    ("nanmin", {"axis": (0, 1)}), ("nanmin", {"axis": 1}), ("nanmax", {"axis": 1, "initial": 0.5}),
    ("nanmin", {"axis": 0, "where": numpy.array([True, False, True, True, True]), "initial": 9.0}),
    ("nanprod", {}), ("nanprod", {"axis": 1}), ("nanprod", {"axis": 0, "keepdims": True}),
    ("nancumsum", {}), ("nancumsum", {"axis": 1}), ("nancumprod", {"axis": 0}), ("nancumprod", {}),
    ("nanvar", {}), ("nanvar", {"axis": 0, "ddof": 1}), ("nanvar", {"axis": 1, "keepdims": True}),
    ("nanstd", {"axis": 1}), ("nanstd", {"axis": 0, "correction": 1}), ("nanstd", {"axis": (0, 1)}),
    ("nanvar", {"axis": 1, "ddof": 3}), ("nanvar", {"axis": 1, "where": AN > -0.5}),
]


@pytest.mark.parametrize("name,kwargs", NAN_REDUCTIONS, ids=[f"{n}-{sorted(k)}" for n, k in NAN_REDUCTIONS])
def test_nan_reduction_values_are_numpys(name, kwargs):
    for data in (A, AN):
        expected = numpy_value(getattr(numpy, name), data, **kwargs)
        assert_same(traced_value(lambda x: getattr(np, name)(x, **kwargs), data), expected)


def test_nanargmax_and_nanargmin_are_constants_on_traced_values():
    def f(x):
        i = np.nanargmax(x, axis=1)
        j = np.nanargmin(x)
        assert not isinstance(i, Box) and not isinstance(j, Box)
        assert numpy.array_equal(i, numpy.nanargmax(AG, axis=1)) and j == numpy.nanargmin(AG)
        return np.sum(x[numpy.arange(4), i])

    expected = numpy.zeros_like(AG)
    expected[numpy.arange(4), numpy.nanargmax(AG, axis=1)] = 1
    numpy.testing.assert_array_equal(ravine.grad(f)(AG), expected)


def test_ptp_cov_corrcoef_cumulative_values_are_numpys():
    y = rng.standard_normal((2, 5))
    fw, aw = numpy.array([1, 2, 1, 3, 1]), rng.random(5) + 0.2
    cases = [
        (np.ptp, numpy.ptp, {"axis": 1}), (np.ptp, numpy.ptp, {"axis": 0, "keepdims": True}),
        (np.cov, numpy.cov, {}), (np.cov, numpy.cov, {"rowvar": False}), (np.cov, numpy.cov, {"y": y}),
        (np.cov, numpy.cov, {"bias": True}), (np.cov, numpy.cov, {"ddof": 2, "fweights": fw}),
        (np.cov, numpy.cov, {"aweights": aw}), (np.cov, numpy.cov, {"fweights": fw, "aweights": aw, "ddof": 1}),
        (np.cov, numpy.cov, {"fweights": fw, "aweights": aw, "bias": True}),
        (np.corrcoef, numpy.corrcoef, {}), (np.corrcoef, numpy.corrcoef, {"rowvar": False}),
        (np.corrcoef, numpy.corrcoef, {"y": y}),
        (np.cumulative_sum, numpy.cumulative_sum, {"axis": 1}),
        (np.cumulative_sum, numpy.cumulative_sum, {"axis": 0, "include_initial": True}),
        (np.cumulative_prod, numpy.cumulative_prod, {"axis": -1, "include_initial": True}),
    ]
    for f, g, kwargs in cases:
        assert_same(traced_value(lambda x, f=f, kwargs=kwargs: f(x, **kwargs), A), g(A, **kwargs))
    for f, g in [(np.cov, numpy.cov), (np.corrcoef, numpy.corrcoef)]:
        assert_same(traced_value(f, A[0]), g(A[0]))  # one variable: a 0-d result
    assert_same(traced_value(lambda v: np.cov(v, A[1]), A[0]), numpy.cov(A[0], A[1]))
    assert_same(traced_value(lambda v: np.cumulative_sum(v, include_initial=True), A[0]),
                numpy.cumulative_sum(A[0], include_initial=True))
    assert_same(traced_value(lambda v: np.cov(v, dtype=numpy.float32), A), numpy.cov(A, dtype=numpy.float32), 1e-6)


# ---- derivatives against finite differences ------------------------------------------------------

# q values away from every method's kinks for the slice lengths used here (3, 4, 5, 12).
QS = [0.37, numpy.array([0.13, 0.71])]
derivative_cases = (
    sweep(np.quantile, [A], QS, method=METHODS, axis=[None, 1], covers=("quantile",))
    + sweep(np.quantile, [T], [QS[1]], method=["linear", "nearest", "hazen"], axis=[0, (0, 2), -1],
            keepdims=[False, True], covers=("quantile",))
    + sweep(np.nanquantile, [AG], [QS[1]], method=METHODS, axis=[None, 0], covers=("nanquantile",))
    + sweep(np.percentile, [A], [numpy.array([13.0, 71.0])], method=["linear", "weibull", "lower"], axis=[1, None],
            covers=("percentile",))
    + sweep(np.nanpercentile, [AG], [37.0], method=["linear", "midpoint", "median_unbiased"], axis=[1, (0, 1)],
            keepdims=[True], covers=("nanpercentile",))
    + sweep(np.quantile, [A], [0.37], [1], argnums=(0,), method=["inverted_cdf"], weights=[rng.random(5)],
            covers=("quantile",))
    + sweep(np.median, [A[0], A, T, A[:, :4]], axis=[None, 0, -1], covers=("median",))
    + sweep(np.median, [T], axis=[(0, 2)], keepdims=[True], covers=("median",))
    + sweep(np.nanmedian, [AG, with_nans(T, (0, 1, 2), (1, 2, 0))], axis=[None, 0, 1], keepdims=[False, True],
            covers=("nanmedian",))
    + sweep(np.nanmax, [AG], axis=[None, 0, (0, 1)], keepdims=[False, True])
    + sweep(np.nanmin, [AG], axis=[None, 1])
    + sweep(np.nanprod, [AG], axis=[None, 0, 1])
    + sweep(np.nancumsum, [AG], axis=[None, 0, 1])
    + sweep(np.nancumprod, [AG], axis=[None, 0, 1])
    + sweep(np.nanvar, [AG, AG + 1j * A], axis=[None, 0, 1], ddof=[0, 1])
    + sweep(np.nanstd, [AG], axis=[None, 0, (0, 1)], ddof=[0, 1], keepdims=[False, True])
    + sweep(np.ptp, [A, T], axis=[None, 0, -1])
    + sweep(np.cov, [A, A[0], T[0]], rowvar=[True, False], bias=[False, True])
    + sweep(np.cov, [A], ddof=[0, 2], fweights=[numpy.array([1, 2, 1, 3, 1])])
    + sweep(np.corrcoef, [A, T[0]], rowvar=[True, False])
    + sweep(np.cumulative_sum, [A], axis=[0, 1], include_initial=[False, True])
    + sweep(np.cumulative_prod, [A], axis=[0, -1], include_initial=[False, True])
    + sweep(np.cumulative_prod, [A[0]], include_initial=[True])
)


@pytest.mark.parametrize("case", derivative_cases, ids=ids(derivative_cases))
def test_derivatives_match_finite_differences(case):
    run_case(case)


TWO_ARGUMENT_CASES = {
    "cov_m_y": (lambda m, y: np.cov(m, y), (A, A[1] ** 2)),
    "cov_rowvar_false_y": (lambda m, y: np.cov(m, y, rowvar=False), (A.T, Y52)),
    "cov_aweights": (lambda m, w: np.cov(m, aweights=w), (A, numpy.array([0.5, 1.0, 2.0, 0.7, 1.3]))),
    "cov_fweights_aweights": (lambda m, w: np.cov(m, fweights=[2, 1, 1, 3, 1], aweights=w, ddof=2),
                              (A, numpy.array([0.5, 1.0, 2.0, 0.7, 1.3]))),
    "corrcoef_x_y": (lambda x, y: np.corrcoef(x, y, rowvar=False), (A.T[:, :2], A.T[:, 2:] * 0.5 + 0.1)),
    "nanvar_mean": (lambda x, m: np.nanvar(x, axis=1, mean=m), (AG, numpy.array([[0.1], [0.2], [-0.3], [0.4]]))),
}


@pytest.mark.parametrize("name", TWO_ARGUMENT_CASES)
def test_derivatives_in_every_argument(name):
    f, args = TWO_ARGUMENT_CASES[name]
    for argnum in range(len(args)):
        check_grads(f, argnum, modes=("fwd", "rev"), order=2)(*args)


@pytest.mark.parametrize("method", CONTINUOUS)
def test_traced_q_is_differentiable_for_continuous_methods(method):
    check_grads(lambda q: np.quantile(A, q, axis=1, method=method), modes=("fwd", "rev"), order=2)(
        numpy.array([0.13, 0.37, 0.71]))
    check_grads(lambda q: np.nanquantile(AG, q, axis=0, method=method), modes=("fwd", "rev"), order=2)(0.61)
    check_grads(lambda q: np.percentile(T, q, axis=(1, 2), method=method), modes=("fwd", "rev"), order=2)(37.0)


def test_traced_q_and_data_together():
    check_grads(lambda x: np.quantile(x[:-1], x[-1] ** 2 / 4, axis=0), modes=("fwd", "rev"), order=2)(
        numpy.vstack([A, [[0.9, -1.1, 0.5, 1.5, -1.3]]]))


def test_data_derived_histogram_edges_and_density():
    x2 = A[:2].T  # 5 points in the plane
    for f in [lambda x: np.histogram_bin_edges(x, 4), lambda x: np.histogram_bin_edges(x, "auto"),
              lambda x: np.histogramdd(x, (2, 3))[1][1], lambda x: np.histogramdd(x, 3, density=True)[0],
              lambda x: np.histogram2d(x[:, 0], x[:, 1], [2, 3], density=True)[0],
              lambda x: np.histogram2d(x[:, 0], x[:, 1], 3)[1],
              lambda x: np.histogramdd([x[:, 0], x[:, 1]], 3, range=[(-3, 3), None])[1][1]]:
        check_grads(f, modes=("fwd", "rev"), order=2)(x2)


# ---- analytic derivatives -----------------------------------------------------------------------

def test_median_gradient_is_the_indicator_of_the_middle_entries():
    odd = numpy.array([3.0, -1.0, 0.5, 7.0, 2.0])
    numpy.testing.assert_array_equal(ravine.grad(np.median)(odd), [0, 0, 0, 0, 1])
    even = numpy.array([3.0, -1.0, 0.5, 7.0, 2.0, 9.0])
    numpy.testing.assert_array_equal(ravine.grad(np.median)(even), [0.5, 0, 0, 0, 0.5, 0])
    numpy.testing.assert_array_equal(ravine.grad(lambda x: np.sum(np.median(x, axis=0)))(A[:3]),
                                     (A[:3] == numpy.median(A[:3], axis=0)).astype(float))
    # NaN entries: the median of a slice with a NaN is NaN (a constant), nanmedian skips them.
    x = numpy.array([numpy.nan, 3.0, 1.0, 2.0])
    numpy.testing.assert_array_equal(ravine.grad(np.nanmedian)(x), [0, 0, 0, 1])
    numpy.testing.assert_array_equal(ravine.grad(np.median)(x), [0, 0, 0, 0])


def test_ties_follow_sorts_rule_for_order_statistics_and_maxs_rule_for_nanmax():
    x = numpy.array([3.0, 2.0, 1.0, 2.0, 5.0, 2.0])  # the median ties: 2 at indices 1, 3, 5
    # sort places the tied entries in index order: positions 1, 2, 3 hold indices 1, 3, 5.
    numpy.testing.assert_array_equal(ravine.grad(np.median)(x), ravine.grad(lambda x: np.mean(np.sort(x)[2:4]))(x))
    numpy.testing.assert_array_equal(ravine.grad(np.median)(x), [0, 0, 0, 0.5, 0, 0.5])
    numpy.testing.assert_array_equal(ravine.grad(lambda x: np.quantile(x, 0.2, method="lower"))(x),
                                     [0, 1, 0, 0, 0, 0])
    y = numpy.array([1.0, 3.0, numpy.nan, 3.0, -2.0])
    numpy.testing.assert_array_equal(ravine.grad(np.nanmax)(y), [0, 0.5, 0, 0.5, 0])
    numpy.testing.assert_array_equal(ravine.grad(np.nanmax)(y), ravine.grad(np.max)(numpy.nan_to_num(y, nan=-9)))
    numpy.testing.assert_array_equal(ravine.grad(np.ptp)(y[[0, 1, 3, 4, 4]]), [0, 0.5, 0.5, -0.5, -0.5])


def test_quantile_gradient_is_the_interpolation_weights():
    x = rng.standard_normal(9)
    order = numpy.argsort(x)
    for q in (0.3, 0.77):
        v = q * 8
        j, gamma = int(numpy.floor(v)), v - numpy.floor(v)
        expected = numpy.zeros(9)
        expected[order[j]], expected[order[j + 1]] = 1 - gamma, gamma
        numpy.testing.assert_allclose(ravine.grad(lambda x, q=q: np.quantile(x, q))(x), expected, rtol=1e-12)
        s = numpy.sort(x)
        numpy.testing.assert_allclose(ravine.grad(lambda q: np.quantile(x, q))(q), 8 * (s[j + 1] - s[j]), rtol=1e-12)
        numpy.testing.assert_allclose(ravine.grad(lambda q: np.percentile(x, q))(100 * q), 0.08 * (s[j + 1] - s[j]),
                                      rtol=1e-12)
    # Discontinuous methods are piecewise constant in q; the clipped ends are constant too.
    assert ravine.grad(lambda q: np.quantile(x, q, method="nearest"))(0.3) == 0
    assert ravine.grad(lambda q: np.quantile(x, q, method="weibull"))(0.05) == 0


def test_weighted_quantile_is_piecewise_constant_in_the_weights():
    x, w = rng.standard_normal(6), rng.random(6) + 0.1
    grad_w = ravine.grad(lambda w: np.quantile(x, 0.4, weights=w, method="inverted_cdf"))(w)
    numpy.testing.assert_array_equal(grad_w, numpy.zeros(6))
    grad_x = ravine.grad(lambda x: np.quantile(x, 0.4, weights=w, method="inverted_cdf"))(x)
    chosen = numpy.quantile(x, 0.4, weights=w, method="inverted_cdf")
    numpy.testing.assert_array_equal(grad_x, (x == chosen).astype(float))


def test_cov_gradient_matches_the_closed_form():
    G = rng.standard_normal((4, 4))
    centred = A - A.mean(axis=1, keepdims=True)
    expected = (G + G.T) @ centred / (A.shape[1] - 1)
    numpy.testing.assert_allclose(ravine.grad(lambda x: np.sum(np.cov(x) * G))(A), expected, rtol=1e-12)
    w = rng.random(5) + 0.5  # aweights: C = Xc W Xcᵀ / (Σw − Σw²/Σw), Xc centred on the weighted mean
    mean = (A * w).sum(1, keepdims=True) / w.sum()
    fact = w.sum() - (w * w).sum() / w.sum()
    expected = (G + G.T) @ ((A - mean) * w) / fact
    numpy.testing.assert_allclose(ravine.grad(lambda x: np.sum(np.cov(x, aweights=w) * G))(A), expected, rtol=1e-12)


def test_corrcoef_gradient_of_two_variables():
    # r = ⟨a, b⟩ / (|a| |b|) for centred a, b; ∂r/∂x = (b/(|a||b|) − r a/|a|²) centred.
    x, y = rng.standard_normal(6), rng.standard_normal(6)
    a, b = x - x.mean(), y - y.mean()
    r = a @ b / numpy.sqrt(a @ a * (b @ b))
    expected = b / numpy.sqrt(a @ a * (b @ b)) - r * a / (a @ a)
    numpy.testing.assert_allclose(ravine.grad(lambda x: np.corrcoef(x, y)[0, 1])(x), expected, rtol=1e-12)


def test_nan_entries_get_zero_derivative():
    fs = [np.nanmax, np.nanmin, np.nanprod, np.nanvar, np.nanstd, np.nanmedian, lambda x: np.nanquantile(x, 0.3),
          lambda x: np.sum(np.nancumsum(x)), lambda x: np.sum(np.nancumprod(x)), lambda x: np.nanpercentile(x, 80.0)]
    for f in fs:
        g = ravine.grad(f)(AG)
        assert numpy.all(g[numpy.isnan(AG)] == 0) and numpy.all(numpy.isfinite(g))
        assert numpy.any(g != 0)
        numpy.testing.assert_array_equal(g, ravine.grad(f)(numpy.where(numpy.isnan(AG), numpy.nan, AG)))


def test_nanvar_and_nanstd_closed_forms():
    x = numpy.array([1.0, numpy.nan, 4.0, 2.5])
    valid = ~numpy.isnan(x)
    centred = numpy.where(valid, x - numpy.nanmean(x), 0)
    numpy.testing.assert_allclose(ravine.grad(np.nanvar)(x), 2 * centred / 3, rtol=1e-12)
    numpy.testing.assert_allclose(ravine.grad(lambda x: np.nanvar(x, ddof=1))(x), 2 * centred / 2, rtol=1e-12)
    numpy.testing.assert_allclose(ravine.grad(np.nanstd)(x), centred / (3 * numpy.nanstd(x)), rtol=1e-12)
    numpy.testing.assert_allclose(ravine.grad(np.nanprod)(x), [10, 0, 2.5, 4], rtol=1e-12)
    numpy.testing.assert_allclose(ravine.grad(lambda x: np.nancumsum(x)[-1])(x), [1, 0, 1, 1])


def test_nanstd_of_a_constant_slice_has_derivative_zero_not_nan():
    x = numpy.array([[2.0, numpy.nan, 2.0], [1.0, 3.0, numpy.nan]])
    g = ravine.grad(lambda x: np.sum(np.nanstd(x, axis=1)))(x)
    numpy.testing.assert_allclose(g, [[0, 0, 0], [-0.5, 0.5, 0]])
    numpy.testing.assert_array_equal(ravine.grad(np.nanstd)(numpy.array([numpy.nan, 5.0])), [0, 0])


def test_cumulative_with_initial_gradients():
    x = numpy.array([2.0, 3.0, 5.0])
    numpy.testing.assert_array_equal(ravine.jacobian(lambda x: np.cumulative_sum(x, include_initial=True))(x),
                                     numpy.tril(numpy.ones((4, 3)), -1))
    numpy.testing.assert_allclose(ravine.grad(lambda x: np.cumulative_prod(x, include_initial=True)[-1])(x),
                                  [15, 10, 6])


def test_histogram_edges_follow_the_data_extremes():
    x = numpy.array([0.5, 2.0, -1.0, 3.0])
    J = ravine.jacobian(lambda x: np.histogram_bin_edges(x, 4))(x)
    t = numpy.linspace(0, 1, 5)
    expected = numpy.zeros((5, 4))
    expected[:, 2], expected[:, 3] = 1 - t, t  # min at index 2, max at index 3
    numpy.testing.assert_allclose(J, expected, atol=1e-15)
    assert_same(traced_value(lambda x: np.histogram_bin_edges(x, 4), x), numpy.histogram_bin_edges(x, 4), rtol=0)
    counts, xe, ye = numpy.histogram2d(x, x ** 2, 3, density=True)
    out = []
    ravine.grad(lambda x: (out.append(np.histogram2d(x, x ** 2, 3, density=True)), np.sum(out[-1][0]))[1])(x)
    for got, expected in zip(out[0], (counts, xe, ye)):
        assert isinstance(got, Box)
        assert_same(got._value, expected, rtol=0)
    # Edges given by the caller (bins as arrays, or a range) do not depend on the data.
    edges = traced_value(lambda x: np.histogram2d(x, x, [numpy.array([-2.0, 0, 4]), 2], range=[None, (0, 4)])[1] + x[0],
                         x)
    assert_same(edges, numpy.array([-2.0, 0, 4]) + 0.5)
    assert ravine.jacobian(lambda x: np.histogramdd(x[:, None], [numpy.array([-2.0, 0, 4])])[1][0])(x).sum() == 0


def test_histogram_counts_are_constants():
    x = A[:2].T
    counts = []
    ravine.grad(lambda x: (counts.append(np.histogramdd(x, 3)[0]), np.sum(x))[1])(x)
    assert not isinstance(counts[0], Box)
    assert_same(counts[0], numpy.histogramdd(x, 3)[0], rtol=0)


# ---- refusals -----------------------------------------------------------------------------------

@pytest.mark.parametrize("call", [
    lambda w: np.histogram2d(A[0], A[1], weights=w), lambda w: np.histogramdd(A[:2].T, weights=w),
    lambda w: np.histogram_bin_edges(A[0], weights=w)])
def test_traced_histogram_weights_are_refused(call):
    with pytest.raises(NotDifferentiableError, match="weights"):
        ravine.grad(lambda w: np.sum(call(w)[0]))(rng.random(5))


@pytest.mark.parametrize("call", [
    lambda b: np.histogram_bin_edges(A[0], bins=b), lambda b: np.histogramdd(A[:2].T, bins=[b, 3]),
    lambda b: np.histogram2d(A[0], A[1], range=[(b[0], b[-1]), (0, 1)])])
def test_traced_bins_or_range_are_refused(call):
    with pytest.raises(NotDifferentiableError, match="bins|range"):
        ravine.grad(lambda b: np.sum(call(b)[0]))(numpy.array([-3.0, 0.0, 3.0]))


def test_out_with_a_traced_value_is_refused():
    out = numpy.empty(5)
    with pytest.raises(NotDifferentiableError, match="out="):
        ravine.grad(lambda x: np.sum(np.quantile(x, 0.5, axis=0, out=out)))(A)
    with pytest.raises(NotDifferentiableError, match="out="):
        ravine.grad(lambda x: np.sum(np.nanmax(x, axis=0, out=out)))(A)


def test_invalid_arguments_raise_numpys_errors_when_traced():
    for call, error in [(lambda x: np.quantile(x, 1.5), ValueError), (lambda x: np.quantile(x, 0.5, method="bad"), ValueError),
                        (lambda x: np.quantile(x, 0.5, weights=numpy.ones(20)), ValueError),
                        (lambda x: np.cov(x[None]), ValueError), (lambda x: np.cumulative_sum(x), ValueError)]:
        with pytest.raises(error):
            ravine.grad(lambda x, call=call: np.sum(call(x)))(A)


def test_names_are_exported():
    from ravine.numpy import statistics

    for name in statistics.__all__:
        assert getattr(np, name) is getattr(statistics, name)
        assert name in dir(np)


def test_histogram_edges_from_traced_data_carry_their_derivative():
    # edges_k = min x + k (max x − min x) / bins: ∂/∂x_min = 1 − k/bins, ∂/∂x_max = k/bins.
    x = numpy.array([0.3, -1.2, 2.5, 0.7])
    bins = 4
    counts, edges = np.histogram(x, bins=bins)
    expected_counts, expected_edges = numpy.histogram(x, bins=bins)
    numpy.testing.assert_array_equal(counts, expected_counts)
    numpy.testing.assert_array_equal(edges, expected_edges)
    k = numpy.arange(bins + 1)
    weights = numpy.linspace(1.0, 2.0, bins + 1)
    g = ravine.grad(lambda x: np.sum(np.histogram(x, bins=bins)[1] * weights))(x)
    numpy.testing.assert_allclose(g, [0.0, numpy.sum(weights * (1 - k / bins)), numpy.sum(weights * k / bins), 0.0])
    check_grads(lambda x: np.histogram(x, bins=3, density=True)[0] * 1.0, modes=("fwd", "rev"), order=2)(x)
    # With a given range the edges are constants.
    assert not numpy.any(ravine.grad(lambda x: np.sum(np.histogram(x, bins=3, range=(-2, 3))[1]))(x))
