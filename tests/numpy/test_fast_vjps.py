"""The first-order shortcuts of ravine.numpy.fast_vjps give what the defvjp rules give.

Each shortcut is compared, node by node, with the maker rule it stands in for
(same values, dtype and shape) on broadcasting, float32 and complex operands;
then whole gradients are checked against finite differences with the shortcuts
on, and derivatives of derivatives (which must not use them) to second order.
"""

import numpy
import pytest
from random_values import RandomValues

import ravine.numpy as np
from ravine import grad, hessian, hessian_tensor_product, make_vjp
from ravine.autodiff.core import def_fast_vjp, defvjp
from ravine.autodiff.tracer import primitive
from ravine.numpy import wrapper as anp
from ravine.test_util import check_grads

values = RandomValues(0)
_real, _complex, _positive, _cotangent_like = values.real, values.complex, values.positive, values.like
F32 = numpy.float32


def _general(fun, g, ans, args, kwargs, argnums):
    return [fun.vjps[i](ans, *args, **kwargs)(g) for i in argnums]


def _assert_same(fast, general):
    assert len(fast) == len(general)
    for f, w in zip(fast, general):
        f, w = numpy.asarray(f), numpy.asarray(w)
        assert f.shape == w.shape and f.dtype == w.dtype
        numpy.testing.assert_allclose(f, w, rtol=1e-12, atol=1e-12)


BINARY_CASES = [
    (_real(3, 4), _real(3, 4)),
    (_real(3, 4), _real(4)),          # y broadcast along rows
    (_real(3, 1), _real(1, 4)),       # both broadcast
    (_real(2, 3, 4), _real(3, 1)),    # leading axis and a size-1 axis
    (_real(), _real(5)),              # 0-d against a vector
    (2.5, _real(3)),                  # Python float
    (_real(3, dtype=F32), _real(3, dtype=F32)),
    (_real(3, dtype=F32), 0.5),
    (_real(3), _complex(3)),          # real x, complex y: x's cotangent is real
    (_complex(2, 3), _real(3)),
]


@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "divide", "true_divide"])
@pytest.mark.parametrize("case", range(len(BINARY_CASES)))
def test_binary_shortcut_equals_the_maker_rule(name, case):
    x, y = BINARY_CASES[case]
    if name in ("divide", "true_divide"):
        y = numpy.abs(y) + 0.5 if numpy.ndim(y) or not isinstance(y, float) else y
    fun = getattr(anp, name)
    ans = fun.fun(x, y)
    g = _cotangent_like(ans)
    for argnums in ([0], [1], [0, 1]):
        _assert_same(fun.fast_vjp(g, ans, (x, y), {}, argnums), _general(fun, g, ans, (x, y), {}, argnums))


@pytest.mark.parametrize("name", ["negative", "exp", "log", "log1p", "tanh", "sin", "cos"])
@pytest.mark.parametrize("x", [_positive(3, 4), _positive(3, dtype=F32), _positive(), _complex(2, 2) + 2.0,
                               numpy.array(1.5), numpy.array(0.75, dtype=F32)])
def test_unary_shortcut_equals_the_maker_rule(name, x):
    fun = getattr(anp, name)
    ans = fun.fun(x)
    g = _cotangent_like(ans)
    _assert_same(fun.fast_vjp(g, ans, (x,), {}, [0]), _general(fun, g, ans, (x,), {}, [0]))


@pytest.mark.parametrize("name", ["negative", "exp", "log", "log1p", "tanh", "sin", "cos"])
def test_unary_shortcut_of_zero_d_arrays(name):
    # 0-d arrays (grad's seed is one) make NumPy return scalars: no scratch-array path.
    fun = getattr(anp, name)
    for x, g in ((numpy.array(1.5), numpy.array(0.3)), (numpy.array(0.75, F32), numpy.array(2.0, F32))):
        ans = fun.fun(x)
        _assert_same(fun.fast_vjp(g, ans, (x,), {}, [0]), _general(fun, g, ans, (x,), {}, [0]))
        _assert_same(fun.fast_vjp(g, numpy.asarray(ans), (x,), {}, [0]), _general(fun, g, ans, (x,), {}, [0]))


REDUCTION_CALLS = [
    {}, {"axis": 0}, {"axis": 1}, {"axis": -1}, {"axis": 1, "keepdims": True}, {"keepdims": True},
    {"axis": (0, 2)}, {"axis": (0, 2), "keepdims": True},
]


@pytest.mark.parametrize("name", ["sum", "mean", "max", "amax", "min", "amin"])
@pytest.mark.parametrize("kwargs", REDUCTION_CALLS)
@pytest.mark.parametrize("dtype", [numpy.float64, F32])
def test_reduction_shortcut_equals_the_maker_rule(name, kwargs, dtype):
    x = _real(2, 3, 4, dtype=dtype)
    x[0, 0, :2] = x.max()  # a tie for the maximum: the cotangent is shared
    fun = getattr(anp, name)
    ans = fun.fun(x, **kwargs)
    g = _cotangent_like(ans)
    _assert_same(fun.fast_vjp(g, ans, (x,), kwargs, [0]), _general(fun, g, ans, (x,), kwargs, [0]))


def test_sum_and_mean_shortcuts_of_complex_and_zero_d_values():
    for x in (_complex(3, 2), _real()):
        for fun in (anp.sum, anp.mean):
            ans = fun.fun(x)
            g = _cotangent_like(ans)
            _assert_same(fun.fast_vjp(g, ans, (x,), {}, [0]), _general(fun, g, ans, (x,), {}, [0]))


def test_reduction_shortcut_declines_calls_it_does_not_know():
    x = _real(3, 4)
    assert anp.sum.fast_vjp(1.0, x.sum(), (x,), {"dtype": F32}, [0]) is None
    assert anp.mean.fast_vjp(1.0, x.mean(0), (x, 0), {}, [0]) is None  # axis given by position


MATMUL_CASES = [
    (_real(3, 4), _real(4, 5)),
    (_real(3, 4), _real(4)),
    (_real(4), _real(4, 5)),
    (_real(3, 4, dtype=F32), _real(4, 2, dtype=F32)),
    (_real(3, 4), _complex(4, 2)),
    (_complex(3, 4), _real(4)),
    (_real(4), _complex(4, 2)),
]


@pytest.mark.parametrize("name", ["matmul", "dot"])
@pytest.mark.parametrize("case", range(len(MATMUL_CASES)))
def test_matrix_product_shortcut_equals_the_maker_rule(name, case):
    A, B = MATMUL_CASES[case]
    fun = getattr(anp, name)
    ans = fun.fun(A, B)
    g = _cotangent_like(ans)
    for argnums in ([0], [1], [0, 1]):
        _assert_same(fun.fast_vjp(g, ans, (A, B), {}, argnums), _general(fun, g, ans, (A, B), {}, argnums))


def test_matrix_product_shortcut_declines_batched_and_vector_vector_products():
    A, B = _real(2, 3, 4), _real(2, 4, 5)
    assert anp.matmul.fast_vjp(_real(2, 3, 5), A @ B, (A, B), {}, [0]) is None
    v = _real(3)
    assert anp.matmul.fast_vjp(_real(), v @ v, (v, v), {}, [0]) is None


def _mlp_loss(params, X, Y):
    W1, b1, W2, b2 = params
    h = np.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_norm = np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.sum(Y * (shifted - log_norm)) / X.shape[0]


def _mlp_problem(dtype=numpy.float64):
    params = [_real(4, 6, dtype=dtype), _real(6, dtype=dtype), _real(6, 3, dtype=dtype), _real(3, dtype=dtype)]
    X = _real(5, 4, dtype=dtype)
    Y = numpy.eye(3, dtype=dtype)[[0, 2, 1, 1, 0]]
    return params, X, Y


def _backprop_by_hand(params, X, Y):
    W1, b1, W2, b2 = params
    h = numpy.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    e = numpy.exp(logits - logits.max(axis=1, keepdims=True))
    delta = (e / e.sum(axis=1, keepdims=True) - Y) / X.shape[0]
    delta_h = (delta @ W2.T) * (1 - h**2)
    return [X.T @ delta_h, delta_h.sum(0), h.T @ delta, delta.sum(0)]


def test_mlp_gradient_with_shortcuts_equals_backpropagation_by_hand():
    params, X, Y = _mlp_problem()
    for got, want in zip(grad(_mlp_loss)(params, X, Y), _backprop_by_hand(params, X, Y)):
        numpy.testing.assert_allclose(got, want, rtol=1e-10, atol=1e-12)


def _without_shortcuts(compute):
    saved = {name: fun.fast_vjp for name, fun in vars(anp).items() if getattr(fun, "fast_vjp", None)}
    try:
        for name in saved:
            getattr(anp, name).fast_vjp = None
        return compute()
    finally:
        for name, rule in saved.items():
            getattr(anp, name).fast_vjp = rule


@pytest.mark.parametrize("dtype", [numpy.float64, F32])
def test_mlp_gradient_is_the_same_with_and_without_shortcuts(dtype):
    params, X, Y = _mlp_problem(dtype)
    fast = grad(_mlp_loss)(params, X, Y)
    general = _without_shortcuts(lambda: grad(_mlp_loss)(params, X, Y))
    _assert_same(fast, general)


def test_second_order_through_the_shortcut_primitives():
    params, X, Y = _mlp_problem()
    W1 = params[0]

    def loss_of_W1(W):
        return _mlp_loss([W] + params[1:], X, Y)

    check_grads(loss_of_W1, modes=("rev",), order=2)(W1)
    v = _real(*W1.shape)
    hv_reverse = grad(lambda W: np.sum(grad(loss_of_W1)(W) * v))(W1)  # reverse over reverse
    hv_forward = hessian_tensor_product(loss_of_W1)(W1, v)             # forward over reverse
    numpy.testing.assert_allclose(hv_reverse, hv_forward, rtol=1e-9, atol=1e-12)


def test_hessian_of_logistic_loss_is_the_closed_form():
    X, y = _real(20, 3), numpy.sign(_real(20))
    w = _real(3)
    loss = lambda w: np.mean(np.log1p(np.exp(-y * (X @ w))))  # noqa: E731
    s = 1 / (1 + numpy.exp(-y * (X @ w)))
    numpy.testing.assert_allclose(hessian(loss)(w), (X.T * (s * (1 - s))) @ X / len(y), rtol=1e-10)
    numpy.testing.assert_allclose(grad(loss)(w), X.T @ (-y * (1 - s)) / len(y), rtol=1e-10)


def test_traced_cotangent_uses_the_maker_rules():
    # vjp(g) with a traced g is itself differentiated: gᵀJ is linear in g, so the
    # gradient of ‖Jᵀg‖² with respect to g is 2 J Jᵀ g.
    A = _real(3, 3)
    x = _real(3)
    vjp, _ = make_vjp(lambda x: np.tanh(A @ x) * 2.0)(x)
    J = A * (2.0 * (1 - numpy.tanh(A @ x) ** 2))[:, None]
    numpy.testing.assert_allclose(numpy.stack([vjp(e) for e in numpy.eye(3)]), J, rtol=1e-12)
    g = _real(3)
    numpy.testing.assert_allclose(grad(lambda g: np.sum(vjp(g) ** 2))(g), 2 * J @ (J.T @ g), rtol=1e-12)


def test_defvjp_replaces_a_shortcut():
    # A rule registered later wins over a shortcut registered before it.
    square = primitive(lambda x: x * x)
    defvjp(square, lambda ans, x: lambda g: 2 * x * g)
    def_fast_vjp(square, lambda g, ans, args, kwargs, argnums: [3 * args[0] * g])
    assert grad(square)(2.0) == 6.0  # the shortcut runs for first-order derivatives
    assert grad(grad(square))(2.0) == 2.0  # and not when the backward pass is traced
    defvjp(square, lambda ans, x: lambda g: 2 * x * g)
    assert grad(square)(2.0) == 4.0
