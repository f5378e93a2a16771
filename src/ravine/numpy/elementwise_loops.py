"""Python loops over the entries of traced arrays: ``np.vectorize`` and ``np.ndenumerate``.

``vectorize(f)(x, y)`` calls f on each pair of broadcast entries.  On traced
arguments each call sees 0-d traced entries, and the results are stacked into an
array of the broadcast shape, so the derivative is f's own, entry by entry:
∂out[i]/∂x[i] = f′(x[i]), and zero across entries.  It is a loop of traced
operations (about as slow as that sounds: write f with ravine.numpy's array
functions where you can), but it gives the true derivative of code written for
scalars.  On plain arrays both are NumPy's own.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as _np

from ravine.autodiff.tracer import getval
from ravine.errors import NotDifferentiableError, TracingError
from ravine.numpy import wrapper as _w
from ravine.numpy.wrapper import _contains_box

__all__ = ["ndenumerate", "vectorize"]


class vectorize(_np.vectorize):
    """``numpy.vectorize``, differentiable on traced arguments (see the module)."""

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.pyfunc is _np._NoValue:  # @np.vectorize(otypes=...) used as a decorator
            return super().__call__(*args, **kwargs)
        if not _contains_box([*args, *kwargs.values()]):
            try:
                return super().__call__(*args, **kwargs)
            except TracingError:
                pass  # f closes over a traced value: run the loop below
        if self.signature is not None:
            raise NotDifferentiableError(
                "np.vectorize(..., signature=...) on traced values is not supported; call the function on "
                "slices in a loop and np.stack the results, or write it with ravine.numpy's array functions.")
        excluded = self.excluded
        positions = [i for i in range(len(args)) if i not in excluded]
        names = [k for k in kwargs if k not in excluded]
        arrays = [_w.asarray(args[i]) for i in positions] + [_w.asarray(kwargs[k]) for k in names]
        shape = _np.broadcast_shapes(*[_np.shape(getval(a)) for a in arrays])
        flat = [_w.ravel(_w.broadcast_to(a, shape)) for a in arrays]
        size = int(_np.prod(shape))
        if size == 0:
            raise NotDifferentiableError("np.vectorize of an empty traced array: there is no entry to call the "
                                         "function on; handle the empty case before the call.")
        results = []
        for index in range(size):
            call_args, call_kwargs = list(args), dict(kwargs)
            for slot, i in enumerate(positions):
                call_args[i] = flat[slot][index]
            for slot, k in enumerate(names):
                call_kwargs[k] = flat[len(positions) + slot][index]
            results.append(self.pyfunc(*call_args, **call_kwargs))
        outputs = list(zip(*results)) if isinstance(results[0], tuple) else [results]
        otypes = list(self.otypes) if self.otypes else []
        assembled = []
        for k, values in enumerate(outputs):
            out = _w.reshape(_w.stack([_w.asarray(v) for v in values]), shape)
            if k < len(otypes):
                out = _w.astype(out, otypes[k])
            assembled.append(out)
        return tuple(assembled) if isinstance(results[0], tuple) else assembled[0]


def ndenumerate(arr: Any) -> Iterator[tuple[tuple[int, ...], Any]]:
    """``numpy.ndenumerate``: (index, entry) pairs; the entries of a traced array are traced."""
    if not _contains_box([arr]):
        yield from _np.ndenumerate(arr)
        return
    arr = _w.asarray(arr)
    for index in _np.ndindex(*_np.shape(getval(arr))):
        yield index, arr[index]
