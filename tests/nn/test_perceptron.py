"""Lecture 001: "Backprop fails to separate where the perceptron succeeds"
(Brady, Raghavan and Slawny 1989), on ravine.data's Brady problems."""

import numpy
import pytest

import ravine.nn as nn
from ravine import grad
from ravine.data import brady_spoiler, brady_spoiler_point, brady_three_points
from ravine.errors import ConfigError, ShapeError
from ravine.optim import minimize

BOUND = 3.0


def _separates(w, b, X, y):
    z = X @ numpy.asarray(w) + numpy.asarray(b)[0]
    return bool(numpy.all(numpy.where(y == 1, z > 0, z < 0)))


@pytest.mark.parametrize("data", [brady_three_points(), brady_spoiler_point(t=100.0), brady_spoiler(seed=0)],
                         ids=lambda d: d.name)
def test_perceptron_rule_separates_every_brady_problem(data):
    model = nn.Perceptron(2)
    result = model.train(model.init(), data.x, data.y, max_epochs=1000)
    assert result.converged and result.mistakes[-1] == 0
    assert _separates(result.params["w"], result.params["b"], data.x, data.y)
    assert model.accuracy(result.params, data.x, data.y) == 1.0


def test_perceptron_rule_is_the_textbook_update():
    model = nn.Perceptron(2, learning_rate=0.5)
    X, y = numpy.array([[1.0, 2.0], [-1.0, 0.5]]), numpy.array([0, 1])
    result = model.train(model.init(), X, y, max_epochs=1)
    # example 1: z = 0 counts as a mistake, s = −1: w = −0.5·(1, 2), b = −0.5
    # example 2: z = 0.5 − 0.5 − 0.5 < 0 with s = +1: w += 0.5·(−1, 0.5), b += 0.5
    assert numpy.allclose(result.params["w"], [-1.0, -0.75]) and numpy.allclose(result.params["b"], [0.0])
    assert result.updates == 2 and not result.converged


def test_gradient_descent_on_bounded_logistic_least_squares_misses_the_spoiler():
    data = brady_spoiler_point(t=100.0)
    X, y = data.x, data.y
    model = nn.LogisticLeastSquares(2, weight_bound=BOUND, epsilon=0.01)
    # a separator inside the bounds exists and has a much lower loss ...
    separator = {"v": numpy.arctanh(numpy.array([2.9, -0.02]) / BOUND), "c": numpy.arctanh([1.5 / BOUND])}
    separator_loss = float(model.loss(separator, X, y))
    assert _separates(*model.weights(separator), X, y) and separator_loss < 0.05
    for seed in range(3):
        result = minimize(model.objective(X, y), model.init(seed), "gd", lr=1.0, max_steps=1500, progress=False)
        w, b = model.weights(result.params)
        # ... but backprop settles on the three-point solution, a broad local minimum
        # where the far point (0, −100) contributes no gradient (lecture 001)
        assert result.grad_norm < 1e-3
        assert result.loss > separator_loss + 0.2
        assert model.predict(result.params, X)[-1] == 0 and numpy.all(model.predict(result.params, X)[:3] == y[:3])
        assert numpy.all(numpy.abs(w) < BOUND) and abs(b[0]) < BOUND


def test_hyper_parameters_are_validated():
    with pytest.raises(ConfigError, match="weight_bound"):
        nn.LogisticLeastSquares(2, weight_bound=-1.0)
    with pytest.raises(ConfigError, match="learning_rate"):
        nn.Perceptron(2, learning_rate=0.0)
    with pytest.raises(ShapeError, match=r"\(N, 2\)"):
        nn.Perceptron(2).predict(nn.Perceptron(2).init(), numpy.ones((3, 3)))


def test_a_gradient_step_on_the_criterion_from_zero_is_the_perceptron_rule():
    # from w = 0, b = 0 every point sits on the kink z = 0, which train() counts as a mistake
    data = brady_three_points()
    model = nn.Perceptron(2, learning_rate=0.5)
    for x_n, t_n in zip(data.x, data.y):
        start = model.init()
        rule = model.train(start, x_n[None, :], [t_n], max_epochs=1).params
        g = grad(model.loss)(start, x_n[None, :], [t_n])
        numpy.testing.assert_array_equal(start["w"] - 0.5 * g["w"], rule["w"])
        numpy.testing.assert_array_equal(start["b"] - 0.5 * g["b"], rule["b"])
    # a correctly classified point (s z > 0) contributes nothing
    assert numpy.all(grad(model.loss)({"w": numpy.array([1.0, 1.0]), "b": numpy.zeros(1)},
                                      data.x[:1], data.y[:1])["w"] == 0.0)
