"""NumPy 2's matrix and vector functions, traced: ``matrix_transpose`` and the
gufuncs ``vecdot``, ``matvec`` and ``vecmat`` (NumPy ≥ 2.2).  ``ravine.numpy.linalg``'s
``matrix_transpose`` and ``vecdot`` are these same implementations.

* matrix_transpose(x) = x with its last two axes swapped (x needs two axes at least);
* vecdot(x1, x2)[...]   = Σₙ conj(x1[..., n]) x2[..., n]       signature (n),(n)->()
* matvec(A, x)[..., m]  = Σₙ A[..., m, n] x[..., n]             signature (m,n),(n)->(m)
* vecmat(x, A)[..., m]  = Σₙ conj(x[..., n]) A[..., n, m]       signature (n),(n,m)->(m)

Each gufunc is one batched ``matmul`` (after ``conj`` where the formula has it) of its
operands with their core axes moved last, so its derivatives are matmul's and conj's —
the product rule, complex values included: d vecdot(x1, x2) = vecdot(dx1, x2) +
vecdot(x1, dx2), conjugate-linear in x1 (reverse mode follows autograd's convention for
complex values, as every ravine rule).  The loop axes broadcast as in NumPy; core axes
of different sizes raise matmul's ValueError.  ``axis``, ``axes`` and ``keepdims`` place
the core axes as NumPy's gufunc keywords do.

Without a traced operand NumPy's own gufunc answers (with every ufunc keyword).  With
one, ``out`` and the casting keywords (dtype, casting, order, subok, signature) are
refused: the result is a new traced array (cast the operands with ``astype`` first).
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.tracer import getval
from ravine.errors import NotDifferentiableError
from ravine.numpy import wrapper as anp
from ravine.numpy.linalg_base import conj
from ravine.numpy.untraced import is_traced, numpy_unless_traced

__all__ = ["matrix_transpose", "matvec", "vecdot", "vecmat"]


@numpy_unless_traced(_np.matrix_transpose)
def matrix_transpose(x, /):
    """x with its last two axes swapped (a linear map: its derivative is itself)."""
    ndim = _np.ndim(getval(x))
    if ndim < 2:
        raise ValueError(f"Input array must be at least 2-dimensional, but it is {ndim}")
    return anp.swapaxes(x, -1, -2)


# ---- the gufuncs ---------------------------------------------------------------------------------------


class _Signature:
    """A gufunc's core dimensions: how many each input has, how many the output has,
    and the batched-matmul product of operands whose core axes come last."""

    def __init__(self, name, text, core_in, core_out, product):
        self.name, self.text, self.core_in, self.core_out, self.product = name, text, core_in, core_out, product

    def __call__(self, x1, x2, out, axes, axis, keepdims, options):
        operands = (anp.asarray(x1), anp.asarray(x2))
        given = (["out"] if out is not None else []) + sorted(options)
        if given:
            raise NotDifferentiableError(
                f"np.{self.name} of traced operands does not take {', '.join(given)}: the result is a new traced "
                f"array. Call it without them (cast the operands with astype first if a dtype is needed)."
            )
        in_axes, out_axes = self._layout([_np.ndim(getval(x)) for x in operands], axes, axis, keepdims)
        moved = [_core_last(x, a) for x, a in zip(operands, in_axes)]
        result = self.product(*moved)
        if keepdims:
            result = anp.expand_dims(result, -1)
        if out_axes:
            ndim = _np.ndim(getval(result))
            target = _normalized(out_axes, ndim)
            if target != list(range(ndim - len(target), ndim)):
                result = anp.moveaxis(result, list(range(ndim - len(target), ndim)), target)
        return result

    def _layout(self, ndims, axes, axis, keepdims):
        """The core axes of each operand and of the result, as NumPy reads the keywords."""
        n_out = 1 if keepdims else self.core_out
        if keepdims and (len(set(self.core_in)) > 1 or self.core_out):
            raise TypeError(f"{self.name} does not support keepdims: its signature {self.text} has inputs with "
                            "different numbers of core dimensions, or an output with core dimensions.")
        if axis is not None:
            if axes is not None:
                raise TypeError("cannot specify both 'axis' and 'axes'")
            if any(c != 1 for c in self.core_in):
                raise TypeError(f"{self.name}: axis can only be used with a single shared core dimension, not with "
                                f"the {len(self.core_in)} distinct ones implied by signature {self.text}.")
            axes = [(axis,)] * (len(self.core_in) + n_out)
        if axes is None:
            axes = [tuple(range(-c, 0)) for c in self.core_in] + [tuple(range(-n_out, 0))]
        axes = [(a,) if isinstance(a, (int, _np.integer)) else tuple(a) for a in axes]
        if len(axes) == len(self.core_in) and not n_out:
            axes.append(())
        if len(axes) != len(self.core_in) + 1:
            raise ValueError(f"axes should be a list with an entry for all {len(self.core_in) + 1} inputs and "
                             "outputs; entries for outputs can only be omitted if none of them has core axes.")
        for i, (a, core, ndim) in enumerate(zip(axes, self.core_in, ndims)):
            if ndim < core:
                raise ValueError(f"{self.name}: Input operand {i} does not have enough dimensions (has {ndim}, "
                                 f"gufunc core with signature {self.text} requires {core})")
            if len(a) != core:
                raise _np.exceptions.AxisError(f"{self.name}: operand {i} has {core} core dimensions, but "
                                               f"{len(a)} dimensions are specified by axes tuple.")
        if len(axes[-1]) != n_out:
            raise _np.exceptions.AxisError(f"{self.name}: the output has {n_out} core dimensions, but "
                                           f"{len(axes[-1])} are specified by axes tuple.")
        return [_normalized(a, ndim) for a, ndim in zip(axes, ndims)], axes[-1]


def _normalized(axes, ndim):
    return [_np.lib.array_utils.normalize_axis_index(a, ndim) for a in axes]


def _core_last(x, axes):
    """x with the given (normalised) core axes moved to the end, in their order."""
    ndim = _np.ndim(getval(x))
    trailing = list(range(ndim - len(axes), ndim))
    return x if axes == trailing else anp.moveaxis(x, axes, trailing)


def _vecdot_last(x1, x2):
    return anp.matmul(anp.expand_dims(conj(x1), -2), anp.expand_dims(x2, -1))[..., 0, 0]


def _matvec_last(A, x):
    return anp.matmul(A, anp.expand_dims(x, -1))[..., 0]


def _vecmat_last(x, A):
    return anp.matmul(anp.expand_dims(conj(x), -2), A)[..., 0, :]


_VECDOT = _Signature("vecdot", "(n),(n)->()", (1, 1), 0, _vecdot_last)
_MATVEC = _Signature("matvec", "(m,n),(n)->(m)", (2, 1), 1, _matvec_last)
_VECMAT = _Signature("vecmat", "(n),(n,m)->(m)", (1, 2), 1, _vecmat_last)


def _gufunc(numpy_ufunc, signature):
    def dispatch(x1, x2, /, out=None, *, axes=None, axis=None, keepdims=False, **options):
        if not is_traced(x1, x2):
            given = {k: v for k, v in (("out", out), ("axes", axes), ("axis", axis), ("keepdims", keepdims or None))
                     if v is not None}
            return numpy_ufunc(x1, x2, **given, **options)
        return signature(x1, x2, out, axes, axis, keepdims, options)

    dispatch.__name__ = dispatch.__qualname__ = signature.name
    dispatch.__doc__ = (f"np.{signature.name}, signature {signature.text}, traced (see "
                        f":mod:`ravine.numpy.gufuncs`); without a traced operand, NumPy's gufunc.")
    return dispatch


vecdot = _gufunc(_np.vecdot, _VECDOT)
matvec = _gufunc(_np.matvec, _MATVEC)
vecmat = _gufunc(_np.vecmat, _VECMAT)
