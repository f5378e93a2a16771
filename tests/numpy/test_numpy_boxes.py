"""Plain NumPy functions called on a traced value: those NumPy hands to the array's
method (numpy.sum(x) is x.sum()) keep the derivative; the rest raise a TracingError
that names the function and the fix."""

import numpy
import pytest

import ravine.numpy as np
from ravine import TracingError, grad
from ravine.numpy.boxes import METHOD_FORWARDED
from ravine.test_util import check_grads

rng = numpy.random.default_rng(5)
M = rng.standard_normal((3, 4))

# (name, positional arguments after x, keyword arguments): called through plain numpy
# on a traced x, and through ravine.numpy
CALLS = [
    ("sum", (), {}), ("sum", (), {"axis": 1, "keepdims": True}), ("prod", (), {"axis": 0}), ("max", (), {}),
    ("min", (), {"axis": 1}), ("amax", (), {"axis": 0}), ("amin", (), {}), ("mean", (), {"axis": -1}),
    ("std", (), {"ddof": 1}), ("var", (), {"axis": 0}), ("cumsum", (), {"axis": 1}), ("cumprod", (), {}),
    ("reshape", ((4, 3),), {}), ("transpose", (), {}), ("swapaxes", (0, 1), {}), ("repeat", (2,), {"axis": 0}),
    ("take", ([2, 0, 0],), {"axis": 1}), ("clip", (-0.5, 0.5), {}),
]


@pytest.mark.parametrize("name, args, kwargs", CALLS, ids=[f"{n}{a}{k}" for n, a, k in CALLS])
def test_numpy_functions_that_call_the_method_keep_the_derivative(name, args, kwargs):
    f_plain = lambda x: getattr(numpy, name)(np.exp(x) * M, *args, **kwargs)  # noqa: E731
    f_ravine = lambda x: getattr(np, name)(np.exp(x) * M, *args, **kwargs)  # noqa: E731
    numpy.testing.assert_allclose(f_plain(0.3), getattr(numpy, name)(numpy.exp(0.3) * M, *args, **kwargs))
    check_grads(f_plain, modes=["fwd", "rev"], order=2)(0.3)
    numpy.testing.assert_allclose(grad(lambda x: np.sum(f_plain(x)))(0.3), grad(lambda x: np.sum(f_ravine(x)))(0.3))


def test_constant_valued_ones_give_numpy_answers():
    x = numpy.array([0.3, -1.2, 2.0])
    seen = {}

    def fun(x):
        seen.update(argmax=numpy.argmax(x), argsort=numpy.argsort(x), any=numpy.any(x > 1.5),
                    nonzero=numpy.nonzero(x > 0)[0], round=numpy.round(x))
        return np.sum(x)

    grad(fun)(x)
    assert seen["argmax"] == 2 and seen["argsort"].tolist() == [1, 0, 2] and seen["any"]
    assert seen["nonzero"].tolist() == [0, 2] and seen["round"].tolist() == [0.0, -1.0, 2.0]
    assert all(hasattr(np, name) for name in METHOD_FORWARDED)


def test_other_numpy_functions_and_out_arguments_raise_clear_errors():
    with pytest.raises(TracingError, match=r"numpy.dot.*ravine.numpy.dot"):
        grad(lambda x: numpy.dot(x, x.T).sum())(M)
    with pytest.raises(TracingError, match=r"out=.*returned value"):
        grad(lambda x: numpy.sum(x, axis=0, out=numpy.empty(4)).sum())(M)


def test_constants_take_lists_and_tuples_of_traced_values():
    # The constant wrappers unwrapped only top-level arguments: np.argmax([x0, x1]) raised.
    x = numpy.array([0.3, 1.2, -0.5])

    def f(v):
        i = np.argmax([v[0], v[1], v[2]])
        j = np.searchsorted([v[2], v[0]], 0.0)
        order = np.argsort((v[1], v[0]))
        return v[i] * 2.0 + j + order[0] * v[0]

    numpy.testing.assert_array_equal(grad(f)(x), [1.0, 2.0, 0.0])
    assert np.equal([x[0]], (x[0],))[0]
