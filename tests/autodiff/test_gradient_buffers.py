"""The gradients of different leaves of a pytree never share memory.

A rule may pass the cotangent itself to both operands of ``x + y``, or a view of it
through a reshape; before the fix ``grad`` then returned one array for two leaves, and
an in-place update of one gradient (``g *= -lr``, common in hand-written training
loops) silently changed the other.
"""

import numpy
import pytest

import ravine
import ravine.numpy as np

A = numpy.array([0.3, -0.2, 0.5])
B = numpy.array([0.1, 0.4, -0.6])


def _sech2(z):
    return 1.0 - numpy.tanh(z) ** 2


CASES = {
    "list, x + y": (lambda p: np.sum(np.tanh(p[0] + p[1])), [A, B], lambda: [_sech2(A + B)] * 2),
    "list, y a reshaped view": (lambda p: np.sum(np.tanh(p[0] + p[1].reshape(3))), [A, B.reshape(1, 3)],
                                lambda: [_sech2(A + B), _sech2(A + B).reshape(1, 3)]),
    "dict, three operands": (lambda p: np.sum(np.tanh(p["x"] + p["y"] - p["z"])), {"x": A, "y": B, "z": 2 * A},
                             lambda: {"x": _sech2(-A + B), "y": _sech2(-A + B), "z": -_sech2(-A + B)}),
}


@pytest.mark.parametrize("name", list(CASES))
def test_leaf_gradients_are_separate_arrays_with_the_right_values(name):
    fun, params, expected = CASES[name]
    grads = ravine.grad(fun)(params)
    leaves = list(grads.values()) if isinstance(grads, dict) else list(grads)
    want = expected()
    want_leaves = list(want.values()) if isinstance(want, dict) else list(want)
    for got, ref in zip(leaves, want_leaves):
        numpy.testing.assert_allclose(got, ref, rtol=1e-12)
    for i in range(len(leaves)):
        for j in range(i + 1, len(leaves)):
            assert not numpy.shares_memory(leaves[i], leaves[j])
    # The use that went wrong: an in-place step on one gradient leaves the others as they were.
    before = [leaf.copy() for leaf in leaves[1:]]
    leaves[0] *= -0.1
    for leaf, old in zip(leaves[1:], before):
        numpy.testing.assert_array_equal(leaf, old)


def test_gradients_for_several_argnums_are_separate_arrays():
    gx, gy = ravine.grad(lambda x, y: np.sum(np.sin(x + y)), argnum=(0, 1))(A, B)
    numpy.testing.assert_allclose(gx, numpy.cos(A + B), rtol=1e-12)
    assert not numpy.shares_memory(gx, gy)
