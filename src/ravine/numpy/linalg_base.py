"""Helpers shared by :mod:`ravine.numpy.linalg` and :mod:`ravine.numpy.linalg_spectral`:
batched-matrix shorthands (all traced, so rules built on them can be differentiated
again) and the ``solve`` primitive, which the other rules use in place of inverses.

solve: x = A⁻¹b, dx = A⁻¹(db − dA x);  b̄ = A⁻ᵀ ḡ, Ā = −b̄ xᵀ (transposes, not
conjugate transposes: autograd's convention for complex-linear maps).
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.core import defjvp, defvjp
from ravine.autodiff.tracer import getval, primitive
from ravine.errors import NotDifferentiableError, ShapeError
from ravine.numpy import wrapper as anp


def T(x):
    """Transpose of the last two axes."""
    return anp.swapaxes(x, -1, -2)


def H(x):
    """Conjugate transpose of the last two axes (T for a real x)."""
    return T(conj(x))


def conj(x):
    """Complex conjugate; a real x is returned as it is (no node on the tape)."""
    return anp.conj(x) if _np.iscomplexobj(getval(x)) else x


# autograd.numpy.linalg's private name for the batched matrix product; code written for
# autograd (its own test-suite among it) calls it, so it stays reachable here.
_dot = anp.matmul


def sym(x):
    return 0.5 * (x + T(x))


def as_matrix(x, d):
    """Append two axes so a stack of scalars multiplies a stack of matrices."""
    return anp.expand_dims(anp.expand_dims(x, -1), -1) if d else x


def diag_embed(x):
    """(..., k) -> (..., k, k) with x on the diagonal."""
    return anp.expand_dims(x, -1) * _np.eye(_np.shape(getval(x))[-1])


def diag_part(x):
    return anp.diagonal(x, 0, -2, -1)


def _result_type(example):
    """The named-tuple type NumPy's linalg returns for ``example`` (EighResult, ...);
    ``tuple`` under NumPy 1.x, whose decompositions return plain tuples."""
    kind = type(example)
    return kind if hasattr(kind, "_fields") else tuple


_EYE = _np.eye(1)
EighResult = _result_type(_np.linalg.eigh(_EYE))
EigResult = _result_type(_np.linalg.eig(_EYE))
SVDResult = _result_type(_np.linalg.svd(_EYE))
QRResult = _result_type(_np.linalg.qr(_EYE))
SlogdetResult = _result_type(_np.linalg.slogdet(_EYE))


def named(kind, *parts):
    """``parts`` as NumPy's result type ``kind``, so ``.eigenvalues``, ``.U`` and the
    other field names work on traced results as on NumPy's."""
    return parts if kind is tuple else kind(*parts)


def check_square(name, A):
    shape = _np.shape(getval(A))
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise ShapeError(f"linalg.{name} needs square matrices (..., n, n); received shape {shape}.")


def coincident(w, square=False):
    """Boolean (..., k, k): the off-diagonal pairs i ≠ j with w_i = w_j exactly
    (or w_i² = w_j²), where 1 / (w_j − w_i) does not exist."""
    w = _np.asarray(getval(w))
    if square:
        w = w * w
    same = _np.expand_dims(w, -2) == _np.expand_dims(w, -1)
    return same & ~_np.eye(w.shape[-1], dtype=bool)


def gap_inverse(w, square=False):
    """F[..., i, j] = 1 / (w_j − w_i) (or of the squares), 0 on the diagonal and on
    coincident pairs; traced, since F depends on w (second derivatives need that)."""
    skip = coincident(w, square) | _np.eye(_np.shape(getval(w))[-1], dtype=bool)
    if square:
        w = w * w
    gaps = anp.expand_dims(w, -2) - anp.expand_dims(w, -1)
    return anp.where(skip, 0.0, 1.0 / anp.where(skip, 1.0, gaps))


def require_distinct(name, w, M, square=False):
    """Raise unless M (the part of a tangent or cotangent that F multiplies) is zero
    wherever two values of w coincide: there the vectors have no derivative."""
    clash = coincident(w, square) & (_np.asarray(getval(M)) != 0)
    if _np.any(clash):
        i, j = _np.argwhere(clash)[0][-2:]
        what = "singular values" if square else "eigenvalues"
        raise NotDifferentiableError(
            f"linalg.{name}: the {what} at positions {i} and {j} are equal, so the singular or eigen-"
            f"vectors are not unique and have no derivative there. Differentiate a function of the "
            f"{what} alone (or of the whole invariant subspace), or perturb the matrix so they differ."
        )


# ---- solve ---------------------------------------------------------------------------------------------


@primitive
def _solve(A, b):
    return _np.linalg.solve(A, b)


def solve(a, b):
    """x with a x = b; b is a vector (n,) or a stack of matrices (..., n, k), as in NumPy 2."""
    check_square("solve", a)
    return _solve(a, b)


def _as_columns(b):
    return anp.expand_dims(b, -1) if anp.ndim(b) == 1 else b


def real_if(like, x):
    """Keep the real part of a cotangent whose input ``like`` is real."""
    if _np.iscomplexobj(getval(like)) or not _np.iscomplexobj(getval(x)):
        return x
    return anp.real(x)


def _grad_solve_A(ans, A, b):
    def vjp(g):
        gb = _as_columns(_solve(T(A), g) if anp.ndim(b) > 1 else _solve(T(A), anp.reshape(g, (-1, 1))))
        out = -anp.matmul(gb, T(_as_columns(ans)))
        return real_if(A, anp.sum(out, axis=tuple(range(out.ndim - A.ndim))) if out.ndim > A.ndim else out)

    return vjp


def _grad_solve_b(ans, A, b):
    def vjp(g):
        if anp.ndim(b) == 1:
            return real_if(b, anp.reshape(_solve(T(A), anp.reshape(g, (-1, 1))), _np.shape(getval(b))))
        return real_if(b, _solve(T(A), g))

    return vjp


defvjp(_solve, _grad_solve_A, _grad_solve_b)
defjvp(_solve, lambda g, ans, A, b: -_solve(A, anp.reshape(anp.matmul(g, _as_columns(ans)), _np.shape(getval(ans))))
       if anp.ndim(b) > 1 else -_solve(A, anp.matmul(g, ans)),
       lambda g, ans, A, b: _solve(A, g))
