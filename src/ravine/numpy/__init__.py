"""``import ravine.numpy as np``: NumPy whose functions can be differentiated.

Where each function lives:

* :mod:`~ravine.numpy.wrapper` — the primitives (``DIFFERENTIABLE``), the constants
  (``CONSTANT``: comparisons, argmax, rounding, shapes) and the functions composed from them;
  :mod:`~ravine.numpy.reduction_options` and :mod:`~ravine.numpy.keyword_forms` — the same
  reductions and ``clip`` with every NumPy keyword (``where=``, ``initial=``, ``min=``...);
* :mod:`~ravine.numpy.array_api` — NumPy 2's spellings (``acos``, ``pow``, ``concat``...), the
  same functions; :mod:`~ravine.numpy.gufuncs` — ``matrix_transpose``, ``vecdot``, ``matvec``,
  ``vecmat``; :mod:`~ravine.numpy.index_tricks` — ``r_``, ``c_``;
  :mod:`~ravine.numpy.finite_differences` — ``gradient``;
* :mod:`~ravine.numpy.statistics` — quantiles, NaN-ignoring reductions, ``cov``, histograms;
  :mod:`~ravine.numpy.polynomials`, :mod:`~ravine.numpy.signals` (convolve, interp, ...),
  :mod:`~ravine.numpy.windows` (``i0``, window functions);
* :mod:`~ravine.numpy.selection` (insert, choose, piecewise, ...),
  :mod:`~ravine.numpy.elementwise_extra` (copysign, ldexp, ...), :mod:`~ravine.numpy.sets`
  and :mod:`~ravine.numpy.writers` (which refuse traced values, with the differentiable form);
* :mod:`~ravine.numpy.linalg`, :mod:`~ravine.numpy.fft` — the submodules;
  :mod:`~ravine.numpy.ufunc_methods` — ``np.add.outer``, ``np.logaddexp.reduce``, ...

What is left is NumPy's own object, passed through unchanged: dtypes, constants such as
``np.pi``, and the functions listed with their reasons in
:data:`ravine.numpy.numpy_own.NUMPY_OWN` (files, print settings, dates, ...);
``ravine.numpy.random`` is ``numpy.random``.
"""

import sys as _sys

import numpy as _numpy
from numpy import random

# `import ravine.numpy.random as npr` (autograd's spelling) gives numpy.random itself.
_sys.modules[__name__ + ".random"] = random

from ravine.numpy.wrapper import *  # noqa: F401,F403  (the explicit list lives in wrapper.__all__)
from ravine.numpy.reduction_options import *  # noqa: F401,F403  (sum, mean, ... with where=, initial=, ...)
from ravine.numpy.keyword_forms import atleast_1d, atleast_2d, atleast_3d, clip, nan_to_num, pad  # noqa: F401  (clip(min=, max=); pad by statistic or ramp; atleast_nd of several arrays)
from ravine.numpy import wrapper as _wrapper, index_tricks as _index_tricks, finite_differences as _differences
from ravine.numpy.index_tricks import c_, r_  # noqa: F401  (composed from wrapped functions, like gradient)
from ravine.numpy.finite_differences import gradient  # noqa: F401
from ravine.numpy import gufuncs as _gufuncs
from ravine.numpy.gufuncs import matrix_transpose, matvec, vecdot, vecmat  # noqa: F401
from ravine.numpy import statistics as _statistics
from ravine.numpy.statistics import *  # quantiles, nan-reductions, cov, histograms (the list: statistics.__all__)
from ravine.numpy import array_api as _array_api, selection as _selection, sets as _sets
from ravine.numpy import elementwise_extra as _elementwise_extra, writers as _writers
from ravine.numpy.array_api import *  # NumPy 2 spellings: the very same functions
from ravine.numpy.selection import *
from ravine.numpy.sets import *
from ravine.numpy.elementwise_extra import *
from ravine.numpy.writers import *  # in-place writers: refuse traced values
from ravine.numpy import boxes, vspaces, vjps, jvps  # noqa: F401  (register boxes and rules)
from ravine.numpy import rules_shapes, rules_products, rules_reductions  # noqa: F401
from ravine.numpy import fft, linalg  # noqa: F401  (shadow numpy.fft and numpy.linalg: derivatives included)
from ravine.numpy import polynomials as _polynomials, signals as _signals, windows as _windows
from ravine.numpy.polynomials import *  # (poly, polyfit, roots, vander, ...)
from ravine.numpy.signals import *  # (convolve, correlate, interp, trapezoid, unwrap, ediff1d)
from ravine.numpy.windows import *  # (i0 and the window functions)
from ravine.numpy import fast_vjps, fast_jvps, dual_vjps  # noqa: F401  (after every defvjp/defjvp: shortcuts)
from ravine.numpy.boxes import ArrayBox  # noqa: F401
from ravine.numpy.elementwise_loops import ndenumerate, vectorize  # noqa: F401  (Python loops over entries)
from ravine.numpy.ufunc_methods import attach_ufunc_methods as _attach_ufunc_methods

_attach_ufunc_methods(_sys.modules[__name__])  # np.add.reduce, np.maximum.accumulate, np.add.at, ...

_wrapped = (_wrapper.__all__ + _index_tricks.__all__ + _differences.__all__ + _array_api.__all__
            + _selection.__all__ + _sets.__all__ + _elementwise_extra.__all__ + _writers.__all__
            + _statistics.__all__ + _gufuncs.__all__
            + _polynomials.__all__ + _signals.__all__ + _windows.__all__)


def __getattr__(name):
    try:
        return getattr(_numpy, name)
    except AttributeError:
        raise AttributeError(f"module 'ravine.numpy' has no attribute {name!r} (nor has numpy)") from None


def __dir__():
    return sorted(set(_wrapped) | set(dir(_numpy)))
