"""Reductions (with axis/keepdims), shape operations, indexing, sorting and gathering:
forward and reverse mode to second order."""

import numpy
import pytest

import ravine.numpy as np
from gradsweep import R, P, ids, run_case, sweep

V, M, T = R(4), R(3, 4), R(2, 3, 2)
AXES = dict(axis=[None, 0, -1, (0, 1)], keepdims=[False, True])
Z = numpy.array([[1.5, 0.0, 2.0], [0.5, -1.0, 0.0]])  # zeros: exact products needed

REDUCTIONS = (
    sweep(np.sum, [M], **AXES) + sweep(np.sum, [R(), V]) + sweep(np.mean, [M], **AXES)
    + sweep(np.prod, [M, Z], **AXES) + sweep(np.prod, [R(), V])
    + sweep(np.max, [M], **AXES) + sweep(np.min, [M], **AXES) + sweep(np.amax, [M], axis=[None, 1])
    + sweep(np.amin, [M], axis=[None, 1])
    + sweep(np.var, [M], axis=[None, 0, 1], ddof=[0, 1], keepdims=[False, True])
    + sweep(np.std, [M], axis=[None, 0, 1], ddof=[0, 1], keepdims=[False, True])
    + sweep(np.cumsum, [V, M], axis=[None, 0, -1]) + sweep(np.cumprod, [P(4), M, Z], axis=[None, 0, -1])
    + sweep(np.nansum, [M, numpy.array([1.0, numpy.nan, 2.0])], axis=[None, 0])
    + sweep(np.nanmean, [M, numpy.array([[1.0, numpy.nan, 2.0], [3.0, 4.0, numpy.nan]])], axis=[None, 0, 1])
    + sweep(np.average, [M], axis=[None, 1])
    + sweep(lambda a, w: np.average(a, axis=1, weights=w), [M], [P(4)], covers=("average",))
    + sweep(lambda a, w: np.average(a, weights=w), [M], [P(3, 4)], covers=("average",))
    + sweep(np.diff, [V, M], n=[1, 2], axis=[-1, 0])
)

SHAPES = (
    sweep(np.reshape, [M], [(4, 3), (-1,), (2, 2, 3)]) + sweep(np.ravel, [R(), M])
    + sweep(np.transpose, [M, T]) + sweep(np.transpose, [T], [(1, 2, 0)])
    + sweep(np.swapaxes, [T], [0], [2]) + sweep(np.moveaxis, [T], [0], [-1, 1]) + sweep(np.moveaxis, [T], [(0, 1)], [(2, 0)])
    + sweep(np.rollaxis, [T], [2, 0, -1], [0, 1, 3]) + sweep(np.expand_dims, [R(), M], [0, -1])
    + sweep(np.squeeze, [R(1, 3, 1)], axis=[None, 0, (0, 2)]) + sweep(np.broadcast_to, [R(3), R(1, 3)], [(2, 3)])
    + sweep(np.atleast_1d, [R(), V]) + sweep(np.atleast_2d, [R(), V]) + sweep(np.atleast_3d, [V, M])
    + sweep(np.flip, [M], axis=[None, 0, 1]) + sweep(np.fliplr, [M]) + sweep(np.flipud, [M])
    + sweep(np.rot90, [M, T], k=[1, 2, -1], axes=[(0, 1), (1, 0)])
    + sweep(np.roll, [V, M], [1, -2], axis=[None, 0, -1]) + sweep(np.roll, [M], [(1, 2)], axis=[(0, 1)])
    + sweep(np.tile, [R(), V, M], [2, (2, 1), (1, 2, 2)])
    + sweep(np.repeat, [V, M], [2], axis=[None]) + sweep(np.repeat, [V], [numpy.array([1, 0, 2, 3])], axis=[None])
    + sweep(np.repeat, [M], [2], axis=[0, 1]) + sweep(np.repeat, [M], [numpy.array([0, 2, 1, 3])], axis=[1])
    + sweep(np.pad, [V, M], [1, ((1, 0), (0, 2))][:1], mode=["constant", "edge", "reflect", "symmetric", "wrap"])
    + sweep(np.pad, [M], [((1, 0), (0, 2))], mode=["constant", "reflect"])
    + sweep(lambda x: np.pad(x, 2, constant_values=3.0), [V], covers=("pad",))
    + sweep(np.triu, [M], k=[0, 1, -1]) + sweep(np.tril, [M], k=[0, 1, -1])
    + sweep(np.diag, [V, M, R(4, 3)], k=[0, 1, -2]) + sweep(np.diagflat, [V, M], k=[0, -1])
    + sweep(np.diagonal, [M, T], offset=[0, 1, -1]) + sweep(np.diagonal, [T], axis1=[2], axis2=[0])
    + sweep(np.trace, [M, T], offset=[0, 1]) + sweep(np.trace, [T], axis1=[1], axis2=[2])
    + sweep(np.make_diagonal, [V, M], offset=[0, 2, -1]) + sweep(np.make_diagonal, [M], axis1=[-1, 2], axis2=[-2, 0])
)

GATHER = (
    sweep(lambda x: x[1], [V, M], covers=("getitem",)) + sweep(lambda x: x[::-2, 1:], [M], covers=("getitem",))
    + sweep(lambda x: x[numpy.array([0, 0, 2])], [V, M], covers=("getitem", "untake"))
    + sweep(lambda x: x[x > 0], [M], covers=("getitem",))
    + sweep(lambda x: x[..., None, [1, 1]], [M], covers=("getitem",))
    + sweep(np.sort, [V, M], axis=[None, 0, -1]) + sweep(np.partition, [V], [1, 3])
    + sweep(np.partition, [M], [1], axis=[0, 1])
    + sweep(np.take, [V, M], [numpy.array([1, 0, 1]), 2, numpy.array([[0, 2], [1, 1]])], axis=[None, 0])
    + sweep(np.take, [M], [numpy.array([5, -1])], axis=[1], mode=["wrap", "clip"])
    + sweep(np.take_along_axis, [M], [numpy.argsort(M, axis=1)[:, :2]], [1])
    + sweep(np.take_along_axis, [M], [numpy.array([[2, 0, 0, 1]])], [0])
    + sweep(np.take_along_axis, [V], [numpy.array([3, 3, 0])], [None])
    + sweep(lambda x, y: np.concatenate([x, y, x], axis=1), [M], [R(3, 2)], covers=("concatenate_args",))
    + sweep(lambda x, y: np.stack([x, y], axis=-1), [V], [V + 1], covers=("concatenate_args",))
    + sweep(lambda x, y: np.array([x, y, x]), [R()], [R()], covers=("array_from_args",))
    + sweep(lambda x, y: np.array([x, y, x]), [V], [R(4)], covers=("array_from_args",))
    + sweep(lambda x: np.hstack(np.split(x, 2, axis=1)[::-1]), [M], covers=("getitem", "concatenate_args"))
    + sweep(lambda x: np.vstack([x, x]) + np.column_stack([x.T[0], x.T[1]]).sum(), [M], covers=("concatenate_args",))
    + sweep(lambda x: np.append(np.dstack(np.array_split(x, 3, axis=1)[:2]), np.asarray(x)), [R(2, 6)],
            covers=("concatenate_args", "getitem"))
    + sweep(lambda x: np.row_stack(np.vsplit(x, 2)) * np.hstack(np.hsplit(x, 2))
            + np.dsplit(np.atleast_3d(x), 1)[0][..., 0], [R(2, 4)], covers=("concatenate_args", "getitem"))
    + sweep(lambda x: np.real(np.astype(x, complex) * (1 + 2j)), [M], covers=("cast",))
    + sweep(lambda x: np.select([x > 0, x < -1], [x**2, -x], 0.5 * x), [M], covers=("where",))
)


@pytest.mark.parametrize("case", REDUCTIONS, ids=ids(REDUCTIONS))
def test_reduction(case):
    run_case(case)


@pytest.mark.parametrize("case", SHAPES, ids=ids(SHAPES))
def test_shape_op(case):
    run_case(case)


@pytest.mark.parametrize("case", GATHER, ids=ids(GATHER))
def test_gather(case):
    run_case(case)


def test_prod_with_zeros_is_exact():
    from ravine import grad
    x = numpy.array([2.0, 0.0, 3.0])
    numpy.testing.assert_allclose(grad(np.prod)(x), [0.0, 6.0, 0.0])
    x = numpy.array([0.0, 0.0, 3.0])
    numpy.testing.assert_allclose(grad(np.prod)(x), [0.0, 0.0, 0.0])
    numpy.testing.assert_allclose(grad(lambda x: np.sum(np.cumprod(x)))(numpy.array([2.0, 0.0, 3.0])), [1.0, 8.0, 0.0])


def test_max_ties_share_the_gradient():
    from ravine import grad
    numpy.testing.assert_allclose(grad(np.max)(numpy.array([1.0, 3.0, 3.0])), [0.0, 0.5, 0.5])
    numpy.testing.assert_allclose(grad(lambda x: np.sum(np.max(x, axis=1)))(numpy.array([[1.0, 1.0], [0.0, 2.0]])),
                                  [[0.5, 0.5], [0.0, 1.0]])


def test_integer_cast_is_a_constant():
    from ravine import grad
    assert grad(lambda x: x * np.sum(x.astype(int)))(2.7) == 2.0


def test_std_of_one_number_has_derivative_zero_not_nan():
    # std over an axis of length 1 is 0 whatever the value: the derivative is 0 in both
    # modes and at second order (the general formula would divide 0 by 0).
    from ravine import grad, make_jvp
    from ravine.test_util import check_grads

    D = numpy.array([[0.3, -1.2, 2.0]])
    assert grad(np.std)(3.5) == 0.0 and grad(grad(np.std))(3.5) == 0.0
    assert numpy.array_equal(make_jvp(lambda d: np.std(d, axis=0))(D)(numpy.ones((1, 3)))[1], numpy.zeros(3))
    assert numpy.array_equal(grad(lambda d: np.sum(np.std(d, axis=0)))(D), numpy.zeros((1, 3)))
    check_grads(lambda d: np.std(d, axis=0, keepdims=True))(D)
    check_grads(lambda d: np.std(d + 0.5j * d, axis=0))(D)
    # over more than one number the usual derivative is unchanged: (x − mean)/(n·std)
    x = numpy.array([1.0, 2.0, 4.0])
    assert numpy.allclose(grad(np.std)(x), (x - x.mean()) / (3 * x.std()))


@pytest.mark.parametrize("offset, axis1, axis2", [(0, 0, 1), (0, -1, -2), (2, 0, 2), (-1, 2, 1)])
def test_make_diagonal_puts_d_on_the_diagonal_that_numpy_diagonal_reads(offset, axis1, axis2):
    A = np.make_diagonal(M, offset, axis1, axis2)
    assert A.ndim == 3 and A.shape[axis1] == A.shape[axis2] == 4 + abs(offset)
    numpy.testing.assert_array_equal(numpy.diagonal(A, offset, axis1, axis2), M)
    assert numpy.count_nonzero(A) == numpy.count_nonzero(M)  # nothing off that diagonal
    with pytest.raises(ValueError, match="two different axes"):
        np.make_diagonal(M, axis1=1, axis2=-2)


def test_transpose_with_negative_axes():
    # np.argsort((-1, 0)) is (0, 1), not the inverse of the swap: the rule must
    # normalise the axes first (it returned an untransposed gradient before).
    from ravine import grad
    from ravine.test_util import check_grads

    W = numpy.arange(9.0).reshape(3, 3) - 4.0
    x = numpy.random.default_rng(2).standard_normal((3, 3))
    assert numpy.allclose(grad(lambda x: np.sum(W * np.transpose(x, (-1, 0))))(x), W.T)
    check_grads(lambda x: np.transpose(x, (-1, 0, -2)), modes=("fwd", "rev"), order=2)(T)
    check_grads(lambda x: np.transpose(x, (1, -1, 0)), modes=("fwd", "rev"), order=2)(T)
