"""Forward-mode shortcuts (ravine.numpy.fast_jvps) give what the defjvp rules give.

Each shortcut is compared with the general rules (the per-argument JVPs summed
as forward mode sums them) on broadcasting, float32, complex, reductions and
matrix products; then whole forward-mode derivatives are checked against
finite differences and against reverse mode.
"""

import numpy
import pytest
from random_values import RandomValues

import ravine.numpy as np
from ravine import grad, make_jvp
from ravine.autodiff.core import add_outgrads
from ravine.numpy import wrapper as anp
from ravine.test_util import check_grads

values = RandomValues(1)
_real, _complex, _positive, _tangent_like = values.real, values.complex, values.positive, values.like
F32 = numpy.float32


def _general(fun, tangents, ans, args, kwargs, argnums):
    if fun.jvp_argnums is not None:
        return fun.jvp_argnums(argnums, tangents, ans, args, kwargs)
    total = None
    for i, t in zip(argnums, tangents):
        term = fun.jvps[i](t, ans, *args, **kwargs)
        total = term if total is None else add_outgrads(total, term)
    return total


def _assert_same(fast, general):
    fast, general = numpy.asarray(fast), numpy.asarray(general)
    assert fast.shape == general.shape and fast.dtype == general.dtype
    numpy.testing.assert_allclose(fast, general, rtol=1e-12, atol=1e-12)


def _compare(fun, args, kwargs=None, argnum_sets=None):
    kwargs = kwargs or {}
    ans = fun.fun(*args, **kwargs)
    for argnums in argnum_sets or [(0,)]:
        tangents = [_tangent_like(args[i]) for i in argnums]
        fast = fun.fast_jvp(tangents, ans, args, kwargs, argnums)
        assert fast is not None
        _assert_same(fast, _general(fun, tangents, ans, args, kwargs, argnums))


BINARY_CASES = [
    (_real(3, 4), _real(3, 4)),
    (_real(3, 4), _real(4)),
    (_real(3, 1), _real(1, 4)),
    (_real(2, 3, 4), _real(3, 1)),
    (_real(), _real(5)),
    (_real(3, dtype=F32), _real(3, dtype=F32)),
    (_real(3), _complex(3)),
]


@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "divide", "true_divide"])
@pytest.mark.parametrize("case", range(len(BINARY_CASES)))
def test_binary_forward_shortcut_equals_the_general_rules(name, case):
    x, y = BINARY_CASES[case]
    if name in ("divide", "true_divide"):
        y = numpy.abs(y) + 0.5
    _compare(getattr(anp, name), (x, y), argnum_sets=[(0,), (1,), (0, 1)])


@pytest.mark.parametrize("name", ["negative", "exp", "log", "log1p", "tanh", "sin", "cos"])
@pytest.mark.parametrize("x", [_positive(3, 4), _positive(3, dtype=F32), _positive(), _complex(2, 2) + 2.0])
def test_unary_forward_shortcut_equals_the_general_rule(name, x):
    _compare(getattr(anp, name), (x,))


@pytest.mark.parametrize("name", ["sum", "mean", "max", "amax", "min", "amin"])
@pytest.mark.parametrize("kwargs", [{}, {"axis": 1}, {"axis": -1, "keepdims": True}, {"axis": (0, 2)}])
def test_reduction_forward_shortcut_equals_the_general_rule(name, kwargs):
    x = _real(2, 3, 4)
    x[0, 0, :2] = x.max()  # a tie: the tangent is averaged over the chosen entries
    _compare(getattr(anp, name), (x,), kwargs)


@pytest.mark.parametrize("name", ["matmul", "dot"])
@pytest.mark.parametrize("case", [(_real(3, 4), _real(4, 5)), (_real(3, 4), _real(4)), (_real(4), _real(4, 5)),
                                  (_real(3, 4), _complex(4, 2))])
def test_matrix_product_forward_shortcut_equals_the_general_rule(name, case):
    _compare(getattr(anp, name), case, argnum_sets=[(0,), (1,), (0, 1)])


def test_shape_and_indexing_forward_shortcuts_apply_the_function_to_the_tangent():
    x = _real(2, 3)
    _compare(anp.reshape, (x, (3, 2)))
    _compare(anp.transpose, (x,))
    _compare(anp.getitem, (x, (slice(None), numpy.array([0, 2, 2]))))
    _compare(anp.sum, (x, 1))


def test_forward_mode_through_the_shortcuts_matches_reverse_mode_and_finite_differences():
    X, W, b = _real(5, 3), _real(3, 4), _real(4)

    def f(W):
        h = np.tanh(X @ W + b)
        return np.sum(np.exp(-h) / (1.0 + h**2)) - np.mean(np.log1p(np.exp(h))) + np.max(h)

    check_grads(f, modes=("fwd",), order=1)(W)
    v = _real(3, 4)
    _, forward = make_jvp(f)(W)(v)
    numpy.testing.assert_allclose(forward, numpy.sum(grad(f)(W) * v), rtol=1e-12)


def test_a_traced_tangent_takes_the_general_rules():
    # The gradient of v -> ∇f(x)·v (a JVP) with respect to v is ∇f(x): forward mode
    # nested in reverse mode, where the tangents are boxes and the shortcuts step aside.
    x = _positive(4)
    f = lambda x: np.sum(np.log(x) * np.tanh(x))  # noqa: E731
    through_v = grad(lambda v: make_jvp(f)(x)(v)[1])(numpy.ones(4))
    expected = numpy.tanh(x) / x + numpy.log(x) * (1 - numpy.tanh(x) ** 2)
    numpy.testing.assert_allclose(through_v, expected, rtol=1e-12)
