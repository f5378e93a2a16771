"""Bengio's neural language model (lecture 004) and a smoothed bigram baseline.

:class:`NeuralLanguageModel` predicts word w_t from the previous K words
(K = 3 in the lecture):

    e   = [R[w_{t−K}], …, R[w_{t−1}]]          (K·d: the embedding table R is the
                                               tied first layer, a lookup of one-hot codes)
    h   = tanh(e W_h + b_h)                    (H hidden units)
    z   = h W_o + b_o,   y = softmax(z)        (V outputs)
    L   = 1/N Σ_n −log y_{n, w_t}               (cross-entropy = −log-likelihood per word)

Perplexity is exp(L) on held-out windows.

:class:`BigramLanguageModel` is the count-based baseline of the lecture's n-gram
section, smoothed by interpolating with the add-one unigram model:

    p(w | v) = λ c(v, w) / c(v) + (1 − λ) (c(w) + 1) / (T + V)

(λ·0 when c(v) = 0); λ is chosen on validation windows by :meth:`tune`.  Both
models take the same windows — contexts (N×K integer ids) and targets (N) — so
their perplexities are compared on exactly the same predictions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Sequence

import numpy as _np

import ravine.numpy as np
from ravine.errors import ConfigError, ShapeError
from ravine.nn.activations import ACTIVATIONS, get_activation, log_softmax
from ravine.nn.init import get_weight_init, make_rng
from ravine.nn.layers import dense, embedding, init_dense, init_embedding
from ravine.nn.losses import softmax_cross_entropy
from ravine.nn.models.base import ModelMixin, check_labels, check_nonnegative, check_positive_int, l2_penalty

__all__ = ["NeuralLanguageModel", "BigramLanguageModel", "check_windows", "perplexity_of"]


def check_windows(contexts: Any, targets: Any, vocab_size: int, context_size: int | None, model: str):
    """(contexts, targets) as int arrays of shapes (N, K) and (N,) with ids in [0, V)."""
    contexts = _np.asarray(contexts)
    if contexts.ndim != 2 or (context_size is not None and contexts.shape[1] != context_size):
        k = context_size if context_size is not None else "K"
        raise ShapeError(f"{model} needs contexts of shape (N, {k}); received {contexts.shape}.")
    if contexts.dtype.kind not in "iu":
        raise ShapeError(f"{model}: contexts must be integer word ids; received dtype {contexts.dtype}.")
    if contexts.size and (contexts.min() < 0 or contexts.max() >= vocab_size):
        raise ShapeError(f"{model}: word ids must lie in [0, {vocab_size}); received "
                         f"{contexts.min()}..{contexts.max()}.")
    targets = check_labels(targets, vocab_size, contexts.shape[0], model)
    return contexts, targets


def perplexity_of(log_probs: _np.ndarray, model: str) -> float:
    """exp(−1/N Σ_n log p_n); no windows is an error, not NaN."""
    if log_probs.size == 0:
        raise ShapeError(f"{model}: perplexity of 0 windows is undefined (NaN); pass at least one "
                         "(context, target) window — a text shorter than K + 1 words gives none.")
    return float(_np.exp(-_np.mean(log_probs)))


@dataclass(frozen=True)
class NeuralLanguageModel(ModelMixin):
    """Previous ``context_size`` words → embedding (``embed_dim``) → tanh hidden layer
    (``hidden``) → softmax over the ``vocab_size`` words."""

    vocab_size: int
    context_size: int = 3
    embed_dim: int = 16
    hidden: int = 64
    activation: str = "tanh"
    l2: float = 0.0

    def __post_init__(self):
        for name in ("vocab_size", "context_size", "embed_dim", "hidden"):
            check_positive_int(name, getattr(self, name))
        if self.activation not in ACTIVATIONS or self.activation == "hard_threshold":
            raise ConfigError(f"activation must be a differentiable one of {sorted(ACTIVATIONS)}; "
                              f"received {self.activation!r}.")
        check_nonnegative("l2", self.l2)

    def init(self, seed=0) -> dict:
        """R ~ N(0, 0.1²); W_h, W_o Xavier; biases 0."""
        rng = make_rng(seed)
        xavier = get_weight_init("xavier")
        return {"embed": init_embedding(rng, self.vocab_size, self.embed_dim),
                "hidden": init_dense(rng, self.context_size * self.embed_dim, self.hidden, xavier),
                "output": init_dense(rng, self.hidden, self.vocab_size, xavier)}

    def forward(self, params: dict, contexts: Any, record: Callable | None = None) -> Any:
        """Logits z (N×V) for integer contexts (N×K)."""
        contexts = _np.asarray(contexts)
        if contexts.ndim != 2 or contexts.shape[1] != self.context_size:
            raise ShapeError(f"NeuralLanguageModel needs contexts of shape (N, {self.context_size}); "
                             f"received {contexts.shape}.")
        e = embedding(params["embed"], contexts)
        e = np.reshape(e, (contexts.shape[0], self.context_size * self.embed_dim))
        z_h = dense(params["hidden"], e)
        h = get_activation(self.activation)(z_h)
        if record is not None:
            record("hidden", self.activation, z_h, h)
        return dense(params["output"], h)

    def loss(self, params: dict, X: Any, y: Any) -> Any:
        """Mean −log p(w_t | context) (+ ½ λ ‖W‖² on the weight matrices)."""
        contexts, targets = check_windows(X, y, self.vocab_size, self.context_size, "NeuralLanguageModel")
        weights = [params["hidden"]["W"], params["output"]["W"]]
        return softmax_cross_entropy(self.forward(params, contexts), targets) + l2_penalty(weights, self.l2)

    def predict(self, params: dict, X: Any) -> _np.ndarray:
        """The most probable next word for each context."""
        return _np.argmax(_np.asarray(self.forward(params, X)), axis=1)

    def log_prob(self, params: dict, X: Any, y: Any, batch_size: int = 4096) -> _np.ndarray:
        """log p(w_t | context) for each window, computed in batches."""
        check_positive_int("batch_size", batch_size)
        contexts, targets = check_windows(X, y, self.vocab_size, self.context_size, "NeuralLanguageModel")
        out = _np.empty(len(targets))
        for start in range(0, len(targets), batch_size):
            stop = start + batch_size
            logp = _np.asarray(log_softmax(self.forward(params, contexts[start:stop]), axis=1))
            out[start:stop] = logp[_np.arange(logp.shape[0]), targets[start:stop]]
        return out

    def perplexity(self, params: dict, X: Any, y: Any) -> float:
        """exp(−1/N Σ log p(w_t | context))."""
        return perplexity_of(self.log_prob(params, X, y), "NeuralLanguageModel")


class BigramLanguageModel:
    """Interpolated bigram model fitted from counts on training windows."""

    def __init__(self, vocab_size: int, interpolation: float = 0.5):
        self.vocab_size = check_positive_int("vocab_size", vocab_size)
        self.interpolation = self._check_lambda(interpolation)
        self.pair_counts: Any = None
        self.context_counts: _np.ndarray | None = None
        self.unigram: _np.ndarray | None = None

    @staticmethod
    def _check_lambda(lam: float) -> float:
        if not 0.0 <= lam <= 1.0:
            raise ConfigError(f"interpolation λ must lie in [0, 1]; received {lam!r}.")
        return float(lam)

    def fit(self, X: Any, y: Any) -> "BigramLanguageModel":
        """Count (previous word, word) pairs from windows: the previous word is X[:, -1]."""
        import scipy.sparse as sp

        contexts, targets = check_windows(X, y, self.vocab_size, None, "BigramLanguageModel")
        prev = contexts[:, -1]
        V = self.vocab_size
        self.pair_counts = sp.csr_matrix((_np.ones(len(prev)), (prev, targets)), shape=(V, V))
        self.context_counts = _np.bincount(prev, minlength=V).astype(float)
        word_counts = _np.bincount(targets, minlength=V).astype(float)
        self.unigram = (word_counts + 1.0) / (word_counts.sum() + V)
        return self

    def log_prob(self, X: Any, y: Any, interpolation: float | None = None) -> _np.ndarray:
        """log p(w_t | w_{t−1}) for each window."""
        if self.pair_counts is None:
            raise ConfigError("BigramLanguageModel.log_prob called before fit(); fit it on training windows.")
        lam = self.interpolation if interpolation is None else self._check_lambda(interpolation)
        contexts, targets = check_windows(X, y, self.vocab_size, None, "BigramLanguageModel")
        prev = contexts[:, -1]
        pairs = self.pair_counts[prev, targets]  # a dense 1×N matrix, but a sparse one when N = 0
        pairs = _np.asarray(pairs.toarray() if hasattr(pairs, "toarray") else pairs, dtype=float).ravel()
        c_prev = self.context_counts[prev]
        bigram = _np.divide(pairs, c_prev, out=_np.zeros_like(pairs), where=c_prev > 0)
        weight = _np.where(c_prev > 0, lam, 0.0)
        return _np.log(weight * bigram + (1.0 - weight) * self.unigram[targets])

    def perplexity(self, X: Any, y: Any) -> float:
        """exp(−1/N Σ log p(w_t | w_{t−1}))."""
        return perplexity_of(self.log_prob(X, y), "BigramLanguageModel")

    def tune(self, X: Any, y: Any, grid: Sequence[float] = tuple(_np.linspace(0.05, 0.95, 19))) -> float:
        """Set λ to the grid value of lowest perplexity on validation windows; return it."""
        if len(grid) == 0:
            raise ConfigError("BigramLanguageModel.tune needs a non-empty grid of λ values in [0, 1].")
        scores = [perplexity_of(self.log_prob(X, y, lam), "BigramLanguageModel") for lam in grid]
        self.interpolation = float(grid[int(_np.argmin(scores))])
        return self.interpolation
