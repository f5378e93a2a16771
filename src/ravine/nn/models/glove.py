"""GloVe word vectors (Pennington, Socher and Manning 2014), as in lecture 004.

For a V×V co-occurrence matrix X (scipy.sparse), word vectors r_i (rows of R),
context vectors r̃_j (rows of R̃) and biases b, b̃:

    J(R, R̃, b, b̃) = Σ_{i,j: x_ij > 0} f(x_ij) (r_iᵀ r̃_j + b_i + b̃_j − log x_ij)²

    f(x) = (x / x_max)^α  if x < x_max,  1 otherwise        (x_max = 100, α = 3/4).

Only the non-zero counts are visited (f(0) = 0 removes the rest, and log 0 is
never computed).  The residuals use :func:`ravine.nn.sparse.pattern_dots`, so
``ravine.grad(model.loss)`` costs two sparse matrix products per factor instead
of a scatter over nnz × d entries.

Training (:meth:`GloVe.fit`) is full-batch AdaGrad over all non-zeros (the
GloVe paper's optimiser, which there visits entries one at a time), run by
``ravine.optim``:

    G ← G + g ⊙ g,      θ ← θ − η g / (√G + ε).

The word representation returned is r_i + r̃_i, the paper's choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, NamedTuple

import numpy as _np
import scipy.sparse as _sp

import ravine.numpy as np
from ravine.errors import ConfigError, ShapeError
from ravine.nn.init import make_rng
from ravine.nn.models.base import check_positive_int
from ravine.nn.sparse import SparsePattern, pattern_dots
from ravine.optim import minimize

__all__ = ["GloVe", "GloVeData", "GloVeFit", "glove_weight"]


def glove_weight(x: Any, x_max: float = 100.0, alpha: float = 0.75) -> _np.ndarray:
    """f(x) = (x / x_max)^α for x < x_max, else 1."""
    x = _np.asarray(x, dtype=float)
    return _np.where(x < x_max, (_np.maximum(x, 0.0) / x_max) ** alpha, 1.0)


class GloVeData(NamedTuple):
    """A co-occurrence matrix prepared for the loss: its pattern, log x_ij and f(x_ij)."""

    pattern: SparsePattern
    log_counts: _np.ndarray
    weights: _np.ndarray


class GloVeFit(NamedTuple):
    """Result of :meth:`GloVe.fit`: parameters, J at each AdaGrad step, and the
    optimiser's full :class:`~ravine.optim.OptimizeResult` (with its History)."""

    params: dict
    losses: _np.ndarray
    result: Any


@dataclass(frozen=True)
class GloVe:
    """GloVe embeddings of dimension ``dim`` for a vocabulary of ``vocab_size`` words."""

    vocab_size: int
    dim: int = 50
    x_max: float = 100.0
    alpha: float = 0.75
    init_scale: float = 0.1

    def __post_init__(self):
        check_positive_int("vocab_size", self.vocab_size)
        check_positive_int("dim", self.dim)
        if not (_np.isfinite(self.x_max) and self.x_max > 0):
            raise ConfigError(f"x_max must be a positive number; received {self.x_max!r}.")
        if not (_np.isfinite(self.alpha) and self.alpha > 0):
            raise ConfigError(f"alpha must be a positive number; received {self.alpha!r}.")
        if not (_np.isfinite(self.init_scale) and self.init_scale > 0):
            raise ConfigError(f"init_scale must be a positive number; received {self.init_scale!r}.")

    def prepare(self, cooccurrence: Any) -> GloVeData:
        """Pattern, log x and f(x) of the non-zero entries of a V×V sparse matrix."""
        if isinstance(cooccurrence, GloVeData):
            return cooccurrence
        if not _sp.issparse(cooccurrence):
            raise ShapeError(f"GloVe needs a scipy.sparse co-occurrence matrix; received "
                             f"{type(cooccurrence).__name__}. Use scipy.sparse.csr_matrix(counts).")
        if cooccurrence.shape != (self.vocab_size, self.vocab_size):
            raise ShapeError(f"GloVe was built for a {self.vocab_size}×{self.vocab_size} matrix; "
                             f"received {cooccurrence.shape}.")
        pattern, counts = SparsePattern.from_matrix(cooccurrence)
        if pattern.nnz == 0:
            raise ShapeError("the co-occurrence matrix has no non-zero entry; use a longer text or a wider window.")
        if not _np.all(_np.isfinite(counts) & (counts >= 0)):
            raise ShapeError("co-occurrence counts must be finite and non-negative; received values from "
                             f"{_np.min(counts):g} to {_np.max(counts):g} (NaN or inf makes J NaN or inf).")
        return GloVeData(pattern, _np.log(counts), glove_weight(counts, self.x_max, self.alpha))

    def init(self, seed=0) -> dict:
        """R, R̃ ~ U(−s, s)/… with s = init_scale; biases 0."""
        rng = make_rng(seed)
        s = self.init_scale
        shape = (self.vocab_size, self.dim)
        return {"W": rng.uniform(-s, s, shape), "W_tilde": rng.uniform(-s, s, shape),
                "b": _np.zeros(self.vocab_size), "b_tilde": _np.zeros(self.vocab_size)}

    def residuals(self, params: dict, data: GloVeData) -> Any:
        """e_n = r_iᵀ r̃_j + b_i + b̃_j − log x_ij for each non-zero n = (i, j)."""
        p = data.pattern
        return (pattern_dots(params["W"], params["W_tilde"], p) + params["b"][p.rows]
                + params["b_tilde"][p.cols] - data.log_counts)

    def loss(self, params: dict, X: Any, y: Any = None) -> Any:
        """J = Σ_n f(x_n) e_n² over the non-zeros of X (``y`` is unused)."""
        data = self.prepare(X)
        e = self.residuals(params, data)
        return np.sum(data.weights * e ** 2)

    def objective(self, X: Any, y: Any = None):
        """params ↦ J(params), with X prepared once."""
        data = self.prepare(X)
        return lambda params: self.loss(params, data)

    def fit(self, X: Any, steps: int = 100, learning_rate: float = 0.05, seed=0,
            params: dict | None = None) -> GloVeFit:
        """Full-batch AdaGrad on J (``ravine.optim.minimize(..., "adagrad")``) from
        ``init(seed)`` or ``params``; a diverging run raises DivergenceError."""
        check_positive_int("steps", steps)
        if not (_np.isfinite(learning_rate) and learning_rate > 0):
            raise ConfigError(f"learning_rate must be a positive number; received {learning_rate!r}.")
        start = self.init(seed) if params is None else params
        result = minimize(self.objective(X), start, "adagrad", lr=learning_rate, max_steps=steps,
                          progress=False, on_divergence="raise")
        return GloVeFit(result.params, _np.asarray(result.history.loss), result)

    @staticmethod
    def vectors(params: dict) -> _np.ndarray:
        """The word vectors r_i + r̃_i (V×d)."""
        return _np.asarray(params["W"]) + _np.asarray(params["W_tilde"])
