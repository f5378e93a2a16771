"""The word co-occurrence matrix GloVe factorises (lecture 004), as a SciPy sparse matrix.

For word ids ``w_1 ... w_T`` and a window of ``W`` words on each side,

    X_ij = Σ_t Σ_{1 ≤ d ≤ W} [w_t = i] ([w_{t+d} = j] + [w_{t-d} = j]) · weight(d)

with ``weight(d) = 1/d`` (GloVe's harmonic weighting: a word ``d`` positions
away counts ``1/d`` of an adjacent one) or ``weight(d) = 1`` (plain counts).  The
matrix is symmetric because both sides of each word are counted.  Windows do not
cross document boundaries.  Pairs that involve the unknown-word id are left out
unless ``include_unknown=True``; they still take up positions, so distances are
measured in the original text.

>>> import numpy as np
>>> from ravine.data.cooccurrence import cooccurrence_matrix
>>> X = cooccurrence_matrix(np.array([1, 2, 3]), vocab_size=4, window=2)
>>> X.toarray()[1].tolist()   # word 1 sees word 2 at distance 1 and word 3 at distance 2
[0.0, 0.0, 1.0, 0.5]
"""

from __future__ import annotations

import numpy as np
import scipy.sparse

from ravine.data.ngrams import as_id_sequences
from ravine.errors import ConfigError

__all__ = ["WEIGHTINGS", "cooccurrence_matrix"]

WEIGHTINGS = {"harmonic": lambda d: 1.0 / d, "uniform": lambda d: 1.0}


def cooccurrence_matrix(ids, vocab_size: int, window: int = 5, weighting: str = "harmonic",
                        include_unknown: bool = False, unk_id: int = 0) -> scipy.sparse.csr_matrix:
    """The ``(vocab_size, vocab_size)`` co-occurrence matrix ``X`` (``float64``, CSR).

    ``ids`` is one array of word ids or a list of them (one per document); see
    the module docstring for the formula.
    """
    if int(window) != window or window < 1:
        raise ConfigError(f"window must be a positive whole number of words, got {window!r}")
    if weighting not in WEIGHTINGS:
        raise ConfigError(f"unknown weighting {weighting!r}; choose one of {sorted(WEIGHTINGS)}")
    if int(vocab_size) < 1:
        raise ConfigError(f"vocab_size must be positive, got {vocab_size!r}")
    sequences = as_id_sequences(ids)
    for seq in sequences:
        if len(seq) and (seq.min() < 0 or seq.max() >= vocab_size):
            raise ConfigError(f"word ids must lie in [0, {vocab_size}), got values in "
                              f"[{seq.min()}, {seq.max()}]; pass the vocabulary's size")
    shape = (int(vocab_size), int(vocab_size))
    upper = scipy.sparse.csr_matrix(shape, dtype=np.float64)  # pairs (w_t, w_{t+d})
    for d in range(1, int(window) + 1):
        left = [seq[:-d] for seq in sequences if len(seq) > d]
        if not left:
            break
        rows = np.concatenate(left)
        cols = np.concatenate([seq[d:] for seq in sequences if len(seq) > d])
        if not include_unknown:
            keep = (rows != unk_id) & (cols != unk_id)
            rows, cols = rows[keep], cols[keep]
        values = np.full(len(rows), WEIGHTINGS[weighting](d), dtype=np.float64)
        upper = upper + scipy.sparse.coo_matrix((values, (rows, cols)), shape=shape).tocsr()
    X = (upper + upper.T).tocsr()
    X.sum_duplicates()
    X.sort_indices()
    return X
