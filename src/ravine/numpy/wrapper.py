"""The traced NumPy namespace: an explicit list of wrapped functions.

Each name in :data:`DIFFERENTIABLE` becomes a :func:`~ravine.autodiff.tracer.primitive`
around the NumPy function of the same name; its derivative rules live in
``vjps.py`` (reverse mode) and ``jvps.py`` (forward mode), and a test checks
that every one of them has both.  Each name in :data:`CONSTANT` is wrapped so
that it sees raw values and returns a constant (comparisons, ``argmax``,
rounding, array constructors).  Names in neither list fall through to NumPy
itself: they work on plain arrays, and on a traced value they raise a
:class:`~ravine.errors.TracingError` that names the function.
"""

from __future__ import annotations

import builtins as _builtins
import numpy as _np

from ravine.autodiff.tracer import Box, getval, notrace_primitive, primitive, read_value
from ravine.numpy.operators import fast_raw

DIFFERENTIABLE = """
    negative positive add subtract multiply divide true_divide power float_power
    reciprocal square sqrt cbrt exp exp2 expm1 log log2 log10 log1p
    sin cos tan arcsin arccos arctan sinh cosh tanh arcsinh arccosh arctanh
    arctan2 hypot logaddexp logaddexp2 abs absolute fabs
    maximum minimum fmax fmin clip where sinc deg2rad rad2deg degrees radians
    mod remainder fmod real imag conj conjugate angle real_if_close
    sum mean prod max min amax amin var std cumsum cumprod nansum
    reshape ravel transpose swapaxes moveaxis rollaxis expand_dims squeeze broadcast_to
    atleast_1d atleast_2d atleast_3d flip fliplr flipud rot90 roll tile repeat pad
    triu tril diag diagonal diagflat trace make_diagonal
    concatenate_args
    dot matmul tensordot einsum inner outer kron vdot cross
    sort partition take take_along_axis nan_to_num
    copy cast array_from_args getitem untake
""".split()

CONSTANT = """
    argmax argmin argsort argpartition argwhere nonzero flatnonzero searchsorted
    sign floor ceil round around rint trunc fix
    equal not_equal greater greater_equal less less_equal isclose allclose array_equal
    logical_and logical_or logical_not logical_xor isfinite isinf isnan isreal iscomplex
    any all count_nonzero digitize
    zeros_like ones_like empty_like zeros ones empty eye identity
    arange geomspace indices tri
    floor_divide bitwise_and bitwise_or bitwise_xor left_shift right_shift invert
    shape ndim size result_type can_cast iscomplexobj isrealobj isscalar
    array_equiv einsum_path isfortran may_share_memory shares_memory common_type min_scalar_type
    array2string array_repr array_str
""".split()

# Functions we define ourselves in this module, with NumPy-compatible signatures.
_OWN = {"concatenate_args", "array_from_args", "cast", "getitem", "untake", "make_diagonal"}

# Functions written here from the primitives above (their derivatives follow).
COMPOSED = """
    array asarray concatenate stack hstack vstack row_stack dstack column_stack append
    split array_split hsplit vsplit dsplit select average nanmean diff astype
    linspace logspace full full_like meshgrid unique bincount
""".split()

# Reductions that also take a Python list or tuple holding traced values, as in
# ``np.mean([x, x + 2])``: the sequence is made a traced array first (``array``).
# The check sits in the path for arguments that are not arrays (the fast path of
# sum, mean, max and min never sees it).
SEQUENCE_ARGUMENT = "sum mean prod max min amax amin var std nansum cumsum cumprod".split()


def _accepting_sequences(name):
    numpy_function = getattr(_np, name)

    def numpy_or_from_sequence(a, *args, **kwargs):
        if type(a) in (list, tuple) and _contains_box(a):
            return globals()[name](array(a), *args, **kwargs)
        return numpy_function(a, *args, **kwargs)

    numpy_or_from_sequence.__name__ = numpy_or_from_sequence.__qualname__ = name
    numpy_or_from_sequence.__doc__ = numpy_function.__doc__
    return numpy_or_from_sequence


def _numpy_function(name):
    return _accepting_sequences(name) if name in SEQUENCE_ARGUMENT else getattr(_np, name)


# NumPy's aliases are one function (np.abs is np.absolute), and so are ravine's.
_ALIASES = {"absolute": "abs", "conjugate": "conj", "true_divide": "divide", "remainder": "mod"}

_FAST_RAW = fast_raw(_numpy_function)
for _name in DIFFERENTIABLE:
    if _name not in _OWN and _name not in _ALIASES:
        globals()[_name] = primitive(_FAST_RAW.get(_name) or _numpy_function(_name))
for _alias, _name in _ALIASES.items():
    globals()[_alias] = globals()[_name]

# Constants that depend on shapes and dtypes only, never on values.
_METADATA_ONLY = set("""
    zeros_like ones_like empty_like zeros ones empty eye identity arange geomspace indices tri
    shape ndim size result_type can_cast iscomplexobj isrealobj isscalar einsum_path isfortran common_type
""".split())

for _name in CONSTANT:
    globals()[_name] = notrace_primitive(getattr(_np, _name), reads_values=_name not in _METADATA_ONLY)


@primitive
def getitem(A, index):
    """``A[index]``, traced; repeated indices accumulate in the gradient."""
    return A[index]


def numpy_scalar(x):
    """``x[()]`` when x's value is a 0-d ndarray, else ``x``: where NumPy returns a
    scalar (a reduction over every axis, a ufunc of scalars) and a rule composed of
    ``where``/``reshape``/``squeeze`` ends with a 0-d array."""
    value = getval(x)
    if type(value) is _np.ndarray and value.ndim == 0:
        return getitem(x, ()) if isinstance(x, Box) else value[()]
    return x


def root_flat_at_zero(v, p=2):
    """v^(1/p), with derivative 0 where v = 0 (a subgradient) instead of 0·∞ = NaN.

    A norm ‖x‖ = (Σ|xᵢ|ᵖ)^(1/p) and a standard deviation √var are convex with their
    minimum where v = 0: there they have no gradient, 0 is in their subdifferential, and
    0 is what ``abs`` and ``max`` give at their kinks too.  (autograd gives NaN.)"""
    zero = getval(v) == 0
    if not _np.any(zero):
        return sqrt(v) if p == 2 else power(v, 1.0 / p)
    safe = where(zero, 1.0, v)
    return numpy_scalar(where(zero, 0.0, sqrt(safe) if p == 2 else power(safe, 1.0 / p)))


@primitive
def untake(g, index, shape, dtype):
    """The adjoint of ``A[index]``: a zero array of ``shape`` with ``g`` added at
    ``index`` (repeated indices accumulate)."""
    out = _np.zeros(shape, dtype=_np.result_type(dtype, _np.asarray(g).dtype))
    _np.add.at(out, index, g)
    return out


@primitive
def make_diagonal(D, offset: int = 0, axis1: int = 0, axis2: int = 1):
    """The array A whose diagonal ``diagonal(A, offset, axis1, axis2)`` is ``D`` and whose
    other entries are 0 (autograd's complement of ``numpy.diagonal``): for D of shape
    (..., n), A has one more axis, the two axes ``axis1``, ``axis2`` (of A) of length
    n + |offset|, and A[..., i, i + offset] = D[..., i]."""
    D = _np.asarray(D)
    ndim = D.ndim + 1
    if D.ndim == 0 or not (-ndim <= axis1 < ndim and -ndim <= axis2 < ndim) or axis1 % ndim == axis2 % ndim:
        raise ValueError(f"make_diagonal: D of shape {D.shape} with axis1={axis1}, axis2={axis2}; D needs at "
                         f"least one axis, and axis1, axis2 must be two different axes of the {ndim}-d result.")
    n = D.shape[-1]
    size = n + _builtins.abs(offset)
    out = _np.zeros(D.shape[:-1] + (size, size), dtype=D.dtype)
    rows = _np.arange(n) + _builtins.max(-offset, 0)
    out[..., rows, rows + offset] = D
    return _np.moveaxis(out, (-2, -1), (axis1, axis2))


@primitive
def concatenate_args(axis, *arrays):
    return _np.concatenate(arrays, axis)


def _cast_joined(joined, arrays, dtype, casting):
    """NumPy's ``dtype``/``casting`` for a join: each input must cast to ``dtype``
    under ``casting`` (NumPy's TypeError otherwise); the result is cast."""
    if dtype is None:
        return joined
    for a in arrays:
        if not _np.can_cast(_np.result_type(getval(a)), dtype, casting=casting):
            raise TypeError(f"Cannot cast array data from {_np.result_type(getval(a))!r} to "
                            f"{_np.dtype(dtype)!r} according to the rule {casting!r}")
    return astype(joined, dtype)


def concatenate(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """``numpy.concatenate`` for sequences that may hold traced arrays
    (``axis=None`` flattens each array first, as NumPy does)."""
    if not isinstance(arrays, (Box, _np.ndarray)):
        arrays = list(arrays)
    if out is not None or not _contains_box(arrays):
        return _np.concatenate(arrays, axis, out, dtype=dtype, casting=casting)
    if type(arrays) is list:  # a list of traced values inside the sequence becomes an array
        arrays = [array(a) if type(a) in (list, tuple) else a for a in arrays]
    if axis is None:
        joined = concatenate_args(0, *[ravel(a) for a in arrays])
    else:
        joined = concatenate_args(axis, *arrays)
    return _cast_joined(joined, arrays, dtype, casting)


def stack(arrays, axis=0, out=None, *, dtype=None, casting="same_kind"):
    """``numpy.stack`` for sequences that may hold traced arrays."""
    if out is not None:
        return _np.stack(arrays, axis, out, dtype=dtype, casting=casting)
    arrays = [asarray(a) for a in arrays]
    ndim = _builtins.max(len(_np.shape(getval(a))) for a in arrays) + 1
    axis = axis % ndim
    return _cast_joined(concatenate([expand_dims(a, axis) for a in arrays], axis=axis), arrays, dtype, casting)


def hstack(tup, *, dtype=None, casting="same_kind"):
    arrays = [atleast_1d(a) for a in tup]
    axis = 0 if _np.ndim(getval(arrays[0])) == 1 else 1
    return concatenate(arrays, axis=axis, dtype=dtype, casting=casting)


def vstack(tup, *, dtype=None, casting="same_kind"):
    return concatenate([atleast_2d(a) for a in tup], axis=0, dtype=dtype, casting=casting)


row_stack = vstack


def dstack(tup):
    return concatenate([atleast_3d(a) for a in tup], axis=2)


def column_stack(tup):
    columns = []
    for a in tup:
        a = asarray(a)
        columns.append(reshape(a, (-1, 1)) if _np.ndim(getval(a)) < 2 else a)
    return concatenate(columns, axis=1)


def append(arr, values, axis=None):
    """``numpy.append``; ``arr`` and ``values`` may be lists holding traced values."""
    arr, values = asarray(arr), asarray(values)
    if axis is None:
        return concatenate([ravel(arr), ravel(values)])
    return concatenate([arr, values], axis=axis)


def _split_points(n, indices_or_sections, even):
    if isinstance(indices_or_sections, (int, _np.integer)):
        sections = int(indices_or_sections)
        if even and n % sections:
            raise ValueError("array split does not result in an equal division")
        base, extra = divmod(n, sections)
        sizes = [base + 1] * extra + [base] * (sections - extra)
        return list(_np.cumsum([0] + sizes))
    return [0] + list(indices_or_sections) + [n]


def _split(ary, indices_or_sections, axis, even):
    n = _np.shape(getval(ary))[axis]
    points = _split_points(n, indices_or_sections, even)
    pieces = []
    for start, stop in zip(points[:-1], points[1:]):
        index = [slice(None)] * _np.ndim(getval(ary))
        index[axis] = slice(start, stop)
        pieces.append(getitem(ary, tuple(index)))
    return pieces


def split(ary, indices_or_sections, axis=0):
    """``numpy.split``; each piece is a traced slice."""
    return _split(ary, indices_or_sections, axis, even=True)


def array_split(ary, indices_or_sections, axis=0):
    return _split(ary, indices_or_sections, axis, even=False)


def hsplit(ary, indices_or_sections):
    return _split(ary, indices_or_sections, 1 if _np.ndim(getval(ary)) > 1 else 0, even=True)


def vsplit(ary, indices_or_sections):
    return _split(ary, indices_or_sections, 0, even=True)


def dsplit(ary, indices_or_sections):
    return _split(ary, indices_or_sections, 2, even=True)


def select(condlist, choicelist, default=0):
    """``numpy.select`` as nested ``where``: the first true condition wins."""
    out = default
    for cond, choice in reversed(list(zip(condlist, choicelist))):
        out = where(cond, choice, out)
    return out


@primitive
def array_from_args(front_args, kwargs, *args):
    return _np.array(args, *front_args, **kwargs)


def _contains_box(A) -> bool:
    if isinstance(A, Box):
        return True
    if type(A) in (list, tuple):
        return _builtins.any(_contains_box(a) for a in A)
    return False


def array(A, *args, **kwargs):
    """``numpy.array``; a (nested) list holding traced values becomes a traced array."""
    if kwargs.get("ndmin", 0) and _contains_box(A):  # leading axes of length 1, added once, at the end
        out = array(A, *args, **{key: value for key, value in kwargs.items() if key != "ndmin"})
        shape = _np.shape(getval(out))
        return out.reshape((1,) * (kwargs["ndmin"] - len(shape)) + shape) if len(shape) < kwargs["ndmin"] else out
    if isinstance(A, Box) and type(getval(A)) in (list, tuple):  # a traced container: its entries
        return array_from_args(args, kwargs, *[array(a, *args, **kwargs) for a in A])
    if isinstance(A, Box):
        dtype = kwargs.get("dtype", args[0] if args else None)
        return copy(A) if dtype is None else astype(A, dtype)
    if type(A) in (list, tuple) and _contains_box(A):
        return array_from_args(args, kwargs, *[array(a, *args, **kwargs) for a in A])
    return _np.array(A, *args, **kwargs)


def _check_device(device):
    """NumPy's arrays live on the CPU: ``device`` may be None or "cpu", as in NumPy."""
    if device not in (None, "cpu"):
        raise ValueError(f'Device not understood. Only "cpu" is allowed, but received: {device}')


def asarray(a, dtype=None, order=None, *, device=None, copy=None, like=None):
    """``numpy.asarray``; a traced value stays traced (cast with ``astype`` when a
    dtype is given; ``copy`` does not matter, as traced arrays are never written in place)."""
    _check_device(device)
    if isinstance(a, Box) and type(getval(a)) not in (list, tuple):
        return a if dtype is None else astype(a, dtype)
    if isinstance(a, Box) or type(a) in (list, tuple) and _contains_box(a):
        return array(a, dtype=dtype)
    return _np.asarray(a, dtype=dtype, order=order, device=device, copy=copy, like=like)


@primitive
def cast(A, dtype):
    """``A.astype(dtype)`` for a float or complex ``dtype``, traced."""
    return _np.asarray(A).astype(dtype)


def astype(x, dtype, /, *, copy=True, device=None):
    """``x.astype(dtype)``, traced; a cast to an integer or boolean dtype gives a
    constant (integers carry no derivative)."""
    _check_device(device)
    if _np.dtype(dtype).kind in "iub":
        return _np.asarray(read_value(x)).astype(dtype)
    if not isinstance(x, Box) and not copy:
        return _np.asarray(x).astype(dtype, copy=False)
    return cast(x, dtype)


def nanmean(a, axis=None, dtype=None, out=None, keepdims=_np._NoValue, *, where=_np._NoValue):
    """``numpy.nanmean``: the mean of the entries that are not NaN (and, with ``where``,
    selected); NaNs and unselected entries get zero derivative."""
    if not _contains_box(a):
        return _np.nanmean(a, axis, dtype, out, keepdims, where=where)
    if out is not None:
        raise TypeError("nanmean(..., out=...) cannot write a traced value into an array; use the returned value.")
    a = asarray(a)  # a list of traced values, as the other reductions take
    keepdims = False if keepdims is _np._NoValue else keepdims
    kept = ~_np.isnan(getval(a))
    if where is not _np._NoValue:
        kept = kept & _np.broadcast_to(_np.asarray(read_value(where), dtype=bool), kept.shape)
    count = _np.sum(kept, axis=axis, keepdims=keepdims)
    select = globals()["where"]  # the primitive: the keyword ``where`` shadows its name here
    total = sum(select(kept, a, 0.0), axis=axis, dtype=dtype, keepdims=keepdims)
    return total / _np.asarray(count, dtype=_np.result_type(getval(total)))


def average(a, axis=None, weights=None, returned=False, *, keepdims=_np._NoValue):
    """``numpy.average``: Σ w a / Σ w (differentiable in both ``a`` and ``weights``)."""
    if not (_contains_box(a) or _contains_box(weights)):
        return _np.average(a, axis, weights, returned, keepdims=keepdims)
    a = asarray(a)
    keepdims = False if keepdims is _np._NoValue else keepdims
    a_shape = _np.shape(getval(a))
    if axis is not None:
        axis = _np.lib.array_utils.normalize_axis_tuple(axis, len(a_shape), argname="axis")
    if weights is None:
        avg = mean(a, axis=axis, keepdims=keepdims)
        avg_raw = _np.asarray(getval(avg))
        total = _np.full(avg_raw.shape, _np.size(getval(a)) / avg_raw.size, dtype=avg_raw.dtype)
    else:
        weights = asarray(weights)
        w_shape = _np.shape(getval(weights))
        if w_shape != a_shape:
            if axis is None or w_shape != tuple(a_shape[i] for i in axis):
                from ravine.errors import ShapeError

                raise ShapeError(
                    f"average: weights of shape {w_shape} do not fit a of shape {a_shape} along axis={axis}; "
                    "pass weights of a's shape, or weights shaped as a along the axes, in their order."
                )
            # As NumPy: weights follow the axes in the order given, then broadcast along the others.
            weights = weights.transpose(tuple(_np.argsort(axis)))  # a traced value or an ndarray
            weights = reshape(weights, [n if i in axis else 1 for i, n in enumerate(a_shape)])
            weights = broadcast_to(weights, a_shape)
        total = sum(weights, axis=axis, keepdims=keepdims)
        if _np.any(getval(total) == 0.0):
            raise ZeroDivisionError("Weights sum to zero, can't be normalized")
        avg = sum(a * weights, axis=axis, keepdims=keepdims) / total
    return (avg, numpy_scalar(total)) if returned else avg


def diff(a, n=1, axis=-1, prepend=_np._NoValue, append=_np._NoValue):
    """``numpy.diff``: the n-th forward difference along ``axis``, after joining
    ``prepend`` and ``append`` (broadcast across the other axes) to ``a``."""
    if prepend is not _np._NoValue or append is not _np._NoValue:
        a = asarray(a)
        shape = list(_np.shape(getval(a)))
        pieces = []
        for value in (prepend, None, append):
            if value is None:
                pieces.append(a)
            elif value is not _np._NoValue:
                value = asarray(value)
                if _np.ndim(getval(value)) == 0:
                    value = broadcast_to(value, tuple(shape[:axis % len(shape)] + [1] + shape[axis % len(shape) + 1:]))
                pieces.append(value)
        a = concatenate(pieces, axis=axis)
    for _ in range(n):
        ndim = _np.ndim(getval(a))
        head = [slice(None)] * ndim
        tail = [slice(None)] * ndim
        head[axis], tail[axis] = slice(1, None), slice(None, -1)
        a = getitem(a, tuple(head)) - getitem(a, tuple(tail))
    return a


# ---- constructors whose values depend on their arguments ------------------------------------------
# These are constants when no argument is traced; a traced start, stop or fill value is
# differentiated (a constant wrapper would silently report a zero derivative).


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, *, device=None):
    """``numpy.linspace``; differentiable in ``start`` and ``stop``:
    y_k = start + t_k (stop − start) with t_k = k / (num − 1) (or k / num without the endpoint)."""
    _check_device(device)
    if not (isinstance(start, Box) or isinstance(stop, Box)):
        return _np.linspace(start, stop, num, endpoint, retstep, dtype, axis)
    fractions = _np.linspace(0.0, 1.0, num, endpoint=endpoint)
    start, stop = asarray(start), asarray(stop)
    span = stop - start
    ndim = _np.ndim(getval(span)) if _np.ndim(getval(span)) >= _np.ndim(getval(start)) else _np.ndim(getval(start))
    out = start + reshape(fractions, (num,) + (1,) * ndim) * span
    if axis != 0:
        out = moveaxis(out, 0, axis)
    if dtype is not None:
        out = astype(out, dtype)
    if retstep:
        return out, span / ((num - 1) if endpoint else num)
    return out


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0):
    """``numpy.logspace``: base ** linspace(start, stop), differentiable in start, stop and base."""
    if not any(isinstance(a, Box) for a in (start, stop, base)):
        return _np.logspace(start, stop, num, endpoint, base, dtype, axis)
    out = power(base, linspace(start, stop, num, endpoint, axis=axis))
    return out if dtype is None else astype(out, dtype)


def full(shape, fill_value, dtype=None, order="C", *, device=None, like=None):
    """``numpy.full``; differentiable in ``fill_value``."""
    _check_device(device)
    if not isinstance(fill_value, Box):
        return _np.full(shape, fill_value, dtype, order, like=like)
    out = broadcast_to(fill_value, shape)
    return out if dtype is None else astype(out, dtype)


def full_like(a, fill_value, dtype=None, order="K", subok=True, shape=None, *, device=None):
    """``numpy.full_like``; differentiable in ``fill_value`` (never in ``a``, which only lends its shape)."""
    _check_device(device)
    if not isinstance(fill_value, Box):
        return _np.full_like(getval(a), fill_value, dtype, order, subok, shape)
    return full(_np.shape(getval(a)) if shape is None else shape, fill_value,
                getval(a).dtype if dtype is None and hasattr(getval(a), "dtype") else dtype)


def meshgrid(*xi, copy=True, sparse=False, indexing="xy"):
    """``numpy.meshgrid``; traced coordinate vectors give traced grids."""
    if not _builtins.any(isinstance(x, Box) for x in xi):
        return _np.meshgrid(*xi, copy=copy, sparse=sparse, indexing=indexing)
    n = len(xi)
    vectors = [ravel(x) for x in xi]
    sizes = [_np.size(getval(v)) for v in vectors]
    if indexing == "xy" and n > 1:
        sizes[0], sizes[1] = sizes[1], sizes[0]
    grids = []
    for i, v in enumerate(vectors):
        axis = {0: 1, 1: 0}.get(i, i) if indexing == "xy" and n > 1 else i
        shaped = reshape(v, [-1 if k == axis else 1 for k in range(n)])
        grids.append(shaped if sparse else broadcast_to(shaped, sizes))
    return _MESHGRID_TYPE(grids)


_MESHGRID_TYPE = type(_np.meshgrid(_np.zeros(1)))  # tuple since NumPy 2.0, a list before


def _refuse_traced(name, what, value):
    if isinstance(value, Box):
        from ravine.errors import NotDifferentiableError

        raise NotDifferentiableError(
            f"{name} has no derivative rule for a traced {what}, and treating it as a constant would "
            f"give a silently wrong (zero) derivative. Compute it with differentiable functions "
            f"(e.g. sums over masks), or pass ravine.getval({what}) if you want it held constant."
        )


def unique(ar, *args, **kwargs):
    """``numpy.unique``; refuses a traced array (its values would carry a derivative)."""
    _refuse_traced("unique", "ar", ar)
    return _np.unique(ar, *args, **kwargs)


def bincount(x, weights=None, minlength=0):
    """``numpy.bincount``; refuses traced weights (the counts are linear in them)."""
    _refuse_traced("bincount", "weights", weights)
    return _np.bincount(read_value(x), weights, minlength)


__all__ = sorted(set(DIFFERENTIABLE) | set(CONSTANT) | set(COMPOSED))
