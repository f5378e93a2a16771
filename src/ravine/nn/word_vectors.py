"""Queries on word vectors by cosine similarity (lecture 004).

    cos(u, v) = uᵀv / (‖u‖ ‖v‖)

* nearest neighbours of a word: the words of highest cosine similarity to it;
* analogies, "a is to b as c is to ?": the word whose vector is closest to
  v(b) − v(a) + v(c), excluding a, b and c themselves ("Paris is to France as
  London is to ?" finds v(France) − v(Paris) + v(London) ≈ v(England)).
  Vectors are normalised to unit length before the arithmetic (the usual
  convention since Mikolov et al. 2013).
"""

from __future__ import annotations

from typing import Iterable, Sequence

import numpy as _np

from ravine.errors import ConfigError, ShapeError

__all__ = ["WordVectors"]


class WordVectors:
    """Unit-normalised vectors for a list of words, with cosine-similarity queries."""

    def __init__(self, vectors: _np.ndarray, words: Sequence[str]):
        vectors = _np.asarray(vectors, dtype=float)
        words = list(words)
        if vectors.ndim != 2 or vectors.shape[0] != len(words):
            raise ShapeError(f"WordVectors needs one row per word: {len(words)} words but vectors of "
                             f"shape {vectors.shape}.")
        if len(set(words)) != len(words):
            repeated = sorted({w for w in words if words.count(w) > 1})
            raise ConfigError(f"WordVectors needs distinct words; {repeated[:10]} appear more than once, "
                              "so a query could return the word itself as its own neighbour.")
        if not _np.all(_np.isfinite(vectors)):
            raise ShapeError("WordVectors received NaN or infinite vectors (a diverged fit?); "
                             "retrain with a smaller learning rate.")
        norms = _np.linalg.norm(vectors, axis=1, keepdims=True)
        self.unit = vectors / _np.where(norms > 0, norms, 1.0)
        self.words = words
        self.index = {w: i for i, w in enumerate(words)}

    def _id(self, word: str) -> int:
        if word not in self.index:
            raise ConfigError(f"{word!r} is not in the vocabulary of {len(self.words)} words; "
                              "lower the frequency cut-off or pick another word.")
        return self.index[word]

    def __contains__(self, word: str) -> bool:
        return word in self.index

    def similarity(self, a: str, b: str) -> float:
        """cos(v(a), v(b))."""
        return float(self.unit[self._id(a)] @ self.unit[self._id(b)])

    def _top(self, query: _np.ndarray, exclude: Iterable[int], k: int) -> list[tuple[str, float]]:
        if isinstance(k, bool) or not isinstance(k, (int, _np.integer)) or k < 1:
            raise ConfigError(f"k must be a positive integer; received {k!r}.")
        scores = self.unit @ query / max(_np.linalg.norm(query), 1e-300)
        scores[list(exclude)] = -_np.inf
        k = min(k, len(self.words) - len(set(exclude)))
        best = _np.argpartition(-scores, k - 1)[:k]
        best = best[_np.argsort(-scores[best])]
        return [(self.words[i], float(scores[i])) for i in best]

    def nearest(self, word: str, k: int = 10) -> list[tuple[str, float]]:
        """The k words most cosine-similar to ``word`` (itself excluded), best first."""
        i = self._id(word)
        return self._top(self.unit[i].copy(), [i], k)

    def analogy(self, a: str, b: str, c: str, k: int = 1) -> list[tuple[str, float]]:
        """"a is to b as c is to ?": words nearest v(b) − v(a) + v(c), excluding a, b, c."""
        ia, ib, ic = self._id(a), self._id(b), self._id(c)
        return self._top(self.unit[ib] - self.unit[ia] + self.unit[ic], {ia, ib, ic}, k)

    def rank_of(self, word: str, target: str) -> int:
        """Rank (1 = nearest) of ``target`` among the neighbours of ``word``."""
        i, j = self._id(word), self._id(target)
        scores = self.unit @ self.unit[i]
        scores[i] = -_np.inf
        return int(_np.sum(scores > scores[j])) + 1
