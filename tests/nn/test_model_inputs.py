"""What the classifiers do with edge-case inputs: a wrongly shaped X is named as
such, a batch of one works, float32 parameters keep their dtype."""

import numpy
import pytest

from ravine import grad, nn
from ravine.errors import ShapeError

rng = numpy.random.default_rng(2)
CLASSIFIERS = {
    "logistic_regression": (nn.LogisticRegression(4), 2),
    "softmax_regression": (nn.SoftmaxRegression(4, 3), 3),
    "mlp": (nn.MLPClassifier(4, 3, hidden=(5,)), 3),
    "perceptron": (nn.Perceptron(4), 2),
    "logistic_least_squares": (nn.LogisticLeastSquares(4), 2),
}


@pytest.mark.parametrize("name", sorted(CLASSIFIERS))
def test_a_wrongly_shaped_input_is_reported_as_the_input(name):
    model, _ = CLASSIFIERS[name]
    params = model.init(0)
    # a single example passed as a 1-D row: the message used to blame the labels
    with pytest.raises(ShapeError, match=r"inputs of shape \(N, 4\); received \(4,\)"):
        model.loss(params, numpy.ones(4), [1])
    with pytest.raises(ShapeError, match=r"inputs of shape \(N, 4\); received \(\)"):
        model.loss(params, numpy.float64(1.0), [1])


@pytest.mark.parametrize("name", sorted(CLASSIFIERS))
def test_a_batch_of_one_example(name):
    model, n_classes = CLASSIFIERS[name]
    params = model.init(0)
    X, y = rng.normal(size=(1, 4)), numpy.array([n_classes - 1])
    assert numpy.isfinite(model.loss(params, X, y))
    assert model.predict(params, X).shape == (1,)


def test_float32_parameters_and_inputs_keep_float32_gradients():
    model = nn.MLPClassifier(4, 3, hidden=(5,))
    params = {layer: {k: v.astype(numpy.float32) for k, v in p.items()} for layer, p in model.init(0).items()}
    X = rng.normal(size=(6, 4)).astype(numpy.float32)
    g = grad(model.loss)(params, X, rng.integers(0, 3, 6))
    assert all(v.dtype == numpy.float32 for p in g.values() for v in p.values())
    assert model.forward(params, X).dtype == numpy.float32
