"""Traced calls against NumPy itself: the value computed while the arguments are traced is
NumPy's (shape, dtype, values, NaN positions), and both derivatives agree with central
finite differences of NumPy's own function, not of ravine's.

The other sweeps check derivatives against finite differences of ravine's function, so a
traced forward computation that differs from NumPy's (a rule composed from primitives, a
keyword dropped on the traced path, another dtype) goes unnoticed there: the wrong value
and its derivative agree with each other.  Each row below is ``(label, call, inputs)``,
``call(module, *inputs)`` being run with ``module`` NumPy and ravine.numpy; derivatives are
taken in every float or complex input at once, along one random direction, at generic
points (no ties, no kinks).  Documented conventions are met half-way in the calls:
cholesky of a + aᵀ (the symmetrised gradient), eigen- and singular vectors as v vᴴ.

Found when this sweep was written: ``svd(hermitian=True)`` ignored ``hermitian`` (other
values than NumPy's for a non-symmetric input, plain arrays included, and a derivative
in the triangle NumPy never reads); ``np.array(traced, ndmin=k)`` dropped ``ndmin``;
``average`` refused weights along a tuple of axes, gave ``returned=`` counts in float64
for float32/complex data and inf for weights summing to zero; ``nanmean``/``average`` of
a list of traced values raised a TracingError; ``median``/``nanmedian``/nan-quantiles of
empty slices raised IndexErrors; ``solve`` gave a real operand a complex gradient.

The values are compared by type too (a NumPy scalar is not a 0-d array; a tuple is not a
list).  Found then: the nan-reductions, quantiles, matrix norms, ``heaviside`` of scalars
and ``average(returned=True)``'s weight sum gave 0-d arrays where NumPy gives scalars, and
``meshgrid`` a list where NumPy 2 gives a tuple.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy
import pytest
from traced_values import traced_value

import ravine.numpy as rnp
from ravine.autodiff.core import make_jvp, make_vjp

rng = numpy.random.default_rng(2024)


def R(*shape, dtype=numpy.float64):
    return rng.standard_normal(shape).astype(dtype) if shape else dtype(rng.standard_normal())


def P(*shape, dtype=numpy.float64):
    """Entries in [0.5, 1.5)."""
    return (0.5 + rng.random(shape)).astype(dtype)


def Z(*shape):
    return R(*shape) + 1j * R(*shape)


def SPD(n, *batch):
    A = R(*batch, n, n)
    return A @ numpy.swapaxes(A, -1, -2) + n * numpy.eye(n)


V, V6, M, M2, T, Q, Q2 = R(5), R(6), R(3, 4), R(3, 4), R(2, 3, 4), R(3, 3), R(3, 3)
PV, PM, PT = P(5), P(3, 4), P(2, 3, 4)
S0 = R()                                   # a NumPy 0-d scalar
A0 = numpy.asarray(0.7)                    # a 0-d array
F32, F32V = R(3, 4, dtype=numpy.float32), R(5, dtype=numpy.float32)
ZV, ZM, ZQ = Z(5), Z(3, 4), Z(3, 3)
E = numpy.zeros((0, 3))
MASK = numpy.array([[1, 1, 0, 1], [0, 1, 1, 1], [1, 0, 0, 1]], dtype=bool)
TMASK = numpy.arange(24).reshape(2, 3, 4) % 3 != 0
MN = M.copy()
MN[0, 1] = MN[2, 3] = numpy.nan            # NaNs, no all-NaN slice
NAN_ROW = numpy.array([[numpy.nan, numpy.nan], [1.0, 2.0]])
IDX = numpy.array([2, 0, 3, 3])


@dataclass
class Case:
    label: str
    call: Callable
    inputs: tuple
    rtol: float = 1e-12                    # values, where NumPy's computation is not repeated bit for bit
    grad: bool = True                      # check the derivatives too
    fd_tol: float = 1e-6
    h: float = 1e-6                        # the finite-difference step (larger where NumPy computes in float32)
    extra: dict = field(default_factory=dict)


def c(label, call, *inputs, **options) -> Case:
    return Case(label, call, inputs, **options)


def by_name(name, *args, **kwargs) -> Callable:
    """``call(module, *inputs)`` = ``module.<name>(*inputs, *args, **kwargs)``."""
    return lambda np, *inputs: getattr(np, name)(*inputs, *args, **kwargs)


def of_list(name, *args, **kwargs) -> Callable:
    """``name`` of a list holding traced values, along axis 0."""
    return lambda np, x: getattr(np, name)([x, 2 * x + 1], *args, axis=0, **kwargs)


# --- the table -------------------------------------------------------------------------------

CASES: list[Case] = []

# Elementwise functions of one argument: matrix, 0-d, float32, complex where NumPy allows.
UNARY = {
    "negative": (R, True), "positive": (R, True), "reciprocal": (P, True), "square": (R, True),
    "sqrt": (P, True), "cbrt": (P, False), "exp": (R, True), "exp2": (R, True), "expm1": (R, True),
    "log": (P, True), "log2": (P, True), "log10": (P, True), "log1p": (P, True), "sin": (R, True),
    "cos": (R, True), "tan": (R, True), "arcsin": (None, True), "arccos": (None, True),
    "arctan": (R, True), "sinh": (R, True), "cosh": (R, True), "tanh": (R, True), "arcsinh": (R, True),
    "arccosh": ("big", True), "arctanh": (None, True), "abs": (R, True), "absolute": (R, True),
    "fabs": (R, False), "sinc": (R, True), "deg2rad": (R, False), "rad2deg": (R, False),
    "degrees": (R, False), "radians": (R, False), "real": (R, True), "imag": (R, True),
    "conj": (R, True), "conjugate": (R, True), "angle": (R, True), "asin": (None, True),
    "acos": (None, True), "atan": (R, False), "asinh": (R, False), "acosh": ("big", False),
    "atanh": (None, False), "i0": (R, False), "nan_to_num": (R, True), "real_if_close": (R, True),
}


def _domain(kind, *shape, dtype=numpy.float64):
    if kind is None:
        return (0.8 * (2 * rng.random(shape) - 1)).astype(dtype) if shape else dtype(0.8 * (2 * rng.random() - 1))
    if kind == "big":
        return P(*shape, dtype=dtype) + 1 if shape else dtype(1.5 + rng.random())
    return kind(*shape, dtype=dtype) if shape else kind(dtype=dtype)


for _name, (_kind, _complex) in UNARY.items():
    _f = by_name(_name)
    CASES += [c(f"{_name}/matrix", _f, _domain(_kind, 3, 4)),
              c(f"{_name}/0d", _f, _domain(_kind)),
              c(f"{_name}/0d_array", _f, numpy.asarray(_domain(_kind))),
              c(f"{_name}/float32", _f, _domain(_kind, 5, dtype=numpy.float32), rtol=1e-6, fd_tol=2e-3)]
    if _complex and _name not in ("nan_to_num",):
        CASES.append(c(f"{_name}/complex", _f, 0.5 * Z(2, 3) + (1.5 if _kind in (P, "big") else 0)))


# Elementwise functions of two arguments: broadcasting, a Python or 0-d operand, float32, complex.
BINARY = {
    "add": (R, R), "subtract": (R, R), "multiply": (R, R), "divide": (R, P), "true_divide": (R, P),
    "power": (P, R), "float_power": (P, R), "pow": (P, R), "arctan2": (R, R), "atan2": (R, R),
    "hypot": (R, R), "logaddexp": (R, R), "logaddexp2": (R, R), "maximum": (R, R), "minimum": (R, R),
    "fmax": (R, R), "fmin": (R, R), "mod": (R, P), "remainder": (R, P), "fmod": (R, P),
    "copysign": (R, R), "heaviside": (R, R),
}
COMPLEX_BINARY = {"add", "subtract", "multiply", "divide", "true_divide", "power", "float_power", "pow"}
for _name, (_a, _b) in BINARY.items():
    _f = by_name(_name)
    CASES += [c(f"{_name}/same", _f, _a(3, 4), _b(3, 4)),
              c(f"{_name}/broadcast", _f, _a(3, 1), _b(4)),
              c(f"{_name}/0d_left", _f, _a(), _b(2, 3)),
              c(f"{_name}/0d_both", _f, numpy.asarray(_a()), _b()),
              c(f"{_name}/python_scalar", by_name(_name, 0.75), _a(3, 4)),
              c(f"{_name}/float32", _f, _a(5, dtype=numpy.float32), _b(5, dtype=numpy.float32), rtol=1e-6, fd_tol=2e-3),
              c(f"{_name}/float32_python", by_name(_name, 1.25),
                _a(5, dtype=numpy.float32), rtol=1e-6, fd_tol=2e-3),
              c(f"{_name}/float32_float64", _f, _a(5, dtype=numpy.float32), _b(5), rtol=1e-6, fd_tol=2e-3),
              c(f"{_name}/int_operand", by_name(_name, numpy.array([1, 2, 3, 2])),
                _a(3, 4))]
    if _name in COMPLEX_BINARY:
        CASES += [c(f"{_name}/complex", _f, Z(3, 4) + 2, Z(4)), c(f"{_name}/complex_real", _f, Z(3, 4) + 2, _b(4))]
CASES += [
    c("power/int_exponent", lambda np, x: np.power(x, 3), R(3, 4)),
    c("power/negative_int_exponent", lambda np, x: np.power(x, -2), P(3, 4)),
    c("power/half", lambda np, x: x ** 0.5, P(3, 4)),
    c("power/rpow", lambda np, x: 2.0 ** x, R(3, 4)),
    c("ldexp", lambda np, x: np.ldexp(x, numpy.array([1, -2, 3, 0])), R(3, 4)),
    c("frexp", lambda np, x: np.frexp(x), R(3, 4)),
    c("modf", lambda np, x: np.modf(x), R(3, 4) * 3),
    c("divmod", lambda np, x, y: np.divmod(x, y), R(3, 4) * 3, P(4)),
    c("floor_divide", lambda np, x, y: np.floor_divide(x, y), R(3, 4) * 3, P(4)),
    c("clip/scalars", lambda np, x: np.clip(x, -0.5, 0.5), R(3, 4)),
    c("clip/arrays", lambda np, x, lo, hi: np.clip(x, lo, hi), R(3, 4), R(4) - 1, R(3, 1) + 1),
    c("clip/none_min", lambda np, x: np.clip(x, None, 0.3), R(3, 4)),
    c("clip/none_max", lambda np, x: np.clip(x, -0.3, None), R(3, 4)),
    c("clip/float32", lambda np, x: np.clip(x, -0.5, 0.5), F32, rtol=1e-6, fd_tol=2e-3),
    c("clip/keywords", lambda np, x: np.clip(x, min=-0.5, max=0.5), R(3, 4)),
    c("where/3", lambda np, x, y: np.where(MASK, x, y), R(3, 4), R(4)),
    c("where/scalar", lambda np, x: np.where(MASK, x, 0.0), R(3, 4)),
    c("where/float32_int", lambda np, x: np.where(MASK, x, 2), F32, rtol=1e-6, fd_tol=2e-3),
    c("where/complex", lambda np, x, y: np.where(MASK, x, y), ZM, R(3, 4)),
    c("nan_to_num/nans", lambda np, x: np.nan_to_num(x, nan=0.5, posinf=3.0, neginf=-3.0),
      numpy.array([1.0, numpy.nan, numpy.inf, -numpy.inf, -0.3])),
    c("nan_to_num/copy_false", lambda np, x: np.nan_to_num(x, copy=False), R(4)),
    c("real_if_close/nearly_real", lambda np, x: np.real_if_close(x), R(4) + 1e-16j, grad=False),
    c("real_if_close/complex_far", lambda np, x: np.real_if_close(x), ZV),
    c("sign", lambda np, x: np.sign(x), R(3, 4)),
    c("floor", lambda np, x: np.floor(x * 3), R(3, 4)),
    c("round/decimals", lambda np, x: np.round(x, 2), R(3, 4)),
    c("around", lambda np, x: np.around(x, 1), R(3, 4)),
    c("rint", lambda np, x: np.rint(x), R(3, 4)),
    c("trunc", lambda np, x: np.trunc(x), R(3, 4)),
    c("spacing", lambda np, x: np.spacing(x), R(3, 4)),
    c("signbit", lambda np, x: np.signbit(x), R(3, 4)),
    c("isclose", lambda np, x: np.isclose(x, x + 1e-9), R(3, 4)),
    c("abs/complex_0d", lambda np, x: np.abs(x), numpy.complex128(1 - 2j)),
    c("sqrt/negative_complex", lambda np, x: np.sqrt(x), numpy.array([-2.0 + 0.5j, 3 - 1j])),
    c("unwrap", lambda np, x: np.unwrap(x), numpy.cumsum(P(8)) * 2),
    c("unwrap/period", lambda np, x: np.unwrap(x, period=4.0, axis=-1, discont=3.0),
      numpy.cumsum(P(2, 8), axis=1) * 1.5),
]


# Reductions: every axis form, keepdims, where=, initial=, dtype=, ddof/correction, 0-d, empty.
AXES = {"all": None, "0": 0, "neg": -1, "tuple": (0, 2), "negtuple": (-1, -3), "empty_tuple": ()}
REDUCE = ["sum", "mean", "prod", "max", "min", "amax", "amin", "var", "std", "ptp", "nansum", "nanmean",
          "nanprod", "nanmax", "nanmin", "nanvar", "nanstd", "median", "nanmedian", "average"]
for _name in REDUCE:
    for _label, _axis in AXES.items():
        _f = by_name(_name, axis=_axis)
        CASES.append(c(f"{_name}/axis_{_label}", _f, R(2, 3, 4)))
        if _name != "average":
            _k = by_name(_name, axis=_axis, keepdims=True)
            CASES.append(c(f"{_name}/axis_{_label}_keepdims", _k, R(2, 3, 4)))
    _f = by_name(_name)
    CASES += [c(f"{_name}/0d", _f, R()), c(f"{_name}/0d_array", _f, numpy.asarray(R())),
              c(f"{_name}/size1", _f, R(1)),
              c(f"{_name}/float32", _f, P(3, 4, dtype=numpy.float32), rtol=1e-6, fd_tol=2e-3),
              c(f"{_name}/float32_axis", by_name(_name, axis=1),
                P(3, 4, dtype=numpy.float32), rtol=1e-6, fd_tol=2e-3),
              c(f"{_name}/list", of_list(_name), R(3))]
    if _name.startswith("nan"):
        CASES += [c(f"{_name}/nans", _f, MN),
                  c(f"{_name}/nans_axis", by_name(_name, axis=1), MN),
                  c(f"{_name}/nans_axis0_keepdims",
                    by_name(_name, axis=0, keepdims=True), MN)]
    if _name not in ("max", "min", "amax", "amin", "ptp", "nanmax", "nanmin", "median", "nanmedian", "average"):
        CASES += [c(f"{_name}/complex", _f, ZM), c(f"{_name}/complex_axis",
                    by_name(_name, axis=-1), ZM)]
    if _name in ("sum", "mean", "prod", "nansum", "nanprod", "nanmean", "var", "std", "nanvar", "nanstd", "max",
                 "min", "amax", "amin", "nanmax", "nanmin", "ptp", "median", "nanmedian"):
        CASES.append(c(f"{_name}/empty_axis0", by_name(_name, axis=1),
                       numpy.zeros((3, 0)), grad=False)) if _name not in ("max", "min", "amax", "amin", "nanmax",
                                                                              "nanmin", "ptp") else None
    if _name in ("sum", "mean", "prod", "nansum", "nanprod", "nanmean", "var", "std", "nanvar", "nanstd"):
        CASES += [c(f"{_name}/empty_all", _f, numpy.zeros((0, 3)), grad=False),
                  c(f"{_name}/empty_axis", by_name(_name, axis=0),
                    numpy.zeros((0, 3)), grad=False)]
CASES += [
    c("sum/where", lambda np, x: np.sum(x, axis=1, where=MASK), M),
    c("sum/initial", lambda np, x: np.sum(x, axis=0, initial=1.5), M),
    c("sum/dtype32", lambda np, x: np.sum(x, dtype=numpy.float32), M, rtol=1e-6, fd_tol=1e-3, h=1e-2),
    c("sum/float32_dtype64", lambda np, x: np.sum(x, axis=0, dtype=numpy.float64), F32),
    c("sum/int_dtype_float", lambda np, x: np.sum(x > 0, dtype=float) + np.sum(x), M),
    c("sum/bool", lambda np, x: np.sum(x > 0, axis=0) * x, M),
    c("sum/out_none", lambda np, x: np.sum(x, axis=0, out=None), M),
    c("mean/where_tuple", lambda np, x: np.mean(x, axis=(0, 2), where=TMASK, keepdims=True), T),
    c("mean/dtype32", lambda np, x: np.mean(x, axis=1, dtype=numpy.float32), M, rtol=1e-6, fd_tol=1e-3, h=1e-2),
    c("mean/float32_dtype64", lambda np, x: np.mean(x, dtype=numpy.float64), F32),
    c("mean/int_input", lambda np, x: np.mean(numpy.arange(12).reshape(3, 4), axis=0) * x, R(4)),
    c("prod/where", lambda np, x: np.prod(x, axis=1, where=MASK), M),
    c("prod/initial", lambda np, x: np.prod(x, axis=(0, 1), initial=-2.0), M),
    c("prod/dtype32", lambda np, x: np.prod(x, dtype=numpy.float32), P(3, 4), rtol=1e-6, fd_tol=1e-3, h=1e-2),
    c("max/initial_below", lambda np, x: np.max(x, axis=1, initial=-5.0), M),
    c("max/initial_wins", lambda np, x: np.max(x, axis=1, initial=0.0), M - 0.8),
    c("max/where", lambda np, x: np.max(x, axis=0, where=MASK, initial=-9.0), M),
    c("min/where", lambda np, x: np.min(x, axis=1, where=MASK, initial=9.0, keepdims=True), M),
    c("max/method", lambda np, x: x.max(axis=-1, keepdims=True), T),
    c("var/ddof", lambda np, x: np.var(x, axis=1, ddof=1), M),
    c("var/ddof_tuple", lambda np, x: np.var(x, axis=(0, 2), ddof=2, keepdims=True), T),
    c("var/correction", lambda np, x: np.var(x, correction=1.5), M),
    c("var/where", lambda np, x: np.var(x, axis=1, where=MASK), M),
    c("var/mean", lambda np, x, mu: np.var(x, axis=1, keepdims=True, mean=mu), M, R(3, 1)),
    c("var/dtype32", lambda np, x: np.var(x, axis=0, dtype=numpy.float32), M, rtol=1e-5, fd_tol=1e-3, h=1e-2),
    c("std/ddof", lambda np, x: np.std(x, axis=-1, ddof=1, keepdims=True), T),
    c("std/correction_where", lambda np, x: np.std(x, axis=1, correction=1, where=MASK), M),
    c("std/mean", lambda np, x, mu: np.std(x, axis=0, mean=mu, keepdims=True), M, R(1, 4)),
    c("std/float32_dtype64", lambda np, x: np.std(x, dtype=numpy.float64), F32),
    c("nanvar/ddof", lambda np, x: np.nanvar(x, axis=1, ddof=1), MN),
    c("nanstd/ddof_keepdims", lambda np, x: np.nanstd(x, axis=0, ddof=1, keepdims=True), MN),
    c("nanvar/correction", lambda np, x: np.nanvar(x, correction=1), MN),
    c("nanvar/where", lambda np, x: np.nanvar(x, axis=1, where=MASK), MN),
    c("nanmean/where", lambda np, x: np.nanmean(x, axis=1, where=MASK), MN),
    c("nanmean/dtype32", lambda np, x: np.nanmean(x, dtype=numpy.float32), MN, rtol=1e-6, fd_tol=1e-3, h=1e-2),
    c("nansum/where_initial", lambda np, x: np.nansum(x, axis=0, where=MASK, initial=1.0), MN),
    c("nansum/dtype32", lambda np, x: np.nansum(x, axis=1, dtype=numpy.float32), MN, rtol=1e-6, fd_tol=1e-3, h=1e-2),
    c("nanprod/where", lambda np, x: np.nanprod(x, axis=1, where=MASK), MN),
    c("nanmax/where", lambda np, x: np.nanmax(x, axis=1, where=MASK, initial=-9.0), MN),
    c("nanmin/initial", lambda np, x: np.nanmin(x, initial=-0.1), MN),
    c("nanmax/all_nan_row", by_name("nanmax", axis=1), NAN_ROW, grad=False),
    c("nanmean/all_nan_row", by_name("nanmean", axis=1), NAN_ROW, grad=False),
    c("nanstd/all_nan_row", by_name("nanstd", axis=1), NAN_ROW, grad=False),
    c("nanmedian/all_nan_row", by_name("nanmedian", axis=1), NAN_ROW, grad=False),
    c("ptp/keepdims", lambda np, x: np.ptp(x, axis=(0, 1), keepdims=True), T),
    c("median/even", lambda np, x: np.median(x, axis=1), R(3, 6)),
    c("median/nan", lambda np, x: np.median(x, axis=1), MN, grad=False),
    c("sum/nan", lambda np, x: np.sum(x, axis=1), MN, grad=False),
    c("max/nan", lambda np, x: np.max(x, axis=1), MN, grad=False),
    c("mean/inf", lambda np, x: np.mean(x), numpy.array([1.0, numpy.inf, 2.0]), grad=False),
    c("average/weights", lambda np, x, w: np.average(x, axis=1, weights=w), M, P(4)),
    c("average/weights_full", lambda np, x, w: np.average(x, weights=w), M, P(3, 4)),
    c("average/weights_tuple", lambda np, x, w: np.average(x, axis=(0, 2), weights=w, keepdims=True), T, P(2, 4)),
    c("average/returned", lambda np, x, w: np.average(x, axis=0, weights=w, returned=True), M, P(3)),
    c("average/returned_noweights", lambda np, x: np.average(x, axis=1, returned=True), M),
    c("average/keepdims", lambda np, x: np.average(x, axis=-1, keepdims=True), T),
    c("average/float32_weights", lambda np, x, w: np.average(x, axis=0, weights=w), F32, P(3, dtype=numpy.float32),
      rtol=1e-6, fd_tol=2e-3),
    c("average/int_weights", lambda np, x: np.average(x, axis=0, weights=numpy.array([1, 2, 3])), M),
    c("average/complex", lambda np, x, w: np.average(x, axis=0, weights=w), ZM, P(3)),
    c("cumsum/none", lambda np, x: np.cumsum(x), M), c("cumsum/axis", lambda np, x: np.cumsum(x, axis=-2), T),
    c("cumsum/dtype32", lambda np, x: np.cumsum(x, axis=1, dtype=numpy.float32), M, rtol=1e-6, fd_tol=1e-3, h=1e-2),
    c("cumsum/float32", lambda np, x: np.cumsum(x, axis=0), F32, rtol=1e-6, fd_tol=2e-3),
    c("cumsum/complex", lambda np, x: np.cumsum(x, axis=1), ZM),
    c("cumsum/0d", lambda np, x: np.cumsum(x), R()), c("cumsum/empty", lambda np, x: np.cumsum(x, axis=0), E),
    c("cumprod/none", lambda np, x: np.cumprod(x), P(3, 4)), c("cumprod/axis", lambda np, x: np.cumprod(x, axis=0), M),
    c("cumprod/complex", lambda np, x: np.cumprod(x, axis=-1), ZM), c("cumprod/0d", lambda np, x: np.cumprod(x), R()),
    c("cumprod/float32", lambda np, x: np.cumprod(x, axis=1), F32, rtol=1e-6, fd_tol=2e-3),
    c("cumulative_sum/include_initial", lambda np, x: np.cumulative_sum(x, axis=1, include_initial=True), M),
    c("cumulative_sum/1d", lambda np, x: np.cumulative_sum(x), V),
    c("cumulative_sum/dtype32", lambda np, x: np.cumulative_sum(x, axis=0, dtype=numpy.float32), M,
      rtol=1e-6, fd_tol=1e-3, h=1e-2),
    c("cumulative_prod/include_initial", lambda np, x: np.cumulative_prod(x, axis=0, include_initial=True), M),
    c("cumulative_prod/1d", lambda np, x: np.cumulative_prod(x), V),
    c("nancumsum", lambda np, x: np.nancumsum(x, axis=1), MN), c("nancumsum/none", lambda np, x: np.nancumsum(x), MN),
    c("nancumprod", lambda np, x: np.nancumprod(x, axis=0), MN),
    c("nancumprod/none", lambda np, x: np.nancumprod(x), MN),
    c("count_nonzero", lambda np, x: np.count_nonzero(x > 0, axis=1), M),
]


# Quantiles: every method, q scalar/array/traced, axes, keepdims, weights, NaNs, empty slices.
METHODS = ["linear", "lower", "higher", "nearest", "midpoint", "inverted_cdf", "averaged_inverted_cdf",
           "closest_observation", "interpolated_inverted_cdf", "hazen", "weibull", "median_unbiased",
           "normal_unbiased"]
Q3, Q22 = numpy.array([0.1, 0.62, 0.9]), numpy.array([[0.2, 0.5], [0.7, 0.99]])
W4 = numpy.array([1.0, 2.0, 0.5, 1.5])
for _name, _scale in (("quantile", 1.0), ("percentile", 100.0), ("nanquantile", 1.0), ("nanpercentile", 100.0)):
    _data = MN if _name.startswith("nan") else M
    for _method in METHODS:
        CASES += [c(f"{_name}/{_method}", by_name(_name, 0.37 * _scale, method=_method), _data),
                  c(f"{_name}/{_method}_axis_qarray",
                    by_name(_name, Q3 * _scale, axis=1, method=_method, keepdims=True), _data)]
    CASES += [
        c(f"{_name}/traced_q", by_name(_name, axis=0), _data, numpy.array([0.21, 0.73]) * _scale),
        c(f"{_name}/traced_q_0d", by_name(_name, axis=(0, 1)), _data, numpy.float64(0.43 * _scale)),
        c(f"{_name}/neg_axis", by_name(_name, 0.6 * _scale, axis=-2), T),
        c(f"{_name}/axis_tuple", by_name(_name, 0.6 * _scale, axis=(0, 2), keepdims=True), T),
        c(f"{_name}/float32", by_name(_name, 0.3 * _scale, axis=1), F32, rtol=1e-6, fd_tol=2e-3),
        c(f"{_name}/q2d", by_name(_name, Q22 * _scale, axis=0), M),
        c(f"{_name}/weights_full", by_name(_name, Q3 * _scale, method="inverted_cdf", weights=PM), _data),
        c(f"{_name}/0d", by_name(_name, 0.5 * _scale), R()),
        c(f"{_name}/list", of_list(_name, 0.5 * _scale), R(3)),
    ]
    if _name.startswith("nan"):  # (NumPy's quantile of an empty slice raises an IndexError)
        CASES.append(c(f"{_name}/empty", by_name(_name, 0.5 * _scale, axis=1), numpy.zeros((3, 0)), grad=False))
    else:  # (NumPy's nanquantile raises an IndexError for 1-d weights)
        CASES.append(c(f"{_name}/weights", by_name(_name, 0.45 * _scale, axis=1, method="inverted_cdf", weights=W4), M))
CASES += [
    c("quantile/all_nan_column", lambda np, x: np.nanquantile(x, 0.3, axis=0),
      numpy.array([[numpy.nan, 1.0], [numpy.nan, 2.0]]), grad=False),
    c("median/empty_all", lambda np, x: np.median(x), numpy.zeros((0,)), grad=False),
    c("nanquantile/empty_all", lambda np, x: np.nanquantile(x, [0.2, 0.4]), numpy.zeros((0,)), grad=False),
    c("median/no_slices", lambda np, x: np.median(x, axis=1), numpy.zeros((0, 3))),
    c("quantile/no_slices", lambda np, x: np.quantile(x, [0.3, 0.6], axis=1), numpy.zeros((0, 3))),
    c("nanmedian/no_slices", lambda np, x: np.nanmedian(x, axis=1), numpy.zeros((0, 3))),
    c("average/no_slices", lambda np, x, w: np.average(x, axis=1, weights=w), numpy.zeros((0, 3)), P(3)),
    c("nanmedian/empty_all", lambda np, x: np.nanmedian(x), numpy.zeros((0, 2)), grad=False),
    c("average/axes_reordered", lambda np, x, w: np.average(x, axis=(2, 0), weights=w), T, P(4, 2)),
    c("average/axes_reordered_returned", lambda np, x, w: np.average(x, axis=(-1, 0), weights=w, returned=True,
                                                                     keepdims=True), T, P(4, 2)),
    c("average/returned_float32", lambda np, x: np.average(x, axis=1, returned=True), F32, rtol=1e-6, fd_tol=2e-3),
    c("average/returned_complex", lambda np, x: np.average(x, returned=True), ZM),
    c("average/int_data", lambda np, w: np.average(numpy.arange(12.0).reshape(3, 4) ** 2, axis=1, weights=w), P(4)),
]


# Shapes, joins, splits, selection.
CASES += [
    c("reshape", lambda np, x: np.reshape(x, (4, -1)), M),
    c("reshape/F", lambda np, x: np.reshape(x, (2, 6), order="F"), M),
    c("reshape/method", lambda np, x: x.reshape(2, 2, 3), M), c("reshape/0d", lambda np, x: np.reshape(x, (1, 1)), R()),
    c("ravel", lambda np, x: np.ravel(x), T), c("ravel/F", lambda np, x: np.ravel(x, order="F"), M),
    c("transpose", lambda np, x: np.transpose(x), T), c("transpose/axes", lambda np, x: np.transpose(x, (1, -1, 0)), T),
    c("permute_dims", lambda np, x: np.permute_dims(x, (2, 0, 1)), T),
    c("matrix_transpose", lambda np, x: np.matrix_transpose(x), T), c("T", lambda np, x: x.T, M),
    c("mT", lambda np, x: x.mT, T),
    c("swapaxes", lambda np, x: np.swapaxes(x, 0, -1), T),
    c("moveaxis", lambda np, x: np.moveaxis(x, (0, 1), (-1, 0)), T),
    c("rollaxis", lambda np, x: np.rollaxis(x, 2, 1), T), c("expand_dims", lambda np, x: np.expand_dims(x, (0, -1)), M),
    c("squeeze", lambda np, x: np.squeeze(x, axis=(0, 2)), R(1, 3, 1)),
    c("squeeze/all", lambda np, x: np.squeeze(x), R(1, 3, 1)),
    c("broadcast_to", lambda np, x: np.broadcast_to(x, (2, 3, 4)), R(3, 1)),
    c("broadcast_arrays", lambda np, x, y: np.broadcast_arrays(x, y), R(3, 1), R(4)),
    c("atleast_1d", lambda np, x: np.atleast_1d(x), R()), c("atleast_2d", lambda np, x: np.atleast_2d(x), V),
    c("atleast_3d", lambda np, x: np.atleast_3d(x), M), c("atleast_3d/1d", lambda np, x: np.atleast_3d(x), V),
    c("flip", lambda np, x: np.flip(x, axis=(0, 2)), T), c("flip/none", lambda np, x: np.flip(x), T),
    c("fliplr", lambda np, x: np.fliplr(x), M), c("flipud", lambda np, x: np.flipud(x), M),
    c("rot90", lambda np, x: np.rot90(x), M), c("rot90/k3", lambda np, x: np.rot90(x, 3, axes=(1, 2)), T),
    c("rot90/k-1", lambda np, x: np.rot90(x, -1), M),
    c("roll", lambda np, x: np.roll(x, -2), M), c("roll/axes", lambda np, x: np.roll(x, (1, 5), axis=(0, -1)), T),
    c("tile", lambda np, x: np.tile(x, 2), M), c("tile/more", lambda np, x: np.tile(x, (2, 1, 3)), M),
    c("repeat", lambda np, x: np.repeat(x, 2), M), c("repeat/array", lambda np, x: np.repeat(x, [1, 0, 2], axis=0), M),
    c("repeat/neg", lambda np, x: np.repeat(x, 2, axis=-1), T),
    c("triu", lambda np, x: np.triu(x, 1), M), c("tril", lambda np, x: np.tril(x, -1), T),
    c("triu/1d", lambda np, x: np.triu(x), V),
    c("diag", lambda np, x: np.diag(x), M), c("diag/k", lambda np, x: np.diag(x, -1), M),
    c("diag/vector", lambda np, x: np.diag(x, 2), V),
    c("diagonal", lambda np, x: np.diagonal(x, 1, 0, 2), T), c("diagonal/neg", lambda np, x: np.diagonal(x, -1), M),
    c("diagflat", lambda np, x: np.diagflat(x, -1), M), c("trace", lambda np, x: np.trace(x, 1), M),
    c("trace/axes", lambda np, x: np.trace(x, 0, 2, 0), T),
    c("trace/dtype32", lambda np, x: np.trace(x, dtype=numpy.float32), M, rtol=1e-6, fd_tol=1e-3, h=1e-2),
    c("concatenate", lambda np, x, y: np.concatenate([x, y], axis=-1), M, R(3, 2)),
    c("concatenate/none", lambda np, x, y: np.concatenate((x, y), axis=None), M, V),
    c("concatenate/dtype", lambda np, x, y: np.concatenate([x, y], dtype=numpy.float32), M, M2,
      rtol=1e-6, fd_tol=1e-3, h=1e-2),
    c("concatenate/mixed", lambda np, x: np.concatenate([x, numpy.ones((1, 4), dtype=int)]), F32,
      rtol=1e-6, fd_tol=2e-3),
    c("concatenate/complex_real", lambda np, x, y: np.concatenate([x, y]), ZM, M),
    c("concat", lambda np, x, y: np.concat([x, y], axis=1), M, M2),
    c("stack", lambda np, x, y: np.stack([x, y], axis=-1), M, M2),
    c("stack/neg", lambda np, x, y: np.stack((x, y), -2), M, M2),
    c("stack/dtype", lambda np, x, y: np.stack([x, y], dtype=numpy.float32), M, M2, rtol=1e-6, fd_tol=1e-3, h=1e-2),
    c("hstack", lambda np, x, y: np.hstack([x, y]), V, R(3)),
    c("hstack/2d", lambda np, x, y: np.hstack([x, y]), M, R(3, 2)),
    c("vstack", lambda np, x, y: np.vstack([x, y]), R(4), M), c("row_stack", lambda np, x, y: np.vstack((x, y)), M, M2),
    c("dstack", lambda np, x, y: np.dstack([x, y]), M, M2), c("dstack/1d", lambda np, x, y: np.dstack([x, y]), V, V),
    c("column_stack", lambda np, x, y: np.column_stack([x, y]), R(3), M),
    c("block", lambda np, x, y: np.block([[x, y], [y, x]]), Q, Q2),
    c("block/1d", lambda np, x, y: np.block([x, 1.0, y]), V, R(2)),
    c("append", lambda np, x, y: np.append(x, y), M, V),
    c("append/axis", lambda np, x, y: np.append(x, y, axis=0), M, R(1, 4)),
    c("split", lambda np, x: np.split(x, 2, axis=1), M),
    c("split/indices", lambda np, x: np.split(x, [1, 3], axis=-1), M),
    c("array_split", lambda np, x: np.array_split(x, 3, axis=1), M), c("hsplit", lambda np, x: np.hsplit(x, 2), M),
    c("vsplit", lambda np, x: np.vsplit(x, [1]), M), c("dsplit", lambda np, x: np.dsplit(x, 2), T),
    c("unstack", lambda np, x: np.unstack(x, axis=1), M),
    c("insert", lambda np, x: np.insert(x, 1, 5.0, axis=1), M),
    c("insert/traced", lambda np, x, v: np.insert(x, [1, 3], v, axis=1), M, R(3, 2)),
    c("insert/flat", lambda np, x, v: np.insert(x, 2, v), M, R()),
    c("delete", lambda np, x: np.delete(x, [0, 2], axis=1), M), c("delete/flat", lambda np, x: np.delete(x, 3), M),
    c("delete/slice", lambda np, x: np.delete(x, slice(0, 4, 2), axis=-1), T),
    c("resize", lambda np, x: np.resize(x, (5, 3)), M), c("resize/0d", lambda np, x: np.resize(x, 3), R()),
    c("trim_zeros", lambda np, x: np.trim_zeros(x), numpy.array([0.0, 0.0, 1.5, -2.0, 0.0]), grad=False),
    c("trim_zeros/b", lambda np, x: np.trim_zeros(x, "b"), numpy.array([0.0, 0.0, 1.5, -2.0, 0.0]), grad=False),
    c("extract", lambda np, x: np.extract(MASK, x), M),
    c("compress", lambda np, x: np.compress([True, False, True], x, axis=0), M),
    c("compress/none", lambda np, x: np.compress([0, 1, 1, 0, 1], x), M),
    c("choose", lambda np, x, y: np.choose(MASK.astype(int), [x, y]), M, M2),
    c("choose/clip", lambda np, x, y: np.choose(numpy.array([0, 3, 1, -1]), [x, y], mode="clip"), V[:4], R(4)),
    c("select", lambda np, x, y: np.select([x > 0.5, x < -0.5], [x, y], default=1.0), M, M2),
    c("piecewise", lambda np, x: np.piecewise(x, [x < 0, x >= 0], [lambda v: -v ** 3, lambda v: v * 2.0]), M),
    c("piecewise/const", lambda np, x: np.piecewise(x, [x < 0], [0.5, lambda v: v * v]), M),
    c("take", lambda np, x: np.take(x, IDX, axis=1), M), c("take/flat", lambda np, x: np.take(x, [[0, 5], [11, 5]]), M),
    c("take/clip", lambda np, x: np.take(x, [0, 7, -9], mode="clip"), V),
    c("take/wrap", lambda np, x: np.take(x, [0, 7, -9], mode="wrap"), V),
    c("take_along_axis", lambda np, x: np.take_along_axis(x, numpy.argsort(M, axis=1), axis=1), M),
    c("take_along_axis/none", lambda np, x: np.take_along_axis(x, numpy.array([3, 0, 11]), axis=None), M),
    c("getitem/basic", lambda np, x: x[1:, ::-2], M), c("getitem/advanced", lambda np, x: x[[0, 2, 2], 1:], M),
    c("getitem/bool", lambda np, x: x[MASK], M), c("getitem/ellipsis", lambda np, x: x[..., None, 1], T),
    c("getitem/mixed", lambda np, x: x[:, [0, 2], [1, 3]], T), c("getitem/0d", lambda np, x: x[()], R()),
    c("sort", lambda np, x: np.sort(x), M), c("sort/axis0", lambda np, x: np.sort(x, axis=0, kind="stable"), M),
    c("sort/none", lambda np, x: np.sort(x, axis=None), M),
    c("sort/complex", lambda np, x: np.sort(x), ZV), c("sort_complex", lambda np, x: np.sort_complex(x), ZV),
    c("sort_complex/real", lambda np, x: np.sort_complex(x), V),
    c("partition", lambda np, x: np.partition(x, 2, axis=1), M),
    c("partition/list", lambda np, x: np.partition(x, [0, 3]), V6),
    c("partition/none", lambda np, x: np.partition(x, 5, axis=None), M),
    c("copy", lambda np, x: np.copy(x), M),
    c("array", lambda np, x: np.array(x, dtype=numpy.float32), M, rtol=1e-6, fd_tol=1e-3, h=1e-2),
    c("array/list", lambda np, x, y: np.array([x, y, 1.0]), R(), R()),
    c("array/ndmin", lambda np, x: np.array(x, ndmin=3), V),
    c("array/ndmin_list", lambda np, x, y: np.array([x, y], ndmin=3), R(), R()),
    c("array/ndmin_nested", lambda np, x, y: np.array([[x, 1.0], [2.0, y]], ndmin=4, dtype=numpy.float32), R(), R(),
      rtol=1e-6, fd_tol=1e-3, h=1e-2),
    c("array/ndmin_enough", lambda np, x: np.array(x, ndmin=1), M),
    c("astype", lambda np, x: x.astype(numpy.float32), M, rtol=1e-6, fd_tol=1e-3, h=1e-2),
    c("astype/complex", lambda np, x: np.astype(x, numpy.complex128), M),
    c("astype/int", lambda np, x: x.astype(int) * x, M * 3),
    c("real/method", lambda np, x: x.real + x.imag, ZM), c("conj/method", lambda np, x: x.conj(), ZM),
    c("full", lambda np, x: np.full((2, 3), x), R()), c("full_like", lambda np, x: np.full_like(M, x), R()),
    c("full_like/int", lambda np, x: np.full_like(IDX, x, dtype=float), R()),
    c("linspace", lambda np, a, b: np.linspace(a, b, 5), R(), R()),
    c("linspace/arrays", lambda np, a, b: np.linspace(a, b, 4, endpoint=False, axis=-1), R(3), R(3)),
    c("linspace/retstep", lambda np, a, b: np.linspace(a, b, 6, retstep=True), R(), R()),
    c("logspace", lambda np, a, b: np.logspace(a, b, 4, base=3.0), R(), R()),
    c("geomspace", lambda np: np.geomspace(1.0, 8.0, 4)),
    c("meshgrid", lambda np, x, y: np.meshgrid(x, y), V, R(3)),
    c("meshgrid/ij", lambda np, x, y, z: np.meshgrid(x, y, z, indexing="ij", sparse=True), R(2), R(3), R(4)),
    c("pad/constant", lambda np, x: np.pad(x, ((1, 2), (0, 3)), constant_values=((0.5, 1.5), (2.5, 3.5))), M),
    c("pad/traced_constant", lambda np, x, v: np.pad(x, 1, constant_values=v), M, R()),
]
for _mode in ["edge", "reflect", "symmetric", "wrap", "mean", "maximum", "minimum", "median", "linear_ramp", "empty"]:
    if _mode == "empty":
        continue
    CASES += [c(f"pad/{_mode}", by_name("pad", ((1, 2), (2, 1)), mode=_mode), M),
              c(f"pad/{_mode}_wide", by_name("pad", 5, mode=_mode), V),
              c(f"pad/{_mode}_1axis", by_name("pad", ((0, 0), (1, 0), (2, 2)), mode=_mode), T)]
CASES += [
    c("pad/reflect_odd", lambda np, x: np.pad(x, 2, mode="reflect", reflect_type="odd"), V),
    c("pad/symmetric_odd", lambda np, x: np.pad(x, (1, 3), mode="symmetric", reflect_type="odd"), V),
    c("pad/stat_length", lambda np, x: np.pad(x, 2, mode="mean", stat_length=2), V6),
    c("pad/stat_length_pairs", lambda np, x: np.pad(x, ((1, 1), (2, 0)), mode="maximum",
                                                    stat_length=((1, 2), (3, 1))), M),
    c("pad/end_values", lambda np, x: np.pad(x, 3, mode="linear_ramp", end_values=(1.5, -2.0)), V),
    c("pad/complex", lambda np, x: np.pad(x, 1, mode="reflect"), ZM),
    c("pad/float32", lambda np, x: np.pad(x, 1, mode="mean"), F32, rtol=1e-6, fd_tol=2e-3),
    c("pad/function", lambda np, x: np.pad(x, 1, mode="median"), P(3, 5)),
    c("pad/dict", lambda np, x: np.pad(x, {1: (1, 2)}, mode="edge"), M),
]


# Products.
CASES += [
    c("dot", lambda np, a, b: np.dot(a, b), M, R(4, 2)), c("dot/vec", lambda np, a, b: np.dot(a, b), V, V),
    c("dot/nd", lambda np, a, b: np.dot(a, b), T, R(4, 2)), c("dot/scalar", lambda np, a, b: np.dot(a, b), R(), M),
    c("dot/complex", lambda np, a, b: np.dot(a, b), ZM, R(4)), c("dot/float32", lambda np, a, b: np.dot(a, b), F32,
                                                                   R(4, dtype=numpy.float32), rtol=1e-6, fd_tol=2e-3),
    c("matmul", lambda np, a, b: np.matmul(a, b), T, R(4, 2)), c("matmul/vec", lambda np, a, b: a @ b, V[:4], M.T),
    c("matmul/broadcast", lambda np, a, b: np.matmul(a, b), R(2, 1, 3, 4), R(3, 4, 2)),
    c("matmul/vecvec", lambda np, a, b: np.matmul(a, b), V, V), c("matmul/complex", lambda np, a, b: a @ b, ZQ, Q),
    c("matmul/rmatmul", lambda np, a: M.T @ a, M),
    c("tensordot", lambda np, a, b: np.tensordot(a, b, axes=([1, 2], [0, 1])), T, R(3, 4, 2)),
    c("tensordot/int", lambda np, a, b: np.tensordot(a, b, 1), T, R(4, 2)),
    c("tensordot/0", lambda np, a, b: np.tensordot(a, b, 0), V, R(2)),
    c("einsum", lambda np, a, b: np.einsum("ijk,kl->ijl", a, b), T, R(4, 2)),
    c("einsum/trace", lambda np, a: np.einsum("ii", a), Q), c("einsum/diag", lambda np, a: np.einsum("ii->i", a), Q),
    c("einsum/ellipsis", lambda np, a, b: np.einsum("...ij,...jk", a, b), T, R(2, 4, 3)),
    c("einsum/interleaved", lambda np, a, b: np.einsum(a, [0, 1], b, [1, 2], [0, 2]), M, R(4, 2)),
    c("einsum/three", lambda np, a, b, d: np.einsum("i,ij,j->", a, b, d), R(3), M, R(4)),
    c("einsum/optimize", lambda np, a, b, d: np.einsum("ij,jk,kl->il", a, b, d, optimize=True), M, R(4, 5), R(5, 2)),
    c("einsum/complex", lambda np, a, b: np.einsum("ij,j", a, b), ZM, R(4)),
    c("einsum/dtype", lambda np, a, b: np.einsum("ij,j", a, b, dtype=numpy.float32, casting="same_kind"), M, R(4),
      rtol=1e-6, fd_tol=1e-3, h=1e-2),
    c("inner", lambda np, a, b: np.inner(a, b), M, R(2, 4)), c("inner/vec", lambda np, a, b: np.inner(a, b), V, V),
    c("inner/complex", lambda np, a, b: np.inner(a, b), ZV, ZV),
    c("outer", lambda np, a, b: np.outer(a, b), V, M), c("outer/complex", lambda np, a, b: np.outer(a, b), ZV, R(3)),
    c("kron", lambda np, a, b: np.kron(a, b), Q, R(2, 2)), c("kron/vec", lambda np, a, b: np.kron(a, b), V, R(3)),
    c("kron/ndim", lambda np, a, b: np.kron(a, b), R(2), M),
    c("vdot", lambda np, a, b: np.vdot(a, b), M, M2), c("vdot/complex", lambda np, a, b: np.vdot(a, b), ZM, ZM),
    c("vecdot", lambda np, a, b: np.vecdot(a, b), M, R(4)),
    c("vecdot/complex", lambda np, a, b: np.vecdot(a, b, axis=0), ZM, ZM),
    c("matvec", lambda np, a, b: np.matvec(a, b), T, R(4)), c("vecmat", lambda np, a, b: np.vecmat(a, b), R(3), T),
    c("vecmat/complex", lambda np, a, b: np.vecmat(a, b), ZV[:3], ZM),
    c("cross", lambda np, a, b: np.cross(a, b), R(4, 3), R(3)),
    c("cross/axes", lambda np, a, b: np.cross(a, b, axisa=0, axisb=-1, axisc=0), R(3, 4), R(4, 3)),
    c("cross/axis", lambda np, a, b: np.cross(a, b, axis=0), R(3, 2), R(3, 2)),
    c("cross/complex", lambda np, a, b: np.cross(a, b), ZV[:3], R(3)),
]

# Signals, polynomials, statistics of several arrays, histograms.
CASES += [
    c("convolve", lambda np, a, v: np.convolve(a, v), V, R(3)),
    c("correlate", lambda np, a, v: np.correlate(a, v), V, R(3)),
    c("convolve/complex", lambda np, a, v: np.convolve(a, v, "same"), ZV, R(3)),
    c("correlate/complex", lambda np, a, v: np.correlate(a, v, "full"), ZV, ZV[:2]),
    c("convolve/scalar", lambda np, a, v: np.convolve(a, v), R(), V),
    c("interp", lambda np, x, xp, fp: np.interp(x, xp, fp), U := numpy.array([0.15, 1.7, 2.2, -1.0, 8.6]),
      numpy.array([0.0, 1.0, 2.5, 4.0]), R(4)),
    c("interp/left_right", lambda np, x, fp: np.interp(x, [0.0, 1.0, 2.5, 4.0], fp, left=-3.0, right=2.0), U, R(4)),
    c("interp/period", lambda np, x, fp: np.interp(x, [0.0, 1.0, 2.5], fp, period=3.0), U, R(3)),
    c("interp/complex", lambda np, x, fp: np.interp(x, [0.0, 1.0, 2.5, 4.0], fp), U, Z(4)),
    c("trapezoid", lambda np, y: np.trapezoid(y), M), c("trapezoid/x", lambda np, y, x: np.trapezoid(y, x, axis=0),
                                                          M, numpy.cumsum(P(3))),
    c("trapezoid/dx", lambda np, y: np.trapezoid(y, dx=0.3, axis=-2), T),
    c("trapezoid/x2d", lambda np, y, x: np.trapezoid(y, x), M, numpy.cumsum(P(3, 4), axis=1)),
    c("diff", lambda np, x: np.diff(x), M), c("diff/n2", lambda np, x: np.diff(x, n=2, axis=0), R(4, 3)),
    c("diff/prepend", lambda np, x: np.diff(x, prepend=0.5, append=numpy.ones((3, 1))), M),
    c("diff/n0", lambda np, x: np.diff(x, n=0), M),
    c("diff/traced_prepend", lambda np, x, p: np.diff(x, prepend=p), V, R()),
    c("ediff1d", lambda np, x: np.ediff1d(x), M),
    c("ediff1d/ends", lambda np, x: np.ediff1d(x, to_end=[1.0, 2.0], to_begin=-1.0), V),
    c("gradient", lambda np, x: np.gradient(x), V), c("gradient/2d", lambda np, x: np.gradient(x), M),
    c("gradient/spacing", lambda np, x: np.gradient(x, 0.5, axis=-1), M),
    c("gradient/coords", lambda np, x: np.gradient(x, numpy.array([0.0, 0.5, 1.7, 2.0, 3.5])), V),
    c("gradient/edge2", lambda np, x: np.gradient(x, edge_order=2, axis=(0, 1)), R(4, 5)),
    c("gradient/varargs", lambda np, x: np.gradient(x, 2.0, [0.0, 1.0, 1.5, 3.0]), M),
    c("cov", lambda np, m: np.cov(m), M), c("cov/rowvar", lambda np, m: np.cov(m, rowvar=False), R(5, 3)),
    c("cov/bias", lambda np, m: np.cov(m, bias=True), M), c("cov/ddof", lambda np, m: np.cov(m, ddof=2), M),
    c("cov/y", lambda np, m, y: np.cov(m, y), M, V[:4]),
    c("cov/fweights", lambda np, m: np.cov(m, fweights=numpy.array([1, 2, 1, 3])), M),
    c("cov/aweights", lambda np, m, w: np.cov(m, aweights=w), M, P(4)),
    c("cov/both", lambda np, m, w: np.cov(m, fweights=[2, 1, 1, 1], aweights=w, ddof=0), M, P(4)),
    c("cov/1d", lambda np, m: np.cov(m), V), c("cov/dtype", lambda np, m: np.cov(m, dtype=numpy.float32), M, rtol=1e-5,
                                                 fd_tol=1e-3, h=1e-2),
    c("cov/complex", lambda np, m: np.cov(m), ZM),
    c("corrcoef", lambda np, m: np.corrcoef(m), M),
    c("corrcoef/rowvar", lambda np, m: np.corrcoef(m, rowvar=False), R(5, 3)),
    c("corrcoef/y", lambda np, m, y: np.corrcoef(m, y), V, V6[:5]),
    c("corrcoef/complex", lambda np, m: np.corrcoef(m), ZM),
    c("histogram", lambda np, x: np.histogram(x, bins=4), V6),
    c("histogram/density", lambda np, x: np.histogram(x, bins=3, density=True), V6),
    c("histogram_bin_edges", lambda np, x: np.histogram_bin_edges(x, bins=5), V6),
    c("histogram2d", lambda np, x, y: np.histogram2d(x, y, bins=3, density=True), V6, R(6)),
    c("histogramdd", lambda np, x: np.histogramdd(x, bins=(2, 3)), R(6, 2)),
    c("bincount", lambda np: np.bincount(IDX, weights=numpy.ones(4))),
    c("digitize", lambda np, x: np.digitize(x, [-0.5, 0.0, 0.5]) * x, M),
    c("searchsorted", lambda np, x: np.searchsorted(numpy.sort(V), x, side="right") * x, M),
    c("i0", lambda np, x: np.i0(x), M), c("sinc/0", lambda np, x: np.sinc(x), numpy.array([0.0, 0.5, -1.5])),
    c("polyval", lambda np, p, x: np.polyval(p, x), R(4), M),
    c("polyval/complex", lambda np, p, x: np.polyval(p, x), ZV, R(3)),
    c("polyval/0d", lambda np, p, x: np.polyval(p, x), R(3), R()),
    c("polyfit", lambda np, x, y: np.polyfit(x, y, 2), numpy.linspace(0, 1, 6), V6),
    c("polyfit/2d", lambda np, y: np.polyfit(numpy.linspace(0, 1, 6), y, 1), R(6, 2)),
    c("polyfit/w", lambda np, y, w: np.polyfit(numpy.linspace(0, 1, 6), y, 2, w=w), V6, P(6)),
    c("polyfit/cov", lambda np, y: np.polyfit(numpy.linspace(0, 1, 6), y, 1, cov=True), V6),
    c("polyfit/cov_unscaled", lambda np, y: np.polyfit(numpy.linspace(0, 1, 6), y, 1, cov="unscaled"), V6),
    c("polyfit/full", lambda np, y: np.polyfit(numpy.linspace(0, 1, 6), y, 2, full=True)[:2], V6),
    c("roots", lambda np, p: np.roots(p), numpy.array([1.0, -6.0, 11.0, -6.0]) + 0.01 * R(4)),
    c("roots/complex", lambda np, p: np.roots(p), numpy.array([1.0, 0.3, 2.0])),
    c("roots/leading_zero", lambda np, p: np.roots(p), numpy.array([0.0, 1.0, -3.0, 2.0]), grad=False),
    c("poly", lambda np, z: np.poly(z), V), c("poly/matrix", lambda np, a: np.poly(a), Q),
    c("polyadd", lambda np, a, b: np.polyadd(a, b), R(3), V), c("polysub", lambda np, a, b: np.polysub(a, b), V, R(2)),
    c("polymul", lambda np, a, b: np.polymul(a, b), R(3), V),
    c("polydiv", lambda np, a, b: np.polydiv(a, b), V, numpy.array([2.0, 0.5, -1.0]) + 0.1 * R(3)),
    c("polyder", lambda np, p: np.polyder(p, 2), V), c("polyint", lambda np, p: np.polyint(p, 2, k=[1.0, 2.0]), V),
    c("polyint/traced_k", lambda np, p, k: np.polyint(p, 1, k=k), V, R()),
    c("vander", lambda np, x: np.vander(x), V), c("vander/N", lambda np, x: np.vander(x, 3, increasing=True), V),
    c("apply_along_axis", lambda np, x: np.apply_along_axis(lambda v: v[::-1] * v[0], 1, x), M),
    c("apply_over_axes", lambda np, x: np.apply_over_axes(np.sum, x, [0, 2]), T),
    c("vectorize", lambda np, x: np.vectorize(lambda v: v * v if v > 0 else -v)(x), M),
    c("add.outer", lambda np, a, b: np.add.outer(a, b), V, R(3)),
    c("multiply.reduce", lambda np, a: np.multiply.reduce(a, axis=1), M),
    c("maximum.accumulate", lambda np, a: np.maximum.accumulate(a, axis=0), M),
    c("add.reduceat", lambda np, a: np.add.reduceat(a, [0, 2, 3], axis=1), M),
    c("logaddexp.reduce", lambda np, a: np.logaddexp.reduce(a, axis=-1), T),
    c("add.reduce/keepdims", lambda np, a: np.add.reduce(a, axis=(0, 2), keepdims=True), T),
    c("add.reduce/initial", lambda np, a: np.add.reduce(a, axis=None, initial=1.0), M),
    c("add.accumulate/dtype", lambda np, a: np.add.accumulate(a, dtype=numpy.float32), V,
      rtol=1e-6, fd_tol=1e-3, h=1e-2),
    c("subtract.outer", lambda np, a, b: np.subtract.outer(a, b), M, V),
    c("divide.reduce", lambda np, a: np.divide.reduce(a, axis=0), P(3, 4)),
    c("hypot.reduce", lambda np, a: np.hypot.reduce(a, axis=1), M),
]
for _name in ["hamming", "hanning", "bartlett", "blackman"]:
    CASES.append(c(_name, by_name(_name, 7)))


# linalg: batches, keyword variants, complex; eigen- and singular vectors through phase-free forms.
A3, B3, SP3, ZA = R(3, 3) + 3 * numpy.eye(3), R(2, 3, 3) + 3 * numpy.eye(3), SPD(3), ZQ + 3 * numpy.eye(3)
HZ = ZQ @ ZQ.conj().T + 3 * numpy.eye(3)


def _vv(v):
    """The projectors v vᴴ of each column: free of the vectors' phases."""
    return v[..., :, None, :] * v.conj()[..., None, :, :]


def _eigh_phase_free(np, a):
    w, v = np.linalg.eigh(a)
    return w, _vv(v)


def _svd_phase_free(np, a, **options):
    u, s, vh = np.linalg.svd(a, **options)
    return _vv(u), s, _vv(vh.conj().swapaxes(-1, -2))


def _svd_product(np, a, **options):
    u, s, vh = np.linalg.svd(a, **options)
    return (u * s) @ vh


CASES += [
    c("inv", lambda np, a: np.linalg.inv(a), A3), c("inv/batch", lambda np, a: np.linalg.inv(a), B3),
    c("inv/complex", lambda np, a: np.linalg.inv(a), ZA),
    c("inv/float32", lambda np, a: np.linalg.inv(a), A3.astype(numpy.float32), rtol=1e-5, fd_tol=2e-3),
    c("solve", lambda np, a, b: np.linalg.solve(a, b), A3, R(3)),
    c("solve/matrix", lambda np, a, b: np.linalg.solve(a, b), A3, R(3, 2)),
    c("solve/batch", lambda np, a, b: np.linalg.solve(a, b), B3, R(2, 3, 1)),
    c("solve/complex", lambda np, a, b: np.linalg.solve(a, b), ZA, R(3)),
    c("solve/complex_matrix", lambda np, a, b: np.linalg.solve(a, b), ZA, R(3, 2)),
    c("solve/real_complex", lambda np, a, b: np.linalg.solve(a, b), A3, Z(2, 3, 2)),
    c("lstsq/complex_real", lambda np, a, b: np.linalg.lstsq(a, b)[0], Z(5, 3), R(5)),
    c("tensorsolve/complex", lambda np, a, b: np.linalg.tensorsolve(a, b), ZA, R(3)),
    c("det", lambda np, a: np.linalg.det(a), A3), c("det/batch", lambda np, a: np.linalg.det(a), B3),
    c("det/complex", lambda np, a: np.linalg.det(a), ZA),
    c("slogdet", lambda np, a: np.linalg.slogdet(a), A3 - 6 * numpy.eye(3)),
    c("slogdet/batch", lambda np, a: np.linalg.slogdet(a), B3),
    c("slogdet/complex", lambda np, a: np.linalg.slogdet(a), ZA),
    c("cholesky", lambda np, a: np.linalg.cholesky(a + a.mT), SP3),
    c("cholesky/upper", lambda np, a: np.linalg.cholesky(a + a.mT, upper=True), SP3),
    c("cholesky/batch", lambda np, a: np.linalg.cholesky(a + a.mT), SPD(3, 2)),
    c("eigh", _eigh_phase_free, SP3),
    c("eigh/U", lambda np, a: np.linalg.eigh(a, UPLO="U")[0], SP3 + numpy.triu(R(3, 3), 1)),
    c("eigh/complex", _eigh_phase_free, HZ),
    c("eigvalsh", lambda np, a: np.linalg.eigvalsh(a), SP3),
    c("eigvalsh/U", lambda np, a: np.linalg.eigvalsh(a, "U"), SP3),
    c("eigvalsh/batch", lambda np, a: np.linalg.eigvalsh(a), SPD(3, 2)),
    c("eig/values", lambda np, a: np.sort_complex(np.linalg.eig(a)[0]), A3),
    c("eigvals", lambda np, a: np.sort_complex(np.linalg.eigvals(a)), A3),
    c("eigvals/complex", lambda np, a: np.sort_complex(np.linalg.eigvals(a)), ZA),
    c("svd/values", lambda np, a: np.linalg.svd(a, compute_uv=False), M),
    c("svd", lambda np, a: _svd_phase_free(np, a, full_matrices=False), M),
    c("svd/batch_values", lambda np, a: np.linalg.svd(a, compute_uv=False), T),
    c("svd/complex_values", lambda np, a: np.linalg.svd(a, compute_uv=False), ZM),
    c("svd/hermitian", lambda np, a: np.linalg.svd(a, compute_uv=False, hermitian=True), SP3),
    c("svd/product", lambda np, a: _svd_product(np, a, full_matrices=False), M),
    c("svd/full_product", _svd_product, Q),
    c("svdvals", lambda np, a: np.linalg.svdvals(a), M), c("svdvals/batch", lambda np, a: np.linalg.svdvals(a), T),
    c("svd/hermitian_product", lambda np, a: _svd_product(np, a, hermitian=True), SP3),
    c("svd/hermitian_vectors", lambda np, a: _svd_phase_free(np, a, hermitian=True), SP3 - 3 * numpy.eye(3)),
    c("svd/hermitian_nonsymmetric", lambda np, a: np.linalg.svd(a, compute_uv=False, hermitian=True), Q),
    c("svd/hermitian_complex", lambda np, a: np.linalg.svd(a, compute_uv=False, hermitian=True), HZ),
    c("qr", lambda np, a: np.linalg.qr(a), R(4, 3)), c("qr/r", lambda np, a: np.linalg.qr(a, mode="r"), R(4, 3)),
    c("qr/batch", lambda np, a: np.linalg.qr(a), R(2, 4, 3)),
    c("pinv", lambda np, a: np.linalg.pinv(a), M),
    c("pinv/hermitian", lambda np, a: np.linalg.pinv(a, hermitian=True), SP3),
    c("pinv/rcond", lambda np, a: np.linalg.pinv(a, rcond=1e-10), M),
    c("pinv/rtol", lambda np, a: np.linalg.pinv(a, rtol=1e-8), M),
    c("pinv/complex", lambda np, a: np.linalg.pinv(a), ZM), c("pinv/batch", lambda np, a: np.linalg.pinv(a), T),
    c("matrix_power", lambda np, a: np.linalg.matrix_power(a, 3), A3),
    c("matrix_power/neg", lambda np, a: np.linalg.matrix_power(a, -2), A3),
    c("matrix_power/0", lambda np, a: np.linalg.matrix_power(a, 0), A3),
    c("matrix_power/batch", lambda np, a: np.linalg.matrix_power(a, 2), B3),
    c("lstsq", lambda np, a, b: np.linalg.lstsq(a, b)[0], R(5, 3), R(5)),
    c("lstsq/matrix", lambda np, a, b: np.linalg.lstsq(a, b, rcond=None)[:2], R(5, 3), R(5, 2)),
    c("cond", lambda np, a: np.linalg.cond(a), A3), c("cond/fro", lambda np, a: np.linalg.cond(a, "fro"), A3),
    c("cond/1", lambda np, a: np.linalg.cond(a, 1), A3), c("cond/-2", lambda np, a: np.linalg.cond(a, -2), A3),
    c("cond/inf", lambda np, a: np.linalg.cond(a, numpy.inf), A3),
    c("multi_dot", lambda np, a, b, d: np.linalg.multi_dot([a, b, d]), V[:3], M, R(4, 2)),
    c("multi_dot/4", lambda np, a, b, d, e: np.linalg.multi_dot([a, b, d, e]), M, R(4, 5), R(5, 2), R(2)),
    c("tensorsolve", lambda np, a, b: np.linalg.tensorsolve(a, b),
      R(2, 3, 6) + 3 * numpy.eye(6).reshape(6, 2, 3).transpose(1, 2, 0), R(2, 3)),
    c("tensorinv", lambda np, a: np.linalg.tensorinv(a, ind=1), (A3 * 1.0).reshape(3, 3)),
    c("tensorinv/2", lambda np, a: np.linalg.tensorinv(a, ind=2), (R(6, 6) + 4 * numpy.eye(6)).reshape(2, 3, 6)),
    c("linalg.trace", lambda np, a: np.linalg.trace(a, offset=1), T),
    c("linalg.diagonal", lambda np, a: np.linalg.diagonal(a, offset=-1), T),
    c("linalg.outer", lambda np, a, b: np.linalg.outer(a, b), V, R(3)),
    c("linalg.cross", lambda np, a, b: np.linalg.cross(a, b), R(4, 3), R(4, 3)),
    c("linalg.matmul", lambda np, a, b: np.linalg.matmul(a, b), T, R(4, 2)),
    c("linalg.vecdot", lambda np, a, b: np.linalg.vecdot(a, b, axis=0), M, M2),
    c("linalg.tensordot", lambda np, a, b: np.linalg.tensordot(a, b, axes=2), T, R(3, 4)),
    c("linalg.matrix_transpose", lambda np, a: np.linalg.matrix_transpose(a), T),
    c("matrix_rank", lambda np, a: np.linalg.matrix_rank(a) * a, M),
]
NORMS = {"None": None, "fro": "fro", "nuc": "nuc", "inf": numpy.inf, "-inf": -numpy.inf, "1": 1, "-1": -1, "2": 2,
         "-2": -2, "0": 0, "3": 3, "0.5": 0.5}


def by_name_linalg(name, *args, **kwargs) -> Callable:
    return lambda np, a: getattr(np.linalg, name)(a, *args, **kwargs)


for _label, _ord in NORMS.items():
    if _ord not in ("fro", "nuc", 0, 0.5, 3):
        CASES += [c(f"norm/matrix_{_label}", by_name_linalg("norm", _ord), M),
                  c(f"norm/matrix_{_label}_axes", by_name_linalg("norm", _ord, axis=(2, 0), keepdims=True), T)]
    elif _ord in ("fro", "nuc"):
        CASES += [c(f"norm/matrix_{_label}", by_name_linalg("norm", _ord), M),
                  c(f"norm/matrix_{_label}_batch", by_name_linalg("norm", _ord, axis=(-2, -1)), T)]
    if _ord not in ("fro", "nuc"):
        CASES += [c(f"norm/vector_{_label}", by_name_linalg("norm", _ord), V),
                  c(f"norm/vector_{_label}_axis", by_name_linalg("norm", _ord, axis=-1, keepdims=True), M),
                  c(f"vector_norm/{_label}", by_name_linalg("vector_norm", ord=2 if _ord is None else _ord,
                                                            axis=(0, 2)), T),
                  c(f"norm/complex_vector_{_label}", by_name_linalg("norm", _ord), ZV)]
CASES += [
    c("norm/all", lambda np, a: np.linalg.norm(a), T), c("norm/0d", lambda np, a: np.linalg.norm(a), R()),
    c("norm/complex_matrix", lambda np, a: np.linalg.norm(a, "fro"), ZM),
    c("norm/complex_2", lambda np, a: np.linalg.norm(a, 2), ZM),
    c("norm/int_axis_tuple", lambda np, a: np.linalg.norm(a, axis=(1,)), M),
    c("norm/float32", lambda np, a: np.linalg.norm(a), F32, rtol=1e-6, fd_tol=2e-3),
    c("vector_norm/none", lambda np, a: np.linalg.vector_norm(a, keepdims=True), T),
    c("matrix_norm", lambda np, a: np.linalg.matrix_norm(a), T),
    c("matrix_norm/nuc", lambda np, a: np.linalg.matrix_norm(a, ord="nuc", keepdims=True), T),
    c("matrix_norm/2", lambda np, a: np.linalg.matrix_norm(a, ord=2), T),
]

# fft: every transform with n/s, axes and norm; the shifts.
def by_name_fft(name, *args, **kwargs) -> Callable:
    return lambda np, x: getattr(np.fft, name)(x, *args, **kwargs)


for _norm in (None, "ortho", "forward", "backward"):
    _k = {"norm": _norm}
    CASES += [
        c(f"fft/{_norm}", by_name_fft("fft", **_k), V),
        c(f"ifft/{_norm}_n", by_name_fft("ifft", 7, **_k), ZV),
        c(f"fft/{_norm}_crop", by_name_fft("fft", 3, 0, **_k), M),
        c(f"fft2/{_norm}", by_name_fft("fft2", **_k), T), c(f"ifft2/{_norm}_s", by_name_fft("ifft2", (2, 5), **_k), ZM),
        c(f"fftn/{_norm}_axes", by_name_fft("fftn", None, (0, 2), **_k), T),
        c(f"ifftn/{_norm}_s", by_name_fft("ifftn", (3, 2), (-1, 0), **_k), T),
        c(f"rfft/{_norm}", by_name_fft("rfft", **_k), V), c(f"rfft/{_norm}_n", by_name_fft("rfft", 8, 0, **_k), M),
        c(f"irfft/{_norm}", by_name_fft("irfft", **_k), ZV), c(f"irfft/{_norm}_odd", by_name_fft("irfft", 7, **_k), ZV),
        c(f"rfft2/{_norm}", by_name_fft("rfft2", **_k), T),
        c(f"irfft2/{_norm}_s", by_name_fft("irfft2", (3, 5), **_k), ZM),
        c(f"rfftn/{_norm}_odd", by_name_fft("rfftn", **_k), R(3, 5)),
        c(f"irfftn/{_norm}", by_name_fft("irfftn", None, (0, 1), **_k), ZM),
        c(f"hfft/{_norm}", by_name_fft("hfft", **_k), ZV), c(f"hfft/{_norm}_n", by_name_fft("hfft", 6, **_k), ZV),
        c(f"ihfft/{_norm}", by_name_fft("ihfft", **_k), V), c(f"ihfft/{_norm}_n", by_name_fft("ihfft", 4, 0, **_k), M),
    ]
CASES += [
    c("fft/real_0", lambda np, x: np.fft.fft(x, axis=0), M),
    c("fft/float32", lambda np, x: np.fft.fft(x), F32V, rtol=1e-5,
                                                               fd_tol=2e-3),
    c("rfft/float32", lambda np, x: np.fft.rfft(x), F32V, rtol=1e-5, fd_tol=2e-3),
    # (the gradient of a complex64 input comes back complex128: only float inputs keep their precision)
    c("irfft/complex64", lambda np, x: np.fft.irfft(x), ZV.astype(numpy.complex64), rtol=1e-5, grad=False),
    c("fftshift", lambda np, x: np.fft.fftshift(x), M),
    c("fftshift/axes", lambda np, x: np.fft.fftshift(x, axes=(0, -1)), T),
    c("ifftshift", lambda np, x: np.fft.ifftshift(x, axes=1), M),
    c("ifftshift/all", lambda np, x: np.fft.ifftshift(x), V),
    c("fftfreq", lambda np: np.fft.fftfreq(6, 0.5)), c("rfftfreq", lambda np: np.fft.rfftfreq(7)),
]


# --- the checks ------------------------------------------------------------------------------

def _leaves(out) -> list:
    if isinstance(out, (tuple, list)):
        return [leaf for item in out for leaf in _leaves(item)]
    return [out]


def _is_float(a) -> bool:
    return isinstance(a, (numpy.ndarray, numpy.generic)) and a.dtype.kind in "fc"


def _random_like(x, generator):
    x = numpy.asarray(x)
    out = generator.standard_normal(x.shape)
    if x.dtype.kind == "c":
        out = out + 1j * generator.standard_normal(x.shape)
    return out


def _check_value(got, want, rtol: float, where: str = "") -> None:
    if isinstance(want, (tuple, list)):
        assert isinstance(got, (tuple, list)) and len(got) == len(want), f"{where}: {got!r} against {want!r}"
        assert type(got) is type(want), f"{where}: a {type(got).__name__}, NumPy's {type(want).__name__}"
        for k, (g, w) in enumerate(zip(got, want)):
            _check_value(g, w, rtol, f"{where}[{k}]")
        return
    if isinstance(want, (numpy.generic, numpy.ndarray)):  # a NumPy scalar is not a 0-d array
        assert type(got) is type(want), f"{where}: a {type(got).__name__}, NumPy's {type(want).__name__}"
    g, w = numpy.asarray(got), numpy.asarray(want)
    assert g.shape == w.shape, f"{where}: shape {g.shape}, NumPy's {w.shape}"
    assert g.dtype == w.dtype, f"{where}: dtype {g.dtype}, NumPy's {w.dtype}"
    if w.dtype.kind in "fc":
        scale = numpy.nanmax(numpy.abs(w), initial=0.0) if w.size else 0.0
        numpy.testing.assert_allclose(g, w, rtol=rtol, atol=rtol * scale, equal_nan=True, err_msg=where)
    else:
        numpy.testing.assert_array_equal(g, w, err_msg=where)


def check_case(case: Case) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = case.call(numpy, *case.inputs)
        got = traced_value(lambda *xs: case.call(rnp, *xs), *case.inputs)
        _check_value(got, want, case.rtol, case.label)
        if case.grad:
            _check_derivatives(case)


def _check_derivatives(case: Case) -> None:
    where = [i for i, a in enumerate(case.inputs) if _is_float(a)]
    if not where:
        return
    xs = tuple(case.inputs[i] for i in where)
    # Finite differences in double precision (of float32 inputs too).
    xs64 = tuple(numpy.asarray(x, dtype=numpy.result_type(x, numpy.float64)) for x in xs)
    if any(numpy.ndim(x) == 0 and not isinstance(x, numpy.ndarray) for x in xs):
        xs64 = tuple(x[()] if not isinstance(x0, numpy.ndarray) else x for x, x0 in zip(xs64, xs))

    def at(module, xs):
        args = list(case.inputs)
        for i, x in zip(where, xs):
            args[i] = x
        return _leaves(case.call(module, *args))

    want = at(numpy, xs64)
    outs = [k for k, o in enumerate(want) if numpy.asarray(o).dtype.kind in "fc"]
    if not outs:
        return
    generator = numpy.random.default_rng(0)
    vs = tuple(_random_like(x, generator) for x in xs)
    ws = [_random_like(want[k], generator) for k in outs]
    h = case.h

    def moved(step):
        return tuple(x + step * v for x, v in zip(xs64, vs))

    plus, minus = at(numpy, moved(h)), at(numpy, moved(-h))
    fd_outs = [(numpy.asarray(plus[k]) - numpy.asarray(minus[k])) / (2 * h) for k in outs]
    fd_loss = sum(numpy.sum(numpy.real(fd * w)) for fd, w in zip(fd_outs, ws))

    def loss(xs):
        leaves = at(rnp, xs)
        return sum(rnp.sum(rnp.real(leaves[k] * w)) for k, w in zip(outs, ws))

    vjp, _ = make_vjp(loss, xs)
    grads = vjp(1.0)
    for g, x in zip(grads, xs):
        dtype = numpy.asarray(g).dtype
        assert dtype == numpy.asarray(x).dtype, f"{case.label}: gradient dtype {dtype}"
    rev = sum(numpy.sum(numpy.real(numpy.asarray(g) * v)) for g, v in zip(grads, vs))
    scale = max(1.0, abs(fd_loss))
    assert abs(rev - fd_loss) <= case.fd_tol * scale, f"{case.label}: reverse mode {rev}, finite differences {fd_loss}"

    _, tangents = make_jvp(lambda xs: at(rnp, xs), xs)(tuple(v.astype(numpy.asarray(x).dtype) for v, x in zip(vs, xs)))
    for k, fd in zip(outs, fd_outs):
        t = numpy.asarray(tangents[k])
        assert t.shape == fd.shape, f"{case.label}: tangent {k} has shape {t.shape}, not {fd.shape}"
        scale = max(1.0, numpy.max(numpy.abs(fd), initial=0.0))
        numpy.testing.assert_allclose(t, fd, rtol=case.fd_tol, atol=case.fd_tol * scale,
                                      err_msg=f"{case.label}: forward mode, output {k}")


@pytest.mark.parametrize("case", CASES, ids=[case.label for case in CASES])
def test_traced_call_matches_numpy(case):
    check_case(case)


def test_labels_are_unique():
    labels = [case.label for case in CASES]
    assert len(labels) == len(set(labels))


def test_traced_average_refuses_weights_that_sum_to_zero_as_numpy_does():
    weights = numpy.array([1.0, -1.0, 0.5, -0.5])
    with pytest.raises(ZeroDivisionError):
        numpy.average(M, axis=1, weights=weights)
    with pytest.raises(ZeroDivisionError):
        traced_value(lambda x: rnp.average(x, axis=1, weights=weights), M)


def test_plain_svd_with_hermitian_is_numpys():
    # It ignored hermitian=True and returned the singular values of the whole matrix.
    for a in (Q, SP3 - 3 * numpy.eye(3)):
        numpy.testing.assert_array_equal(rnp.linalg.svd(a, compute_uv=False, hermitian=True),
                                         numpy.linalg.svd(a, compute_uv=False, hermitian=True))
        for got, want in zip(rnp.linalg.svd(a, hermitian=True), numpy.linalg.svd(a, hermitian=True)):
            numpy.testing.assert_array_equal(got, want)
