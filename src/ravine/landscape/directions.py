"""Directions in parameter space for looking at a loss surface.

All directions are pytrees shaped like the parameters θ:

* :func:`random_direction` — d with i.i.d. N(0, 1) entries;
* :func:`filter_normalize` — Li, Xu, Taylor, Studer and Goldstein (2017),
  "Visualizing the loss landscape of neural nets" (cited in lecture 002): each
  *filter* of d is rescaled to the norm of the matching filter of θ,

      d_f ← d_f / ‖d_f‖ · ‖θ_f‖,

  so a step of length 1 along d changes every unit's weights in proportion to
  their size, and networks with different weight scales can be compared.  Here a
  filter is one output unit of a layer: a column of a 2-D weight matrix W (D×H,
  ravine's layout z = x W + b) or one row of a higher-dimensional array along its
  last axis.  One-dimensional leaves (biases, batch-norm γ, β) are set to 0 by
  default, as in the paper ("ignore_biases"), or normalised as a whole;
* :func:`direction_between` — θ_b − θ_a, for the segment from one solution to another;
* :func:`orthogonalize` — the second of two directions made orthogonal to the first
  (Gram–Schmidt on the flattened vectors), for a 2-D slice with unskewed axes.
"""

from __future__ import annotations

from typing import Any

import numpy as _np

from ravine.errors import ConfigError, ShapeError
from ravine.misc.flatten import flatten, tree_map, tree_structure_equal
from ravine.nn.init import make_rng

__all__ = ["random_direction", "filter_normalize", "filter_normalized_direction", "direction_between",
           "orthogonalize", "tree_norm", "tree_dot"]


def _as_float_tree(tree: Any) -> Any:
    return tree_map(lambda leaf: _np.array(leaf, dtype=float), tree)


def _check_same_structure(a: Any, b: Any, what: str) -> None:
    if not tree_structure_equal(a, b):
        raise ShapeError(f"{what}: the two pytrees differ in keys or leaf shapes; pass parameters of the "
                         "same model.")


def tree_dot(a: Any, b: Any) -> float:
    """⟨a, b⟩ summed over every leaf."""
    _check_same_structure(a, b, "tree_dot")
    return float(_np.dot(_np.asarray(flatten(a)[0]), _np.asarray(flatten(b)[0])))


def tree_norm(a: Any) -> float:
    """‖a‖₂ over every leaf."""
    return float(_np.linalg.norm(_np.asarray(flatten(a)[0])))


def random_direction(params: Any, seed: int | _np.random.Generator | None = 0) -> Any:
    """A pytree like ``params`` with i.i.d. standard normal entries."""
    rng = make_rng(seed)
    return tree_map(lambda leaf: rng.standard_normal(_np.shape(leaf)), params)


def _normalize_leaf(d: _np.ndarray, w: _np.ndarray, bias_mode: str, eps: float) -> _np.ndarray:
    d, w = _np.asarray(d, dtype=float), _np.asarray(w, dtype=float)
    if d.ndim <= 1:
        if bias_mode == "zero":
            return _np.zeros_like(d)
        return d / (_np.linalg.norm(d) + eps) * _np.linalg.norm(w)
    d_f = d.reshape(-1, d.shape[-1])   # columns: one per output unit
    w_f = w.reshape(-1, w.shape[-1])
    scale = _np.linalg.norm(w_f, axis=0) / (_np.linalg.norm(d_f, axis=0) + eps)
    return (d_f * scale).reshape(d.shape)


def filter_normalize(direction: Any, params: Any, biases: str = "zero", eps: float = 1e-10) -> Any:
    """Rescale each filter of ``direction`` to the norm of the same filter of ``params``.

    ``biases="zero"`` zeroes 1-D leaves (the paper's default); ``"normalize"``
    scales each 1-D leaf as one filter."""
    if biases not in ("zero", "normalize"):
        raise ConfigError(f"biases must be 'zero' or 'normalize'; received {biases!r}.")
    _check_same_structure(direction, params, "filter_normalize")
    return tree_map(lambda d, w: _normalize_leaf(d, w, biases, eps), direction, params)


def filter_normalized_direction(params: Any, seed: int | _np.random.Generator | None = 0,
                                biases: str = "zero") -> Any:
    """A random Gaussian direction, filter-normalised to ``params``."""
    return filter_normalize(random_direction(params, seed), params, biases)


def direction_between(params_a: Any, params_b: Any) -> Any:
    """θ_b − θ_a (so θ_a + 1·d = θ_b)."""
    _check_same_structure(params_a, params_b, "direction_between")
    return tree_map(lambda a, b: _np.asarray(b, dtype=float) - _np.asarray(a, dtype=float),
                    _as_float_tree(params_a), _as_float_tree(params_b))


def orthogonalize(first: Any, second: Any) -> Any:
    """``second`` minus its projection on ``first``, rescaled to its original norm."""
    norm_first = tree_dot(first, first)
    if norm_first == 0:
        raise ConfigError("orthogonalize: the first direction is zero; pick a non-zero direction.")
    coef = tree_dot(first, second) / norm_first
    out = tree_map(lambda a, b: _np.asarray(b, dtype=float) - coef * _np.asarray(a, dtype=float), first, second)
    norm_out = tree_norm(out)
    if norm_out == 0:
        raise ConfigError("orthogonalize: the two directions are parallel; pick another second direction.")
    return tree_map(lambda leaf: leaf * (tree_norm(second) / norm_out), out)
