"""NumPy's legacy polynomial functions (coefficient arrays, highest power first),
differentiable: poly, polyadd, polysub, polymul, polydiv, polyval, polyder, polyint,
polyfit, roots, vander.

With no traced argument each function returns NumPy's own result (``poly1d`` where
NumPy gives one); with a traced argument the result is an array built from traced
operations, so derivatives of every order follow.  Which coefficients are leading
zeros (trimmed by polymul and polydiv, as ``poly1d`` does) is decided on the values.

p(x) = Σ_k p_k x^{L−1−k} for coefficients p of length L.

* polyadd, polysub: the shorter array padded with leading zeros, then ±: linear.
* polymul: the convolution of the coefficient arrays (bilinear, ``convolve``).
* polydiv: long division, q_k = r_k / v_0, r ← r − q_k (v shifted to k): every step
  is traced, so the quotient and remainder are differentiable in u and v.
* polyval: Horner's rule y ← y x + p_k (NumPy's order of operations).
* polyder: p_k (L−1−k) dropping the last; polyint: p_k / (L−k), then the constant k.
* vander(x, N): columns x^j built by repeated products (NumPy's ``multiply.accumulate``),
  so the derivative j x^{j−1} is exact at x = 0 too.
* poly(zeros): ∏ (x − z_i) by repeated convolution with [1, −z_i].  For a square matrix A,
  the characteristic polynomial det(λI − A): NumPy's values (from the eigenvalues), and
  derivatives from the Faddeev–LeVerrier recurrence M_k = A M_{k−1} + c_{k−1} I,
  c_k = −tr(A M_k)/k, a polynomial in A, so repeated eigenvalues are no obstacle.
* roots(p): NumPy's values (companion-matrix eigenvalues).  A simple root r of p moves by
      dr = −(Σ_k dp_k r^{L−1−k}) / p′(r)
  (implicit differentiation of p(r) = 0), written with polyval, polyder and vander of the
  traced root, so higher orders follow.  Repeated roots have no derivative (refused, as
  are roots closer than 1e-5 relative: rounding splits a k-fold root by about eps^(1/k)).
* polyfit(x, y, deg, w): the least-squares solution c of the scaled, weighted Vandermonde
  system A c ≈ b, as NumPy computes it.  With r = b − A c and P = AᵀA (A full rank):
      dc = P⁻¹ (Aᵀ (db − dA c) + dAᵀ r),    b̄ = A P⁻¹ ḡ,   Ā = r zᵀ − A z cᵀ  (z = P⁻¹ ḡ),
  so c is differentiable in y, w and (real) x; ``full=True`` residuals and singular values
  and ``cov`` are traced too.  A rank-deficient fit (a minimum-norm choice) is refused.
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.core import defjvp, defvjp
from ravine.autodiff.tracer import getval, primitive
from ravine.errors import NotDifferentiableError
from ravine.numpy import wrapper as anp
from ravine.numpy.linalg import inv, solve, svd
from ravine.numpy.signals import convolve
from ravine.numpy.wrapper import _contains_box

__all__ = [
    "poly",
    "polyadd",
    "polyder",
    "polydiv",
    "polyfit",
    "polyint",
    "polymul",
    "polysub",
    "polyval",
    "roots",
    "vander",
]


def _traced(*args) -> bool:
    return any(_contains_box(a) for a in args)


def _coefficients(p):
    """A 1-d traced or plain coefficient array (a poly1d gives its coefficients)."""
    if isinstance(p, _np.poly1d):
        return p.coeffs
    return anp.atleast_1d(anp.asarray(p))


def _trim_leading_zeros(p):
    """What ``poly1d(p)`` keeps: p from its first non-zero entry ([0] if none)."""
    p = _coefficients(p)
    if _np.ndim(getval(p)) > 1:
        raise ValueError("Polynomial must be 1d only.")
    nonzero = _np.flatnonzero(getval(p))
    return p[nonzero[0]:] if len(nonzero) else p[-1:]


def _leading_zeros(n, dtype):
    return _np.zeros(n, dtype)


# ---- arithmetic --------------------------------------------------------------------------------------


def _padded(a1, a2):
    a1, a2 = _coefficients(a1), _coefficients(a2)
    diff = len(getval(a2)) - len(getval(a1))
    if diff > 0:
        a1 = anp.concatenate([_leading_zeros(diff, getval(a1).dtype), a1])
    elif diff < 0:
        a2 = anp.concatenate([_leading_zeros(-diff, getval(a2).dtype), a2])
    return a1, a2


def polyadd(a1, a2):
    """``numpy.polyadd``: the sum of two polynomials (linear in both)."""
    if not _traced(a1, a2):
        return _np.polyadd(a1, a2)
    a1, a2 = _padded(a1, a2)
    return a1 + a2


def polysub(a1, a2):
    """``numpy.polysub``: a1 − a2 (linear in both)."""
    if not _traced(a1, a2):
        return _np.polysub(a1, a2)
    a1, a2 = _padded(a1, a2)
    return a1 - a2


def polymul(a1, a2):
    """``numpy.polymul``: the product, the convolution of the (trimmed) coefficients."""
    if not _traced(a1, a2):
        return _np.polymul(a1, a2)
    return convolve(_trim_leading_zeros(a1), _trim_leading_zeros(a2))


def polydiv(u, v):
    """``numpy.polydiv``: (quotient, remainder) of long division, differentiable in u and v."""
    if not _traced(u, v):
        return _np.polydiv(u, v)
    u, v = _coefficients(u) + 0.0, _coefficients(v) + 0.0
    dtype = _np.result_type(getval(u)[0], getval(v)[0])
    m, n = len(getval(u)) - 1, len(getval(v)) - 1
    scale = 1.0 / v[0]
    r = u if getval(u).dtype == dtype else anp.astype(u, dtype)
    quotient = []
    for k in range(m - n + 1):
        d = scale * r[k]
        quotient.append(d)
        shifted = anp.concatenate([_np.zeros(k, dtype), v, _np.zeros(m - n - k, dtype)])
        r = r - d * shifted
    q = anp.stack(quotient) if quotient else _np.zeros(1, dtype)
    start = 0
    while _np.allclose(getval(r)[start], 0, rtol=1e-14) and start < len(getval(r)) - 1:
        start += 1
    return q, r[start:]


# ---- evaluation, derivative, integral -----------------------------------------------------------------


def polyval(p, x):
    """``numpy.polyval``: p(x) by Horner's rule, differentiable in p and x."""
    if not _traced(p, x):
        return _np.polyval(p, x)
    if isinstance(x, _np.poly1d):
        raise NotDifferentiableError(
            "polyval(p, x) with traced coefficients p and a poly1d x (a composition of polynomials) "
            "is not supported; compose with polymul and polyadd on coefficient arrays instead.")
    p, x = anp.asarray(p), anp.asarray(x)
    y = _np.zeros_like(getval(x))
    for k in range(len(getval(p))):
        y = y * x + p[k]
    return y


def polyder(p, m=1):
    """``numpy.polyder``: the m-th derivative's coefficients (linear in p)."""
    if not _traced(p):
        return _np.polyder(p, m)
    m = int(m)
    if m < 0:
        raise ValueError("Order of derivative must be positive (see polyint)")
    p = _coefficients(p)
    for _ in range(m):
        n = len(getval(p)) - 1
        p = p[:-1] * _np.arange(n, 0, -1)
    return p


def polyint(p, m=1, k=None):
    """``numpy.polyint``: the m-th antiderivative with integration constants k (linear
    in p and k)."""
    if not _traced(p, k):
        return _np.polyint(p, m, k)
    m = int(m)
    if m < 0:
        raise ValueError("Order of integral must be positive (see polyder)")
    k = _np.zeros(m, float) if k is None else anp.atleast_1d(anp.asarray(k))
    if len(getval(k)) == 1 and m > 1:
        k = k[0] * _np.ones(m, float)
    if len(getval(k)) < m:
        raise ValueError("k must be a scalar or a rank-1 array of length 1 or >m.")
    p = _coefficients(p)
    for i in range(m):
        p = anp.concatenate([p / _np.arange(len(getval(p)), 0, -1), anp.reshape(k[i], (1,))])
    return p


def vander(x, N=None, increasing=False):
    """``numpy.vander``: columns x^(N−1) … x^0 (or increasing), by repeated products."""
    if not _traced(x):
        return _np.vander(x, N, increasing)
    x = anp.asarray(x)
    if _np.ndim(getval(x)) != 1:
        raise ValueError("x must be a one-dimensional array or sequence.")
    n = len(getval(x))
    N = n if N is None else N
    if N == 0:
        return _np.empty((n, 0), _np.promote_types(getval(x).dtype, int))
    columns = [_np.ones(n, _np.promote_types(getval(x).dtype, int))]
    if N > 1:
        columns.append(x)
    for _ in range(N - 2):
        columns.append(columns[-1] * x)
    if not increasing:
        columns.reverse()
    return anp.stack(columns, axis=1)


# ---- poly and roots -----------------------------------------------------------------------------------


def _with_value(exact, traced):
    """``exact``'s values (bit for bit) with ``traced``'s derivatives (the same function)."""
    return (traced - getval(traced)) + exact


def _characteristic(A):
    """det(λI − A)'s coefficients by the Faddeev–LeVerrier recurrence (traced)."""
    n = _np.shape(getval(A))[0]
    eye = _np.eye(n)
    coefficients = [_np.ones((), getval(A).dtype)]
    M = _np.zeros((n, n))
    for k in range(1, n + 1):
        M = anp.matmul(A, M) + coefficients[-1] * eye
        coefficients.append(-anp.trace(anp.matmul(A, M)) / k)
    return anp.stack(coefficients)


def poly(seq_of_zeros):
    """``numpy.poly``: the monic polynomial with the given roots (or a square matrix's
    characteristic polynomial), differentiable in the roots (or the matrix)."""
    if not _traced(seq_of_zeros):
        return _np.poly(seq_of_zeros)
    z = anp.atleast_1d(anp.asarray(seq_of_zeros))
    shape = _np.shape(getval(z))
    if len(shape) == 2 and shape[0] == shape[1] and shape[0] != 0:
        exact = _np.poly(getval(z))
        traced = _characteristic(z)
        if not _np.iscomplexobj(exact):
            traced = anp.real(traced)
        return _with_value(exact, traced)
    if len(shape) != 1:
        raise ValueError("input must be 1d or non-empty square 2d array.")
    if shape[0] == 0:
        return 1.0
    dtype = getval(z).dtype
    a = _np.ones(1, dtype)
    zero = _np.zeros(1, dtype)
    for i in range(shape[0]):
        a = anp.concatenate([a, zero]) - z[i] * anp.concatenate([zero, a])
    if _np.iscomplexobj(getval(a)):
        values = _np.asarray(getval(z), complex)
        if _np.all(_np.sort(values) == _np.sort(values.conjugate())):
            a = anp.real(a)
    return a


@primitive
def _roots(p):
    return _np.roots(p)


_REPEATED = 1e-5  # roots closer than this (relative) count as one repeated root


def _root_sensitivity(ans, p):
    """The map dp ↦ dr as (V, p′(r)) with V[i, k] = r_i^{L−1−k}: dr = −V dp / p′(r)."""
    r = getval(ans)
    if len(r) > 1:
        gaps = _np.abs(r[:, None] - r[None, :])
        _np.fill_diagonal(gaps, _np.inf)
        scale = _np.maximum(1.0, _np.abs(r))
        i, j = _np.unravel_index(_np.argmin(gaps / scale[:, None]), gaps.shape)
        if gaps[i, j] <= _REPEATED * scale[i]:
            raise NotDifferentiableError(
                f"roots: the roots at positions {i} and {j} ({r[i]} and {r[j]}) coincide (they are closer "
                f"than {_REPEATED:g} relative; rounding splits a k-fold root into k roots about eps^(1/k) "
                "apart), so they have no derivative: a repeated root moves like a root of the "
                "perturbation. Differentiate a symmetric function of them (e.g. the coefficients) instead.")
    L = len(getval(p))
    return vander(ans, L), polyval(polyder(p), ans)


def _grad_roots(ans, p):
    def vjp(g):
        V, slope = _root_sensitivity(ans, p)
        out = -anp.matmul(g / slope, V)
        return out if _np.iscomplexobj(getval(p)) else anp.real(out)

    return vjp


def _jvp_roots(g, ans, p):
    V, slope = _root_sensitivity(ans, p)
    return -anp.matmul(V, g) / slope


defvjp(_roots, _grad_roots)
defjvp(_roots, _jvp_roots)


def roots(p):
    """``numpy.roots``: the roots of p (NumPy's values and order), each simple root
    differentiable in p: dr = −(Σ_k dp_k r^{L−1−k}) / p′(r)."""
    if not _traced(p):
        return _np.roots(p)
    p = anp.atleast_1d(anp.asarray(p))
    if _np.ndim(getval(p)) != 1:
        raise ValueError("Input must be a rank-1 array.")
    return _roots(p)


# ---- polyfit ------------------------------------------------------------------------------------------


@primitive
def _least_squares(A, b, rcond):
    """The least-squares solution of A c ≈ b (2-d b; NumPy's ``lstsq`` values)."""
    return _np.linalg.lstsq(A, b, rcond)[0]


def _normal_solve(A, rhs):
    return solve(anp.matmul(anp.transpose(A), A), rhs)


def _grad_least_squares_A(ans, A, b, rcond):
    def vjp(g):
        z = _normal_solve(A, g)
        residual = b - anp.matmul(A, ans)
        out = anp.matmul(residual, anp.transpose(z)) - anp.matmul(anp.matmul(A, z), anp.transpose(ans))
        return anp.real(out)

    return vjp


def _grad_least_squares_b(ans, A, b, rcond):
    def vjp(g):
        out = anp.matmul(A, _normal_solve(A, g))
        return out if _np.iscomplexobj(getval(b)) else anp.real(out)

    return vjp


def _jvp_least_squares_A(g, ans, A, b, rcond):
    residual = b - anp.matmul(A, ans)
    return _normal_solve(A, anp.matmul(anp.transpose(g), residual) - anp.matmul(anp.transpose(A),
                                                                                 anp.matmul(g, ans)))


defvjp(_least_squares, _grad_least_squares_A, _grad_least_squares_b)
defjvp(_least_squares, _jvp_least_squares_A, lambda g, ans, A, b, rcond: _least_squares(A, g, rcond))


def polyfit(x, y, deg, rcond=None, full=False, w=None, cov=False):
    """``numpy.polyfit``: least-squares coefficients, differentiable in y, w and real x
    (see the module docstring); ``full`` and ``cov`` as NumPy."""
    if not _traced(x, y, w):
        return _np.polyfit(x, y, deg, rcond, full, w, cov)
    order = int(deg) + 1
    x, y = anp.asarray(x) + 0.0, anp.asarray(y) + 0.0
    xv, yv = getval(x), getval(y)
    if deg < 0:
        raise ValueError("expected deg >= 0")
    if _np.ndim(xv) != 1:
        raise TypeError("expected 1D vector for x")
    if _np.size(xv) == 0:
        raise TypeError("expected non-empty vector for x")
    if _np.ndim(yv) < 1 or _np.ndim(yv) > 2:
        raise TypeError("expected 1D or 2D array for y")
    if len(xv) != len(yv):
        raise TypeError("expected x and y to have same length")
    if _np.iscomplexobj(xv) and _contains_box(x):
        raise NotDifferentiableError(
            "polyfit: a traced complex x is not supported (the fit is not holomorphic in x); "
            "pass real sample points, or ravine.getval(x) to hold them constant.")
    if rcond is None:
        rcond = len(xv) * _np.finfo(xv.dtype).eps
    lhs = vander(x, order)
    rhs = y if _np.ndim(yv) == 2 else anp.reshape(y, (-1, 1))
    if w is not None:
        w = anp.asarray(w) + 0.0
        if _np.ndim(getval(w)) != 1:
            raise TypeError("expected a 1-d array for weights")
        if len(getval(w)) != len(yv):
            raise TypeError("expected w and y to have the same length")
        lhs = lhs * anp.reshape(w, (-1, 1))
        rhs = rhs * anp.reshape(w, (-1, 1))
    scale = anp.sqrt(anp.sum(lhs * lhs, axis=0))
    lhs = lhs / scale
    _, _, rank, _ = _np.linalg.lstsq(getval(lhs), getval(rhs), rcond)
    if rank != order:
        raise NotDifferentiableError(
            f"polyfit: the scaled Vandermonde matrix has rank {rank} < deg + 1 = {order} (too few "
            "distinct x for this degree), so the fit is not unique and ravine does not differentiate "
            "NumPy's minimum-norm choice. Lower deg or add distinct sample points.")
    solution = _least_squares(lhs, rhs, rcond)
    residual = rhs - anp.matmul(lhs, solution)
    c = solution / anp.reshape(scale, (-1, 1))
    if _np.ndim(yv) == 1:
        c = anp.reshape(c, (-1,))
    if full:
        if len(xv) > order:
            resids = anp.sum(anp.real(residual * anp.conj(residual)), axis=0)
        else:
            resids = _np.empty(0)
        return c, resids, rank, svd(lhs, compute_uv=False), rcond
    if cov:
        Vbase = inv(anp.matmul(anp.transpose(lhs), lhs)) / anp.outer(scale, scale)
        if cov == "unscaled":
            fac = 1
        else:
            if len(xv) <= order:
                raise ValueError("the number of data points must exceed order to scale the covariance matrix")
            fac = anp.sum(anp.real(residual * anp.conj(residual)), axis=0) / (len(xv) - order)
        if _np.ndim(yv) == 1:
            return c, Vbase * fac
        return c, anp.expand_dims(Vbase, 2) * fac
    return c
