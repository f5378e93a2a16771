"""const_graph: trace once, replay the recorded primitives; never a stale answer."""

import warnings

import numpy
import pytest

import ravine.numpy as np
from ravine import grad
from ravine.extend import defvjp, primitive
from ravine.misc import const_graph

RNG = numpy.random.default_rng(5)


def counting(fun):
    calls = []

    def counted(*args):
        calls.append(1)
        return fun(*args)

    return counted, calls


def test_replay_gives_the_values_of_a_fresh_call_without_running_the_python():
    f, calls = counting(lambda x, W: np.tanh(W @ x) * np.sum(x**2) + 1.0)
    replayed = const_graph(f)
    W = RNG.standard_normal((3, 4))
    for _ in range(3):
        x = RNG.standard_normal(4)
        assert numpy.array_equal(replayed(x, W), numpy.tanh(W @ x) * numpy.sum(x**2) + 1.0)
    assert len(calls) == 1  # traced once, then replayed


def test_work_on_fixed_arguments_is_done_once_and_shapes_start_a_new_trace():
    seen = []

    @primitive
    def noted(x, name):
        seen.append(name)
        return x

    defvjp(noted, lambda ans, x, name: lambda g: g)

    def f(a, b, c):
        return noted(a, "a") + 2.0 * noted(b, "b") + 3.0 * noted(c, "c")

    replayed = const_graph(f, 1.0, c=3.0)
    assert replayed(2.0) == 1.0 + 4.0 + 9.0 and seen == ["a", "b", "c"]
    assert replayed(5.0) == 1.0 + 10.0 + 9.0 and seen == ["a", "b", "c", "b"]  # only b depends on the argument
    v = numpy.array([1.0, 2.0])
    assert numpy.array_equal(replayed(v), 1.0 + 2.0 * v + 9.0) and seen[4:] == ["a", "b", "c"]  # new shape: new trace
    assert numpy.array_equal(replayed(v + 1), 1.0 + 2.0 * (v + 1) + 9.0) and seen[7:] == ["b"]


def test_a_replayed_function_is_differentiable():
    f = lambda x, y: np.sum(np.sin(x) * y) + np.sum(x**3)  # noqa: E731
    replayed = const_graph(f)
    x, y = RNG.standard_normal(3), RNG.standard_normal(3)
    replayed(x, y)  # cached now; grad below goes through the replay with traced values
    for argnum in (0, 1):
        assert numpy.allclose(grad(replayed, argnum)(x + 0.5, y), grad(f, argnum)(x + 0.5, y))


def test_replaying_a_gradient_gives_the_gradient_bit_for_bit():
    X = RNG.standard_normal((40, 5))
    t = numpy.sign(RNG.standard_normal(40))
    loss = lambda w: np.mean(np.log1p(np.exp(-t * (X @ w))))  # noqa: E731
    fast_grad = const_graph(grad(loss))
    for _ in range(3):
        w = RNG.standard_normal(5)
        assert numpy.array_equal(fast_grad(w), grad(loss)(w))


def test_a_function_that_reads_values_is_never_replayed():
    # The branch depends on x: a replay would freeze the first call's branch.
    f, calls = counting(lambda x: np.sum(x) if np.sum(x) > 0 else -np.sum(x**2))
    replayed = const_graph(f)
    with pytest.warns(RuntimeWarning, match="reads the value of a traced argument"):
        assert replayed(numpy.ones(2)) == 2.0
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # warned once, not on every call
        assert replayed(-numpy.ones(2)) == -2.0
        assert replayed(numpy.ones(2)) == 2.0
    assert len(calls) == 3
    g = const_graph(lambda x: x * np.argmax(x))
    with pytest.warns(RuntimeWarning):
        g(numpy.array([1.0, 3.0]))
    assert numpy.array_equal(g(numpy.array([3.0, 1.0])), [0.0, 0.0])


def test_shape_reads_do_not_stop_the_replay():
    f, calls = counting(lambda x: np.reshape(x, (np.size(x), 1)) * np.ones_like(x) + np.ndim(x))
    replayed = const_graph(f)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for _ in range(2):
            x = RNG.standard_normal(3)
            assert numpy.array_equal(replayed(x), numpy.reshape(x, (3, 1)) * numpy.ones(3) + 1)
    assert len(calls) == 1


def test_constants_and_containers_in_the_output_and_integer_arguments():
    f = lambda x, n: {"sum": np.sum(x) * n, "pair": (x, 2.0)}  # noqa: E731
    replayed = const_graph(f)
    for k in (1, 2):  # an integer argument is not traced: fun runs in full every time
        out = replayed(numpy.array([1.0, 2.0]), k)
        assert out["sum"] == 3.0 * k and out["pair"][1] == 2.0
    g = const_graph(lambda x: (x * 2.0, 7.0))
    g(1.0)
    assert g(4.0) == (8.0, 7.0)
    with pytest.raises(TypeError, match="positional arguments only"):
        g(x=1.0)


def test_comparisons_inside_derivative_rules_are_replayed_not_frozen():
    # max's and maximum's derivatives pick entries by comparing values; the replay
    # recomputes those masks, so a new argmax gets the cotangent.
    loss = lambda x: np.max(x) + np.sum(np.maximum(x, 0.0) ** 2)  # noqa: E731
    fast_grad, calls = counting(grad(loss))
    replayed = const_graph(fast_grad)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        first = numpy.array([3.0, -1.0, 0.5])
        assert numpy.array_equal(replayed(first), grad(loss)(first))
        for x in (numpy.array([-2.0, 4.0, 0.5]), numpy.array([1.0, 1.0, -3.0])):  # new argmax, a tie
            assert numpy.array_equal(replayed(x), grad(loss)(x))
    assert len(calls) == 1
    # a value-dependent choice the replay cannot recompute still refuses to cache
    pick = const_graph(lambda x: x[np.argmax(x)] * 2.0)
    with pytest.warns(RuntimeWarning):
        pick(numpy.array([1.0, 3.0]))
    assert pick(numpy.array([5.0, 3.0])) == 10.0


def test_integer_casts_of_traced_values_stop_the_cache():
    for cast in (lambda x: x.astype(int), lambda x: numpy.int64(x), lambda x: numpy.asarray(x, dtype=int)):
        f = const_graph(lambda x, cast=cast: x * np.sum(cast(x)))
        with pytest.warns(RuntimeWarning):
            assert f(numpy.array([1.5, 2.5])) == pytest.approx([4.5, 7.5])
        assert numpy.allclose(f(numpy.array([3.5, 1.0])), [14.0, 4.0])  # not the first call's 3


def test_an_index_read_from_a_replayed_constant_runs_the_function_in_full():
    # k = argsort(x) is recomputed on replay, but k[0] is a Python-level index that decides
    # which entry the graph reads: the graph cannot be replayed (before: a NotDifferentiableError
    # about int64 from inside the replay).
    def f(x):
        k = np.argsort(x)
        i = np.argmax([x[0], x[1], x[2]])  # a list of traced values given to a constant
        return x[k[0]] * 2 + k[1] + x[i]

    replayed = const_graph(grad(f))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        for x in (numpy.array([0.3, 1.2, -0.5]), numpy.array([2.0, 1.0, 0.0])):
            numpy.testing.assert_array_equal(replayed(x), grad(f)(x))
    assert any("runs in full" in str(w.message) for w in caught)
