"""Neural-network building blocks and the lectures' models, written with
``ravine.numpy`` so ravine differentiates them.

* :mod:`~ravine.nn.activations` — logistic, tanh, ReLU, hard threshold, softmax, logsumexp
* :mod:`~ravine.nn.losses` — squared error, logistic and softmax cross-entropy (stable)
* :mod:`~ravine.nn.labels` — checked class labels, one-hot encoding
* :mod:`~ravine.nn.init` — zeros, small random, Xavier/Glorot, He, bias offsets
* :mod:`~ravine.nn.layers` — dense, embedding, batch normalisation
* :mod:`~ravine.nn.sparse` — differentiable products over a sparse pattern (GloVe)
* :mod:`~ravine.nn.record` — hidden-unit activations for the doctor
* :mod:`~ravine.nn.models` — linear/logistic/softmax regression, MLP, perceptron,
  logistic least squares, Bengio's language model, a bigram baseline, GloVe
* :mod:`~ravine.nn.word_vectors` — nearest neighbours and analogies by cosine similarity
"""

from ravine.nn.activations import ACTIVATIONS, hard_threshold, logistic, logsumexp, relu, softmax, tanh
from ravine.nn.init import WEIGHT_INITS, make_rng
from ravine.nn.layers import BatchNormStats, batch_norm, dense, embedding
from ravine.nn.losses import logistic_cross_entropy, softmax_cross_entropy, squared_error
from ravine.nn.models import *  # noqa: F401,F403
from ravine.nn.models import __all__ as _model_names
from ravine.nn.record import LayerActivations, record_activations
from ravine.nn.word_vectors import WordVectors

__all__ = ["ACTIVATIONS", "WEIGHT_INITS", "logistic", "tanh", "relu", "hard_threshold", "softmax",
           "logsumexp", "make_rng", "dense", "embedding", "batch_norm", "BatchNormStats", "squared_error",
           "logistic_cross_entropy", "softmax_cross_entropy", "record_activations", "LayerActivations",
           "WordVectors", *_model_names]
