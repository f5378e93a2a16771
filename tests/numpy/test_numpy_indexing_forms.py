"""Indexing in every form NumPy has — negative and stepped slices, Ellipsis, None,
boolean masks, repeated and negative integer arrays, advanced indices mixed with
slices (adjacent and separated), broadcast index arrays, ``ix_``, indices computed
from the values (argmax, argsort, where) — in forward and reverse mode to second
order.  Repeated indices must accumulate."""

import numpy
import pytest

import ravine.numpy as np
from ravine.test_util import check_grads

rng = numpy.random.default_rng(5)
T = rng.standard_normal((3, 4, 5))
M = rng.standard_normal((4, 5))
V = rng.standard_normal(6)
cases = {
 "neg_int": (lambda x: x[-1], M), "neg_slice": (lambda x: x[-3:-1], V), "step": (lambda x: x[1::2], V), "rev_step": (lambda x: x[::-3], V),
 "ellipsis_last": (lambda x: x[..., -1], T), "newaxis_mid": (lambda x: x[:, None, 1:3], M), "bool_2d": (lambda x: x[M > 0], M),
 "bool_row": (lambda x: x[numpy.array([True, False, True, True])], M), "repeat_idx": (lambda x: x[[0, 0, 3, 3, 3]], V),
 "neg_fancy": (lambda x: x[[-1, -1, 0]], V), "fancy_2d_idx": (lambda x: x[numpy.array([[0, 1], [1, 1]])], V),
 "mixed_basic_adv": (lambda x: x[:, [0, 2, 2]], M), "adv_both": (lambda x: x[[0, 1, 1], [2, 3, 3]], M),
 "adv_separated": (lambda x: x[[0, 2], :, [1, 4]], T), "adv_bcast": (lambda x: x[numpy.arange(3)[:, None], numpy.array([0, 2])], M),
 "slice_adv_slice": (lambda x: x[1:, [0, 0, 3], :2], T), "ix_": (lambda x: x[numpy.ix_([0, 2], [1, 3, 3])], M),
 "int_and_slice": (lambda x: x[2, 1:4], M), "tuple_idx": (lambda x: x[(1, 2)], M), "empty_slice": (lambda x: np.sum(x[3:3]) + np.sum(x), V),
 "take_neg": (lambda x: np.take(x, [-1, 0, -1]), V), "diag_via_idx": (lambda x: x[numpy.arange(4), numpy.arange(4)], M),
 "chained": (lambda x: x[1:][::2][0], T), "scalar_of_0d": (lambda x: x[()] * 2, numpy.array(1.5)),
 "nonzero_idx": (lambda x: x[numpy.nonzero(M > 0)], M), "where_idx": (lambda x: x[np.where(x > 0)], M),
 "argmax_idx": (lambda x: x[np.argmax(x)], V), "argsort_idx": (lambda x: x[np.argsort(x)], V),
}


@pytest.mark.parametrize("name", sorted(cases))
def test_indexing_form(name):
    fun, x = cases[name]
    check_grads(fun, modes=("fwd", "rev"), order=2)(x)
