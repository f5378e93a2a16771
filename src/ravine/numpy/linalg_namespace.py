"""The rest of ``numpy.linalg``'s namespace, traced: the array-API functions (NumPy 2),
``cond``, ``multi_dot``, ``tensorinv``, ``tensorsolve`` and the constant ``matrix_rank``.
Signatures are NumPy 2.4's; without a traced argument NumPy's own function answers.

Each is composed from functions that already have derivatives, so its derivatives follow:

* matmul, tensordot, outer (1-D only), cross (3-vectors only), trace and diagonal (of the
  last two axes, with ``offset``), matrix_transpose, vecdot: the corresponding
  ``ravine.numpy`` function, after NumPy's array-API checks;
* svdvals: the singular values (ds_i = Re u_iᴴ dA v_i);
* vector_norm, matrix_norm: ``linalg.norm``'s vector and matrix norms over the given axes;
* cond: for p = None, 2, −2 the ratio of extreme singular values, s_max / s_min (or its
  inverse), so d cond₂ = (u₁ᴴ dA v₁ − cond₂ · u_kᴴ dA v_k) / s_k, Re taken; for the other
  p, norm(A, p) · norm(inv(A), p), with d inv(A) = −A⁻¹ dA A⁻¹.  A traced singular matrix
  (infinite condition number) is refused;
* multi_dot: ``dot`` in NumPy's cheapest order (the same dynamic programme), so the
  values are NumPy's;
* tensorinv, tensorsolve: NumPy's reshapes around ``inv`` and ``solve``;
* matrix_rank: an integer, a constant (it sees raw values).
"""

from __future__ import annotations

import math

import numpy as _np

from ravine.autodiff.tracer import getval, notrace_primitive
from ravine.errors import NotDifferentiableError
from ravine.numpy import wrapper as anp
from ravine.numpy.gufuncs import matrix_transpose
from ravine.numpy.gufuncs import vecdot as _vecdot
from ravine.numpy.linalg import _vector_norm, inv, norm
from ravine.numpy.linalg_base import solve
from ravine.numpy.linalg_spectral import singular_values
from ravine.numpy.untraced import numpy_unless_traced

__all__ = ["cond", "cross", "diagonal", "matmul", "matrix_norm", "matrix_rank", "matrix_transpose", "multi_dot",
           "outer", "svdvals", "tensordot", "tensorinv", "tensorsolve", "trace", "vecdot", "vector_norm"]

_la = _np.linalg
matrix_rank = notrace_primitive(_la.matrix_rank)


def _shape(x):
    return _np.shape(getval(x))


# ---- array-API functions --------------------------------------------------------------------------------


@numpy_unless_traced(_la.matmul)
def matmul(x1, x2, /):
    return anp.matmul(x1, x2)


@numpy_unless_traced(_la.tensordot)
def tensordot(x1, x2, /, *, axes=2):
    return anp.tensordot(x1, x2, axes)


@numpy_unless_traced(_la.outer)
def outer(x1, x2, /):
    """The outer product of two vectors (1-D only, as the array API)."""
    x1, x2 = anp.asarray(x1), anp.asarray(x2)
    n1, n2 = len(_shape(x1)), len(_shape(x2))
    if n1 != 1 or n2 != 1:
        raise ValueError(f"Input arrays must be one-dimensional, but they are x1.ndim={n1} and x2.ndim={n2}.")
    return anp.outer(x1, x2)


@numpy_unless_traced(_la.cross)
def cross(x1, x2, /, *, axis=-1):
    """The cross product of (stacks of) 3-vectors along ``axis``."""
    x1, x2 = anp.asarray(x1), anp.asarray(x2)
    d1, d2 = _shape(x1)[axis], _shape(x2)[axis]
    if d1 != 3 or d2 != 3:
        raise ValueError("Both input arrays must be (arrays of) 3-dimensional vectors, "
                         f"but they are {d1} and {d2} dimensional instead.")
    return anp.cross(x1, x2, axis=axis)


@numpy_unless_traced(_la.trace)
def trace(x, /, *, offset=0, dtype=None):
    """Sum of the ``offset`` diagonal of each matrix (the last two axes)."""
    return anp.trace(x, offset, -2, -1, dtype)


@numpy_unless_traced(_la.diagonal)
def diagonal(x, /, *, offset=0):
    """The ``offset`` diagonal of each matrix (the last two axes)."""
    return anp.diagonal(x, offset, -2, -1)


@numpy_unless_traced(_la.vecdot)
def vecdot(x1, x2, /, *, axis=-1):
    """Σ conj(x1) x2 along ``axis``: ``ravine.numpy.vecdot``."""
    return _vecdot(x1, x2, axis=axis)


@numpy_unless_traced(_la.svdvals)
def svdvals(x, /):
    """The singular values of each matrix, descending."""
    if len(_shape(x)) < 2:
        raise _la.LinAlgError(f"{len(_shape(x))}-dimensional array given. Array must be at least two-dimensional")
    return singular_values(x)


@numpy_unless_traced(_la.vector_norm)
def vector_norm(x, /, *, axis=None, keepdims=False, ord=2):
    """The ``ord``-norm of the entries along ``axis`` (an int, a tuple, or None: all)."""
    x = anp.asarray(x)
    ndim = len(_shape(x))
    axes = tuple(range(ndim)) if axis is None else _np.lib.array_utils.normalize_axis_tuple(axis, ndim)
    if isinstance(ord, str):
        raise ValueError(f"Invalid norm order '{ord}' for vectors")  # noqa: TRY004  (NumPy's error)
    return _vector_norm(x, 2 if ord is None else ord, axes, keepdims)


@numpy_unless_traced(_la.matrix_norm)
def matrix_norm(x, /, *, keepdims=False, ord="fro"):
    """The ``ord`` matrix norm of each matrix (the last two axes)."""
    x = anp.asarray(x)
    if len(_shape(x)) < 2:
        raise _np.exceptions.AxisError(-2, len(_shape(x)))
    return norm(x, ord=ord, axis=(-2, -1), keepdims=keepdims)


# ---- condition number ------------------------------------------------------------------------------------


@numpy_unless_traced(_la.cond)
def cond(x, p=None):
    """The condition number of each matrix in the ``p`` norm (see the module's docstring)."""
    x = anp.asarray(x)
    shape = _shape(x)
    if len(shape) >= 2 and 0 in shape[-2:]:
        raise _la.LinAlgError("cond is not defined on empty arrays")
    if p is None or p in (2, -2):
        s = singular_values(x)
        if _np.any(getval(s)[..., -1] == 0):
            _refuse_singular(shape, p)
        return s[..., -1] / s[..., 0] if p == -2 else s[..., 0] / s[..., -1]
    if len(shape) < 2 or shape[-1] != shape[-2]:
        raise _la.LinAlgError("Last 2 dimensions of the array must be square")
    try:
        inverse = inv(x)
    except _la.LinAlgError:
        _refuse_singular(shape, p)
    return norm(x, p, axis=(-2, -1)) * norm(inverse, p, axis=(-2, -1))


def _refuse_singular(shape, p):
    raise NotDifferentiableError(
        f"linalg.cond(x, p={p!r}): a matrix of x (shape {shape}) is singular, so its condition number is "
        "infinite (0 for p=-2, at a kink) and has no derivative. Pass ravine.getval(x) for the value alone, or "
        "differentiate a regularised quantity such as cond(x + eps * eye(n))."
    )


# ---- products, tensor inverses ---------------------------------------------------------------------------


def _chain_order(shapes):
    """NumPy's multi_dot order: split[i][j] is where the cheapest product of i..j splits."""
    n = len(shapes)
    dims = [s[0] for s in shapes] + [shapes[-1][1]]
    cost = [[0.0] * n for _ in range(n)]
    split = [[0] * n for _ in range(n)]
    for length in range(1, n):
        for i in range(n - length):
            j = i + length
            cost[i][j] = math.inf
            for k in range(i, j):
                q = cost[i][k] + cost[k + 1][j] + dims[i] * dims[k + 1] * dims[j + 1]
                if q < cost[i][j]:
                    cost[i][j], split[i][j] = q, k
    return split


def _chain(arrays, split, i, j):
    if i == j:
        return arrays[i]
    k = split[i][j]
    return anp.dot(_chain(arrays, split, i, k), _chain(arrays, split, k + 1, j))


@numpy_unless_traced(_la.multi_dot)
def multi_dot(arrays, *, out=None):
    """The product of two or more arrays, in the cheapest order; the first may be a
    row vector and the last a column vector (1-D), the others are matrices."""
    if out is not None:
        raise NotDifferentiableError("linalg.multi_dot of traced arrays cannot write into out=; "
                                     "use the returned array (out=None).")
    if len(arrays) < 2:
        raise ValueError("Expecting at least two arrays.")
    if len(arrays) == 2:
        return anp.dot(arrays[0], arrays[1])
    arrays = [anp.asarray(a) for a in arrays]
    first, last = len(_shape(arrays[0])), len(_shape(arrays[-1]))
    if first == 1:
        arrays[0] = anp.reshape(arrays[0], (1, -1))
    if last == 1:
        arrays[-1] = anp.reshape(arrays[-1], (-1, 1))
    for a in arrays:
        if len(_shape(a)) != 2:
            raise _la.LinAlgError(f"{len(_shape(a))}-dimensional array given. Array must be two-dimensional")
    result = _chain(arrays, _chain_order([_shape(a) for a in arrays]), 0, len(arrays) - 1)
    if first == 1 and last == 1:
        return result[0, 0]
    return anp.ravel(result) if first == 1 or last == 1 else result


@numpy_unless_traced(_la.tensorinv)
def tensorinv(a, ind=2):
    """The inverse of a seen as a matrix of its first ``ind`` axes by the others."""
    a = anp.asarray(a)
    shape = _shape(a)
    if ind <= 0:
        raise ValueError("Invalid ind argument.")
    rows = math.prod(shape[ind:])
    return anp.reshape(inv(anp.reshape(a, (rows, -1))), shape[ind:] + shape[:ind])


@numpy_unless_traced(_la.tensorsolve)
def tensorsolve(a, b, axes=None):
    """x with tensordot(a, x, x.ndim) = b (``axes``: a's axes moved to the end first)."""
    a, b = anp.asarray(a), anp.asarray(b)
    an, bn = len(_shape(a)), len(_shape(b))
    if axes is not None:
        order = list(range(an))
        for k in axes:
            order.remove(k)
            order.insert(an, k)
        a = anp.transpose(a, order)
    shape = _shape(a)[-(an - bn):]
    size = math.prod(shape)
    if math.prod(_shape(a)) != size**2:
        raise _la.LinAlgError("Input arrays must satisfy the requirement "
                              "prod(a.shape[b.ndim:]) == prod(a.shape[:b.ndim])")
    return anp.reshape(solve(anp.reshape(a, (size, size)), anp.ravel(b)), shape)
