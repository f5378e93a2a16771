"""Word-analogy questions "a is to b as c is to d" (lecture 004: king − man + woman ≈ queen).

Two sources:

- :func:`load_analogies` builds questions from the word pairs shipped in
  ``ravine/data/files/analogy_pairs.txt`` (family, titles, pronouns,
  singular/plural, past tense, comparatives, superlatives — words that occur in
  Shakespeare).  Within a section every ordered pair of distinct pairs
  ``(a, b), (c, d)`` makes one question ``a b c d``; a section of ``k`` pairs
  gives ``k (k − 1)`` questions.
- :func:`read_google_analogies` reads the Google analogy set (Mikolov et al.
  2013, ``questions-words.txt``) or any file in its format — ``: section`` lines
  and ``a b c d`` lines — from a path the user gives.

Both take an optional ``vocabulary`` (a :class:`~ravine.data.text.Vocabulary`
or any collection of words) and keep only the questions whose four words are in
it, so an embedding is never asked about words it has not seen.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from ravine.errors import ConfigError, DataError

__all__ = ["Analogy", "analogy_pairs", "load_analogies", "read_google_analogies", "encode_analogies"]


@dataclass(frozen=True)
class Analogy:
    """``a`` is to ``b`` as ``c`` is to ``d``; ``d`` is the answer to find."""

    a: str
    b: str
    c: str
    d: str
    section: str = ""

    def words(self) -> tuple[str, str, str, str]:
        return (self.a, self.b, self.c, self.d)


def _sections(lines, source: str, width: int):
    """Yield ``(section, fields)`` for each data line of a ``: section`` file."""
    section = ""
    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith(":"):
            section = line[1:].strip()
            continue
        fields = line.lower().split()
        if len(fields) != width:
            raise DataError(f"{source} line {number}: expected {width} words, got {line!r}")
        yield section, fields


def _keep(words, vocabulary) -> bool:
    return vocabulary is None or all(w in vocabulary for w in words)


def analogy_pairs() -> dict[str, list[tuple[str, str]]]:
    """The shipped word pairs, by section."""
    text = resources.files("ravine.data").joinpath("files/analogy_pairs.txt").read_text(encoding="utf-8")
    pairs: dict[str, list[tuple[str, str]]] = {}
    for section, (a, b) in _sections(text.splitlines(), "analogy_pairs.txt", 2):
        pairs.setdefault(section, []).append((a, b))
    return pairs


def load_analogies(vocabulary=None, sections=None) -> list[Analogy]:
    """Questions built from the shipped pairs (see the module docstring), kept
    only where all four words are in ``vocabulary``; ``sections`` picks some."""
    out = []
    for section, pairs in analogy_pairs().items():
        if sections is not None and section not in sections:
            continue
        pairs = [p for p in pairs if _keep(p, vocabulary)]
        for i, (a, b) in enumerate(pairs):
            for j, (c, d) in enumerate(pairs):
                if i != j and len({a, b, c, d}) == 4:
                    out.append(Analogy(a, b, c, d, section))
    return out


def read_google_analogies(path: str | os.PathLike, vocabulary=None) -> list[Analogy]:
    """The questions of a Google-format analogy file (lower-cased), filtered to ``vocabulary``."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"no analogy file at {str(path)!r}; point to a file in the Google format "
                        "(e.g. questions-words.txt from the word2vec distribution)")
    with open(path, encoding="utf-8") as f:
        return [Analogy(*fields, section=section)
                for section, fields in _sections(f, str(path), 4) if _keep(fields, vocabulary)]


def encode_analogies(analogies, vocabulary) -> np.ndarray:
    """An ``(n, 4)`` ``int64`` array of the ids of ``a, b, c, d`` for each question.

    Every word must be in ``vocabulary``: an unknown one would become ``<unk>``'s
    id 0, and the question would silently ask about (or expect) ``<unk>``."""
    missing = sorted({w for q in analogies for w in q.words() if w not in vocabulary})
    if missing:
        raise ConfigError(f"{len(missing)} analogy word(s) are not in the vocabulary: {missing[:10]}; "
                          "keep only answerable questions with load_analogies(vocabulary=...) or "
                          "read_google_analogies(path, vocabulary=...)")
    return np.array([[vocabulary.id(w) for w in q.words()] for q in analogies],
                    dtype=np.int64).reshape(-1, 4)
