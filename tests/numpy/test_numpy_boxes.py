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
    f_plain = lambda x: getattr(numpy, name)(np.exp(x) * M, *args, **kwargs)
    f_ravine = lambda x: getattr(np, name)(np.exp(x) * M, *args, **kwargs)
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


# ndarray attributes a traced array deliberately lacks: they expose or change raw memory.
RAW_MEMORY = {"base", "byteswap", "ctypes", "data", "dump", "dumps", "flags", "getfield", "setflags", "tofile"}


def test_a_traced_array_has_ndarrays_public_attributes():
    from ravine.numpy.boxes import ArrayBox

    missing = {n for n in dir(numpy.ndarray) if not n.startswith("_") and not hasattr(ArrayBox, n)}
    assert missing == RAW_MEMORY


def test_the_array_api_attributes_and_the_newer_methods():
    x = numpy.array([[3.0, 1.0, 2.0], [0.5, 4.0, -1.0]])
    weights = numpy.arange(6.0).reshape(3, 2)

    def f(v):
        assert v.mT.shape == (3, 2) and v.device == "cpu" and v.to_device("cpu") is v and v.strides == x.strides
        assert 4.0 in v and 7.0 not in v
        smallest = v[0].argpartition(1)[0]
        return (np.sum(v.mT * weights) + np.sum(v.compress([True, False], axis=0)) + v[0][smallest]
                + v[0].searchsorted(1.5))

    numpy.testing.assert_array_equal(grad(f)(x), weights.T + [[1.0, 2.0, 1.0], [0.0, 0.0, 0.0]])


def test_a_copy_of_a_traced_value_is_the_same_traced_value():
    # copy.deepcopy duplicated the node before: a silently zero gradient.
    import copy
    import pickle

    x = numpy.array([1.0, 2.0])
    f = lambda v: np.sum(copy.deepcopy(v) * copy.copy(v) + copy.deepcopy({"a": v})["a"])
    numpy.testing.assert_array_equal(grad(f)(x), 2 * x + 1)
    check_grads(lambda v: copy.deepcopy(v) ** 3, modes=("fwd", "rev"), order=2)(x)
    with pytest.raises(TracingError, match="cannot be pickled"):
        grad(lambda v: len(pickle.dumps(v)))(x)


def test_a_format_spec_prints_the_value():
    # f"{loss:.3f}" inside a differentiated function raised a TypeError (as in autograd).
    printed = []

    def f(v):
        loss = np.sum(v ** 2)
        printed.append(f"{loss:.3f} {loss:>7.1e}")
        return loss

    grad(f)(numpy.array([1.0, 2.0]))
    assert printed == ["5.000 5.0e+00"]
    assert f"{grad(lambda v: (print(f'{v:.2f}') or v) * v)(3.0):.1f}" == "6.0"
