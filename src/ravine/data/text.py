"""Tokenisation and the vocabulary that turns words into integer ids.

Tokens are lower-case words: runs of letters, with inner apostrophes kept
(``"appear'd"``, ``"o'er"``) and hyphens splitting (``"to-night"`` → ``to``,
``night``).  Leading and trailing apostrophes are dropped (``"'tis"`` → ``tis``).
Digits and punctuation are not tokens.

A :class:`Vocabulary` keeps the words seen at least ``min_count`` times (and at
most ``max_size`` of them, most frequent first); every other word maps to the
unknown-word token ``<unk>``, which always has id 0.  Ids 1, 2, ... follow
decreasing frequency, ties broken alphabetically, so a vocabulary built twice
from the same text is identical.

>>> from ravine.data.text import Vocabulary, tokenize
>>> words = tokenize("To be, or not to be: that is the question.")
>>> vocab = Vocabulary.build(words, min_count=2)
>>> vocab.words, vocab.encode(["to", "be", "question"]).tolist()
(('<unk>', 'be', 'to'), [2, 1, 0])
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np

from ravine.errors import ConfigError

__all__ = ["UNK", "tokenize", "Vocabulary"]

UNK = "<unk>"
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")


def tokenize(text: str, lowercase: bool = True) -> list[str]:
    """The words of ``text`` (see the module docstring for what counts as a word).

    With ``lowercase=False`` the original case is kept and capitalised words are
    tokens as well.
    """
    text = text.replace("’", "'")
    if lowercase:
        return _WORD.findall(text.lower())
    return re.findall(r"[A-Za-z]+(?:'[A-Za-z]+)*", text)


def _flat(tokens: Iterable) -> Iterable[str]:
    """Words from a flat list of tokens or from a list of token lists."""
    for item in tokens:
        if isinstance(item, str):
            yield item
        else:
            yield from item


class Vocabulary:
    """A word <-> id mapping with an unknown-word token at id 0.

    ``counts[i]`` is how often word ``i`` occurred in the text the vocabulary
    was built from; ``counts[0]`` counts the occurrences of all words that were
    mapped to ``<unk>``.
    """

    def __init__(self, words: Sequence[str], counts: Sequence[int] | None = None):
        words = tuple(words)
        if not words or words[0] != UNK:
            raise ConfigError(f"a Vocabulary's first word must be {UNK!r}, got {words[:1]!r}")
        if len(set(words)) != len(words):
            raise ConfigError("a Vocabulary cannot hold the same word twice")
        self.words: tuple[str, ...] = words
        self.counts = np.zeros(len(words), np.int64) if counts is None else np.asarray(counts, np.int64)
        if self.counts.shape != (len(words),):
            raise ConfigError(f"counts has shape {self.counts.shape}, expected ({len(words)},)")
        self._ids = {w: i for i, w in enumerate(words)}

    @classmethod
    def build(cls, tokens: Iterable, min_count: int = 1, max_size: int | None = None) -> Vocabulary:
        """The vocabulary of ``tokens`` (a list of words, or a list of documents'
        word lists): words seen at least ``min_count`` times, at most ``max_size``
        of them (``<unk>`` included), most frequent first."""
        if int(min_count) < 1:
            raise ConfigError(f"min_count must be at least 1, got {min_count!r}")
        if max_size is not None and int(max_size) < 2:
            raise ConfigError(f"max_size must leave room for <unk> and one word, got {max_size!r}")
        freq = Counter(_flat(tokens))
        freq.pop(UNK, None)
        ranked = sorted(freq.items(), key=lambda wc: (-wc[1], wc[0]))
        kept = [(w, c) for w, c in ranked if c >= min_count]
        if max_size is not None:
            kept = kept[: int(max_size) - 1]
        unk_count = sum(freq.values()) - sum(c for _, c in kept)
        return cls([UNK] + [w for w, _ in kept], [unk_count] + [c for _, c in kept])

    def __len__(self) -> int:
        return len(self.words)

    def __contains__(self, word: str) -> bool:
        return word in self._ids

    def __repr__(self) -> str:
        return f"Vocabulary({len(self)} words, <unk> covers {int(self.counts[0])} tokens)"

    @property
    def unk_id(self) -> int:
        return 0

    def id(self, word: str) -> int:
        """The id of ``word``, or 0 (``<unk>``) when it is not in the vocabulary."""
        return self._ids.get(word, 0)

    def word(self, index: int) -> str:
        return self.words[index]

    def encode(self, tokens: Iterable[str]) -> np.ndarray:
        """Ids (``int64``) of a list of words; unknown words become 0."""
        get = self._ids.get
        return np.fromiter((get(w, 0) for w in tokens), dtype=np.int64)

    def decode(self, ids: Iterable[int]) -> list[str]:
        """Words of a sequence of ids."""
        return [self.words[int(i)] for i in ids]

    def frequencies(self) -> np.ndarray:
        """Relative frequencies ``counts / counts.sum()`` (for unigram baselines)."""
        total = self.counts.sum()
        return self.counts / total if total else np.full(len(self), 1.0 / len(self))
