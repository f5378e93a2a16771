"""Pseudo-inverse and pseudo-log-determinant of a symmetric positive
semi-definite matrix, with SciPy's rule for which eigenvalues count as zero.

S = ½(Σ + Σᵀ) = U diag(s) Uᵀ; eigenvalues s ≤ ε = c · eps · max|s| (c = 10⁶ in
float64, 10³ in float32, as ``scipy.stats.multivariate_normal``) are dropped:
Σ⁺ = U_r diag(1/s_r) U_rᵀ, log pdet Σ = Σ_r log s_r, rank r.

Derivatives hold where the rank does not change (a perturbation smaller than ε
leaves the dropped eigenvalues dropped).  With P₀ = I − S Σ⁺, the projector on
the dropped directions, and dS = ½(dΣ + dΣᵀ):

    d log pdet = tr(Σ⁺ dS)
    dΣ⁺ = −Σ⁺ dS Σ⁺ + Σ⁺² dS P₀ + P₀ dS Σ⁺²

(the second and third terms turn the kept eigenvectors towards the dropped
directions).  The map dS ↦ dΣ⁺ is self-adjoint, so the VJP is the same formula
applied to the symmetrised cotangent.  Both rules use Σ⁺ itself, so higher
derivatives follow.
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.core import defjvp, defvjp
from ravine.autodiff.tracer import getval, primitive
from ravine.numpy import wrapper as anp


def _spectrum(cov):
    """Eigenvalues, eigenvectors and the mask of kept eigenvalues of ½(cov + covᵀ)."""
    cov = _np.asarray(getval(cov))
    s, u = _np.linalg.eigh(0.5 * (cov + cov.T))
    factor = 1e3 if s.dtype == _np.float32 else 1e6
    eps = factor * _np.finfo(s.dtype).eps * _np.max(_np.abs(s))
    if _np.min(s) < -eps:
        raise ValueError(f"multivariate_normal: cov must be symmetric positive semi-definite; its smallest "
                         f"eigenvalue is {_np.min(s):.3g}. Build it as B @ B.T, or add a multiple of the identity.")
    return s, u, s > eps, eps


def rank(cov) -> int:
    return int(_np.sum(_spectrum(cov)[2]))


def rank_and_support(cov, centred) -> tuple[int, _np.ndarray]:
    """The rank of cov, and whether each row of ``centred`` lies in its range
    (SciPy's tolerance: 10³ ε), from one eigendecomposition."""
    s, u, keep, eps = _spectrum(cov)
    residual = _np.linalg.norm(_np.asarray(getval(centred)) @ u[:, ~keep], axis=-1)
    return int(_np.sum(keep)), residual < 1e3 * eps


@primitive
def pinv(cov):
    s, u, keep, _ = _spectrum(cov)
    kept = u[:, keep]
    return (kept / s[keep]) @ kept.T


@primitive
def logpdet(cov):
    s, _, keep, _ = _spectrum(cov)
    return _np.sum(_np.log(s[keep]))


def _sym(m):
    return 0.5 * (m + anp.swapaxes(m, -1, -2))


def _pinv_derivative(dS, ans, cov):
    """−Σ⁺ dS Σ⁺ + Σ⁺² dS P₀ + P₀ dS Σ⁺², for a symmetric dS."""
    null = anp.eye(_np.shape(getval(cov))[0]) - anp.matmul(_sym(cov), ans)
    square = anp.matmul(ans, ans)
    return (-anp.matmul(anp.matmul(ans, dS), ans) + anp.matmul(anp.matmul(square, dS), null)
            + anp.matmul(anp.matmul(null, dS), square))


defvjp(pinv, lambda ans, cov: lambda g: _sym(_pinv_derivative(_sym(g), ans, cov)))
defjvp(pinv, lambda g, ans, cov: _pinv_derivative(_sym(g), ans, cov))
defvjp(logpdet, lambda ans, cov: lambda g: g * pinv(cov))
defjvp(logpdet, lambda g, ans, cov: anp.sum(pinv(cov) * g))
