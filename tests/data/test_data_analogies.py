"""Analogy questions: the shipped pairs, the Google format, filtering to a vocabulary."""

import numpy as np
import pytest

from ravine.data import (
    Analogy,
    Vocabulary,
    encode_analogies,
    load_analogies,
    load_shakespeare,
    read_google_analogies,
)
from ravine.data.analogies import analogy_pairs
from ravine.errors import ConfigError, DataError

SECTIONS = {"family", "titles", "pronouns", "pronouns-number", "plural", "past-tense",
            "comparative", "superlative"}


def test_shipped_pairs_cover_the_promised_sections():
    pairs = analogy_pairs()
    assert set(pairs) == SECTIONS
    assert ("king", "queen") in pairs["titles"] and ("lord", "lady") in pairs["titles"]
    assert ("father", "mother") in pairs["family"] and ("brother", "sister") in pairs["family"]


def test_every_ordered_pair_of_pairs_makes_one_question():
    pairs = analogy_pairs()["titles"]
    questions = load_analogies(sections={"titles"})
    assert len(questions) == len(pairs) * (len(pairs) - 1)
    q = next(q for q in questions if (q.a, q.b, q.c) == ("king", "queen", "lord"))
    assert q.d == "lady" and q.section == "titles"


def test_questions_are_filtered_to_the_vocabulary():
    vocab = {"king", "queen", "lord", "lady", "duke"}
    questions = load_analogies(vocabulary=vocab)
    assert {q.words() for q in questions} == {("king", "queen", "lord", "lady"),
                                             ("lord", "lady", "king", "queen")}


def test_the_shakespeare_vocabulary_keeps_many_questions():
    train, _, _ = load_shakespeare().split(seed=0)
    vocab = Vocabulary.build(train.documents_tokens(), min_count=5)
    questions = load_analogies(vocabulary=vocab)
    assert len(questions) > 1000
    assert {q.section for q in questions} == SECTIONS
    ids = encode_analogies(questions, vocab)
    assert ids.shape == (len(questions), 4) and ids.min() > 0  # no <unk> in any question


def test_google_format_reader(tmp_path):
    path = tmp_path / "questions-words.txt"
    path.write_text(": capital-common-countries\nAthens Greece Baghdad Iraq\n"
                    "Athens Greece Bangkok Thailand\n: family\nboy girl brother sister\n")
    questions = read_google_analogies(path)
    assert [q.words() for q in questions][0] == ("athens", "greece", "baghdad", "iraq")
    assert [q.section for q in questions] == ["capital-common-countries"] * 2 + ["family"]
    kept = read_google_analogies(path, vocabulary={"boy", "girl", "brother", "sister"})
    assert len(kept) == 1 and kept[0].d == "sister"
    np.testing.assert_array_equal(encode_analogies([], Vocabulary(["<unk>"])).shape, (0, 4))


def test_google_reader_errors(tmp_path):
    with pytest.raises(DataError, match="no analogy file"):
        read_google_analogies(tmp_path / "missing.txt")
    (tmp_path / "bad.txt").write_text(": s\nking queen man\n")
    with pytest.raises(DataError, match="line 2: expected 4 words"):
        read_google_analogies(tmp_path / "bad.txt")


def test_encoding_a_question_with_an_unknown_word_is_an_error_not_unk():
    vocab = Vocabulary.build(["king", "queen", "man", "man"])
    question = Analogy("king", "queen", "man", "woman")
    # "woman" would become id 0, <unk>, and the answer to find would be <unk>
    with pytest.raises(ConfigError, match=r"not in the vocabulary: \['woman'\].*load_analogies"):
        encode_analogies([question], vocab)
    ids = encode_analogies([Analogy("king", "queen", "man", "man")], vocab)
    assert [vocab.word(i) for i in ids[0]] == ["king", "queen", "man", "man"]
