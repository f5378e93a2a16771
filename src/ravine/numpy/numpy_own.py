"""NumPy's functions that ravine.numpy passes through unchanged, and why.

Every other public function of ``numpy``, ``numpy.linalg`` and ``numpy.fft`` has a
ravine version: differentiable, a constant (integer, boolean or shape-valued), or a
refusal that explains itself.  ``tests/numpy/test_numpy_namespace_coverage.py`` checks
that the two together cover NumPy.  The functions here take no array whose values could
carry a derivative (files, print and error settings, dtypes, dates, the ``np.matrix``
class), so NumPy's own function is the right one; given a traced value, they raise a
:class:`~ravine.errors.TracingError` that says ravine has no differentiable version.
"""

from __future__ import annotations

__all__ = ["NUMPY_OWN"]

_REASONS = {
    "files and buffers": """load save savez savez_compressed loadtxt savetxt genfromtxt fromfile frombuffer
        fromstring fromregex fromiter from_dlpack""",
    "print and error settings": """format_float_positional format_float_scientific get_printoptions
        set_printoptions printoptions getbufsize setbufsize geterr seterr geterrcall seterrcall base_repr
        binary_repr""",
    "dtypes and shapes": "mintypecode promote_types isdtype issubdtype typename broadcast_shapes iterable",
    "dates and times": "busday_count busday_offset is_busday datetime_as_string datetime_data isnat",
    "the np.matrix class, which ravine does not trace": "asmatrix bmat",
    "bit packing of integer arrays": "packbits unpackbits",
    "building arrays by calling Python functions (traced values inside them are traced)":
        "fromfunction frompyfunc nested_iters",
    "information about NumPy itself": "get_include info show_config show_runtime test",
}

# module ("numpy", "numpy.linalg", "numpy.fft") -> {name: why NumPy's own function is kept}
NUMPY_OWN: dict[str, dict[str, str]] = {
    "numpy": {name: reason for reason, names in _REASONS.items() for name in names.split()},
    "numpy.linalg": {"test": "information about NumPy itself"},
    "numpy.fft": {"test": "information about NumPy itself"},
}
