"""Initialisers for weight matrices W (fan_in × fan_out) and bias vectors.

Each weight initialiser is ``init(rng, fan_in, fan_out) -> W``; ``rng`` is a
``numpy.random.Generator`` (make one with :func:`make_rng` from a seed):

* ``zeros``: W = 0.  Every hidden unit computes the same function and receives
  the same gradient, so they stay identical for ever — lecture 003's symmetry
  problem, kept here to demonstrate it;
* ``small_random``: W_ij ~ N(0, 0.01²), the "small random values" that break the symmetry;
* ``xavier`` (Glorot and Bengio 2010): W_ij ~ U(−a, a), a = √(6 / (fan_in + fan_out)),
  so that Var(W_ij) = 2 / (fan_in + fan_out) keeps tanh/logistic units in the
  middle of their range (lecture 003's "Xavier initialization");
* ``he`` (He et al. 2015): W_ij ~ N(0, 2 / fan_in), the ReLU counterpart.

Biases: ``bias_init(n, offset)`` gives b = offset·1; lecture 003 suggests an
offset of 0.1 for ReLU units so they do not start dead.
"""

from __future__ import annotations

from typing import Callable

import numpy as _np

from ravine.errors import ConfigError

__all__ = ["make_rng", "zeros", "small_random", "xavier", "he", "bias_init", "WEIGHT_INITS",
           "get_weight_init", "default_bias"]

SMALL_SCALE = 0.01


def make_rng(seed: int | _np.random.Generator | None) -> _np.random.Generator:
    """A Generator from an integer seed (or the Generator itself)."""
    if isinstance(seed, _np.random.Generator):
        return seed
    if seed is None or isinstance(seed, (int, _np.integer)):
        return _np.random.default_rng(seed)
    raise ConfigError(f"a seed must be an int or a numpy Generator; received {type(seed).__name__}.")


def _fans(fan_in: int, fan_out: int) -> tuple[int, int]:
    """(fan_in, fan_out) as positive ints: fan_in = 0 would divide by zero in He's 2 / fan_in."""
    for name, value in (("fan_in", fan_in), ("fan_out", fan_out)):
        if isinstance(value, bool) or not isinstance(value, (int, _np.integer)) or value < 1:
            raise ConfigError(f"{name} must be a positive integer (a layer's number of units); received {value!r}.")
    return int(fan_in), int(fan_out)


def zeros(rng: _np.random.Generator, fan_in: int, fan_out: int) -> _np.ndarray:
    """W = 0 (shows the symmetry problem; never breaks it)."""
    return _np.zeros(_fans(fan_in, fan_out))


def small_random(rng: _np.random.Generator, fan_in: int, fan_out: int) -> _np.ndarray:
    """W_ij ~ N(0, 0.01²)."""
    return SMALL_SCALE * rng.standard_normal(_fans(fan_in, fan_out))


def xavier(rng: _np.random.Generator, fan_in: int, fan_out: int) -> _np.ndarray:
    """W_ij ~ U(−a, a) with a = √(6 / (fan_in + fan_out))."""
    fan_in, fan_out = _fans(fan_in, fan_out)
    a = _np.sqrt(6.0 / (fan_in + fan_out))
    return rng.uniform(-a, a, size=(fan_in, fan_out))


def he(rng: _np.random.Generator, fan_in: int, fan_out: int) -> _np.ndarray:
    """W_ij ~ N(0, 2 / fan_in)."""
    fan_in, fan_out = _fans(fan_in, fan_out)
    return _np.sqrt(2.0 / fan_in) * rng.standard_normal((fan_in, fan_out))


def bias_init(n: int, offset: float = 0.0) -> _np.ndarray:
    """b = offset · 1 (offset 0.1 for ReLU units, lecture 003)."""
    return _np.full(n, float(offset))


WEIGHT_INITS: dict[str, Callable[[_np.random.Generator, int, int], _np.ndarray]] = {
    "zeros": zeros,
    "small_random": small_random,
    "xavier": xavier,
    "glorot": xavier,
    "he": he,
}


def get_weight_init(name: str) -> Callable[[_np.random.Generator, int, int], _np.ndarray]:
    """The weight initialiser registered under ``name``."""
    if name not in WEIGHT_INITS:
        raise ConfigError(f"unknown initialiser {name!r}; choose one of {sorted(WEIGHT_INITS)}.")
    return WEIGHT_INITS[name]


def default_bias(activation: str) -> float:
    """The bias offset lecture 003 recommends: 0.1 for ReLU units, 0 otherwise."""
    return 0.1 if activation == "relu" else 0.0
