"""Forward-over-reverse shortcuts (ravine.numpy.dual_vjps) give what the general rules give.

A dual VJP computes a cotangent and its tangent at once, for the backward pass
of a gradient nested in a forward trace (Hessian-vector products).  Each rule
is compared with the general path — the defvjp rules run on forward-trace
boxes — on the same dual numbers: values and tangents must agree.  Then whole
Hessian-vector products are compared with reverse over reverse and with the
closed-form Hessian.
"""

import numpy
import pytest
from random_values import RandomValues

import ravine.numpy as np
from ravine import grad, hessian, hessian_tensor_product
from ravine.autodiff.core import ForwardTrace, _dual_vjp, _general_vjp
from ravine.autodiff.tracer import Box, getval, new_box
from ravine.numpy import wrapper as anp

values = RandomValues(2)
_real, _complex, _positive, _like = values.real, values.complex, values.positive, values.like
F32 = numpy.float32


def _parts(x):
    """(value, tangent) of a dual number; a raw value has tangent 0."""
    if isinstance(x, Box):
        return x._value, x._node  # a forward trace's node is the tangent
    return x, None


def _assert_close(a, b):
    a, b = numpy.asarray(a), numpy.asarray(b)
    assert a.shape == b.shape and a.dtype == b.dtype
    # The same derivative, computed in another order: equal up to rounding.
    tol = 1e-5 if a.dtype in (numpy.float32, numpy.complex64) else 1e-11
    numpy.testing.assert_allclose(a, b, rtol=tol, atol=tol)


def _compare(fun, args, kwargs=None, dual_args=None, dual_g=True, argnum_sets=((0,),)):
    """Box the arguments listed in ``dual_args`` (all by default) and the cotangent
    in one forward trace, and compare the dual rule with the general rules."""
    kwargs = kwargs or {}
    dual_args = range(len(args)) if dual_args is None else dual_args
    trace = ForwardTrace()
    boxed = tuple(new_box(a, trace, _like(a)) if i in dual_args else a for i, a in enumerate(args))
    ans = fun(*boxed, **kwargs)  # forward mode gives the answer its tangent
    g_value = _like(getval(ans))
    g = new_box(g_value, trace, _like(g_value)) if dual_g else g_value
    for argnums in argnum_sets:
        general = _general_vjp(fun, g, ans, boxed, kwargs, argnums)
        dual = _dual_vjp(fun.dual_vjp, g, ans, boxed, kwargs, argnums)
        assert dual is not None, f"{fun.__name__} declined"
        for d, w in zip(dual, general):
            (dv, dt), (wv, wt) = _parts(d), _parts(w)
            _assert_close(dv, wv)
            if wt is None:
                assert dt is None or not numpy.any(dt)
            else:
                _assert_close(dt, wt)


BINARY_CASES = [
    (_real(3, 4), _real(3, 4)),
    (_real(3, 4), _real(4)),
    (_real(3, 1), _real(1, 4)),
    (_real(2, 3, 4), _real(3, 1)),
    (_real(), _real(5)),
    (_real(3), _complex(3)),
]


@pytest.mark.parametrize("name", ["add", "subtract", "multiply", "divide", "true_divide"])
@pytest.mark.parametrize("case", range(len(BINARY_CASES)))
@pytest.mark.parametrize("dual_args", [(0, 1), (0,), (1,)])
@pytest.mark.parametrize("dual_g", [True, False])
def test_binary_dual_rule_equals_the_general_rules(name, case, dual_args, dual_g):
    x, y = BINARY_CASES[case]
    if name in ("divide", "true_divide"):
        y = numpy.abs(y) + 0.5
    _compare(getattr(anp, name), (x, y), dual_args=dual_args, dual_g=dual_g, argnum_sets=[(0,), (1,), (0, 1)])


@pytest.mark.parametrize("name", ["negative", "exp", "log", "log1p", "tanh"])
@pytest.mark.parametrize("x", [_positive(3, 4), _positive(3, dtype=F32), _positive(), _complex(2, 2) + 2.0])
@pytest.mark.parametrize("dual_g", [True, False])
def test_unary_dual_rule_equals_the_general_rule(name, x, dual_g):
    _compare(getattr(anp, name), (x,), dual_g=dual_g)


@pytest.mark.parametrize("name", ["sum", "mean", "max", "amax", "min", "amin"])
@pytest.mark.parametrize("kwargs", [{}, {"axis": 1}, {"axis": -1, "keepdims": True}, {"axis": (0, 2)}])
def test_reduction_dual_rule_equals_the_general_rule(name, kwargs):
    x = _real(2, 3, 4)
    x[0, 0, :2] = x.max()
    _compare(getattr(anp, name), (x,), kwargs)


@pytest.mark.parametrize("name", ["matmul", "dot"])
@pytest.mark.parametrize("case", [(_real(3, 4), _real(4, 5)), (_real(3, 4), _real(4)), (_real(4), _real(4, 5)),
                                  (_real(3, 4), _complex(4, 2))])
@pytest.mark.parametrize("dual_args", [(0, 1), (0,), (1,)])
def test_matrix_product_dual_rule_equals_the_general_rule(name, case, dual_args):
    _compare(getattr(anp, name), case, dual_args=dual_args, argnum_sets=[(0,), (1,), (0, 1)])


def test_dual_rule_steps_aside_for_a_reverse_trace_above():
    # Arguments boxed by a reverse trace (not a forward one): the general rules run.
    from ravine.autodiff.core import ReverseTrace

    trace = ReverseTrace()
    x = new_box(_real(3), trace, trace.root())
    assert _dual_vjp(anp.tanh.dual_vjp, _real(3), anp.tanh(x), (x,), {}, (0,)) is None


def _mlp_loss(params, X, Y):
    W1, b1, W2, b2 = params
    h = np.tanh(X @ W1 + b1)
    logits = h @ W2 + b2
    shifted = logits - np.max(logits, axis=1, keepdims=True)
    log_norm = np.log(np.sum(np.exp(shifted), axis=1, keepdims=True))
    return -np.sum(Y * (shifted - log_norm)) / X.shape[0]


def _without_dual_rules(compute):
    saved = {name: fun.dual_vjp for name, fun in vars(anp).items() if getattr(fun, "dual_vjp", None)}
    try:
        for name in saved:
            getattr(anp, name).dual_vjp = None
        return compute()
    finally:
        for name, rule in saved.items():
            getattr(anp, name).dual_vjp = rule


@pytest.mark.parametrize("dtype", [numpy.float64, F32])
def test_mlp_hessian_vector_product_is_the_same_with_and_without_dual_rules(dtype):
    params = [_real(4, 6, dtype=dtype), _real(6, dtype=dtype), _real(6, 3, dtype=dtype), _real(3, dtype=dtype)]
    X, Y = _real(5, 4, dtype=dtype), numpy.eye(3, dtype=dtype)[[0, 2, 1, 1, 0]]
    v = [_like(p) for p in params]
    hvp = hessian_tensor_product(_mlp_loss)
    fast = hvp(params, X, Y, v)
    general = _without_dual_rules(lambda: hvp(params, X, Y, v))
    reverse_over_reverse = grad(lambda p: sum(np.sum(g * u) for g, u in zip(grad(_mlp_loss)(p, X, Y), v)))(params)
    tol = 1e-5 if dtype is F32 else 1e-10
    for f, g, r in zip(fast, general, reverse_over_reverse):
        assert f.dtype == dtype
        numpy.testing.assert_allclose(f, g, rtol=tol, atol=tol)
        numpy.testing.assert_allclose(f, r, rtol=tol, atol=tol)


def test_logistic_regression_hessian_vector_product_is_the_closed_form():
    X, y, w, v = _real(30, 4), numpy.sign(_real(30)), _real(4), _real(4)
    loss = lambda w: np.mean(np.log1p(np.exp(-y * (X @ w))))  # noqa: E731
    s = 1 / (1 + numpy.exp(-y * (X @ w)))
    H = (X.T * (s * (1 - s))) @ X / len(y)
    numpy.testing.assert_allclose(hessian_tensor_product(loss)(w, v), H @ v, rtol=1e-10)
    numpy.testing.assert_allclose(hessian(loss)(w), H, rtol=1e-10)


def test_third_order_through_a_hessian_vector_product_uses_the_general_rules_where_it_must():
    # f = Σ tanh(x)·x²/2 + Σ exp(x)/x: the gradient of vᵀHv is the third derivative
    # contracted twice, checked against the closed form per entry.
    x, v = _positive(4), _real(4)
    f = lambda x: np.sum(np.tanh(x) * x**2 / 2) + np.sum(np.exp(x) / x)  # noqa: E731
    third = grad(lambda x: np.sum(hessian_tensor_product(f)(x, v) * v))(x)
    t = numpy.tanh(x)
    s = 1 - t**2                                   # tanh'
    d2 = -2 * t * s                                # tanh''
    d3 = -2 * s**2 + 4 * t**2 * s                  # tanh'''
    f3_tanh = d3 * x**2 / 2 + 3 * d2 * x + 3 * s   # (tanh · x²/2)'''
    e = numpy.exp(x)
    f3_exp = e * (1 / x - 3 / x**2 + 6 / x**3 - 6 / x**4)  # (eˣ/x)'''
    numpy.testing.assert_allclose(third, (f3_tanh + f3_exp) * v**2, rtol=1e-9)
