"""Order statistics, NaN-ignoring reductions, covariance and histograms, traced.

Every function here is a composite of differentiable ravine.numpy functions
(``sort``, ``take_along_axis``, ``where``, ``sum``, ``max``, ``dot``, ...), so its
derivatives, of every order and in both modes, follow from theirs.  When no
argument is traced, NumPy's own function answers (exact values, dtypes, warnings
and errors); when one is, NumPy is first called on the raw values (it validates the
arguments, and its result fixes the output's dtype and shape), and the traced value
is then built from the formulas below, which repeat NumPy's.

Quantiles (``quantile``, ``percentile``, ``median`` and the ``nan`` variants)
    Along the reduced axes (merged into one) the data are sorted, s_0 ≤ … ≤ s_{n−1}
    (n counts the entries that are not NaN in the ``nan`` variants), and every
    ``method`` of NumPy gives the quantile as an interpolation of two neighbouring
    order statistics,  Q = (1 − γ) s_j + γ s_{j+1},  with j and γ functions of n and
    q (NumPy's Hyndman–Fan virtual index v: j = ⌊v⌋, γ = v − j for the continuous
    methods 'linear', 'weibull', 'hazen', 'interpolated_inverted_cdf',
    'median_unbiased', 'normal_unbiased'; γ ∈ {0, ½, 1} for 'midpoint' and
    'averaged_inverted_cdf'; a single s_j for 'lower', 'higher', 'nearest',
    'inverted_cdf', 'closest_observation').  So

    * ∂Q/∂a puts weight 1 − γ on the entry sorted to position j and γ on the one at
      j + 1 (zero elsewhere, NaNs included).  At ties the entries are ordered as a
      stable sort orders them (the rule of ``sort``): the derivative goes to the
      tied entry with the smaller index first.  The median of an even count takes
      ½ of each middle entry, of an odd count the whole middle entry.
    * ∂Q/∂q = (s_{j+1} − s_j) ∂v/∂q for the continuous methods, where v is a
      smooth function of q (it is 0 where v is clipped to the first or last entry);
      the discontinuous methods are piecewise constant in q, so a traced q gets
      its true derivative 0 (away from the jumps).
    * ``weights`` (NumPy accepts them for 'inverted_cdf' only) only choose which
      order statistic is returned: the result is piecewise constant in them, and
      traced weights get the derivative 0.  The chosen position comes from NumPy
      itself, run on the ranks of the data (no ties there, so it is exact).
    * A slice holding a NaN gives NaN in ``quantile`` and ``median`` (as NumPy);
      an all-NaN slice gives NaN in the ``nan`` variants.

NaN-ignoring reductions
    ``nanmax``/``nanmin`` are ``max``/``min`` of the data with NaNs replaced by ∓∞
    (the derivative goes to the maximal entries, shared equally on ties, as for
    ``max``); ``nanprod`` and ``nancumprod`` replace NaN by 1, ``nancumsum`` by 0;
    ``nanvar`` = Σ_{not NaN} |a − ā|² / (n − ddof) with ā the mean of the entries
    that are not NaN, ``nanstd`` = √nanvar, whose derivative at a zero variance is
    taken as 0 (a subgradient: the standard deviation is a norm).  NaN entries get
    zero derivative throughout.  ``nanargmax``/``nanargmin`` are constants.

``ptp`` = max − min (max/min's tie rule).  ``cov`` repeats NumPy's formula
    C = (X − x̄)(w (X − x̄))ᴴ / f with x̄ the (weighted) row means and f the
    normalisation from ddof, ``fweights`` and ``aweights``; it is differentiable
    in m, y and ``aweights`` (``fweights`` are integers: constants).  ``corrcoef``
    = C_ij / √(C_ii C_jj), clipped to [−1, 1] as NumPy does.
``cumulative_sum``/``cumulative_prod`` (NumPy ≥ 2.1) are ``cumsum``/``cumprod``,
    with a leading 0 (1) when ``include_initial``.

Histograms (``histogram2d``, ``histogramdd``, ``histogram_bin_edges``)
    The counts are piecewise constant in the data: constants.  They are linear in
    ``weights``, which are therefore refused when traced (NotDifferentiableError),
    as ``histogram`` does.  Bin edges that NumPy derives from the data — an integer
    (or, for ``histogram_bin_edges``, a string) ``bins`` without a ``range`` — are
    linspace(min a, max a, k + 1), linear in the data's extremes; they are
    returned traced (and so are densities, which divide by the bin widths), with
    NumPy's exact values.  Traced edges given as ``bins`` or a traced ``range`` are
    refused: pass ravine.getval(...) to hold them constant.
"""

from __future__ import annotations

import builtins as _builtins

import numpy as _np
from numpy.lib.array_utils import normalize_axis_tuple as _normalize_axis_tuple

from ravine.autodiff.tracer import Box, getval, notrace_primitive, read_value
from ravine.errors import NotDifferentiableError
from ravine.numpy import wrapper as anp
from ravine.numpy.wrapper import _contains_box, _refuse_traced

__all__ = [
    "corrcoef", "cov", "cumulative_prod", "cumulative_sum", "histogram", "histogram2d", "histogram_bin_edges",
    "histogramdd", "median", "nanargmax", "nanargmin", "nancumprod", "nancumsum", "nanmax", "nanmedian",
    "nanmin", "nanpercentile", "nanprod", "nanquantile", "nanstd", "nanvar", "percentile", "ptp", "quantile",
]

nanargmax = notrace_primitive(_np.nanargmax)
nanargmin = notrace_primitive(_np.nanargmin)


def _traced(*args) -> bool:
    return any(_contains_box(a) for a in args)


def _raw(x):
    """The raw value of x, or of each entry of a (nested) list or tuple."""
    if type(x) in (list, tuple):
        return type(x)(_raw(v) for v in x)
    return read_value(x)


def _refuse_out(name, out):
    if out is not None:
        raise NotDifferentiableError(
            f"{name}: out= cannot hold a traced result; leave out=None and use the returned value.")


def _as_numpy(result, reference):
    """``result`` with the dtype and shape of NumPy's ``reference`` result (a NumPy
    scalar where that is one)."""
    if not isinstance(reference, _np.generic):
        reference = _np.asarray(reference)
    if _np.result_type(getval(result)) != reference.dtype:
        result = anp.astype(result, reference.dtype)
    if _np.shape(getval(result)) != reference.shape:
        result = anp.reshape(result, reference.shape)
    return anp.numpy_scalar(result) if isinstance(reference, _np.generic) else result


def _exactly(value, traced):
    """NumPy's exact ``value`` carrying the derivatives of ``traced``, a traced formula
    for the same (finite) numbers that may differ from them by rounding."""
    return value + (traced - getval(traced))


# ---- sorting along merged axes -------------------------------------------------------------------

def _merged(a, axis):
    """``a`` with the axes reduced by ``axis`` (None, an int or a tuple) merged into
    one last axis, shape kept + (m,); and the reduced axes (normalised)."""
    shape = _np.shape(getval(a))
    ndim = len(shape)
    axes = tuple(range(ndim)) if axis is None else tuple(sorted(_normalize_axis_tuple(axis, ndim)))
    kept = [i for i in range(ndim) if i not in axes]
    order = kept + list(axes)
    if order != list(range(ndim)):
        a = anp.transpose(a, order)
    merged = int(_np.prod([shape[i] for i in axes], dtype=_np.int64))  # not -1: a kept axis may be empty
    return anp.reshape(a, tuple(shape[i] for i in kept) + (merged,)), axes


def _kept_shape(shape, axes, keepdims):
    if keepdims:
        return tuple(1 if i in axes else n for i, n in enumerate(shape))
    return tuple(n for i, n in enumerate(shape) if i not in axes)


def _gather(s, index):
    """s[..., index] per slice: s of shape K + (m,), ``index`` (integers) of shape
    Q + K; the result has shape Q + K."""
    batch = _np.shape(getval(s))[:-1]
    index = _np.asarray(index)
    qshape = index.shape[:max(index.ndim - len(batch), 0)]
    index = _np.broadcast_to(index, qshape + batch)
    size = int(_np.prod(qshape, dtype=_np.int64))
    flat = _np.moveaxis(index.reshape((size,) + batch), 0, -1)  # K + (size,)
    taken = anp.take_along_axis(s, flat, axis=-1)
    return anp.reshape(anp.moveaxis(taken, -1, 0), qshape + batch)


def _nan_per_slice(s):
    """NaN for each (empty) slice of s, of shape K: NumPy's median of nothing; still
    traced, for a derivative of the right (empty) shape."""
    return anp.sum(s, axis=-1) + _np.full(_np.shape(getval(s))[:-1], _np.nan)


def _lerp(a, b, t, t_raw):
    """NumPy's interpolation a + (b − a) t, computed from b's side where t ≥ ½."""
    diff = b - a
    return anp.where(_np.asarray(t_raw) >= 0.5, b - diff * (1 - t), a + diff * t)


# ---- Hyndman–Fan virtual indices (NumPy's _QuantileMethods) ---------------------------------------

_CONTINUOUS = {  # method: (alpha, beta) of v = n q + alpha + q (1 − alpha − beta) − 1
    "interpolated_inverted_cdf": (0, 1), "hazen": (0.5, 0.5), "weibull": (0, 0),
    "median_unbiased": (1 / 3.0, 1 / 3.0), "normal_unbiased": (3 / 8.0, 3 / 8.0),
}


def _to_boundary(index, take_previous):
    previous = _np.floor(index)
    chosen = _np.where(take_previous(index - previous, index), previous, previous + 1).astype(_np.intp)
    return _np.maximum(chosen, 0)


_SINGLE = {  # method: index of the one order statistic returned, from (n, q)
    "lower": lambda n, q: _np.floor((n - 1) * q).astype(_np.intp),
    "higher": lambda n, q: _np.ceil((n - 1) * q).astype(_np.intp),
    "nearest": lambda n, q: _np.around((n - 1) * q).astype(_np.intp),
    "inverted_cdf": lambda n, q: _to_boundary(n * q - 1, lambda g, i: g == 0),
    "closest_observation": lambda n, q: _to_boundary(
        n * q - 1 - 0.5, lambda g, i: (g == 0) & (_np.floor(i) % 2 == 1)),
}


def _interpolation(n, q, method):
    """(v, γ-fixer) for the interpolating methods: v the virtual index (traced when
    q is, for the continuous methods), the fixer maps (γ, γ_raw, v_raw) to the
    weight of the upper neighbour."""
    if method == "linear":
        return q * (n - 1), None
    if method in _CONTINUOUS:
        alpha, beta = _CONTINUOUS[method]
        return q * n + (q * (1 - alpha - beta) + alpha) - 1, None
    q = getval(q)  # piecewise constant in q: its derivative is 0
    if method == "midpoint":
        v = 0.5 * (_np.floor((n - 1) * q) + _np.ceil((n - 1) * q))
        return v, lambda g, v_raw: _np.where(v_raw % 1 == 0, 0.0, 0.5)
    if method == "averaged_inverted_cdf":
        return n * q - 1, lambda g, v_raw: _np.where(g == 0, 0.5, 1.0)
    raise ValueError(f"{method!r} is not a valid method.")


def _order_statistic(s, n, q, method):
    """The ``method`` quantile of each sorted slice s[..., :n] (s of shape K + (m,),
    NaNs last; n an integer or an integer array of shape K) at q (shape Q, traced
    or not): an array of shape Q + K."""
    batch = _np.shape(getval(s))[:-1]
    q_shape = _np.shape(getval(q))
    q = anp.reshape(q, q_shape + (1,) * len(batch)) if isinstance(q, Box) else \
        _np.reshape(_np.asarray(q), q_shape + (1,) * len(batch))
    last = _np.maximum(n - 1, 0)
    if method in _SINGLE:
        index = _SINGLE[method](n, _np.asarray(getval(q)))
        return _gather(s, _np.clip(index, 0, last))
    v, fix = _interpolation(n, q, method)
    v_raw = _np.asarray(getval(v))
    previous = _np.floor(v_raw)
    above, below = v_raw >= n - 1, v_raw < 0
    lower = _np.where(above, last, _np.where(below, 0, previous)).astype(_np.intp)
    upper = _np.where(above, last, _np.where(below, 0, previous + 1)).astype(_np.intp)
    gamma = v - lower
    gamma_raw = v_raw - lower
    if fix is not None:
        gamma = gamma_raw = fix(gamma_raw, v_raw)
    return _lerp(_gather(s, lower), _gather(s, upper), gamma, gamma_raw)


def _weighted_positions(a_raw, q_raw, axis, weights, ignore_nan):
    """Where NumPy's weighted 'inverted_cdf' quantile lies in the stably sorted merged
    slices: NumPy's own answer on the ranks of the data (all distinct)."""
    a_raw = _np.asarray(a_raw)
    weights = _np.asarray(weights)
    if weights.shape != a_raw.shape:  # 1-d weights along an integer axis
        axis_index = _normalize_axis_tuple(axis, a_raw.ndim)[0]
        weights = _np.broadcast_to(
            weights.reshape([-1 if i == axis_index else 1 for i in range(a_raw.ndim)]), a_raw.shape)
    merged, _ = _merged(a_raw, axis)
    merged_weights, _ = _merged(weights, axis)
    order = _np.argsort(merged, axis=-1, kind="stable")
    ranks = _np.argsort(order, axis=-1).astype(_np.float64)
    if ignore_nan:
        missing = _np.isnan(merged)
        merged_weights = _np.where(missing, 0, merged_weights)
        merged_weights = _np.where(missing.all(axis=-1, keepdims=True), 1, merged_weights)
    positions = _np.quantile(ranks, q_raw, axis=-1, weights=merged_weights, method="inverted_cdf")
    return _np.asarray(positions).astype(_np.intp)


def _quantile_traced(name, a, q, axis, method, keepdims, weights, ignore_nan):
    a = anp.asarray(a)
    shape = _np.shape(getval(a))
    merged, axes = _merged(a, axis)
    s = anp.sort(merged, axis=-1)
    s_raw = getval(s)
    m = s_raw.shape[-1]
    if ignore_nan:
        n = _np.sum(~_np.isnan(s_raw), axis=-1)
        empty = n == 0
    else:
        n = m
        empty = _np.isnan(s_raw[..., -1]) if m and s_raw.dtype.kind in "fc" else _np.zeros(s_raw.shape[:-1], bool)
    if weights is not None:
        positions = _weighted_positions(getval(a), _np.asarray(getval(q)), axis, read_value(weights), ignore_nan)
        result = _gather(s, _np.clip(positions, 0, m - 1))
    else:
        result = _order_statistic(s, n, q, method)
    if _np.any(empty):
        result = anp.where(empty, _np.nan, result)
    q_shape = _np.shape(getval(q))
    return anp.reshape(result, q_shape + _kept_shape(shape, axes, keepdims))


def _quantile_like(name, numpy_function, scale):
    ignore_nan = name.startswith("nan")

    def function(a, q, axis=None, out=None, overwrite_input=False, method="linear", keepdims=False, *,
                 weights=None):
        if not _traced(a, q):
            return numpy_function(a, q, axis=axis, out=out, overwrite_input=overwrite_input, method=method,
                                  keepdims=keepdims, weights=_raw(weights))
        _refuse_out(name, out)
        reference = numpy_function(_raw(a), _raw(q), axis=axis, method=method, keepdims=keepdims,
                                   weights=_raw(weights))
        if ignore_nan and _np.size(_raw(a)) == 0:  # NumPy's answer, whatever the shape of q
            return anp.nanmean(a, axis, keepdims=keepdims)
        fraction = anp.true_divide(q, scale) if isinstance(q, Box) else _np.true_divide(_raw(q), scale)
        return _as_numpy(_quantile_traced(name, a, fraction, axis, method, keepdims, weights, ignore_nan),
                         reference)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = (f"``numpy.{name}``, differentiable in ``a`` and (for the continuous methods) "
                        f"``q``; see the module docstring for the derivative rules.")
    return function


quantile = _quantile_like("quantile", _np.quantile, 1)
percentile = _quantile_like("percentile", _np.percentile, 100)
nanquantile = _quantile_like("nanquantile", _np.nanquantile, 1)
nanpercentile = _quantile_like("nanpercentile", _np.nanpercentile, 100)


def _median_like(name, numpy_function, ignore_nan):
    def function(a, axis=None, out=None, overwrite_input=False, keepdims=False):
        if not _traced(a):
            return numpy_function(a, axis=axis, out=out, overwrite_input=overwrite_input, keepdims=keepdims)
        _refuse_out(name, out)
        reference = numpy_function(_raw(a), axis=axis, keepdims=keepdims)
        if ignore_nan and _np.size(_raw(a)) == 0:  # NumPy's answer
            return anp.nanmean(a, axis, keepdims=keepdims)
        a = anp.asarray(a)
        shape = _np.shape(getval(a))
        merged, axes = _merged(a, axis)
        s = anp.sort(merged, axis=-1)
        s_raw = getval(s)
        n = _np.sum(~_np.isnan(s_raw), axis=-1) if ignore_nan else s_raw.shape[-1]
        lower, upper = _np.maximum((n - 1) // 2, 0), _np.maximum(n // 2, 0)
        if s_raw.shape[-1] == 0:
            result = _nan_per_slice(s)
        else:
            result = (_gather(s, _np.asarray(lower)) + _gather(s, _np.asarray(upper))) / 2
            empty = (n == 0) if ignore_nan else _np.isnan(s_raw[..., -1])
            if _np.any(empty):
                result = anp.where(empty, _np.nan, result)
        return _as_numpy(anp.reshape(result, _kept_shape(shape, axes, keepdims)), reference)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = (f"``numpy.{name}``: the mean of the middle order statistic(s); the derivative "
                        "is ½ on each of the two middle entries (1 on the middle one for an odd count).")
    return function


median = _median_like("median", _np.median, ignore_nan=False)
nanmedian = _median_like("nanmedian", _np.nanmedian, ignore_nan=True)


# ---- NaN-ignoring reductions ---------------------------------------------------------------------

def _masked(a, where, fill):
    """a with NaNs (and entries outside ``where``) replaced by ``fill``; and that mask."""
    a = anp.asarray(a)
    mask = _np.isnan(getval(a))
    if where is not True:
        mask = mask | ~_np.broadcast_to(where, mask.shape)
    return anp.where(mask, fill, a), mask


def _extreme(name, numpy_function, reduce, fill):
    def function(a, axis=None, out=None, keepdims=False, initial=_np._NoValue, where=True):
        reference = numpy_function(_raw(a), axis=axis, out=None if _traced(a) else out, keepdims=keepdims,
                                   initial=initial, where=where)
        if not _traced(a):
            return reference
        _refuse_out(name, out)
        filled, mask = _masked(a, where, fill)
        result = reduce(filled, axis=axis, keepdims=keepdims)
        if initial is not _np._NoValue:
            result = (anp.maximum if fill < 0 else anp.minimum)(result, initial)
        else:
            result = anp.where(_np.all(mask, axis=axis, keepdims=keepdims), _np.nan, result)
        return _as_numpy(result, reference)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = (f"``numpy.{name}``: ``{reduce.__name__}`` of the data with NaNs replaced by "
                        f"{fill}; the derivative goes to the extreme entries (shared on ties).")
    return function


nanmax = _extreme("nanmax", _np.nanmax, anp.max, -_np.inf)
nanmin = _extreme("nanmin", _np.nanmin, anp.min, _np.inf)


def nanprod(a, axis=None, dtype=None, out=None, keepdims=False, initial=_np._NoValue, where=True):
    """``numpy.nanprod``: the product with NaNs (and entries outside ``where``) taken as 1."""
    reference = _np.nanprod(_raw(a), axis=axis, dtype=dtype, out=None if _traced(a) else out,
                            keepdims=keepdims, initial=initial, where=where)
    if not _traced(a):
        return reference
    _refuse_out("nanprod", out)
    result = anp.prod(_masked(a, where, 1.0)[0], axis=axis, keepdims=keepdims)
    if initial is not _np._NoValue:
        result = result * initial
    return _as_numpy(result, reference)


def _nan_cumulative(name, numpy_function, accumulate, fill):
    def function(a, axis=None, dtype=None, out=None):
        reference = numpy_function(_raw(a), axis=axis, dtype=dtype, out=None if _traced(a) else out)
        if not _traced(a):
            return reference
        _refuse_out(name, out)
        return _as_numpy(accumulate(_masked(a, True, fill)[0], axis=axis), reference)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = f"``numpy.{name}``: ``{accumulate.__name__}`` with NaNs taken as {fill}."
    return function


nancumsum = _nan_cumulative("nancumsum", _np.nancumsum, anp.cumsum, 0.0)
nancumprod = _nan_cumulative("nancumprod", _np.nancumprod, anp.cumprod, 1.0)


def _nanvar_traced(a, axis, ddof, keepdims, where, mean):
    filled, mask = _masked(a, where, 0.0)
    count = _np.sum(~mask, axis=axis, keepdims=True)
    if mean is None:
        mean = anp.sum(filled, axis=axis, keepdims=True) / count
    centred = anp.where(mask, 0.0, filled - mean)
    if _np.iscomplexobj(getval(centred)):
        squares = anp.real(centred * anp.conj(centred))
    else:
        squares = centred * centred
    dof = _np.sum(~mask, axis=axis, keepdims=keepdims) - ddof
    variance = anp.sum(squares, axis=axis, keepdims=keepdims) / _np.where(dof > 0, dof, 1)
    return anp.where(dof <= 0, _np.nan, variance)


def _nan_spread(name, numpy_function, root):
    def function(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False, *, where=True, mean=_np._NoValue,
                 correction=_np._NoValue):
        reference = numpy_function(_raw(a), axis=axis, dtype=dtype, out=None if _traced(a, mean) else out,
                                   ddof=ddof, keepdims=keepdims, where=where, mean=_raw(mean),
                                   correction=correction)
        if not _traced(a, mean):
            return reference
        _refuse_out(name, out)
        if correction is not _np._NoValue:
            ddof = correction
        a = anp.asarray(a) if dtype is None else anp.astype(anp.asarray(a), dtype)
        variance = _nanvar_traced(a, axis, ddof, keepdims, where, None if mean is _np._NoValue else mean)
        if root:
            # √v has an infinite derivative at v = 0: take the subgradient 0 there.
            zero = _np.asarray(getval(variance)) == 0
            variance = anp.where(zero, 0.0, anp.sqrt(anp.where(zero, 1.0, variance)))
        return _as_numpy(variance, reference)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = (f"``numpy.{name}`` over the entries that are not NaN (NaNs get zero derivative)"
                        + ("; the derivative at a zero standard deviation is taken as 0." if root else "."))
    return function


nanvar = _nan_spread("nanvar", _np.nanvar, root=False)
nanstd = _nan_spread("nanstd", _np.nanstd, root=True)


# ---- ptp, covariance, correlation, cumulative_* --------------------------------------------------

def ptp(a, axis=None, out=None, keepdims=False):
    """``numpy.ptp``: max − min (the derivative of each shared on ties, as for ``max``)."""
    reference = _np.ptp(_raw(a), axis=axis, out=None if _traced(a) else out, keepdims=keepdims)
    if not _traced(a):
        return reference
    _refuse_out("ptp", out)
    a = anp.asarray(a)
    return _as_numpy(anp.max(a, axis=axis, keepdims=keepdims) - anp.min(a, axis=axis, keepdims=keepdims),
                     reference)


def _rows(x, dtype, transpose):
    """x as a 2-d array (``array(x, ndmin=2)``), transposed when NumPy's cov would
    (``transpose(X)`` says when, for the 2-d X): variables × observations."""
    x = anp.astype(anp.asarray(x), dtype)
    if _np.ndim(getval(x)) < 2:
        x = anp.reshape(x, (1, -1))
    return anp.transpose(x) if transpose(_np.shape(getval(x))) else x


def cov(m, y=None, rowvar=True, bias=False, ddof=None, fweights=None, aweights=None, *, dtype=None):
    """``numpy.cov``, differentiable in ``m``, ``y`` and ``aweights`` (``fweights`` are
    integer counts: constants)."""
    reference = _np.cov(_raw(m), _raw(y), rowvar, bias, ddof, _raw(fweights), _raw(aweights), dtype=dtype)
    if not _traced(m, y, aweights):
        return reference
    if dtype is None:
        dtype = _np.result_type(*[_raw(v) for v in (m, y) if v is not None], _np.float64)
    X = _rows(m, dtype, lambda shape: not rowvar and _np.ndim(_raw(m)) != 1)
    if _np.shape(getval(X))[0] == 0:
        return reference
    if y is not None:
        X = anp.concatenate([X, _rows(y, dtype, lambda shape: not rowvar and shape[0] != 1)], axis=0)
    if ddof is None:
        ddof = 1 if bias == 0 else 0
    w = None if fweights is None else _np.asarray(_raw(fweights), dtype=float)
    if aweights is not None:
        aweights = anp.astype(anp.asarray(aweights), float)
        w = aweights if w is None else w * aweights
    avg, w_sum = anp.average(X, axis=1, weights=w, returned=True)
    w_sum = w_sum[0]
    if w is None:
        fact = _np.shape(getval(X))[1] - ddof
    elif ddof == 0:
        fact = w_sum
    elif aweights is None:
        fact = w_sum - ddof
    else:
        fact = w_sum - ddof * anp.sum(w * aweights) / w_sum
    if getval(fact) <= 0:
        fact = 0.0
    X = X - anp.expand_dims(avg, 1)
    X_T = anp.transpose(X if w is None else X * w)
    c = anp.dot(X, anp.conj(X_T)) * anp.true_divide(1, fact)
    return _as_numpy(anp.squeeze(c), reference)


def corrcoef(x, y=None, rowvar=True, *, dtype=None):
    """``numpy.corrcoef``: C_ij / √(C_ii C_jj) for C = cov(x, y), clipped to [−1, 1]."""
    reference = _np.corrcoef(_raw(x), _raw(y), rowvar, dtype=dtype)
    if not _traced(x, y):
        return reference
    c = cov(x, y, rowvar, dtype=dtype)
    if _np.ndim(getval(c)) != 2:
        return _as_numpy(c / c, reference)
    stddev = anp.sqrt(anp.real(anp.diagonal(c)))
    c = c / anp.expand_dims(stddev, 1) / anp.expand_dims(stddev, 0)
    if _np.iscomplexobj(getval(c)):
        c = anp.clip(anp.real(c), -1, 1) + 1j * anp.clip(anp.imag(c), -1, 1)
    else:
        c = anp.clip(c, -1, 1)
    return _as_numpy(c, reference)


def _cumulative(name, numpy_function, accumulate, initial):
    def function(x, /, *, axis=None, dtype=None, out=None, include_initial=False):
        reference = numpy_function(_raw(x), axis=axis, dtype=dtype, out=None if _traced(x) else out,
                                   include_initial=include_initial)
        if not _traced(x):
            return reference
        _refuse_out(name, out)
        x = anp.asarray(x)
        if axis is None:  # NumPy allows it for at most one axis only
            x, axis = anp.ravel(x), 0
        result = accumulate(x, axis=axis)
        if include_initial:
            shape = list(_np.shape(getval(x)))
            shape[axis] = 1
            result = anp.concatenate([_np.full(shape, initial, _np.result_type(getval(x))), result], axis=axis)
        return _as_numpy(result, reference)

    function.__name__ = function.__qualname__ = name
    function.__doc__ = (f"``numpy.{name}``: ``{accumulate.__name__}``, with a leading {initial} "
                        "when ``include_initial``.")
    return function


cumulative_sum = _cumulative("cumulative_sum", _np.cumulative_sum, anp.cumsum, 0)
cumulative_prod = _cumulative("cumulative_prod", _np.cumulative_prod, anp.cumprod, 1)


# ---- histograms ----------------------------------------------------------------------------------

def _refuse_traced_edges(name, bins, range):
    for what, value in (("bins", bins), ("range", range)):
        if _contains_box(value):
            raise NotDifferentiableError(
                f"{name}: a traced {what} would make the returned bin edges traced, and ravine does not "
                f"differentiate through it; pass ravine.getval({what}) to hold it constant.")


def _edges_from_data(column, edges):
    """NumPy's ``edges`` (linspace over the column's extremes, widened by ½ each way when
    they agree) carrying their derivative with respect to the traced ``column``."""
    low, high = anp.min(column), anp.max(column)
    if getval(low) == getval(high):
        low, high = low - 0.5, high + 0.5
    return _exactly(edges, anp.linspace(low, high, len(edges)))


def histogram_bin_edges(a, bins=10, range=None, weights=None):
    """``numpy.histogram_bin_edges``; edges derived from the data's extremes are traced."""
    _refuse_traced("histogram_bin_edges", "weights", weights)
    _refuse_traced_edges("histogram_bin_edges", bins, range)
    edges = _np.histogram_bin_edges(_raw(a), bins, range, weights)
    if not _traced(a) or range is not None or _np.ndim(bins) != 0 or _np.size(_raw(a)) == 0:
        return edges
    return _edges_from_data(anp.ravel(anp.asarray(a)), edges)


def _density(counts, edges):
    """counts / Σ counts / (the product of the bin widths), with traced edges."""
    result = counts / counts.sum()
    for i, e in enumerate(edges):
        widths = anp.diff(e)
        result = result / anp.reshape(widths, [-1 if j == i else 1 for j in range(len(edges))])
    return result


def _per_dimension(bins, D):
    try:
        if len(bins) == D and not isinstance(bins, str):
            return list(bins)
    except TypeError:
        pass
    return [bins] * D


def _histogram_traced(columns, bins, range, density, result, counts_of):
    """NumPy's histogram ``result`` (counts, edges) with the edges derived from traced
    data ``columns`` traced, and a density, which divides by their widths;
    ``counts_of()`` gives the plain counts."""
    counts, edges = result
    D = len(columns)
    ranges = (None,) * D if range is None else range
    edges = list(edges)
    for i, (column, bins_i) in enumerate(zip(columns, _per_dimension(bins, D))):
        if isinstance(column, Box) and _np.ndim(bins_i) == 0 and ranges[i] is None and _np.size(getval(column)):
            edges[i] = _edges_from_data(column, edges[i])
    if density and any(isinstance(e, Box) for e in edges):
        counts = _exactly(counts, _density(counts_of(), edges))
    return counts, edges


def histogram(a, bins=10, range=None, density=None, weights=None):
    """``numpy.histogram``; counts are constants, edges derived from traced data traced
    (min a + k (max a − min a)/bins), and so is a density."""
    _refuse_traced("histogram", "weights", weights)
    _refuse_traced_edges("histogram", bins, range)
    raw = _raw(a)
    counts, edges = _np.histogram(raw, bins, range, density, weights)
    if not _traced(a):
        return counts, edges
    counts, (edges,) = _histogram_traced([anp.ravel(anp.asarray(a))], bins, None if range is None else [range],
                                         density, (counts, [edges]),
                                         lambda: _np.histogram(raw, bins, range, False, weights)[0])
    return counts, edges


def histogramdd(sample, bins=10, range=None, density=None, weights=None):
    """``numpy.histogramdd``; counts are constants, data-derived edges traced."""
    _refuse_traced("histogramdd", "weights", weights)
    _refuse_traced_edges("histogramdd", bins, range)
    raw = _raw(sample)
    result = _np.histogramdd(raw, bins, range, density, weights)
    if not _traced(sample):
        return result
    if isinstance(sample, Box) or type(sample) not in (list, tuple):
        sample = anp.asarray(sample)
        columns = [sample[:, i] for i in _builtins.range(_np.shape(getval(sample))[1])]
    else:
        columns = list(sample)
    return _histogram_traced(columns, bins, range, density, result,
                             lambda: _np.histogramdd(raw, bins, range, False, weights)[0])


def histogram2d(x, y, bins=10, range=None, density=None, weights=None):
    """``numpy.histogram2d``; counts are constants, data-derived edges traced."""
    _refuse_traced("histogram2d", "weights", weights)
    _refuse_traced_edges("histogram2d", bins, range)
    raw = _raw(x), _raw(y)
    counts, xedges, yedges = _np.histogram2d(*raw, bins, range, density, weights)
    if not _traced(x, y):
        return counts, xedges, yedges
    try:
        both = len(bins) not in (1, 2)
    except TypeError:
        both = False
    if both:  # one array of edges for both axes
        bins = [bins, bins]
    counts, (xedges, yedges) = _histogram_traced(
        [x, y], bins, range, density, (counts, [xedges, yedges]),
        lambda: _np.histogram2d(*raw, bins, range, False, weights)[0])
    return counts, xedges, yedges
