"""Parameters as pytrees, float32, 0-d and integer arrays; states that stay as they were."""

import numpy
import pytest

import ravine.numpy as np
from ravine import grad
from ravine.errors import ShapeError
from ravine.optim import OPTIMIZERS, apply_updates, gd, make_optimizer, minimize

TARGET = numpy.array([0.5, -1.0, 2.0])


def loss(x):
    return 0.5 * np.sum((x - TARGET) ** 2) + 0.1 * np.sum((x - TARGET) ** 4)


def residual_fn(x):
    return np.concatenate([x - TARGET, 0.3 * (x - TARGET) ** 2])


FULL_BATCH = [n for n, s in OPTIMIZERS.items() if not s.stochastic]


def build(name):
    spec = OPTIMIZERS[name]
    return make_optimizer(name, 0.1 if spec.uses_lr else None)


def own_loop(opt, params, to_vec, steps=4):
    """``steps`` updates of a hand-written loop; ``to_vec`` maps params to the vector x of ``loss``."""
    state = opt.init(params)
    for _ in range(steps):
        g = grad(lambda p: loss(to_vec(p)))(params)
        u, state = opt.update(g, state, params, loss_fn=lambda p: loss(to_vec(p)),
                              residual_fn=lambda p: residual_fn(to_vec(p)))
        params = apply_updates(params, u)
    return params, state


@pytest.mark.parametrize("name", FULL_BATCH)
def test_float32_parameters_stay_float32_in_a_hand_written_loop(name):
    # BFGS's H and Newton's Hessian are float64; θ + u used to come back float64 after one step
    x, _ = own_loop(build(name), numpy.zeros(3, dtype=numpy.float32), lambda p: p)
    assert x.dtype == numpy.float32, name
    tree, _ = own_loop(build(name), {"a": numpy.zeros(2, dtype=numpy.float32), "b": numpy.float32(0.0)},
                       lambda p: np.concatenate([p["a"], np.reshape(p["b"], (1,))]))
    assert tree["a"].dtype == numpy.float32 and tree["b"].dtype == numpy.float32, name
    x64, _ = own_loop(build(name), numpy.zeros(3), lambda p: p)
    numpy.testing.assert_allclose(x, x64, rtol=1e-5, atol=1e-6)


def test_minimize_returns_float32_parameters_for_float32_input():
    params = {"W": numpy.zeros((2, 3), dtype=numpy.float32), "b": numpy.zeros(3, dtype=numpy.float32)}

    def tree_loss(p):
        return np.sum((p["W"] - 1.0) ** 2) + np.sum((p["b"] + 2.0) ** 2)

    res = minimize(tree_loss, params, "momentum", lr=0.1, max_steps=200, average="polyak")
    assert res.params["W"].dtype == numpy.float32 and res.params["b"].dtype == numpy.float32
    assert res.averaged_params["W"].dtype == numpy.float32
    numpy.testing.assert_allclose(res.params["W"], 1.0, atol=1e-4)
    numpy.testing.assert_allclose(res.params["b"], -2.0, atol=1e-4)
    ref = minimize(tree_loss, {k: v.astype(float) for k, v in params.items()}, "momentum", lr=0.1, max_steps=200)
    assert ref.params["W"].dtype == numpy.float64  # float64 in, float64 out, the same run
    numpy.testing.assert_array_equal(res.params["W"], ref.params["W"].astype(numpy.float32))


def test_integer_parameters_become_float_instead_of_truncating_the_step():
    x = numpy.array([3, -1])
    u, _ = gd(0.25).update(numpy.array([1, 1]), gd(0.25).init(x), x)
    numpy.testing.assert_array_equal(apply_updates(x, u), [2.75, -1.25])
    res = minimize(lambda v: np.sum((v - 0.5) ** 2), numpy.array([3, -1]), "gd", lr=0.25, max_steps=60)
    assert res.params.dtype == numpy.float64
    numpy.testing.assert_allclose(res.params, 0.5, atol=1e-12)


@pytest.mark.parametrize("name", FULL_BATCH)
def test_a_0d_parameter_follows_the_same_iterates_as_a_one_entry_vector(name):
    scalar, _ = own_loop(build(name), numpy.array(0.0), lambda p: np.concatenate([np.reshape(p, (1,)), TARGET[1:]]))
    vector, _ = own_loop(build(name), numpy.zeros(1), lambda p: np.concatenate([p, TARGET[1:]]))
    assert numpy.shape(scalar) == ()
    assert float(scalar) == float(vector[0]), name


def test_apply_updates_refuses_updates_of_another_shape_or_structure():
    # NumPy would broadcast a (1,) θ over a (5,) update: five parameters out of one
    with pytest.raises(ShapeError, match=r"a parameter of shape \(1,\) received an update of shape \(5,\)"):
        apply_updates(numpy.zeros(1), numpy.ones(5))
    with pytest.raises(ShapeError, match="do not have the structure and shapes of the params"):
        apply_updates({"a": numpy.zeros(2)}, numpy.ones(2))


def snapshot(state):
    from ravine.optim.checkpointing import state_leaves

    return [numpy.array(leaf, copy=True) if isinstance(leaf, numpy.ndarray) else leaf for leaf in state_leaves(state)]


def assert_same(state, snap):
    from ravine.optim.checkpointing import state_leaves

    for leaf, before in zip(state_leaves(state), snap, strict=True):
        numpy.testing.assert_array_equal(leaf, before)


@pytest.mark.parametrize("name", FULL_BATCH)
def test_update_leaves_its_inputs_and_the_old_state_alone_and_keeps_no_reference_to_them(name):
    opt = build(name)
    x = numpy.array([1.0, -2.0, 0.5])
    state = opt.init(x)
    for _ in range(3):  # QuickProp only keeps g from its second update on
        g = numpy.asarray(grad(loss)(x), dtype=float)
        g_before, x_before, old = g.copy(), x.copy(), snapshot(state)
        u, new_state = opt.update(g, state, x, loss_fn=loss, residual_fn=residual_fn)
        numpy.testing.assert_array_equal(g, g_before)
        numpy.testing.assert_array_equal(x, x_before)
        assert_same(state, old)  # the old state is a value: still what it was
        new = snapshot(new_state)
        g[:] = 99.0  # a loop that reuses its gradient and parameter buffers
        x[:] = -99.0
        assert_same(new_state, new)  # QuickProp's prev_grad was the caller's g itself
        x = x_before + u
        state = new_state
