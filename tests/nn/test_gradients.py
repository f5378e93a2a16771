"""Every model's gradient (and second derivatives, forward and reverse) against
central finite differences, on small sizes, via ravine.test_util.check_grads."""

import numpy
import pytest
import scipy.sparse as sp

import ravine.nn as nn
import ravine.numpy as np
from ravine import grad
from ravine.misc.flatten import tree_structure_equal
from ravine.nn.sparse import SparsePattern, pattern_dots, pattern_matmul
from ravine.test_util import check_grads

rng = numpy.random.default_rng(0)
X = rng.normal(size=(7, 4))
labels3 = rng.integers(0, 3, 7)
labels2 = numpy.array([0, 1, 1, 0, 1, 0, 0])
contexts = rng.integers(0, 11, (6, 3))
next_words = rng.integers(0, 11, 6)
counts = sp.random(9, 9, density=0.4, random_state=1, format="csr")
counts.data = 1.0 + 300.0 * counts.data  # both branches of f(x): below and above x_max

CASES = {
    "linear_regression": (nn.LinearRegression(4, l2=0.1, init_scale=0.3), X, rng.normal(size=7)),
    "linear_regression_2_outputs": (nn.LinearRegression(4, n_outputs=2, init_scale=0.3), X, rng.normal(size=(7, 2))),
    "logistic_regression": (nn.LogisticRegression(4, l2=0.1, init_scale=0.3), X, labels2),
    "softmax_regression": (nn.SoftmaxRegression(4, 3, l2=0.1, init_scale=0.3), X, labels3),
    "mlp_relu": (nn.MLPClassifier(4, 3, hidden=(5,)), X, labels3),
    "mlp_tanh_two_layers": (nn.MLPClassifier(4, 3, hidden=(5, 6), activation="tanh", l2=0.01), X, labels3),
    "mlp_logistic_batch_norm": (nn.MLPClassifier(4, 3, hidden=(5,), activation="logistic", batch_norm=True), X, labels3),
    "perceptron_criterion": (nn.Perceptron(4), X, labels2),
    "logistic_least_squares_bounded": (nn.LogisticLeastSquares(4, weight_bound=2.0), X, labels2),
    "neural_language_model": (nn.NeuralLanguageModel(11, context_size=3, embed_dim=4, hidden=5, l2=0.01),
                              contexts, next_words),
    "glove": (nn.GloVe(9, dim=3), counts, None),
}


def _params(name, model):
    if name == "perceptron_criterion":  # generic point: no example exactly on the kink
        return {"w": rng.normal(size=4), "b": rng.normal(size=1)}
    return model.init(1)


@pytest.mark.parametrize("name", sorted(CASES))
def test_model_derivatives_match_finite_differences(name):
    model, inputs, targets = CASES[name]
    params = _params(name, model)
    check_grads(lambda p: model.loss(p, inputs, targets), modes=("fwd", "rev"), order=2)(params)


@pytest.mark.parametrize("name", sorted(CASES))
def test_model_gradient_has_the_params_structure(name):
    model, inputs, targets = CASES[name]
    params = _params(name, model)
    g = grad(model.loss)(params, inputs, targets)
    assert tree_structure_equal(g, params)


@pytest.mark.parametrize("dense_limit", [0, 1 << 22], ids=["gather_rows", "dense_product"])
def test_sparse_pattern_primitives_and_their_derivatives(dense_limit, monkeypatch):
    import ravine.nn.sparse

    monkeypatch.setattr(ravine.nn.sparse, "_DENSE_LIMIT", dense_limit)
    monkeypatch.setattr(ravine.nn.sparse, "_CHUNK", 7)  # several chunks on a small pattern
    pattern, values = SparsePattern.from_matrix(counts)
    A, B = rng.normal(size=(9, 3)), rng.normal(size=(9, 3))
    dense = pattern.matrix(values).toarray()
    assert numpy.allclose(pattern.matrix(values).toarray(), counts.toarray())
    assert numpy.allclose(pattern_dots(A, B, pattern), (A @ B.T)[pattern.rows, pattern.cols])
    assert numpy.allclose(pattern_matmul(values, B, pattern), dense @ B)
    assert numpy.allclose(pattern_matmul(values, B, pattern, transpose=True), dense.T @ B)
    for argnum in (0, 1):
        check_grads(lambda a, b: np.sin(pattern_dots(a, b, pattern)), argnum=argnum, order=2)(A, B)
        check_grads(lambda g, b: np.sin(pattern_matmul(g, b, pattern)), argnum=argnum, order=2)(values, B)
        check_grads(lambda g, b: np.sin(pattern_matmul(g, b, pattern, transpose=True)),
                    argnum=argnum, order=2)(values, B)
