"""Less common argument forms of the wrapped functions — no axis (flattening), tuples
of axes, array-valued repeats/bounds/exponents, keyword variants, orders 'F',
interleaved views — in forward and reverse mode to second order.

Found when this sweep was written: ``concatenate(axis=None)`` raised a TypeError,
and forward over forward of ``power`` with a traced exponent raised a TracingError
(a NumPy call on a traced value inside the rule)."""

import numpy
import pytest

import ravine.numpy as np
from ravine.test_util import check_grads

rng = numpy.random.default_rng(1)
T = rng.standard_normal((2, 3, 4))
M = rng.standard_normal((3, 4))
Q = rng.standard_normal((3, 3))
V = rng.standard_normal(5)
cases = {
 "cumsum_flat": (lambda x: np.cumsum(x), M), "cumprod_flat": (lambda x: np.cumprod(x), M),
 "sort_none": (lambda x: np.sort(x, axis=None), M), "take_flat": (lambda x: np.take(x, [0, 5, 5, 11]), M),
 "repeat_array": (lambda x: np.repeat(x, [1, 2, 0], axis=0), M), "repeat_flat": (lambda x: np.repeat(x, 2), M),
 "roll_multi": (lambda x: np.roll(x, (1, -2), axis=(0, 1)), M), "roll_flat": (lambda x: np.roll(x, 5), M),
 "flip_all": (lambda x: np.flip(x), T), "squeeze_all": (lambda x: np.squeeze(x[:, :1, :]), T),
 "expand_tuple": (lambda x: np.expand_dims(x, (0, 2)), M), "concat_none": (lambda x: np.concatenate([x, x * 2], axis=None), M),
 "split_idx": (lambda x: np.split(x, [1, 3], axis=1)[1], M), "array_split": (lambda x: np.array_split(x, 3, axis=1)[2], M),
 "tile_big": (lambda x: np.tile(x, (2, 1, 2)), M), "pad_reflect": (lambda x: np.pad(x, 2, mode="reflect"), M),
 "pad_edge": (lambda x: np.pad(x, ((1, 0), (2, 1)), mode="edge"), M), "pad_const": (lambda x: np.pad(x, 1, constant_values=3.0), M),
 "clip_arrays": (lambda x: np.clip(x, -0.5 * numpy.ones(4), numpy.linspace(0.1, 1, 4)), M),
 "where_bcast": (lambda x: np.where(M > 0, x, x[0] * 2), M), "einsum_diag": (lambda x: np.einsum('ii->i', x), Q),
 "einsum_trace": (lambda x: np.einsum('ii', x), Q), "einsum_outer": (lambda x: np.einsum('i,j->ij', x, x), V),
 "einsum_bcast": (lambda x: np.einsum('...j,jk', x, M.T), T), "norm_fro": (lambda x: np.linalg.norm(x, 'fro'), M),
 "norm_1": (lambda x: np.linalg.norm(x, 1), V), "norm_inf": (lambda x: np.linalg.norm(x, numpy.inf), V), "norm_3": (lambda x: np.linalg.norm(x, 3), V),
 "norm_mat1": (lambda x: np.linalg.norm(x, 1), M + 3), "norm_keep": (lambda x: np.linalg.norm(x, axis=1, keepdims=True), M),
 "mean_dtype": (lambda x: np.mean(x, axis=0, dtype=numpy.float64), M), "sum_dtype": (lambda x: np.sum(x, dtype=numpy.float64), M),
 "var_ddof_tuple": (lambda x: np.var(x, axis=(0, 2), ddof=1), T), "std_keep": (lambda x: np.std(x, axis=(0, 1), keepdims=True), T),
 "max_tuple": (lambda x: np.max(x, axis=(0, 2)), T), "prod_keep": (lambda x: np.prod(x, axis=1, keepdims=True), T),
 "diag_k": (lambda x: np.diag(x, k=1), M), "diag_vec_k": (lambda x: np.diag(x, k=-2), V), "diagflat": (lambda x: np.diagflat(x, 1), V),
 "tril_k": (lambda x: np.tril(x, k=1), M), "trace_off": (lambda x: np.trace(x, offset=1), M),
 "dot_1d2d": (lambda x: np.dot(x[:3], M), V), "matmul_bcast": (lambda x: x @ M.T, T), "matmul_vec": (lambda x: M @ x[:4], V),
 "inner": (lambda x: np.inner(x, x), V), "kron": (lambda x: np.kron(x[:2], Q), V), "outer_2d": (lambda x: np.outer(x, M), V),
 "vdot": (lambda x: np.vdot(x, x), M), "cross": (lambda x: np.cross(x[:3], x[2:]), V),
 "sort_kind": (lambda x: np.sort(x, kind="stable"), V), "partition": (lambda x: np.partition(x, 2), V),
 "linspace": (lambda x: np.linspace(x[0], x[1], 5), V), "stack_neg": (lambda x: np.stack([x, x], -1), M),
 "hstack": (lambda x: np.hstack([x, x[:2]]), V), "vstack": (lambda x: np.vstack([x, x]), V), "dstack": (lambda x: np.dstack([x, x]), M),
 "column_stack": (lambda x: np.column_stack([x, x]), V), "atleast_2d": (lambda x: np.atleast_2d(x), V),
 "broadcast_to": (lambda x: np.broadcast_to(x, (2, 5)), V), "reshape_order": (lambda x: np.reshape(x, (4, 3), order="F"), M),
 "ravel_F": (lambda x: np.ravel(x, order="F"), M), "transpose_none": (lambda x: np.transpose(x), T),
 "swap_same": (lambda x: np.swapaxes(x, 1, 1), T), "moveaxis_same": (lambda x: np.moveaxis(x, 0, 0), T),
 "select": (lambda x: np.select([x > 0, x < -0.5], [x, x ** 2], 1.0), V), "average_w": (lambda x: np.average(x, weights=numpy.arange(1.0, 6.0)), V),
 "take_along_neg": (lambda x: np.take_along_axis(x, numpy.array([[-1], [0], [1]]), 1), M),
 "fancy_neg": (lambda x: x[[-1, 0, -1]], V), "bool_mask": (lambda x: x[V > 0], V), "slice_step": (lambda x: x[::-2], V),
 "ellipsis_newaxis": (lambda x: x[..., None, 1], T), "power_scalar": (lambda x: np.abs(x) ** 1.5, V), "power_arr": (lambda x: np.power(np.abs(x) + 1, x), V),
 "float_power": (lambda x: np.float_power(np.abs(x) + 1, 2.5), V), "hypot": (lambda x: np.hypot(x, 2 * x + 1), V), "arctan2": (lambda x: np.arctan2(x, x ** 2 + 1), V),
 "logaddexp2": (lambda x: np.logaddexp2(x, -x), V), "sinc": (lambda x: np.sinc(x), V), "deg2rad": (lambda x: np.rad2deg(np.deg2rad(x) * 2), V),
 "fmod_like": (lambda x: np.mod(x, 0.7), V), "remainder": (lambda x: np.remainder(x, 2.0), V),
 "nan_to_num": (lambda x: np.nan_to_num(x), V), "cbrt": (lambda x: np.cbrt(np.abs(x) + 1), V), "exp2": (lambda x: np.exp2(x), V), "log2": (lambda x: np.log2(np.abs(x) + 1), V), "log10": (lambda x: np.log10(np.abs(x) + 1), V),
}


@pytest.mark.parametrize("name", sorted(cases))
def test_argument_form(name):
    fun, x = cases[name]
    check_grads(fun, modes=("fwd", "rev"), order=2)(x)


def test_atleast_nd_of_several_traced_arrays_is_a_tuple_of_each():
    # NumPy's atleast_1d(x, y) returns one array per argument; with traced arrays the
    # primitive's rule (one array) raised a TypeError.
    import ravine
    import ravine.numpy as rnp

    x = numpy.array([0.5, -1.0])
    for atleast, shape in [(rnp.atleast_1d, (2,)), (rnp.atleast_2d, (1, 2)), (rnp.atleast_3d, (1, 2, 1))]:
        got = ravine.grad(lambda v: rnp.sum(atleast(v, v * 2.0, 3.0)[1] ** 2))(x)
        numpy.testing.assert_allclose(got, 8.0 * x)
        parts = atleast(x, numpy.float64(1.0))
        assert type(parts) is tuple and parts[0].shape == shape
