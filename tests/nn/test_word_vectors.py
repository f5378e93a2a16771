"""WordVectors queries against brute-force cosine similarity, and the inputs
that would make a query return one of its own words."""

import numpy
import pytest

from ravine import nn
from ravine.errors import ConfigError, ShapeError

rng = numpy.random.default_rng(3)
WORDS = [f"w{i}" for i in range(12)]
VECTORS = rng.normal(size=(12, 5))


def _cos(u, v):
    return u @ v / (numpy.linalg.norm(u) * numpy.linalg.norm(v))


def test_analogy_is_the_best_cosine_among_words_other_than_the_query():
    wv = nn.WordVectors(VECTORS, WORDS)
    unit = VECTORS / numpy.linalg.norm(VECTORS, axis=1, keepdims=True)
    a, b, c = 0, 1, 2
    target = unit[b] - unit[a] + unit[c]
    # c itself is usually closest to b − a + c; it must be skipped
    scores = {i: _cos(unit[i], target) for i in range(12) if i not in (a, b, c)}
    best = max(scores, key=scores.get)
    (word, score), = wv.analogy("w0", "w1", "w2")
    assert word == WORDS[best] and score == pytest.approx(scores[best], rel=1e-12)
    assert not {w for w, _ in wv.analogy("w0", "w1", "w2", k=12)} & {"w0", "w1", "w2"}


def test_repeated_words_are_refused():
    # with "w0" twice, nearest("w0") excluded only the second copy and returned the first
    words = ["w0", "w0"] + WORDS[2:]
    with pytest.raises(ConfigError, match=r"distinct words; \['w0'\]"):
        nn.WordVectors(VECTORS, words)


def test_non_finite_vectors_are_refused():
    bad = VECTORS.copy()
    bad[4, 1] = numpy.nan
    with pytest.raises(ShapeError, match="NaN or infinite"):
        nn.WordVectors(bad, WORDS)


def test_k_must_be_a_whole_number():
    wv = nn.WordVectors(VECTORS, WORDS)
    with pytest.raises(ConfigError, match="positive integer"):
        wv.nearest("w0", k=2.5)
    assert len(wv.nearest("w0", k=numpy.int64(3))) == 3
