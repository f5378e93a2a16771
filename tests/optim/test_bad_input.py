"""Bad input to ``update`` is a RavineError naming the problem, never a NumPy traceback or a silent
wrong step (a broadcast state, a chain member skipped, a NaN that poisons the state)."""

import numpy
import pytest

import ravine.numpy as np
from ravine.errors import ConfigError, DivergenceError, ShapeError
from ravine.optim import (
    OPTIMIZERS,
    adam,
    chain,
    clip_by_norm,
    gd,
    make_optimizer,
    momentum,
    reduce_on_plateau,
)

loss = lambda x: 0.5 * np.sum(x**2)
residual_fn = lambda x: 2.0 * x
EXTRA = {"loss_fn": loss, "residual_fn": residual_fn}


def build(name):
    spec = OPTIMIZERS[name]
    return make_optimizer(name, 0.1 if spec.uses_lr else None)


@pytest.mark.parametrize("name", sorted(OPTIMIZERS))
@pytest.mark.parametrize("bad", [numpy.nan, numpy.inf, -numpy.inf])
def test_a_non_finite_gradient_is_a_divergence_error_naming_the_optimiser(name, bad):
    opt = build(name)
    x = numpy.array([1.0, -2.0, 0.5])
    state = opt.init(x)
    g = x.copy()
    g[1] = bad
    with pytest.raises(DivergenceError, match=rf"{name}: the gradient it received has 1 non-finite entry of 3 .*"
                                              r"at flat index 1.*clip"):
        opt.update(g, state, x, **EXTRA)


def test_clipping_an_infinite_gradient_raises_instead_of_returning_nan():
    # ‖g‖ = inf, so h/‖g‖·g = 0·inf = NaN in the coordinate that blew up
    with pytest.raises(DivergenceError, match="clip_by_norm: .* non-finite"):
        clip_by_norm(1.0).update(numpy.array([numpy.inf, 1.0]), None)


@pytest.mark.parametrize("name", [n for n in sorted(OPTIMIZERS) if n not in ("gd", "sgd", "newton",
                                                                              "levenberg_marquardt")])
def test_a_state_made_for_other_parameters_is_a_shape_error(name):
    # a state for one parameter would broadcast silently over five
    opt = build(name)
    state = opt.init(numpy.zeros(1))
    x = numpy.ones(5)
    with pytest.raises(ShapeError, match=rf"{name}: state field '\w+' has shape .* but the gradient has 5 entries"):
        opt.update(x, state, x, **EXTRA)


def test_a_gradient_of_another_size_than_the_parameters_is_a_shape_error():
    opt = gd(0.1)
    with pytest.raises(ShapeError, match="gd: the gradient has 5 entries but the parameters have 1"):
        opt.update(numpy.ones(5), opt.init(numpy.zeros(1)), numpy.zeros(1))


def test_another_optimisers_state_is_a_config_error_naming_both_types():
    x = numpy.zeros(2)
    with pytest.raises(ConfigError, match="momentum: received a state of type AdamState, expected MomentumState"):
        momentum(0.1).update(numpy.ones(2), adam(0.1).init(x), x)
    with pytest.raises(ConfigError, match="reduce_on_plateau: received a state of type MomentumState"):
        reduce_on_plateau(momentum(0.1)).update(numpy.ones(2), momentum(0.1).init(x), x, value=1.0)


def test_a_chain_state_of_the_wrong_length_is_a_config_error_not_a_skipped_member():
    # zip() would drop gd and return the clipped gradient itself: an ascent step of +0.6, +0.8
    x, g = numpy.zeros(2), numpy.array([3.0, 4.0])
    opt = chain(clip_by_norm(1.0), gd(0.1))
    with pytest.raises(ConfigError, match="chain: the state must be the tuple of its 2 members' states, "
                                          "received a tuple of 1"):
        opt.update(g, chain(clip_by_norm(1.0)).init(x), x)
    with pytest.raises(ConfigError, match="received a GDState"):
        opt.update(g, gd(0.1).init(x), x)
    u, _ = opt.update(g, opt.init(x), x)  # the right state still works
    numpy.testing.assert_allclose(u, [-0.06, -0.08])


@pytest.mark.parametrize("name", ["newton", "bfgs", "lbfgs", "levenberg_marquardt"])
def test_optimisers_that_evaluate_the_objective_need_the_parameters(name):
    opt = build(name)
    with pytest.raises(ConfigError, match=rf"{name} needs the parameters: call update\(grads, state, params\)"):
        opt.update(numpy.ones(2), opt.init(numpy.zeros(2)), **EXTRA)
