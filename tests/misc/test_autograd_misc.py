"""autograd's misc helpers at ravine.misc: optimisers, fixed points, flatten_func."""

import numpy
import pytest

import ravine.numpy as np
from ravine import grad, make_jvp
from ravine.errors import DivergenceError
from ravine.misc import flatten, flatten_func
from ravine.misc.fixed_points import fixed_point
from ravine.misc.optimizers import adam, rmsprop, sgd
from ravine.test_util import check_grads

A = numpy.array([[3.0, 1.0], [1.0, 2.0]])
X0 = {"w": numpy.array([1.0, -2.0]), "b": numpy.array(0.5)}


def quadratic_grad(params, i):
    # f = ½ wᵀAw + 2 b²: ∇_w = A w, ∇_b = 4 b
    return {"w": A @ params["w"], "b": 4.0 * params["b"]}


def test_sgd_without_momentum_is_gradient_descent_in_closed_form():
    # mass 0: x_k = (I − αA)^k x_0 and b_k = (1 − 4α)^k b_0
    alpha, k = 0.1, 25
    out = sgd(quadratic_grad, X0, num_iters=k, step_size=alpha, mass=0.0)
    assert numpy.allclose(out["w"], numpy.linalg.matrix_power(numpy.eye(2) - alpha * A, k) @ X0["w"])
    assert numpy.isclose(out["b"], (1 - 4 * alpha) ** k * 0.5)
    assert set(out) == {"w", "b"} and out["b"].shape == ()


def test_first_steps_follow_autograds_recurrences():
    one = lambda opt, **kw: opt(quadratic_grad, X0, num_iters=1, **kw)  # noqa: E731
    gw, gb = A @ X0["w"], 2.0
    # sgd: v = −(1 − mass) g, x ← x + α v
    out = one(sgd, step_size=0.1, mass=0.9)
    assert numpy.allclose(out["w"], X0["w"] - 0.1 * 0.1 * gw) and numpy.isclose(out["b"], 0.5 - 0.01 * gb)
    # rmsprop: r = γ + (1 − γ) g² (r₀ = 1), x ← x − α g / (√r + ε)
    out = one(rmsprop, step_size=0.1, gamma=0.9)
    assert numpy.allclose(out["w"], X0["w"] - 0.1 * gw / (numpy.sqrt(0.9 + 0.1 * gw**2) + 1e-8))
    # adam: bias-corrected first step moves each coordinate by α g/(|g| + ε)
    out = one(adam, step_size=0.01)
    assert numpy.allclose(out["w"], X0["w"] - 0.01 * numpy.sign(gw)) and numpy.isclose(out["b"], 0.49)


def test_grad_gets_the_step_number_and_callback_sees_pytrees():
    seen = []

    def callback(x, i, g):
        assert set(x) == set(g) == {"w", "b"}
        seen.append((i, float(g["b"])))

    steps = []
    adam(lambda x, i: steps.append(i) or quadratic_grad(x, i), X0, callback=callback, num_iters=4)
    assert steps == [0, 1, 2, 3] and [i for i, _ in seen] == [0, 1, 2, 3] and seen[0][1] == 2.0


def test_same_iterates_as_autograds_optimizers():
    optimizers = pytest.importorskip("autograd.misc.optimizers")
    for ours, theirs, kw in ((sgd, optimizers.sgd, {"step_size": 0.05}), (rmsprop, optimizers.rmsprop, {}),
                             (adam, optimizers.adam, {"step_size": 0.05})):
        mine = ours(quadratic_grad, X0, num_iters=30, **kw)
        reference = theirs(quadratic_grad, X0, num_iters=30, **kw)
        assert all(numpy.allclose(mine[k], reference[k], rtol=1e-13, atol=0) for k in X0)


def newton_sqrt(a):
    return lambda x: 0.5 * (x + a / x)  # fixed point √a


def distance(x, y):
    return np.sqrt(np.sum((x - y) ** 2))


def test_fixed_point_derivatives_by_the_implicit_function_theorem():
    root = lambda a: fixed_point(newton_sqrt, a, 1.0, distance, 1e-12)  # noqa: E731
    assert numpy.isclose(root(2.0), numpy.sqrt(2.0))
    assert numpy.isclose(grad(root)(2.0), 0.5 / numpy.sqrt(2.0))  # d√a/da
    assert numpy.isclose(make_jvp(root)(2.0)(3.0)[1], 1.5 / numpy.sqrt(2.0))
    assert numpy.isclose(grad(grad(root))(2.0), -0.25 * 2.0**-1.5)
    check_grads(root, modes=("fwd", "rev"), order=2)(2.0)


def test_fixed_point_of_a_contraction_in_several_dimensions():
    W = numpy.random.default_rng(1).standard_normal((3, 3)) * 0.3
    layer = lambda a: lambda x: np.tanh(W @ x + a)  # noqa: E731  x* = tanh(W x* + a)
    solve = lambda a: fixed_point(layer, a, numpy.zeros(3), distance, 1e-13)  # noqa: E731
    a = numpy.array([0.3, -0.2, 0.5])
    x_star = solve(a)
    assert numpy.allclose(x_star, numpy.tanh(W @ x_star + a))
    check_grads(solve, modes=("fwd", "rev"), order=1)(a)
    # closed form: dx*/da = (I − D W)⁻¹ D with D = diag(1 − x*²)
    D = numpy.diag(1 - x_star**2)
    J = numpy.linalg.solve(numpy.eye(3) - D @ W, D)
    u = numpy.array([1.0, -2.0, 0.5])
    assert numpy.allclose(grad(lambda a: u @ solve(a))(a), J.T @ u)


def test_fixed_point_that_never_settles_raises():
    with pytest.raises(DivergenceError, match="contraction"):
        fixed_point(lambda a: lambda x: x + a, 1.0, 0.0, distance, 1e-6)


def test_flatten_func_turns_a_pytree_function_into_a_vector_function():
    loss = lambda p, scale: scale * (np.sum(p["w"] ** 2) + p["b"] ** 2)  # noqa: E731
    flat_loss, unflatten, flat_x = flatten_func(loss, X0)
    assert flat_x.shape == (3,) and numpy.isclose(flat_loss(flat_x, 2.0), 2.0 * (1 + 4 + 0.25))
    assert numpy.allclose(grad(flat_loss)(flat_x, 2.0), 4.0 * flat_x)
    assert numpy.allclose(flatten(unflatten(flat_x))[0], flat_x)


def test_const_graph_at_autograds_module_path():
    from ravine.misc import const_graph
    from ravine.misc.tracers import const_graph as from_tracers

    assert from_tracers is const_graph
