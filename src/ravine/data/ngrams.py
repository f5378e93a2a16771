"""Context windows for n-gram language models: the previous K words -> the next word.

For a sequence of word ids ``w_1 ... w_T`` and context length ``K`` the examples
are ``(w_{t-K}, ..., w_{t-1}) -> w_t`` for ``t = K+1 ... T``: ``T - K`` rows,
each a full window (no padding).  Given several documents (a list of id arrays)
windows never cross from one document into the next.  This is the input of
Bengio's neural language model in lecture 004 (K = 3 there).

>>> import numpy as np
>>> from ravine.data.ngrams import ngram_windows
>>> contexts, targets = ngram_windows(np.array([5, 6, 7, 8, 9]), context=3)
>>> contexts.tolist(), targets.tolist()
([[5, 6, 7], [6, 7, 8]], [8, 9])
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from ravine.errors import ConfigError

__all__ = ["as_id_sequences", "ngram_windows"]


def as_id_sequences(ids) -> list[np.ndarray]:
    """A list of 1-D ``int64`` arrays from one id array or a list of them."""
    if isinstance(ids, np.ndarray) and ids.ndim == 1:
        return [ids.astype(np.int64, copy=False)]
    if isinstance(ids, Sequence) and ids and np.ndim(ids[0]) == 0:
        return [np.asarray(ids, dtype=np.int64)]
    sequences = [np.asarray(seq, dtype=np.int64) for seq in ids]
    for seq in sequences:
        if seq.ndim != 1:
            raise ConfigError(f"each document must be a 1-D array of word ids, got shape {seq.shape}")
    return sequences


def ngram_windows(ids, context: int = 3, drop_unknown_targets: bool = False,
                  unk_id: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``(contexts, targets)``: ``contexts[n]`` holds the ``context`` ids before ``targets[n]``.

    ``ids`` is one array of word ids or a list of them (one per document).
    ``drop_unknown_targets`` removes the rows whose target is ``unk_id`` (so a
    model is not scored on predicting ``<unk>``).  Shapes: ``(n, context)`` and
    ``(n,)``, both ``int64``.
    """
    if int(context) != context or context < 1:
        raise ConfigError(f"context must be a positive whole number of words, got {context!r}")
    context = int(context)
    blocks, targets = [], []
    for seq in as_id_sequences(ids):
        if len(seq) <= context:
            continue
        # row n of the view is seq[n : n + context + 1]: the window and its target
        view = np.lib.stride_tricks.sliding_window_view(seq, context + 1)
        blocks.append(view[:, :context])
        targets.append(view[:, context])
    if not blocks:
        return np.zeros((0, context), np.int64), np.zeros(0, np.int64)
    contexts = np.ascontiguousarray(np.concatenate(blocks))
    target = np.concatenate(targets)
    if drop_unknown_targets:
        keep = target != unk_id
        contexts, target = contexts[keep], target[keep]
    return contexts, target
