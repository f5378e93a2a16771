"""SciPy's own functions, reached through ``ravine.scipy.special`` or
``ravine.scipy.linalg`` when ravine has no derivative rule for them.

They work on plain arrays.  On a traced value they would drop the derivative
(SciPy converts its inputs to plain arrays), so they raise a
:class:`~ravine.errors.NotDifferentiableError` that names the function and the
differentiable ones that sit beside it.
"""

from __future__ import annotations

import functools
import sys
import types
from typing import Any

import numpy as _np

from ravine.autodiff.tracer import isbox
from ravine.errors import NotDifferentiableError

_FUNCTION_TYPES = (types.FunctionType, types.BuiltinFunctionType, types.MethodType, _np.ufunc)


def plain_only(module: str, scipy_module: types.ModuleType, name: str, differentiable: list[str]) -> Any:
    """``scipy_module.<name>``, refusing traced arguments (classes and constants pass as they are)."""
    try:
        found = getattr(scipy_module, name)
    except AttributeError:
        raise AttributeError(f"module {module!r} has no attribute {name!r}") from None
    if not isinstance(found, _FUNCTION_TYPES):
        return found

    @functools.wraps(found)
    def refuse_traced(*args, **kwargs):
        if any(isbox(a) for a in args) or any(isbox(v) for v in kwargs.values()):
            raise NotDifferentiableError(
                f"{module}.{name} is SciPy's own function: ravine has no derivative rule for it, and SciPy "
                f"would drop the trace. Differentiable functions in {module}: {', '.join(sorted(differentiable))}. "
                "Write the computation with those or with ravine.numpy, or register a rule with "
                "ravine.extend.primitive and defvjp.")
        return found(*args, **kwargs)

    return refuse_traced


def distribution_fallback(module: str, distribution: Any):
    """A module ``__getattr__`` for ``ravine.scipy.stats.<name>``: the methods of SciPy's
    distribution object that ravine does not differentiate (``ppf``, ``rvs``, ``mean``,
    ``entropy``...) on plain arrays, refusing traced ones."""

    def module_getattr(name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        namespace = sys.modules[module].__dict__
        differentiable = [n for n, v in namespace.items()
                          if not n.startswith("_") and isinstance(v, types.FunctionType) and v.__module__ == module]
        return plain_only(module, distribution, name, differentiable)

    return module_getattr


def refuse_traced_parameter(function: str, parameter: str, value: Any, differentiable_in: str) -> None:
    """Raise if ``value`` is traced: ``function`` has no derivative in ``parameter``,
    and holding it constant would give a silently wrong derivative."""
    if isbox(value):
        raise NotDifferentiableError(
            f"{function} has no derivative in its shape parameter {parameter} (the regularised incomplete "
            f"gamma and beta functions have no closed-form derivative in their first arguments); it is "
            f"differentiable in {differentiable_in}. Pass ravine.getval({parameter}) to hold {parameter} "
            f"constant, or fit {parameter} through the log-density (logpdf is differentiable in it)."
        )

