"""Activations, losses, initialisers and layers against their formulas."""

import numpy
import pytest
import scipy.special

import ravine.numpy as np
from ravine import elementwise_grad, grad, make_jvp
from ravine.errors import ConfigError, ShapeError
from ravine.nn import activations as act
from ravine.nn import init, layers, losses
from ravine.test_util import check_grads

rng = numpy.random.default_rng(0)


def test_activations_match_their_formulas():
    z = numpy.linspace(-6, 6, 25)
    assert numpy.allclose(act.logistic(z), 1 / (1 + numpy.exp(-z)))
    assert numpy.allclose(act.tanh(z), numpy.tanh(z))
    assert numpy.array_equal(act.relu(z), numpy.maximum(z, 0))
    assert numpy.array_equal(act.hard_threshold(z), (z >= 0).astype(float))
    Z = rng.normal(size=(4, 5)) * 10
    assert numpy.allclose(act.softmax(Z, axis=1), scipy.special.softmax(Z, axis=1))


def test_logistic_and_logsumexp_do_not_overflow():
    z = numpy.array([-1000.0, 0.0, 1000.0])
    assert numpy.allclose(act.logistic(z), [0.0, 0.5, 1.0])
    Z = numpy.array([[1000.0, 999.0, -5.0], [-1000.0, -1001.0, -1002.0]])
    assert numpy.allclose(act.logsumexp(Z, axis=1), scipy.special.logsumexp(Z, axis=1))
    assert numpy.all(numpy.isfinite(act.log_softmax(Z)))


def test_activation_derivatives_match_theory():
    z = numpy.linspace(-3, 3, 13) + 0.05  # avoid ReLU's kink at 0
    s = 1 / (1 + numpy.exp(-z))
    assert numpy.allclose(elementwise_grad(act.logistic)(z), s * (1 - s))
    assert numpy.allclose(elementwise_grad(act.tanh)(z), 1 - numpy.tanh(z) ** 2)
    assert numpy.array_equal(elementwise_grad(act.relu)(z), (z > 0).astype(float))
    assert numpy.array_equal(elementwise_grad(lambda x: act.hard_threshold(x) * x)(z), act.hard_threshold(z))


def test_unknown_activation_is_a_config_error():
    with pytest.raises(ConfigError, match="unknown activation 'sigmoid'"):
        act.get_activation("sigmoid")


def test_squared_error_is_half_mean_square():
    y, t = rng.normal(size=(6, 2)), rng.normal(size=(6, 2))
    assert numpy.isclose(losses.squared_error(y, t), 0.5 * numpy.sum((y - t) ** 2) / 6)
    with pytest.raises(ShapeError, match="targets have shape"):
        losses.squared_error(y, t[:, 0])


def test_logistic_cross_entropy_value_gradient_and_stability():
    z, t = rng.normal(size=8) * 3, rng.integers(0, 2, 8)
    s = 1 / (1 + numpy.exp(-z))
    direct = -numpy.mean(t * numpy.log(s) + (1 - t) * numpy.log(1 - s))
    assert numpy.isclose(losses.logistic_cross_entropy(z, t), direct)
    # dL/dz_n = (σ(z_n) − t_n) / N
    assert numpy.allclose(grad(losses.logistic_cross_entropy)(z, t), (s - t) / 8)
    # a confident wrong answer costs |z|, not inf
    assert numpy.isclose(losses.logistic_cross_entropy(numpy.array([-1000.0]), [1]), 1000.0)


def test_softmax_cross_entropy_value_gradient_and_checks():
    Z, t = rng.normal(size=(5, 4)) * 3, rng.integers(0, 4, 5)
    Y = scipy.special.softmax(Z, axis=1)
    assert numpy.isclose(losses.softmax_cross_entropy(Z, t), -numpy.mean(numpy.log(Y[numpy.arange(5), t])))
    # dL/dz = (y − onehot(t)) / N
    assert numpy.allclose(grad(losses.softmax_cross_entropy)(Z, t), (Y - losses.one_hot(t, 4)) / 5)
    assert numpy.isfinite(losses.softmax_cross_entropy(Z * 1e4, t))
    with pytest.raises(ShapeError, match=r"labels must lie in \[0, 4\)"):
        losses.softmax_cross_entropy(Z, t + 4)
    with pytest.raises(ShapeError, match="5 outputs but 3 targets"):
        losses.softmax_cross_entropy(Z, t[:3])


@pytest.mark.parametrize("name, variance, kurtosis", [
    ("xavier", 2.0 / (300 + 200), 9 / 5), ("he", 2.0 / 300, 3.0), ("small_random", 1e-4, 3.0), ("zeros", 0.0, 3.0)])
def test_initialiser_variances(name, variance, kurtosis):
    W = init.get_weight_init(name)(init.make_rng(1), 300, 200)
    assert W.shape == (300, 200)
    n = W.size
    # over n = 60 000 draws the sample mean has standard error σ/√n and the sample
    # variance a relative one of √((κ − 1)/n) (κ = E[w⁴]/σ⁴: 3 normal, 9/5 uniform);
    # 5 standard errors fail a correct initialiser with probability < 1e−6
    assert abs(W.mean()) <= 5 * numpy.sqrt(variance / n)
    assert abs(W.var() - variance) <= 5 * numpy.sqrt((kurtosis - 1) / n) * variance


def test_initialisers_are_reproducible_and_validated():
    a = init.xavier(init.make_rng(3), 4, 5)
    assert numpy.array_equal(a, init.xavier(init.make_rng(3), 4, 5))
    assert not numpy.array_equal(a, init.xavier(init.make_rng(4), 4, 5))
    assert numpy.array_equal(init.bias_init(3, 0.1), [0.1, 0.1, 0.1])
    assert init.default_bias("relu") == 0.1 and init.default_bias("tanh") == 0.0
    with pytest.raises(ConfigError, match="unknown initialiser 'orthogonal'"):
        init.get_weight_init("orthogonal")
    with pytest.raises(ConfigError, match="seed"):
        init.make_rng("seven")


@pytest.mark.parametrize("name", ["zeros", "small_random", "xavier", "he"])
@pytest.mark.parametrize("fans", [(0, 3), (3, 0), (-2, 3), (2.5, 3)])
def test_initialisers_refuse_layer_sizes_that_are_not_positive_integers(name, fans):
    # he(rng, 0, 3) divided by zero; negative or fractional sizes reached NumPy
    with pytest.raises(ConfigError, match="positive integer"):
        init.get_weight_init(name)(init.make_rng(0), *fans)


def test_dense_and_embedding():
    p = {"W": rng.normal(size=(3, 2)), "b": rng.normal(size=2)}
    x = rng.normal(size=(4, 3))
    assert numpy.allclose(layers.dense(p, x), x @ p["W"] + p["b"])
    with pytest.raises(ShapeError, match="3 features"):
        layers.dense(p, x[:, :2])
    table = rng.normal(size=(7, 3))
    idx = numpy.array([[1, 6], [0, 1]])
    assert numpy.array_equal(layers.embedding(table, idx), table[idx])
    # the lookup is a one-hot product, so its gradient counts repeated words
    g = grad(lambda R: np.sum(layers.embedding(R, idx)))(table)
    assert numpy.array_equal(g[:, 0], [1, 2, 0, 0, 0, 0, 1])
    with pytest.raises(ShapeError, match=r"\[0, 7\)"):
        layers.embedding(table, idx + 6)


def test_batch_norm_centres_and_scales_each_unit():
    z = 1000.0 + 5.0 * rng.normal(size=(50, 3))  # badly centred pre-activations (lecture 000)
    out = layers.batch_norm(layers.init_batch_norm(3), z)
    assert numpy.allclose(out.mean(axis=0), 0, atol=1e-9)
    assert numpy.allclose(out.var(axis=0), 1, atol=1e-3)
    params = {"gamma": numpy.array([2.0, 1.0, 0.5]), "beta": numpy.array([1.0, 0.0, -1.0])}
    assert numpy.allclose(layers.batch_norm(params, z).mean(axis=0), params["beta"])
    stats = layers.batch_norm_stats(z)
    single = layers.batch_norm(params, z[:1], stats)  # evaluation mode: one example is fine
    assert numpy.allclose(single, layers.batch_norm(params, z, stats)[:1])
    with pytest.raises(ShapeError, match="at least 2 examples"):
        layers.batch_norm(params, z[:1])
    # training mode: the output is invariant to shifting z, so its gradient sums to zero per unit
    g = grad(lambda z: np.sum(layers.batch_norm(params, z) * numpy.arange(150.0).reshape(50, 3)))(z)
    assert numpy.allclose(g.sum(axis=0), 0, atol=1e-9)


def test_relu_derivative_at_the_kink_is_the_documented_zero():
    z = numpy.array([-1e-300, 0.0, 1e-300, -2.0, 3.0])
    assert numpy.array_equal(elementwise_grad(act.relu)(z), [0.0, 0.0, 1.0, 0.0, 1.0])
    # forward mode agrees with reverse mode at the kink
    assert numpy.array_equal(make_jvp(act.relu)(z)(numpy.ones(5))[1], [0.0, 0.0, 1.0, 0.0, 1.0])
    assert numpy.array_equal(act.relu(z), [0.0, 0.0, 1e-300, 0.0, 3.0])
    # away from the kink both modes match central differences, to second order
    check_grads(lambda x: np.sum(act.relu(x) ** 2), modes=("fwd", "rev"), order=2)(numpy.array([-1.5, 0.7, 2.0]))
