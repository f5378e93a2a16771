"""``numpy_unless_traced(numpy_function)``: a decorator for functions ravine writes
itself — when no argument holds a traced value, NumPy's own function answers (its exact
values, dtypes and errors); otherwise the decorated, traced implementation runs.

The decorated function keeps its own signature (``inspect.signature`` shows it), which
mirrors NumPy's, so keyword names and defaults are checked the same way in both paths.
"""

from __future__ import annotations

import functools

from ravine.numpy.wrapper import _contains_box

__all__ = ["is_traced", "numpy_unless_traced"]


def is_traced(*args) -> bool:
    """Whether any argument is a traced value or a (nested) list or tuple holding one."""
    return any(_contains_box(a) for a in args)


def numpy_unless_traced(numpy_function):
    def decorate(traced_function):
        @functools.wraps(traced_function)
        def dispatch(*args, **kwargs):
            if is_traced(*args, *kwargs.values()):
                return traced_function(*args, **kwargs)
            return numpy_function(*args, **kwargs)

        dispatch.numpy_function = numpy_function
        return dispatch

    return decorate
