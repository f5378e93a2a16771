"""In-place writers (put, putmask, place, copyto, fill_diagonal, put_along_axis) refuse
traced values with a TracingError that names the function and a differentiable spelling,
and are NumPy's functions on plain arrays; set operations refuse traced values whose
entries reach the result (as ``unique`` does); index helpers are constants."""

import numpy
import pytest

import ravine
import ravine.numpy as np
from ravine import NotDifferentiableError, TracingError
from ravine.test_util import check_grads

rng = numpy.random.default_rng(9)
M = rng.standard_normal((3, 4))
V = rng.standard_normal(6)
Q = rng.standard_normal((4, 4))

# (name, call writing into `a` with values `v`, a plain target, plain values)
WRITES = {
    "put": (lambda ns, a, v: ns.put(a, [0, 5, 7], v), M, V[:3]),
    "put_mode": (lambda ns, a, v: ns.put(a, [1, 40], v, mode="clip"), M, V[:2]),
    "putmask": (lambda ns, a, v: ns.putmask(a, M > 0, v), M, V[:4]),
    "place": (lambda ns, a, v: ns.place(a, M < 0, v), M, V[:2]),
    "copyto": (lambda ns, a, v: ns.copyto(a, v, where=M > 0), M, M[::-1] * 2),
    "copyto_plain": (lambda ns, a, v: ns.copyto(a, v), M, M * 3),
    "fill_diagonal": (lambda ns, a, v: ns.fill_diagonal(a, v), Q, V[:4]),
    "fill_diagonal_wrap": (lambda ns, a, v: ns.fill_diagonal(a, v, wrap=True), numpy.zeros((7, 3)), 2.5),
    "put_along_axis": (lambda ns, a, v: ns.put_along_axis(a, numpy.array([[1], [0], [3]]), v, axis=1), M,
                       V[:3, None]),
}


def _name(case):
    return case.split("_plain")[0].split("_mode")[0].split("_wrap")[0]


@pytest.mark.parametrize("case", WRITES)
def test_plain_writes_are_numpys(case):
    write, a, v = WRITES[case]
    ours, theirs = a.copy(), a.copy()
    assert write(np, ours, v) is None and write(numpy, theirs, v) is None
    numpy.testing.assert_array_equal(ours, theirs)
    assert not numpy.array_equal(ours, a)  # the write happened


@pytest.mark.parametrize("case", WRITES)
@pytest.mark.parametrize("traced", ["target", "values"])
def test_traced_writes_raise_naming_the_function_and_remedy(case, traced):
    write, a, v = WRITES[case]
    target = a.copy()

    def f(x):
        if traced == "target":
            write(np, x, v)
        else:
            write(np, target, x)
        return np.sum(x)

    with pytest.raises(TracingError, match=rf"np\.{_name(case)} writes into an array in place") as err:
        ravine.grad(f)(a.copy() if traced == "target" else numpy.asarray(v, float))
    message = str(err.value)
    assert "Build a new array instead: np.where(" in message
    numpy.testing.assert_array_equal(target, a)  # nothing was written


def test_writers_accept_traced_values_passed_by_keyword_only_to_refuse_them():
    with pytest.raises(TracingError, match="np.copyto"):
        ravine.grad(lambda x: np.copyto(M.copy(), src=x) or np.sum(x))(M)


# ---- the remedies the messages name work, with the right derivatives ----------------------------


def test_put_remedy_untake():
    ind = numpy.array([0, 5, 7])

    def put_pure(a, v):
        return a + np.reshape(np.untake(v - np.take(a, ind), ind, (a.size,), a.dtype), a.shape)

    expected = M.copy()
    numpy.put(expected, ind, V[:3])
    numpy.testing.assert_allclose(put_pure(M, V[:3]), expected)
    check_grads(put_pure, 0, modes=("fwd", "rev"), order=2)(M, V[:3])
    check_grads(put_pure, 1, modes=("fwd", "rev"), order=2)(M, V[:3])


def test_place_and_fill_diagonal_remedies():
    mask = M < 0
    vals = V[:int(mask.sum())]

    def place_pure(a, vals):
        return np.where(mask, np.reshape(np.untake(vals, np.flatnonzero(mask), (a.size,), a.dtype), a.shape), a)

    expected = M.copy()
    numpy.place(expected, mask, vals)
    numpy.testing.assert_allclose(place_pure(M, vals), expected)
    check_grads(place_pure, 1, modes=("fwd", "rev"), order=2)(M, vals)

    def fill_pure(a, val):
        return np.where(np.eye(4, 4, dtype=bool), val, a)

    expected = Q.copy()
    numpy.fill_diagonal(expected, 0.5)
    numpy.testing.assert_allclose(fill_pure(Q, 0.5), expected)
    check_grads(fill_pure, 0, modes=("fwd", "rev"), order=2)(Q, 0.5)
    check_grads(fill_pure, 1, modes=("fwd", "rev"), order=2)(Q, 0.5)


# ---- set operations --------------------------------------------------------------------------------

A1, A2 = numpy.array([3.0, 1.0, 2.0, 3.0, 5.0]), numpy.array([2.0, 5.0, 7.0, 5.0])
SETS = {
    "intersect1d": lambda ns, a, b: ns.intersect1d(a, b),
    "union1d": lambda ns, a, b: ns.union1d(a, b),
    "setdiff1d": lambda ns, a, b: ns.setdiff1d(a, b),
    "setxor1d": lambda ns, a, b: ns.setxor1d(a, b),
    "unique_all": lambda ns, a, b: ns.unique_all(a),
    "unique_counts": lambda ns, a, b: ns.unique_counts(a),
    "unique_inverse": lambda ns, a, b: ns.unique_inverse(a),
    "unique_values": lambda ns, a, b: ns.unique_values(a),
}


@pytest.mark.parametrize("name", SETS)
def test_set_operations_plain_are_numpys(name):
    ours, theirs = SETS[name](np, A1, A2), SETS[name](numpy, A1, A2)
    for o, t in zip(ours, theirs) if isinstance(theirs, tuple) else [(ours, theirs)]:
        numpy.testing.assert_array_equal(o, t)
    assert type(ours) is type(theirs)
    assert getattr(np, name) is not getattr(numpy, name)


@pytest.mark.parametrize("name", SETS)
def test_set_operations_refuse_a_traced_first_array(name):
    with pytest.raises(NotDifferentiableError, match=rf"^{name} has no derivative rule for a traced") as err:
        ravine.grad(lambda a: np.sum(SETS[name](np, a, A2)[0]))(A1)
    assert "ravine.getval(" in str(err.value)
    # the remedy: the same call on ravine.getval(a) works inside the traced function
    ravine.grad(lambda a: np.sum(a) + np.sum(SETS[name](np, ravine.getval(a), A2)[0]))(A1)


@pytest.mark.parametrize("name", ["intersect1d", "union1d", "setxor1d"])
def test_symmetric_set_operations_refuse_a_traced_second_array(name):
    with pytest.raises(NotDifferentiableError, match=rf"{name}.*traced ar2"):
        ravine.grad(lambda b: np.sum(SETS[name](np, A1, b)))(A2)


def test_setdiff1d_reads_a_traced_second_array_as_membership():
    seen = {}

    def f(b):
        seen["out"] = np.setdiff1d(A1, b)
        return np.sum(b)

    numpy.testing.assert_array_equal(ravine.grad(f)(A2), numpy.ones(4))
    numpy.testing.assert_array_equal(seen["out"], numpy.setdiff1d(A1, A2))


# ---- index helpers: constants ------------------------------------------------------------------------

INDEX_CALLS = {
    "lexsort": lambda ns, x: ns.lexsort((x[0], x[1])),
    "lexsort_array": lambda ns, x: ns.lexsort(x[:2], axis=-1),
    "ravel_multi_index": lambda ns, x: ns.ravel_multi_index((numpy.array([0, 2]), numpy.array([3, 1])), x.shape),
    "ravel_multi_index_traced": lambda ns, x: ns.ravel_multi_index([ns.astype(x[0] > 0, int), [0, 1, 2, 3]], (2, 5)),
    "unravel_index": lambda ns, x: ns.unravel_index([1, 7, 11], x.shape),
    "diag_indices": lambda ns, x: ns.diag_indices(x.shape[0], 3),
    "diag_indices_from": lambda ns, x: ns.diag_indices_from(x[:3, :3]),
    "tril_indices": lambda ns, x: ns.tril_indices(3, -1, 4),
    "tril_indices_from": lambda ns, x: ns.tril_indices_from(x, k=1),
    "triu_indices": lambda ns, x: ns.triu_indices(4, 1),
    "triu_indices_from": lambda ns, x: ns.triu_indices_from(x, -1),
    "mask_indices": lambda ns, x: ns.mask_indices(3, ns.triu, 1),
    "ix_": lambda ns, x: ns.ix_([0, 2], numpy.array([1, 3])),
    "ix_bool": lambda ns, x: ns.ix_(x[:, 0] > 0, x[0] < 0),
}


@pytest.mark.parametrize("name", INDEX_CALLS)
def test_index_helpers_are_numpy_constants(name):
    expected = INDEX_CALLS[name](numpy, M)
    got = INDEX_CALLS[name](np, M)
    for g, e in zip(got, expected) if isinstance(expected, tuple) else [(got, expected)]:
        numpy.testing.assert_array_equal(g, e)
    seen = {}

    def f(x):
        seen["out"] = INDEX_CALLS[name](np, x)
        return np.sum(x ** 2)

    numpy.testing.assert_allclose(ravine.grad(f)(M), 2 * M)
    outs = seen["out"] if isinstance(seen["out"], tuple) else (seen["out"],)
    assert not any(isinstance(o, ravine.numpy.ArrayBox) for o in outs)
    for g, e in zip(outs, expected if isinstance(expected, tuple) else (expected,)):
        numpy.testing.assert_array_equal(g, e)


def test_lower_triangle_gather_via_tril_indices_from_a_traced_matrix():
    f = lambda x: x[np.tril_indices_from(x)]
    numpy.testing.assert_array_equal(f(Q), Q[numpy.tril_indices(4)])
    check_grads(f, modes=("fwd", "rev"), order=2)(Q)
