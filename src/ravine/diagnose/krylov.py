"""Krylov methods on a symmetric operator H: Lanczos, power iteration,
Hutchinson's trace estimate and stochastic Lanczos quadrature.

Everything here sees H only through products H·v (a Hessian-vector product
costs about two gradients), so it works for models far too large for a dense
Hessian.  ``operator`` is anything :func:`scipy.sparse.linalg.aslinearoperator`
accepts: a :class:`~ravine.diagnose.curvature.HessianOperator`, a dense array,
a sparse matrix.

Lanczos builds an orthonormal basis q₁ … q_k of the Krylov space
span{v, Hv, …, H^{k−1}v} in which H is tridiagonal::

    H Q_k = Q_k T_k + β_k q_{k+1} e_kᵀ,   T_k = tridiag(β, α, β)

The eigenvalues of T_k (Ritz values) approach H's extreme eigenvalues after far
fewer products than power iteration needs, whose error shrinks only like
(λ₂/λ₁)^k.  In floating point the q's lose orthogonality, so every new vector is
re-orthogonalised against all earlier ones (twice: "twice is enough").
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as _np
from scipy.linalg import eigh_tridiagonal
from scipy.sparse.linalg import ArpackNoConvergence, LinearOperator, aslinearoperator, eigsh

from ravine.errors import ConfigError, DivergenceError, ShapeError

__all__ = [
    "EigenEstimate",
    "LanczosState",
    "SpectralDensity",
    "TraceEstimate",
    "as_operator",
    "hutchinson_trace",
    "arpack_end",
    "iterate_lanczos",
    "lanczos",
    "lanczos_top_eigenpair",
    "power_iteration",
    "ritz_pairs",
    "spectral_density",
]


class _FiniteProducts(LinearOperator):
    """``op`` with every product H·v checked: one NaN or Inf makes every Krylov
    quantity after it NaN (or sends ARPACK and LAPACK into errors that name
    neither the cause nor the fix), so it is refused at the first product."""

    def __init__(self, op: LinearOperator):
        self._op = op
        super().__init__(dtype=_np.dtype(float), shape=op.shape)

    @staticmethod
    def _finite(out: Any) -> _np.ndarray:
        out = _np.asarray(out, dtype=float)
        if not _np.all(_np.isfinite(out)):
            raise DivergenceError(
                "a product H·v came out NaN or Inf: the operator is not finite (the Hessian of a loss at NaN/Inf "
                "parameters, or where the loss overflows). Examine finite parameters, e.g. the last iterate "
                "before the run diverged.")
        return out

    def _matvec(self, v: _np.ndarray) -> _np.ndarray:
        return self._finite(self._op.matvec(v))

    def _matmat(self, V: _np.ndarray) -> _np.ndarray:
        return self._finite(self._op.matmat(V))

    def _rmatvec(self, v: _np.ndarray) -> _np.ndarray:
        return self._finite(self._op.rmatvec(v))


def as_operator(operator: Any) -> LinearOperator:
    """``operator`` as a square :class:`LinearOperator` whose products are checked
    to be finite (DivergenceError otherwise), or a ShapeError."""
    op = aslinearoperator(operator)
    if op.shape[0] != op.shape[1]:
        raise ShapeError(f"expected a square (symmetric) operator; received shape {op.shape}.")
    return op if isinstance(op, _FiniteProducts) else _FiniteProducts(op)


# Bounded restarts (ARPACK's maxiter) for the search on H, then the shifted searches' tolerances:
# machine precision first, then looser.
_DIRECT_RESTARTS = 50
_TOL_LADDER = ((0.0, 50), (1e-8, 100), (1e-6, 1000), (1e-4, None))


def _magnitude(op: LinearOperator, v0: _np.ndarray) -> float:
    """|λ|max to about 0.1 %: ARPACK's largest-magnitude search, which converges fast."""
    return float(abs(eigsh(op, k=1, which="LM", tol=1e-3, v0=v0, return_eigenvectors=False)[0]))


def arpack_end(operator: Any, k: int, which: str, tol: float = 0.0,
               rng: Any = 0) -> tuple[_np.ndarray, _np.ndarray, float]:
    """The ``k`` algebraically largest (``which="largest"``) or smallest eigenpairs of a
    symmetric operator by ARPACK (``eigsh``), as (values ascending, vectors, accuracy).

    ARPACK stops when each Ritz pair has ‖Hv − θv‖ ≤ tol·|θ|: relative to θ, so an
    eigenvalue at or near 0 — a Hessian's null space, a nearly singular minimum — never
    passes, and the search runs to its iteration limit and fails.  The search therefore
    runs first on H itself with a bounded number of restarts (where it converges, even a
    small eigenvalue is found to its own relative precision), then on a shifted operator,
    2s·I + H (largest) or 2s·I − H (smallest), with s = |λ|max from a quick
    largest-magnitude run: its spectrum lies in [s, 3s], so the test becomes
    ‖r‖ ≤ 3s·tol, an accuracy relative to the scale of the whole spectrum.  With tol = 0
    (machine precision) the shifted search settles, where eigenvalues crowd the end so
    that ARPACK cannot reach it within a bounded number of restarts, for 1e-8, 1e-6 and
    then 1e-4.  For a symmetric H each returned value is within ‖r‖ of an eigenvalue;
    ``accuracy`` is that bound, at least the rounding level n·ε·‖H‖ (‖H‖ read from the
    values found when ``which="largest"``, from s otherwise).
    """
    op = as_operator(operator)
    n = op.shape[0]
    v0 = _np.random.default_rng(rng).standard_normal(n)
    eps = float(_np.finfo(float).eps)
    try:
        values, vectors = eigsh(op, k=k, which="LA" if which == "largest" else "SA", tol=tol, v0=v0,
                                maxiter=_DIRECT_RESTARTS if tol == 0 else None)
        order = _np.argsort(values)
        # the rounding level of H's products: n·ε·‖H‖, with ‖H‖ read from the values at the top
        scale = float(_np.max(_np.abs(values))) if which == "largest" else _magnitude(op, v0)
        return values[order], vectors[:, order], max(n * eps, tol) * scale
    except ArpackNoConvergence:
        pass  # an eigenvalue at or near 0: its relative test cannot pass
    scale = _magnitude(op, v0)
    if scale == 0.0:  # H = 0
        return _np.zeros(k), _np.eye(n, k), 0.0
    rounding = n * eps * scale
    sign = 1.0 if which == "largest" else -1.0
    shifted = LinearOperator((n, n), matvec=lambda v: 2.0 * scale * v + sign * op.matvec(v), dtype=float)
    ladder = _TOL_LADDER if tol == 0 else ((tol, None),)
    for attempt, (step_tol, max_restarts) in enumerate(ladder):
        try:
            theta, vectors = eigsh(shifted, k=k, which="LA", tol=step_tol, v0=v0, maxiter=max_restarts)
        except ArpackNoConvergence as exc:
            if attempt == len(ladder) - 1:
                raise ConfigError(
                    f"Lanczos (ARPACK) found {len(exc.eigenvalues)} of the {k} {which} eigenvalues to a "
                    f"relative tolerance of {step_tol:g} before giving up: many eigenvalues crowd that end "
                    "of the spectrum. Ask for fewer (k), a looser tol, or take the extreme Ritz values of "
                    "ravine.diagnose.lanczos(operator, 60), which bound the spectrum from inside.") from exc
            continue
        values = sign * (theta - 2.0 * scale)
        order = _np.argsort(values)
        accuracy = max(rounding, 3.0 * scale * max(step_tol, eps))
        return values[order], vectors[:, order], accuracy
    raise AssertionError("unreachable")  # the ladder's last attempt returns or raises


def _start_vector(n: int, v0: Any, rng: _np.random.Generator | int | None) -> _np.ndarray:
    if v0 is None:
        v0 = _np.random.default_rng(rng).standard_normal(n)
    v0 = _np.asarray(v0, dtype=float).ravel()
    if v0.shape != (n,):
        raise ShapeError(f"start vector v0 must have shape ({n},); received {v0.shape}.")
    norm = _np.linalg.norm(v0)
    if not norm > 0:
        raise ConfigError("start vector v0 is zero (or not finite); pass a non-zero vector or leave it None.")
    return v0 / norm


@dataclass
class LanczosState:
    """The tridiagonal T_k = tridiag(betas, alphas, betas) after k steps, the basis
    Q (k × n, orthonormal rows), the residual norm β_k and the products used."""

    alphas: _np.ndarray
    betas: _np.ndarray
    basis: _np.ndarray
    residual_norm: float
    n_matvecs: int
    invariant: bool = False  # True when β_k ≈ 0: the Krylov space is invariant, Ritz values are exact


def iterate_lanczos(operator: Any, v0: Any = None, rng: Any = None, max_steps: int | None = None) -> Iterator[LanczosState]:
    """Yield the Lanczos state after each step (one product H·q per step), with
    full re-orthogonalisation.  Stops at ``max_steps`` (default n) or when the
    Krylov space becomes invariant (β_k ≤ 1e-12 ‖T‖)."""
    op = as_operator(operator)
    n = op.shape[0]
    steps = n if max_steps is None else min(int(max_steps), n)
    if steps < 1:
        raise ConfigError(f"max_steps must be at least 1; received {max_steps!r}.")
    basis = _np.zeros((steps, n))
    alphas: list[float] = []
    betas: list[float] = []
    q = _start_vector(n, v0, rng)
    scale = 0.0
    for j in range(steps):
        basis[j] = q
        w = _np.asarray(op.matvec(q), dtype=float).ravel()
        alpha = float(q @ w)
        w = w - alpha * q - (betas[-1] * basis[j - 1] if j > 0 else 0.0)
        for _ in range(2):  # full re-orthogonalisation, twice
            w -= basis[: j + 1].T @ (basis[: j + 1] @ w)
        beta = float(_np.linalg.norm(w))
        alphas.append(alpha)
        scale = max(scale, abs(alpha), beta)
        invariant = beta <= 1e-12 * max(scale, 1e-300)
        yield LanczosState(_np.array(alphas), _np.array(betas), basis[: j + 1], beta, j + 1, invariant)
        if invariant:
            return
        betas.append(beta)
        q = w / beta


def lanczos(operator: Any, n_steps: int, v0: Any = None, rng: Any = None) -> LanczosState:
    """Run ``n_steps`` Lanczos steps (fewer if the space becomes invariant)."""
    if int(n_steps) < 1:
        raise ConfigError(f"n_steps must be at least 1; received {n_steps!r}.")
    state = None
    for state in iterate_lanczos(operator, v0, rng, max_steps=n_steps):
        pass
    return state


def ritz_pairs(state: LanczosState) -> tuple[_np.ndarray, _np.ndarray]:
    """Eigenvalues θ (ascending) and eigenvectors S of T_k, so that the Ritz
    vectors are Qᵀ S and ‖H y − θ y‖ = β_k |S_{k,i}| (the residual bound)."""
    if len(state.alphas) == 1:
        return state.alphas.copy(), _np.ones((1, 1))
    return eigh_tridiagonal(state.alphas, state.betas)


@dataclass(frozen=True)
class EigenEstimate:
    """An eigenvalue estimate, its (unit) vector, the products H·v it cost, and
    the estimate after each product (for convergence plots)."""

    value: float
    vector: _np.ndarray
    n_matvecs: int
    residual: float
    converged: bool
    trace: _np.ndarray = field(repr=False, default_factory=lambda: _np.zeros(0))


def lanczos_top_eigenpair(operator: Any, tol: float = 1e-6, max_steps: int = 200, v0: Any = None,
                          rng: Any = None) -> EigenEstimate:
    """The largest (algebraic) eigenvalue by Lanczos, stopping when the residual
    bound β_k |S_{k,top}| ≤ tol · |θ_top|."""
    if not tol > 0:
        raise ConfigError(f"tol must be positive; received {tol!r}.")
    estimates = []
    for state in iterate_lanczos(operator, v0, rng, max_steps=max_steps):
        theta, s = ritz_pairs(state)
        residual = state.residual_norm * abs(s[-1, -1])
        estimates.append(theta[-1])
        if state.invariant or residual <= tol * abs(theta[-1]):
            break
    vector = state.basis.T @ s[:, -1]
    converged = bool(state.invariant or residual <= tol * abs(theta[-1]))
    return EigenEstimate(float(theta[-1]), vector / _np.linalg.norm(vector), state.n_matvecs, float(residual),
                         converged, _np.array(estimates))


def power_iteration(operator: Any, tol: float = 1e-6, max_iter: int = 1000, v0: Any = None,
                    rng: Any = None) -> EigenEstimate:
    """The eigenvalue of largest magnitude by power iteration (what PyHessian
    does): v ← Hv / ‖Hv‖, λ = vᵀHv, stopping when |λ_k − λ_{k−1}| ≤ tol·|λ_k|
    and the residual ‖Hv − λv‖ ≤ √tol·|λ_k|.  One product per iteration; the
    error shrinks like (|λ₂|/|λ₁|)^k.

    The residual test matters when the two largest magnitudes are equal with
    opposite signs (eigenvalues ±λ₁): v then flips between two vectors whose
    Rayleigh quotient stays put at a value that is no eigenvalue at all.  Some
    eigenvalue lies within ‖Hv − λv‖ of λ (H symmetric), so a small residual
    certifies the answer; without it the run ends with ``converged=False``."""
    if not tol > 0:
        raise ConfigError(f"tol must be positive; received {tol!r}.")
    op = as_operator(operator)
    v = _start_vector(op.shape[0], v0, rng)
    estimates: list[float] = []
    converged = False
    residual = _np.inf
    for _ in range(int(max_iter)):
        w = _np.asarray(op.matvec(v), dtype=float).ravel()
        lam = float(v @ w)
        residual = float(_np.linalg.norm(w - lam * v))
        estimates.append(lam)
        norm = _np.linalg.norm(w)
        if norm == 0:
            converged = True
            break
        v = w / norm
        if (len(estimates) > 1 and abs(lam - estimates[-2]) <= tol * abs(lam)
                and residual <= _np.sqrt(tol) * abs(lam)):
            converged = True
            break
    return EigenEstimate(estimates[-1], v, len(estimates), residual, converged, _np.array(estimates))


@dataclass(frozen=True)
class TraceEstimate:
    """Hutchinson's estimate tr(H) ≈ mean(zᵀHz) over Rademacher probes z, with
    the standard error std(zᵀHz)/√m of that mean."""

    estimate: float
    stderr: float
    n_samples: int
    samples: _np.ndarray = field(repr=False)


def hutchinson_trace(operator: Any, n_samples: int = 100, rng: Any = None) -> TraceEstimate:
    """tr(H) = E[zᵀHz] for z with independent ±1 entries (E[zzᵀ] = I).  The
    variance of one sample is 2 Σ_{i≠j} H_ij², so a nearly diagonal H needs few."""
    if int(n_samples) < 2:
        raise ConfigError(f"n_samples must be at least 2 (for a standard error); received {n_samples!r}.")
    op = as_operator(operator)
    gen = _np.random.default_rng(rng)
    samples = _np.empty(int(n_samples))
    for i in range(int(n_samples)):
        z = gen.choice([-1.0, 1.0], size=op.shape[0])
        samples[i] = z @ _np.asarray(op.matvec(z), dtype=float).ravel()
    return TraceEstimate(float(samples.mean()), float(samples.std(ddof=1) / _np.sqrt(len(samples))),
                         int(n_samples), samples)


@dataclass(frozen=True)
class SpectralDensity:
    """Stochastic Lanczos quadrature: for each probe, Ritz values ``nodes`` and
    weights τ² (first components of T's eigenvectors, squared).  Together they
    approximate the eigenvalue distribution φ(t) = (1/n) Σᵢ δ(t − λᵢ)."""

    nodes: _np.ndarray  # (n_probes, k)
    weights: _np.ndarray  # (n_probes, k), each row sums to 1
    dim: int
    n_matvecs: int

    def density(self, grid: Any, sigma: float | None = None) -> _np.ndarray:
        """φ smoothed with a Gaussian of width ``sigma`` (default 1% of the
        spectral range), evaluated on ``grid``; integrates to 1."""
        grid = _np.asarray(grid, dtype=float)
        if sigma is None:
            sigma = 0.01 * max(float(self.nodes.max() - self.nodes.min()), 1e-12)
        if not sigma > 0:
            raise ConfigError(f"sigma must be positive; received {sigma!r}.")
        diff = grid[:, None] - self.nodes.ravel()[None, :]
        kernel = _np.exp(-0.5 * (diff / sigma) ** 2) / (sigma * _np.sqrt(2 * _np.pi))
        return kernel @ self.weights.ravel() / self.nodes.shape[0]

    def fraction_below(self, t: float) -> float:
        """The estimated fraction of eigenvalues ≤ t (the spectral CDF)."""
        return float((self.weights * (self.nodes <= t)).sum() / self.nodes.shape[0])

    def trace(self) -> float:
        """tr(H) ≈ n · E_φ[λ]."""
        return float(self.dim * (self.weights * self.nodes).sum() / self.nodes.shape[0])


def spectral_density(operator: Any, n_probes: int = 10, n_steps: int = 30, rng: Any = None) -> SpectralDensity:
    """Estimate the spectral density by stochastic Lanczos quadrature: ``n_probes``
    Rademacher probes, ``n_steps`` Lanczos steps each (n_probes · n_steps products)."""
    if int(n_probes) < 1 or int(n_steps) < 1:
        raise ConfigError(f"n_probes and n_steps must be at least 1; received {n_probes!r}, {n_steps!r}.")
    op = as_operator(operator)
    gen = _np.random.default_rng(rng)
    k = min(int(n_steps), op.shape[0])
    nodes = _np.zeros((int(n_probes), k))
    weights = _np.zeros((int(n_probes), k))
    used = 0
    for p in range(int(n_probes)):
        state = lanczos(op, k, v0=gen.choice([-1.0, 1.0], size=op.shape[0]))
        theta, s = ritz_pairs(state)
        m = len(theta)  # < k when the Krylov space became invariant: pad with zero weight
        nodes[p, :m], weights[p, :m] = theta, s[0, :] ** 2
        nodes[p, m:] = theta[-1]
        used += state.n_matvecs
    return SpectralDensity(nodes, weights, op.shape[0], used)
