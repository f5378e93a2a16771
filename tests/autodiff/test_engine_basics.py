"""The engine end to end: known derivatives, nesting, modes, pytrees, errors."""

import numpy
import pytest

import ravine.numpy as np
from ravine import (
    NotDifferentiableError,
    ShapeError,
    TracingError,
    checkpoint,
    deriv,
    elementwise_grad,
    grad,
    grad_and_aux,
    grad_named,
    hessian,
    hessian_tensor_product,
    jacobian,
    make_hvp,
    make_jvp,
    make_vjp,
    multigrad_dict,
    value_and_grad,
)
from ravine.test_util import GradientCheckError, check_grads


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def test_lecture_logistic_example_matches_hand_derivation():
    # L = ½(σ(wx + b) − t)²  =>  dL/dw = (y − t) σ'(z) x with σ' = y(1 − y)
    x, t, b = 1.5, 0.2, -0.3
    loss = lambda w: 0.5 * (sigmoid(w * x + b) - t) ** 2
    w = 0.7
    y = 1 / (1 + numpy.exp(-(w * x + b)))
    assert grad(loss)(w) == pytest.approx((y - t) * y * (1 - y) * x, rel=1e-12)


def test_tanh_derivatives_of_three_orders():
    x = 0.8
    t = numpy.tanh(x)
    f = np.tanh
    assert grad(f)(x) == pytest.approx(1 - t**2, rel=1e-12)
    assert grad(grad(f))(x) == pytest.approx(-2 * t * (1 - t**2), rel=1e-12)
    assert grad(grad(grad(f)))(x) == pytest.approx(-2 * (1 - t**2) ** 2 + 4 * t**2 * (1 - t**2), rel=1e-10)


def test_control_flow_recursion_and_closures():
    def power_by_loop(x, n):
        out = 1.0
        for _ in range(n):
            out = out * x
        return out

    def recursive(x, n):
        return x if n == 1 else x * recursive(x, n - 1)

    assert grad(power_by_loop)(1.3, 5) == pytest.approx(5 * 1.3**4)
    assert grad(recursive)(1.3, 4) == pytest.approx(4 * 1.3**3)
    scale = 3.0
    assert grad(lambda x: scale * x if x > 0 else -x)(2.0) == 3.0
    assert grad(lambda x: scale * x if x > 0 else -x)(-2.0) == -1.0


def test_hessian_of_quadratic_is_the_matrix():
    rng = numpy.random.default_rng(0)
    M = rng.standard_normal((4, 4))
    A = M @ M.T
    f = lambda x: 0.5 * np.dot(x, np.dot(A, x))
    x = rng.standard_normal(4)
    numpy.testing.assert_allclose(hessian(f)(x), A, atol=1e-12)
    v = rng.standard_normal(4)
    numpy.testing.assert_allclose(hessian_tensor_product(f)(x, v), A @ v, atol=1e-12)
    hvp, g = make_hvp(f)(x)
    numpy.testing.assert_allclose(hvp(v), A @ v, atol=1e-12)
    numpy.testing.assert_allclose(g, A @ x, atol=1e-12)


def test_jacobian_matches_finite_differences_and_forward_mode():
    rng = numpy.random.default_rng(1)
    W = rng.standard_normal((3, 5))
    f = lambda x: np.tanh(np.dot(W, x))
    x = rng.standard_normal(5)
    J = jacobian(f)(x)
    assert J.shape == (3, 5)
    numpy.testing.assert_allclose(J, (1 - numpy.tanh(W @ x) ** 2)[:, None] * W, atol=1e-12)
    v = rng.standard_normal(5)
    _, jv = make_jvp(f)(x)(v)
    numpy.testing.assert_allclose(jv, J @ v, atol=1e-12)
    check_grads(f)(x)


def test_pytrees_in_and_out():
    params = {"W": numpy.ones((2, 3)), "b": numpy.zeros(3), "extra": (numpy.array(2.0), [numpy.ones(1)])}
    loss = lambda p: np.sum(np.dot(numpy.ones(2), p["W"]) + p["b"]) * p["extra"][0] + np.sum(p["extra"][1][0])
    g = grad(loss)(params)
    numpy.testing.assert_allclose(g["W"], 2.0 * numpy.ones((2, 3)))
    numpy.testing.assert_allclose(g["b"], 2.0 * numpy.ones(3))
    assert g["extra"][0] == pytest.approx(6.0)
    numpy.testing.assert_allclose(g["extra"][1][0], numpy.ones(1))


def test_grad_and_aux_value_and_grad_multigrad():
    f = lambda x: (np.sum(x**2), np.sum(x))
    g, aux = grad_and_aux(f)(numpy.arange(3.0))
    numpy.testing.assert_allclose(g, 2 * numpy.arange(3.0))
    assert aux == 3.0
    v, g = value_and_grad(lambda x: np.sum(x**3))(numpy.arange(3.0))
    assert v == 9.0
    numpy.testing.assert_allclose(g, 3 * numpy.arange(3.0) ** 2)
    def h(a, b=2.0):
        return a * b**2
    d = multigrad_dict(h)(3.0)
    assert d == {"a": 4.0, "b": 12.0}
    assert grad_named(h, "b")(3.0, 2.0) == 12.0


def test_elementwise_grad_and_deriv():
    x = numpy.linspace(-2, 2, 7)
    numpy.testing.assert_allclose(elementwise_grad(np.sin)(x), numpy.cos(x))
    numpy.testing.assert_allclose(deriv(np.sin)(x), numpy.cos(x))


def test_repeated_indices_accumulate():
    x = numpy.arange(4.0)
    g = grad(lambda x: np.sum(x[numpy.array([0, 0, 2, 0])] ** 2))(x)
    numpy.testing.assert_allclose(g, [0.0, 0.0, 4.0, 0.0])
    g = grad(lambda x: np.sum(x[[1, 1, 1]]))(x)
    numpy.testing.assert_allclose(g, [0.0, 3.0, 0.0, 0.0])


def test_checkpoint_gives_the_same_gradient():
    f = lambda x: np.sum(np.sin(x) * np.exp(x))
    x = numpy.linspace(0, 1, 5)
    numpy.testing.assert_allclose(grad(checkpoint(f))(x), grad(f)(x))


def test_checkpoint_passes_constant_arguments_through_and_differentiates_traced_keywords():
    # Integer and keyword arguments were a failure before (the integer was boxed).
    x = numpy.arange(1.0, 4.0)
    f = checkpoint(lambda x, n, scale=1.0: scale * np.sum(x**n))
    numpy.testing.assert_allclose(grad(f)(x, 3), 3 * x**2)
    assert grad(lambda s: f(x, 2, scale=s))(2.0) == pytest.approx(numpy.sum(x**2))
    numpy.testing.assert_allclose(hessian(lambda x: f(x, 3, scale=0.5))(x), numpy.diag(3 * x))
    _, t = make_jvp(lambda x: f(x, 3))(x)(numpy.ones(3))
    assert t == pytest.approx(numpy.sum(3 * x**2))
    g = grad(lambda p: checkpoint(lambda a, b: np.sum(a * b))(p[0], p[1]))([x, x + 1])
    numpy.testing.assert_allclose(g[0], x + 1)
    numpy.testing.assert_allclose(g[1], x)


def test_errors_name_the_problem():
    with pytest.raises(ShapeError, match=r"shape \(3,\).*sum\(\)"):
        grad(lambda x: x * 2)(numpy.ones(3))
    with pytest.raises(NotDifferentiableError, match="integer"):
        grad(lambda x: x * 2)(3)
    with pytest.raises(NotDifferentiableError, match="int64"):
        grad(lambda x: np.sum(x))(numpy.arange(3))

    def assigns(x):
        x[0] = 1.0
        return np.sum(x)

    with pytest.raises(TracingError, match="In-place assignment"):
        grad(assigns)(numpy.ones(3))
    with pytest.raises(TracingError, match="numpy.median"):
        grad(lambda x: numpy.median(x))(numpy.ones(3))


def test_check_grads_catches_a_wrong_rule():
    from ravine.extend import defjvp, defvjp, primitive

    @primitive
    def bad_sin(x):
        return numpy.sin(x)

    defvjp(bad_sin, lambda ans, x: lambda g: g * np.sin(x))  # wrong: should be cos
    defjvp(bad_sin, lambda g, ans, x: g * np.cos(x))
    check_grads(bad_sin, modes=("fwd",), order=1)(0.3)
    with pytest.raises(GradientCheckError, match=r"\(VJP\) check of bad_sin failed"):
        check_grads(bad_sin, modes=("rev",), order=1)(0.3)


def test_container_outputs_are_differentiated_not_zeroed():
    value, tangent = make_jvp(lambda x: (x, 2 * x, {"sq": x**2}))(3.0)(1.0)
    assert value[0] == 3.0 and value[1] == 6.0 and value[2]["sq"] == 9.0
    assert tangent[0] == 1.0 and tangent[1] == 2.0 and tangent[2]["sq"] == 6.0
    vjp, ans = make_vjp(lambda x: [np.sin(x), x * x])(0.5)
    assert vjp([1.0, 1.0]) == pytest.approx(numpy.cos(0.5) + 1.0)
    check_grads(lambda x: (np.sin(x), np.exp(x)))(numpy.linspace(0.1, 0.9, 3))


def test_hypot_at_the_origin_has_the_zero_subgradient_in_both_modes():
    # Found by Hypothesis: 0/0 in the rule turned into a RuntimeWarning (an error in our tests).
    g = grad(lambda v: np.hypot(v[0], v[1]))(numpy.zeros(2))
    numpy.testing.assert_array_equal(g, [0.0, 0.0])
    _, t = make_jvp(lambda v: np.hypot(v[0], v[1]))(numpy.zeros(2))(numpy.ones(2))
    assert t == 0.0
    check_grads(lambda v: np.hypot(v[0], v[1]))(numpy.array([0.3, -1.2]))


def test_container_builders_are_exported_at_top_level_as_in_autograd():
    import ravine

    f = lambda x: ravine.tuple([x, 2.0 * x])
    vjp, ans = make_vjp(f)(1.5)
    assert vjp((1.0, 1.0)) == 3.0
    assert ravine.isinstance(ans, tuple)


def test_float32_gradients_stay_float32_through_max_and_a_softmax_loss():
    # Ties in max were counted as int64, and float32 / int64 arrays give float64.
    rng = numpy.random.default_rng(0)
    W = rng.standard_normal((5, 3)).astype(numpy.float32)
    X = rng.standard_normal((4, 5)).astype(numpy.float32)
    Y = numpy.eye(3, dtype=numpy.float32)[[0, 1, 2, 0]]

    def loss(W):
        z = np.tanh(X @ W)
        shifted = z - np.max(z, axis=1, keepdims=True)
        return -np.sum(Y * (shifted - np.log(np.sum(np.exp(shifted), axis=1, keepdims=True)))) / X.shape[0]

    assert grad(loss)(W).dtype == numpy.float32
    assert grad(lambda W: np.sum(np.max(W, axis=0)))(W).dtype == numpy.float32
    _, tangent = make_jvp(lambda W: np.max(W, axis=1))(W)(numpy.ones_like(W))
    assert tangent.dtype == numpy.float32
    g64 = grad(loss)(W.astype(float))
    numpy.testing.assert_allclose(grad(loss)(W), g64, rtol=1e-4, atol=1e-6)


def test_check_grads_catches_a_wrong_rule_of_a_rule():
    # foo is linear, so x ↦ uᵀJ(x) is constant and only the derivative of the VJP in
    # its cotangent (bar's rule, 0.1 % off) can expose the error.
    from ravine.extend import defvjp, primitive

    @primitive
    def bar(x):
        return x

    @primitive
    def foo(x):
        return 2.0 * x

    defvjp(foo, lambda ans, x: lambda g: 2.0 * bar(g))
    defvjp(bar, lambda ans, x: lambda g: 1.001 * g)
    check_grads(foo, modes=("rev",), order=1)(1.0)
    with pytest.raises(GradientCheckError, match=r"\(VJP\) check of vjp_foo failed"):
        check_grads(foo, modes=("rev",), order=2)(1.0)
    defvjp(bar, lambda ans, x: lambda g: g)
    check_grads(foo, modes=("rev",), order=2)(1.0)


def test_check_grads_keeps_real_inputs_real_beside_complex_ones():
    # A real leaf moves along a real direction, so the real part of its cotangent is
    # what finite differences see (it was checked along complex directions before).
    check_grads(lambda x, z: x * z + np.sin(x), argnum=(0, 1))(0.4, 0.4 + 1.2j)
    check_grads(lambda p: np.sum(p["w"] * p["z"]))({"w": numpy.array([0.3, -1.0]), "z": numpy.array([1j, 2 - 1j])})
    with pytest.raises(GradientCheckError):  # and a wrong real-part rule is still caught
        from ravine.extend import defvjp, primitive

        @primitive
        def scale(x, z):
            return x * z

        defvjp(scale, lambda ans, x, z: lambda g: 2.0 * numpy.real(g * z), lambda ans, x, z: lambda g: g * x)
        check_grads(scale, argnum=(0, 1), modes=("rev",), order=1)(0.4, 0.4 + 1.2j)


def test_a_primitive_without_a_rule_names_it_and_is_a_not_implemented_error():
    # autograd raises NotImplementedError here; ravine's error is both that and a
    # NotDifferentiableError, and says how to register the missing rule.
    from ravine import MissingRuleError, deriv
    from ravine.extend import primitive

    doubled = primitive(lambda x: 2.0 * x)
    doubled.__name__ = "doubled"
    for differentiate, mode in ((grad, "defvjp"), (deriv, "defjvp")):
        with pytest.raises(NotImplementedError, match=rf"'doubled'.*ravine\.extend\.{mode}\(doubled"):
            differentiate(doubled)(1.0)
        with pytest.raises(MissingRuleError):
            differentiate(doubled)(1.0)
        with pytest.raises(NotDifferentiableError):
            differentiate(doubled)(1.0)


def test_a_primitive_given_a_container_of_traced_values_uses_its_own_rules():
    # A list argument is traced as one value, so the primitive's rule is applied (here a
    # straight-through rule that differs from the raw function's own derivative on purpose),
    # whether the list is the differentiated input or is built inside the function.
    from ravine.extend import defjvp, defvjp, primitive

    @primitive
    def rounded_first(xs):
        return numpy.round(xs[0] * 2.0)

    defvjp(rounded_first, lambda ans, xs: lambda g: [2.0 * g, 0.0 * g])  # pretend round is the identity
    defjvp(rounded_first, lambda g, ans, xs: 2.0 * g[0])
    assert grad(rounded_first)([1.2, 5.0]) == [2.0, 0.0]
    assert grad(lambda a, b: rounded_first([a, b]))(1.2, 5.0) == 2.0
    assert make_jvp(rounded_first)([1.2, 5.0])([1.0, 7.0])[1] == 2.0

    @primitive
    def energy(params):  # ½ Σ w² + b³ over a dict holding a list
        return 0.5 * numpy.sum(params["w"][0] ** 2) + params["b"] ** 3

    defvjp(energy, lambda ans, p: lambda g: {"w": [g * p["w"][0]], "b": 3 * g * p["b"] ** 2})
    defjvp(energy, lambda g, ans, p: np.sum(g["w"][0] * p["w"][0]) + 3 * p["b"] ** 2 * g["b"])
    params = {"w": [numpy.array([0.5, -1.0])], "b": 0.7}
    check_grads(energy, modes=("fwd", "rev"), order=1)(params)
    g = grad(lambda w, b: energy({"w": [w], "b": b}), argnum=(0, 1))(numpy.array([0.5, -1.0]), 0.7)
    assert numpy.allclose(g[0], [0.5, -1.0]) and numpy.isclose(g[1], 3 * 0.49)


def test_namedtuples_and_dict_subclasses_are_pytrees():
    # Before: "Cannot differentiate with respect to a value of type P: integers and booleans are
    # constants" (the message was wrong too: any unknown type was called an integer).
    import collections

    from ravine import make_jvp, value_and_grad
    from ravine.misc import flatten
    from ravine.optim import minimize

    Params = collections.namedtuple("Params", "w b")
    p = Params(numpy.array([3.0, -2.0]), numpy.array(1.0))
    loss = lambda q: np.sum((q.w - 1.0) ** 2) + (q.b + 2.0) ** 2
    g = grad(loss)(p)
    assert type(g) is Params
    numpy.testing.assert_array_equal(g.w, 2 * (p.w - 1.0))
    assert g.b == 2 * (p.b + 2.0)
    assert make_jvp(loss)(p)(Params(numpy.ones(2), numpy.array(1.0)))[1] == numpy.sum(g.w) + g.b
    ordered = collections.OrderedDict(z=numpy.ones(2), a=numpy.arange(2.0))
    nested = [{"layer": p, "extra": ordered}]
    value, g = value_and_grad(lambda t: loss(t[0]["layer"]) + np.sum(t[0]["extra"]["a"] ** 2))(nested)
    assert type(g[0]["layer"]) is Params and type(g[0]["extra"]) is collections.OrderedDict
    assert list(g[0]["extra"]) == ["z", "a"]
    numpy.testing.assert_array_equal(g[0]["extra"]["a"], 2 * ordered["a"])
    vector, unflatten = flatten(nested)
    assert type(unflatten(vector)[0]["layer"]) is Params
    result = minimize(loss, p, method="bfgs")
    assert type(result.params) is Params
    numpy.testing.assert_allclose(result.params.w, [1.0, 1.0], atol=1e-6)
    with pytest.raises(NotDifferentiableError, match="type str") as info:
        grad(lambda s: 1.0)("abc")
    assert "integers" not in str(info.value)


def test_flatten_keeps_each_dict_entry_with_its_key_whatever_the_insertion_order():
    from ravine.misc import flatten

    tree = {"z": numpy.array([1.0, 2.0]), "a": numpy.array([3.0])}
    vector, unflatten = flatten(tree)
    rebuilt = unflatten(vector)
    assert list(rebuilt) == ["z", "a"]
    numpy.testing.assert_array_equal(rebuilt["z"], tree["z"])
    numpy.testing.assert_array_equal(rebuilt["a"], tree["a"])


def test_a_namedtuple_of_traced_values_given_to_a_primitive_is_refused_not_bypassed():
    # Before: the primitive's own rule was silently skipped (the gradient came from tracing
    # its body instead: 3 where the rule says 200).
    import collections

    from ravine.extend import defvjp, primitive

    Pair = collections.namedtuple("Pair", "w b")

    @primitive
    def combine(p):
        return p[0] * 2.0 + p[1]

    defvjp(combine, lambda ans, p: lambda g: (g * 100.0, g * 100.0))
    x = numpy.ones(2)
    numpy.testing.assert_array_equal(grad(lambda w: np.sum(combine((w, w))))(x), 200.0)
    with pytest.raises(NotDifferentiableError, match="Pair holding traced values"):
        grad(lambda w: np.sum(combine(Pair(w, w))))(x)
    numpy.testing.assert_array_equal(combine(Pair(x, x)), 3.0)  # plain values: the function itself
