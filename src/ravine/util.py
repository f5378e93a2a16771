"""autograd's ``autograd.util`` names, for old code that imports them: small tuple
helpers, the identity ``func``, and the deprecated ``quick_grad_check`` (use
:func:`ravine.test_util.check_grads`)."""

from __future__ import annotations

import warnings
from typing import Any, Callable

from ravine.test_util import check_grads

__all__ = ["func", "quick_grad_check", "subval", "subvals"]


def subvals(x: tuple, ivs: Any) -> tuple:
    """``x`` with ``x[i] = v`` for each ``(i, v)`` in ``ivs``."""
    values = list(x)
    for i, v in ivs:
        values[i] = v
    return tuple(values)


def subval(x: tuple, i: int, v: Any) -> tuple:
    return subvals(x, [(i, v)])


def func(f: Callable) -> Callable:
    return f


def quick_grad_check(fun: Callable, arg0: Any, extra_args: tuple = (), kwargs: dict | None = None,
                     verbose: bool = True, eps: float = 1e-4, rtol: float = 1e-4, atol: float = 1e-6,
                     rs: Any = None) -> None:
    """Deprecated (as in autograd): check ``fun``'s reverse-mode derivative in its
    first argument against finite differences; raises GradientCheckError if wrong."""
    warnings.warn("quick_grad_check is deprecated; use ravine.test_util.check_grads(fun, modes=['rev'])(x).",
                  DeprecationWarning, stacklevel=2)
    kwargs = kwargs or {}
    check_grads(lambda x: fun(x, *extra_args, **kwargs), modes=("rev",), order=1)(arg0)
