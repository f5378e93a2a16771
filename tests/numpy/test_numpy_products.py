"""Products: dot (N-d), matmul (broadcasting), tensordot, einsum, inner, outer, kron,
vdot, cross — forward and reverse mode to second order."""

import numpy
import pytest

import ravine.numpy as np
from gradsweep import R, ids, run_case, sweep

DOT_SHAPES = [((), ()), ((), (3,)), ((3,), ()), ((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)),
              ((2, 3), (3, 2)), ((2, 2, 3), (3, 2)), ((2, 3), (2, 3, 2)), ((2, 3), (4, 3, 2))]
MATMUL_SHAPES = [((3,), (3,)), ((2, 3), (3,)), ((3,), (3, 2)), ((2, 3), (3, 2)), ((4, 2, 3), (3, 2)),
                 ((2, 3), (4, 3, 2)), ((4, 1, 2, 3), (5, 3, 2)), ((3,), (4, 3, 2)), ((4, 2, 3), (3,))]


def pairs(fun, shapes, **kw):
    return [c for a, b in shapes for c in sweep(fun, [R(*a)], [R(*b)], **kw)]


EINSUM = [
    ("ij,jk->ik", (2, 3), (3, 2)), ("ij,jk", (2, 3), (3, 2)), ("i,i->", (3,), (3,)), ("ij->ji", (2, 3)),
    ("ii->i", (3, 3)), ("ii", (3, 3)), ("ij->i", (2, 3)), ("ij,k->ijk", (2, 3), (2,)),
    ("...ij,...jk->...ik", (4, 2, 3), (3, 2)), ("b...,b->...", (2, 3, 2), (2,)), ("iij,j->i", (2, 2, 3), (3,)),
    ("i,i,i->", (3,), (3,), (3,)), ("ij,ij->", (2, 1), (2, 3)), ("...i,...i->...", (1, 3), (2, 3)),
]
# the interleaved form einsum(A, [0, 1], B, [1, 2], [0, 2]): sublists of integer labels
EINSUM_INTERLEAVED = [
    (R(2, 3), [0, 1], [1, 0]), (R(3, 3), [0, 0]), (R(2, 3), [0, 1], R(3, 4), [1, 2], [0, 2]),
    (R(2, 3), [0, 1], R(3, 4), [1, 2]), (R(4, 2, 3), [Ellipsis, 0, 1], R(3, 2), [1, 2], [Ellipsis, 0, 2]),
    (R(3, 4, 4), [0, 1, 2], R(4, 4, 3), [3, 1, 0], R(4, 4, 3), [3, 3, 0], [3, 2, 0]),
    (R(3,), [30], R(3,), [30], []),
]

PRODUCTS = (
    pairs(np.dot, DOT_SHAPES) + pairs(np.matmul, MATMUL_SHAPES)
    + sweep(np.tensordot, [R(2, 3, 4)], [R(3, 4, 2)], axes=[2]) + sweep(np.tensordot, [R(2, 3)], [R(3, 2)], axes=[0, 1])
    + sweep(np.tensordot, [R(2, 3, 4)], [R(4, 2, 3)], axes=[([0, 2], [1, 0]), (1, 2)])
    + [c for spec, *shapes in EINSUM for c in sweep(np.einsum, [spec], *[[R(*s)] for s in shapes])]
    + [c for args in EINSUM_INTERLEAVED for c in sweep(np.einsum, *[[a] for a in args])]
    + pairs(np.inner, [((), (3,)), ((3,), (3,)), ((2, 3), (3,)), ((2, 3), (4, 3)), ((2, 2, 3), (2, 3))])
    + pairs(np.outer, [((3,), (2,)), ((2, 2), (3,))]) + pairs(np.vdot, [((3,), (3,)), ((2, 3), (3, 2))])
    + pairs(np.kron, [((2,), (3,)), ((2, 2), (2, 3)), ((2,), (2, 2)), ((2, 1, 2), (3, 2))])
    + pairs(np.cross, [((3,), (3,)), ((2, 3), (3,)), ((4, 3), (4, 3))])
    + sweep(np.cross, [R(3, 2)], [R(2, 3)], axisa=[0], axisb=[-1], axisc=[0, -1])
    + sweep(lambda a, b: a @ b, [R(2, 3)], [R(3, 2)], covers=("matmul",))
)


@pytest.mark.parametrize("case", PRODUCTS, ids=ids(PRODUCTS))
def test_product(case):
    run_case(case)


def test_products_agree_with_numpy_on_values():
    A, B = R(2, 3), R(3, 4)
    numpy.testing.assert_allclose(np.einsum("ij,jk->ik", A, B), A @ B)
    numpy.testing.assert_allclose(np.kron(A, B), numpy.kron(A, B))


def test_interleaved_einsum_agrees_with_numpy():
    A, B = R(2, 3), R(3, 4)
    numpy.testing.assert_allclose(np.einsum(A, [0, 1], B, [1, 2], [0, 2]), A @ B)
    numpy.testing.assert_allclose(np.einsum(A, [Ellipsis, 1], B, [1, 2]), numpy.einsum(A, [Ellipsis, 1], B, [1, 2]))
    numpy.testing.assert_allclose(np.einsum(A, [0, 1], [1, 0]), A.T)
