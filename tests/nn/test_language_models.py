"""Lecture 004's neural language model on Shakespeare against a smoothed bigram
model, both scored on the same held-out plays and the same windows.

Setting (checked on seeds 0–2): 500-word vocabulary (+ <unk>), previous K = 3
words, 16-d embeddings, 32 tanh units, Adam (lr 0.01, batches of 256) for 1000
steps ≈ 1.6 epochs of ≈ 157k training windows.  Test perplexities: bigram 50.3
(λ tuned on validation plays), neural model 47.6–48.5."""

import numpy
import pytest

import ravine.nn as nn
from ravine.data import Vocabulary, ngram_windows
from ravine.errors import ConfigError, ShapeError
from ravine.optim import minimize


@pytest.fixture(scope="module")
def windows(shakespeare_split):
    train, valid, test = shakespeare_split
    vocab = Vocabulary.build(train.documents_tokens(), max_size=500)
    return vocab, [ngram_windows(part.encode(vocab), context=3) for part in (train, valid, test)]


def test_neural_language_model_beats_smoothed_bigram_on_held_out_plays(windows):
    vocab, ((x_train, y_train), (x_valid, y_valid), (x_test, y_test)) = windows
    bigram = nn.BigramLanguageModel(len(vocab)).fit(x_train, y_train)
    bigram.tune(x_valid, y_valid)
    bigram_ppl = bigram.perplexity(x_test, y_test)

    model = nn.NeuralLanguageModel(len(vocab), context_size=3, embed_dim=16, hidden=32)
    result = minimize(model.batch_loss, model.init(0), "adam", lr=0.01, data=(x_train, y_train),
                      batch_size=256, seed=0, max_steps=1000, progress=False)
    neural_ppl = model.perplexity(result.params, x_test, y_test)
    # both are far better than guessing uniformly over the vocabulary
    assert bigram_ppl < len(vocab) / 5
    assert neural_ppl < bigram_ppl
    # perplexity is exp of the mean cross-entropy the optimiser minimised
    assert numpy.isclose(numpy.log(model.perplexity(result.params, x_train[:2000], y_train[:2000])),
                         float(model.loss(result.params, x_train[:2000], y_train[:2000])))


def test_bigram_probabilities_follow_the_interpolation_formula():
    contexts = numpy.array([[0, 1], [0, 1], [0, 2], [0, 1]])
    targets = numpy.array([2, 2, 1, 3])
    model = nn.BigramLanguageModel(4, interpolation=0.6).fit(contexts, targets)
    unigram = (numpy.bincount(targets, minlength=4) + 1) / (4 + 4)
    # p(2 | 1) = 0.6 · c(1, 2)/c(1) + 0.4 · p_uni(2) = 0.6 · 2/3 + 0.4 · 3/8
    assert numpy.isclose(numpy.exp(model.log_prob([[0, 1]], [2])[0]), 0.6 * 2 / 3 + 0.4 * unigram[2])
    # an unseen previous word falls back to the unigram model
    assert numpy.isclose(numpy.exp(model.log_prob([[0, 3]], [1])[0]), unigram[1])
    # probabilities of every next word sum to one
    total = sum(numpy.exp(model.log_prob([[0, 1]], [w])[0]) for w in range(4))
    assert numpy.isclose(total, 1.0)
    with pytest.raises(ConfigError, match="interpolation"):
        nn.BigramLanguageModel(4, interpolation=1.5)


def test_language_model_records_its_hidden_layer_and_checks_inputs():
    model = nn.NeuralLanguageModel(20, context_size=3, embed_dim=4, hidden=6)
    params = model.init(0)
    contexts = numpy.random.default_rng(0).integers(0, 20, (5, 3))
    layers = nn.record_activations(model, params, contexts)
    hidden = layers["hidden"]
    e = params["embed"][contexts].reshape(5, 12)
    assert numpy.allclose(hidden.pre, e @ params["hidden"]["W"] + params["hidden"]["b"])
    assert numpy.allclose(hidden.post, numpy.tanh(hidden.pre)) and (hidden.low, hidden.high) == (-1.0, 1.0)
    assert numpy.allclose(numpy.exp(model.log_prob(params, contexts, numpy.zeros(5, int))),
                          nn.softmax(model.forward(params, contexts))[:, 0])
    with pytest.raises(ShapeError, match=r"\(N, 3\)"):
        model.loss(params, contexts[:, :2], numpy.zeros(5, int))
    with pytest.raises(ShapeError, match=r"\[0, 20\)"):
        model.loss(params, contexts + 20, numpy.zeros(5, int))


def test_no_windows_is_an_error_not_a_nan_perplexity():
    contexts, targets = numpy.array([[1, 2, 3], [2, 3, 4]]), numpy.array([4, 5])
    empty = (numpy.zeros((0, 3), dtype=int), numpy.zeros(0, dtype=int))
    neural = nn.NeuralLanguageModel(6, context_size=3, embed_dim=2, hidden=3)
    bigram = nn.BigramLanguageModel(6).fit(contexts, targets)
    # exp(−mean([])) was NaN, and tune() then picked the first λ of its grid
    with pytest.raises(ShapeError, match="0 windows"):
        neural.perplexity(neural.init(0), *empty)
    with pytest.raises(ShapeError, match="0 windows"):
        bigram.perplexity(*empty)
    with pytest.raises(ShapeError, match="0 windows"):
        bigram.tune(*empty)
    with pytest.raises(ConfigError, match="non-empty grid"):
        bigram.tune(contexts, targets, grid=())
    with pytest.raises(ConfigError, match="batch_size"):
        neural.log_prob(neural.init(0), contexts, targets, batch_size=0)
    # one window is enough, and the perplexity is exp(−log p) of that window
    p = numpy.exp(bigram.log_prob(contexts[:1], targets[:1])[0])
    assert bigram.perplexity(contexts[:1], targets[:1]) == pytest.approx(1 / p)


def test_bigram_log_prob_of_no_windows_is_empty():
    # scipy returns a sparse 1×0 matrix for an empty pair lookup, which np.asarray wrapped as an object
    bigram = nn.BigramLanguageModel(6).fit(numpy.array([[1, 2, 3]]), numpy.array([4]))
    assert bigram.log_prob(numpy.zeros((0, 3), dtype=int), numpy.zeros(0, dtype=int)).shape == (0,)
