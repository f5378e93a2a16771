"""ArrayBox: a traced array that behaves like a NumPy array.

Operators and methods forward to the wrapped functions of
:mod:`ravine.numpy.wrapper`, so ``x * y``, ``x.sum()`` and ``x[1:]`` are
recorded like any other primitive.  ``__array_ufunc__ = None`` makes NumPy
arrays hand binary operators back to the box (``ndarray + box`` calls
``box.__radd__``), and :meth:`ArrayBox.__array_function__` turns a raw NumPy
function called on a traced value into a clear error instead of a silently
dropped derivative; the exceptions are the functions that NumPy itself hands to
an array-like's method (``numpy.sum(x)`` is ``x.sum()``, :data:`METHOD_FORWARDED`),
which run ravine.numpy's function of the same name and so keep the derivative.
"""

from __future__ import annotations

import numpy as _np

from ravine.autodiff.tracer import Box, raise_setitem, read_value
from ravine.errors import TracingError
from ravine.numpy import reduction_options as reductions
from ravine.numpy import wrapper as anp

__all__ = ["ArrayBox", "METHOD_FORWARDED"]


def _public():
    """ravine.numpy itself (complete once any box exists), for the functions that live
    outside the wrapper module."""
    import ravine.numpy

    return ravine.numpy

# NumPy functions that call the method of the same name on an array-like that is not an
# ndarray (numpy.sum(a) is a.sum(...)): on a traced value they run ravine.numpy's function.
METHOD_FORWARDED = frozenset("""
    sum prod max min amax amin mean std var cumsum cumprod any all argmax argmin argsort
    reshape transpose swapaxes repeat take clip nonzero round around
""".split())


class ArrayBox(Box):
    __slots__ = ()
    __array_priority__ = 100.0
    __array_ufunc__ = None

    # ---- array attributes -------------------------------------------------
    @property
    def shape(self):
        return _np.shape(self._value) if not isinstance(self._value, Box) else self._value.shape

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return int(_np.prod(self.shape))

    @property
    def dtype(self):
        v = self._value
        return v.dtype if hasattr(v, "dtype") else _np.result_type(v)

    @property
    def T(self):
        return anp.transpose(self)

    @property
    def real(self):
        return anp.real(self)

    @property
    def imag(self):
        return anp.imag(self)

    def __len__(self):
        return len(self._value)

    def __getitem__(self, index):
        return anp.getitem(self, index)

    __setitem__ = raise_setitem

    # ---- arithmetic ------------------------------------------------------
    def __neg__(self): return anp.negative(self)
    def __pos__(self): return self
    def __abs__(self): return anp.abs(self)
    def __add__(self, other): return anp.add(self, other)
    def __radd__(self, other): return anp.add(other, self)
    def __sub__(self, other): return anp.subtract(self, other)
    def __rsub__(self, other): return anp.subtract(other, self)
    def __mul__(self, other): return anp.multiply(self, other)
    def __rmul__(self, other): return anp.multiply(other, self)
    def __truediv__(self, other): return anp.true_divide(self, other)
    def __rtruediv__(self, other): return anp.true_divide(other, self)
    def __pow__(self, other): return anp.power(self, other)
    def __rpow__(self, other): return anp.power(other, self)
    def __matmul__(self, other): return anp.matmul(self, other)
    def __rmatmul__(self, other): return anp.matmul(other, self)
    def __mod__(self, other): return anp.mod(self, other)
    def __rmod__(self, other): return anp.mod(other, self)

    # ---- comparisons give constants ---------------------------------------
    def __eq__(self, other): return anp.equal(self, other)
    def __ne__(self, other): return anp.not_equal(self, other)
    def __gt__(self, other): return anp.greater(self, other)
    def __ge__(self, other): return anp.greater_equal(self, other)
    def __lt__(self, other): return anp.less(self, other)
    def __le__(self, other): return anp.less_equal(self, other)
    def __hash__(self): return id(self)

    def __bool__(self):
        self._trace.note_value_read()
        return bool(self._value)

    def __float__(self):
        raise TracingError(
            "float() of a traced value would drop its derivative. Keep it an array inside the "
            "function you differentiate; to log its value, use ravine.getval(x) explicitly."
        )

    __int__ = __float__
    __complex__ = __float__

    def __array__(self, dtype=None, copy=None):
        # An integer or boolean conversion (np.int64(x), np.asarray(x, dtype=int)) is a
        # constant, as x.astype(int) is: integers carry no derivative, so none is dropped.
        if dtype is not None and _np.dtype(dtype).kind in "iub":
            return _np.asarray(read_value(self)).astype(dtype)
        raise TracingError(
            "A traced value was converted to a plain NumPy array (np.asarray, np.array or a raw "
            "numpy function), which would drop its derivative. Use the functions of "
            "ravine.numpy (import ravine.numpy as np) inside the function you differentiate; "
            "a list of traced values passed where an array is expected becomes one with np.array([...])."
        )

    def __array_function__(self, func, types, args, kwargs):
        rnp = _public()
        name = getattr(func, "__name__", repr(func))
        if name in METHOD_FORWARDED and func is getattr(_np, name, None):
            # NumPy hands these to the array-like's method of the same name (numpy.sum(a) is
            # a.sum()), which is ravine.numpy's function: the derivative is kept, as in autograd.
            if kwargs.get("out") is not None:
                raise TracingError(f"numpy.{name}(..., out=...) cannot write a traced value into an array; "
                                   f"use the returned value: y = np.{name}(...).")
            kwargs = {k: v for k, v in kwargs.items() if k != "out"}
            return getattr(rnp, name)(*args, **kwargs)
        module = getattr(func, "__module__", "numpy") or "numpy"
        public = ".".join(["ravine.numpy", *module.split(".")[1:], name]) if module.startswith("numpy") else None
        namespace = rnp
        for part in module.split(".")[1:]:
            namespace = getattr(namespace, part, None)
        wrapped = getattr(namespace, name, None)
        if public is not None and wrapped is not None and wrapped is not func:
            remedy = (f"Use {public} (import ravine.numpy as np) inside the function you differentiate.")
        else:
            remedy = (f"ravine.numpy has no differentiable {name}: write it from ravine.numpy's functions, "
                      "register it with ravine.extend.primitive and defvjp, or call it on ravine.getval(x) "
                      "where no derivative is needed.")
        raise TracingError(
            f"{module}.{name} was called on a traced value; plain NumPy cannot follow derivatives. " + remedy
        )

    # ---- methods -----------------------------------------------------------
    # Reductions take NumPy's positions and every keyword (where=, initial=, ...).
    def sum(self, *args, **kwargs): return reductions.sum(self, *args, **kwargs)
    def mean(self, *args, **kwargs): return reductions.mean(self, *args, **kwargs)
    def prod(self, *args, **kwargs): return reductions.prod(self, *args, **kwargs)
    def max(self, *args, **kwargs): return reductions.max(self, *args, **kwargs)
    def min(self, *args, **kwargs): return reductions.min(self, *args, **kwargs)
    def var(self, *args, **kwargs): return reductions.var(self, *args, **kwargs)
    def std(self, *args, **kwargs): return reductions.std(self, *args, **kwargs)
    def cumsum(self, axis=None): return anp.cumsum(self, axis=axis)
    def cumprod(self, axis=None): return anp.cumprod(self, axis=axis)
    def dot(self, other): return anp.dot(self, other)
    def ravel(self): return anp.ravel(self)
    def flatten(self): return anp.ravel(self)
    def squeeze(self, axis=None): return anp.squeeze(self, axis=axis)
    def clip(self, a_min=None, a_max=None): return anp.clip(self, a_min, a_max)
    def conj(self): return anp.conj(self)
    def conjugate(self): return anp.conj(self)
    def diagonal(self, offset=0, axis1=0, axis2=1): return anp.diagonal(self, offset, axis1, axis2)
    def trace(self, offset=0, axis1=0, axis2=1): return anp.trace(self, offset, axis1, axis2)
    def swapaxes(self, axis1, axis2): return anp.swapaxes(self, axis1, axis2)
    def repeat(self, repeats, axis=None): return anp.repeat(self, repeats, axis)
    def astype(self, dtype, *args, **kwargs): return anp.astype(self, dtype)
    def copy(self): return anp.copy(self)
    def argmax(self, axis=None): return anp.argmax(self, axis)
    def argmin(self, axis=None): return anp.argmin(self, axis)
    def argsort(self, axis=-1): return anp.argsort(self, axis)
    def any(self, axis=None): return anp.any(self, axis)
    def all(self, axis=None): return anp.all(self, axis)
    def nonzero(self): return anp.nonzero(self)

    def reshape(self, *shape, order="C"):
        if len(shape) == 1 and not isinstance(shape[0], int):
            shape = shape[0]
        return anp.reshape(self, shape, order=order)

    def transpose(self, *axes):
        if len(axes) == 1 and not isinstance(axes[0], int):
            axes = axes[0]
        return anp.transpose(self, axes or None)

    def item(self):
        raise TracingError(
            "x.item() of a traced value would drop its derivative; keep it an array, or use "
            "ravine.getval(x).item() to read the number."
        )

    def tolist(self):
        raise TracingError("x.tolist() of a traced value would drop its derivative.")

    def tobytes(self, order="C"):
        raise TracingError("x.tobytes() of a traced value would drop its derivative; use "
                           "ravine.getval(x).tobytes() if you only need the bytes.")

    def argpartition(self, kth, axis=-1, kind="introselect", order=None):
        return anp.argpartition(self, kth, axis=axis, kind=kind, order=order)

    def searchsorted(self, v, side="left", sorter=None): return anp.searchsorted(self, v, side=side, sorter=sorter)
    def compress(self, condition, axis=None, out=None): return _public().compress(condition, self, axis, out)
    def choose(self, choices, out=None, mode="raise"): return _public().choose(self, choices, out, mode)

    @property
    def mT(self):
        return _public().matrix_transpose(self)

    @property
    def strides(self): return _np.asarray(read_value(self)).strides

    @property
    def device(self): return "cpu"

    def to_device(self, device, /, *, stream=None):
        if device != "cpu":
            raise ValueError(f'Device not understood. Only "cpu" is allowed, but received: {device}')
        return self

    def __contains__(self, value):
        return bool(_np.any(read_value(anp.equal(self, value))))

    def round(self, decimals=0): return anp.round(self, decimals)
    def __round__(self, ndigits=None): return anp.round(self, ndigits or 0)
    def take(self, indices, axis=None, mode="raise"): return anp.take(self, indices, axis=axis, mode=mode)

    # floor division is piecewise constant (a constant); the remainder is differentiable.
    def __floordiv__(self, other): return anp.floor_divide(self, other)
    def __rfloordiv__(self, other): return anp.floor_divide(other, self)
    def __divmod__(self, other): return anp.floor_divide(self, other), anp.mod(self, other)
    def __rdivmod__(self, other): return anp.floor_divide(other, self), anp.mod(other, self)

    def __iter__(self):
        if not self.shape:
            raise TypeError("iteration over a 0-d array")
        return (anp.getitem(self, i) for i in range(self.shape[0]))

    @property
    def flat(self):
        """The entries in C order, as a traced 1-d array (read-only, unlike ndarray.flat)."""
        return anp.ravel(self)

    @property
    def itemsize(self): return self.dtype.itemsize

    @property
    def nbytes(self): return self.size * self.dtype.itemsize

    def view(self, dtype=None, type=None):
        if dtype is None and type is None:
            return self
        raise TracingError("x.view(dtype) reinterprets the bytes of a traced value, which has no derivative; "
                           "use x.astype(dtype) to convert the values.")

    def _in_place(self, *args, **kwargs):
        raise TracingError(
            "This method changes a traced array in place (x.sort(), x.fill(v), x.put(...), ...), which "
            "cannot be differentiated; use the function that returns a new array: np.sort(x), "
            "np.full_like(x, v), np.where(mask, v, x)."
        )

    sort = fill = put = itemset = resize = partition = setfield = _in_place


for _t in (float, _np.float64, _np.float32, _np.float16, _np.longdouble, _np.ndarray,
           complex, _np.complex128, _np.complex64, _np.clongdouble):
    ArrayBox.register(_t)
