"""Functional layers on dicts of parameters, written with ``ravine.numpy``.

A layer is a pure function ``layer(params, inputs, ...) -> outputs``; its
parameters live in a dict so a whole model is a pytree that ``ravine.grad``
and ``ravine.optim`` handle directly.

* dense:      z = x W + b            (x: N×D, W: D×H, b: H)
* embedding:  e_n = R[w_n]           (a lookup: row w_n of the V×d table R; the same
  as multiplying the one-hot vector of w_n by R, lecture 004's tied first layer)
* batch normalisation (Ioffe and Szegedy 2015; lecture 000's fix for badly centred
  hidden units), per unit j over a batch B:
      μ_j = 1/|B| Σ_n z_nj,   σ²_j = 1/|B| Σ_n (z_nj − μ_j)²,
      ẑ_nj = (z_nj − μ_j) / √(σ²_j + ε),   out_nj = γ_j ẑ_nj + β_j.
  In training mode μ, σ² are the batch's own statistics (and gradients flow
  through them); in evaluation mode they are fixed statistics of the training
  data (:class:`BatchNormStats`), so a prediction does not depend on its batch.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as _np

import ravine.numpy as np
from ravine.autodiff.tracer import getval
from ravine.errors import ConfigError, ShapeError

__all__ = ["dense", "init_dense", "embedding", "init_embedding", "batch_norm", "init_batch_norm",
           "BatchNormStats", "batch_norm_stats", "BN_EPS"]

BN_EPS = 1e-5


def init_dense(rng: _np.random.Generator, fan_in: int, fan_out: int, weight_init, bias: float = 0.0) -> dict:
    """{"W": weight_init(rng, fan_in, fan_out), "b": bias · 1}."""
    return {"W": weight_init(rng, fan_in, fan_out), "b": _np.full(fan_out, float(bias))}


def dense(params: dict, x: Any) -> Any:
    """z = x W + b."""
    in_dim = _np.shape(getval(params["W"]))[0]
    if _np.shape(getval(x))[-1] != in_dim:
        raise ShapeError(f"dense layer expects inputs with {in_dim} features; received shape "
                         f"{_np.shape(getval(x))}.")
    return np.dot(x, params["W"]) + params["b"]


def init_embedding(rng: _np.random.Generator, vocab_size: int, dim: int, scale: float = 0.1) -> _np.ndarray:
    """A V×d table with entries ~ N(0, scale²)."""
    return scale * rng.standard_normal((vocab_size, dim))


def embedding(table: Any, indices: Any) -> Any:
    """R[indices]: rows of the table; an N×K index array gives N×K×d."""
    indices = _np.asarray(indices)
    if indices.dtype.kind not in "iu":
        raise ShapeError(f"embedding indices must be integers; received dtype {indices.dtype}.")
    vocab = _np.shape(getval(table))[0]
    if indices.size and (indices.min() < 0 or indices.max() >= vocab):
        raise ShapeError(f"embedding indices must lie in [0, {vocab}); received values from "
                         f"{indices.min()} to {indices.max()}.")
    return table[indices]


class BatchNormStats(NamedTuple):
    """Fixed per-unit statistics for evaluation mode."""

    mean: _np.ndarray
    var: _np.ndarray


def init_batch_norm(n_units: int) -> dict:
    """{"gamma": 1, "beta": 0}: the identity transform of ẑ."""
    return {"gamma": _np.ones(n_units), "beta": _np.zeros(n_units)}


def batch_norm_stats(z: Any) -> BatchNormStats:
    """Per-unit mean and (biased) variance of the pre-activations z (N×H), as constants."""
    z = _np.asarray(getval(z))
    return BatchNormStats(z.mean(axis=0), z.var(axis=0))


def batch_norm(params: dict, z: Any, stats: BatchNormStats | None = None, eps: float = BN_EPS) -> Any:
    """γ (z − μ) / √(σ² + ε) + β.

    ``stats=None`` is training mode (μ, σ² from this batch, differentiated through);
    a :class:`BatchNormStats` is evaluation mode (μ, σ² fixed)."""
    if eps <= 0:
        raise ConfigError(f"batch_norm eps must be positive; received {eps}.")
    if stats is None:
        if _np.shape(getval(z))[0] < 2:
            raise ShapeError("batch_norm in training mode needs a batch of at least 2 examples; "
                             "pass stats=BatchNormStats(...) to evaluate single examples.")
        mean = np.mean(z, axis=0)
        var = np.mean((z - mean) ** 2, axis=0)
    else:
        mean, var = stats.mean, stats.var
    z_hat = (z - mean) / np.sqrt(var + eps)
    return params["gamma"] * z_hat + params["beta"]
