"""Tokenisation, the vocabulary's <unk> behaviour, n-gram windows and co-occurrence weights."""

import numpy as np
import pytest

from ravine.data import UNK, Vocabulary, cooccurrence_matrix, ngram_windows, tokenize
from ravine.errors import ConfigError


def test_tokenize_keeps_inner_apostrophes_and_splits_hyphens():
    assert tokenize("'Tis now struck twelve; appear'd TO-NIGHT, o'er 2 hills!") == \
        ["tis", "now", "struck", "twelve", "appear'd", "to", "night", "o'er", "hills"]
    assert tokenize("Who’s there?") == ["who's", "there"]
    assert tokenize("King Lear", lowercase=False) == ["King", "Lear"]


def test_vocabulary_orders_by_frequency_and_maps_rare_words_to_unk():
    words = "b a b c b a d".split()
    v = Vocabulary.build(words, min_count=2)
    assert v.words == (UNK, "b", "a")
    np.testing.assert_array_equal(v.counts, [2, 3, 2])  # <unk> stands for c and d
    np.testing.assert_array_equal(v.encode(["a", "b", "zebra", "c"]), [2, 1, 0, 0])
    assert v.decode([1, 2, 0]) == ["b", "a", UNK]
    assert "a" in v and "c" not in v and v.id("c") == 0
    np.testing.assert_allclose(v.frequencies().sum(), 1.0)


def test_vocabulary_ties_break_alphabetically_and_max_size_counts_unk():
    v = Vocabulary.build([["x", "y"], ["y", "x", "z"]], max_size=3)
    assert v.words == (UNK, "x", "y")
    assert v.counts[0] == 1 and len(v) == 3


def test_vocabulary_rejects_bad_settings():
    with pytest.raises(ConfigError, match="min_count"):
        Vocabulary.build(["a"], min_count=0)
    with pytest.raises(ConfigError, match="first word"):
        Vocabulary(["a", UNK])


def test_ngram_windows_previous_k_words_to_next_word():
    contexts, targets = ngram_windows(np.arange(10, 16), context=3)
    np.testing.assert_array_equal(contexts, [[10, 11, 12], [11, 12, 13], [12, 13, 14]])
    np.testing.assert_array_equal(targets, [13, 14, 15])
    assert contexts.dtype == np.int64 and contexts.flags.c_contiguous


def test_ngram_windows_do_not_cross_documents_and_can_drop_unknown_targets():
    docs = [np.array([1, 2, 3]), np.array([4, 5]), np.array([6, 0, 7, 8])]
    contexts, targets = ngram_windows(docs, context=2)
    np.testing.assert_array_equal(contexts, [[1, 2], [6, 0], [0, 7]])
    np.testing.assert_array_equal(targets, [3, 7, 8])
    _, kept = ngram_windows([np.array([1, 2, 0, 3])], context=1, drop_unknown_targets=True)
    np.testing.assert_array_equal(kept, [2, 3])
    empty_c, empty_t = ngram_windows([np.array([1])], context=3)
    assert empty_c.shape == (0, 3) and empty_t.shape == (0,)
    with pytest.raises(ConfigError, match="context"):
        ngram_windows(np.arange(5), context=0)


def test_cooccurrence_weights_by_hand():
    # text "a b a c" with ids a=1, b=2, c=3 and window 2
    X = cooccurrence_matrix(np.array([1, 2, 1, 3]), vocab_size=4, window=2).toarray()
    # a-b: distance 1 (positions 0,1) and 1 (positions 2,1) -> 2; a-a: distance 2 -> 1/2 each way
    # a-c: distance 1 (positions 2,3) -> 1; b-c: distance 2 -> 1/2
    expected = np.zeros((4, 4))
    expected[1, 2] = expected[2, 1] = 2.0
    expected[1, 1] = 2 * 0.5
    expected[1, 3] = expected[3, 1] = 1.0
    expected[2, 3] = expected[3, 2] = 0.5
    np.testing.assert_allclose(X, expected)


def test_cooccurrence_uniform_unknown_and_document_boundaries():
    ids = [np.array([1, 0, 2]), np.array([2, 1])]
    harmonic = cooccurrence_matrix(ids, 3, window=3).toarray()
    # 1 and 2 meet at distance 2 across the unknown word (1/2) and at distance 1 in doc 2 (1)
    assert harmonic[1, 2] == harmonic[2, 1] == 1.5
    assert harmonic[0].sum() == 0.0
    uniform = cooccurrence_matrix(ids, 3, window=3, weighting="uniform").toarray()
    assert uniform[1, 2] == 2.0
    with_unk = cooccurrence_matrix(ids, 3, window=1, include_unknown=True).toarray()
    assert with_unk[0, 1] == with_unk[0, 2] == 1.0 and with_unk[1, 2] == 1.0
    with pytest.raises(ConfigError, match="weighting"):
        cooccurrence_matrix(ids, 3, weighting="exp")
    with pytest.raises(ConfigError, match="vocabulary's size"):
        cooccurrence_matrix(ids, 2)


def test_cooccurrence_matches_a_direct_double_loop():
    rng = np.random.default_rng(0)
    ids = rng.integers(0, 6, 40)
    X = cooccurrence_matrix(ids, 6, window=4).toarray()
    direct = np.zeros((6, 6))
    for i in range(len(ids)):
        for j in range(len(ids)):
            d = abs(i - j)
            if 1 <= d <= 4 and ids[i] != 0 and ids[j] != 0:
                direct[ids[i], ids[j]] += 1.0 / d
    np.testing.assert_allclose(X, direct)
