"""The lectures' models, each a frozen object of hyper-parameters with
``init(seed)``, ``loss(params, X, y)`` and ``predict(params, X)`` (see
:mod:`ravine.nn.models.base`).  :data:`MODELS` maps a name to its class."""

from ravine.nn.models.base import Model, accuracy
from ravine.nn.models.glove import GloVe, GloVeData, GloVeFit, glove_weight
from ravine.nn.models.language import BigramLanguageModel, NeuralLanguageModel
from ravine.nn.models.linear import LinearRegression, LogisticRegression, SoftmaxRegression
from ravine.nn.models.mlp import MLPClassifier
from ravine.nn.models.perceptron import LogisticLeastSquares, Perceptron, PerceptronResult

MODELS = {
    "linear_regression": LinearRegression,
    "logistic_regression": LogisticRegression,
    "softmax_regression": SoftmaxRegression,
    "mlp": MLPClassifier,
    "perceptron": Perceptron,
    "logistic_least_squares": LogisticLeastSquares,
    "neural_language_model": NeuralLanguageModel,
    "glove": GloVe,
}

__all__ = ["MODELS", "Model", "accuracy", "LinearRegression", "LogisticRegression", "SoftmaxRegression",
           "MLPClassifier", "Perceptron", "PerceptronResult", "LogisticLeastSquares", "NeuralLanguageModel",
           "BigramLanguageModel", "GloVe", "GloVeData", "GloVeFit", "glove_weight"]
