"""One-line derivative tests for wrapped primitives.

``sweep(fun, [choices for arg 0], [choices for arg 1], ..., axis=[None, 0])``
returns one :class:`Case` per combination of argument and keyword choices;
``run_case(case)`` checks forward and reverse mode, to second order, against
central finite differences (``ravine.test_util.check_grads``) with respect to
every argument listed in ``argnums`` (by default every float argument).

Each case remembers which primitives it exercises (``covers``), so a test can
check that every name in ``ravine.numpy.wrapper.DIFFERENTIABLE`` is covered.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any, Callable

import numpy

from ravine.test_util import check_grads

_rng = numpy.random.default_rng(1234)


def R(*shape: int, low: float | None = None, dtype=float) -> numpy.ndarray:
    """A random float array of ``shape`` (a 0-d array for no shape); with ``low``,
    uniform in [low, low + 1) instead of standard normal."""
    if low is None:
        x = _rng.standard_normal(shape)
    else:
        x = low + _rng.random(shape)
    return numpy.asarray(x, dtype=dtype)


def C(*shape: int) -> numpy.ndarray:
    """A random complex array."""
    return R(*shape) + 1j * R(*shape)


def P(*shape: int) -> numpy.ndarray:
    """A random array with entries in [0.5, 1.5): safe for log, sqrt, division."""
    return R(*shape, low=0.5)


def U(*shape: int, low: float = -0.9, high: float = 0.9) -> numpy.ndarray:
    """Uniform entries in [low, high): inside the domain of arcsin, arctanh, ..."""
    return low + (high - low) * _rng.random(shape)


def S(*shape: int) -> numpy.ndarray:
    """A random symmetric positive-definite matrix (stack) of shape (..., n, n)."""
    A = R(*shape)
    return A @ numpy.swapaxes(A, -1, -2) + shape[-1] * numpy.eye(shape[-1])


@dataclass
class Case:
    fun: Callable
    args: tuple
    kwargs: dict
    argnums: tuple[int, ...]
    covers: tuple[str, ...]
    modes: tuple[str, ...] = ("fwd", "rev")
    order: int = 2
    tol: dict = field(default_factory=dict)

    @property
    def id(self) -> str:
        shapes = ",".join("x".join(map(str, numpy.shape(a))) or "0d" if _is_array(a) else repr(a)[:12]
                          for a in self.args)
        kw = ",".join(f"{k}={v!r}" for k, v in self.kwargs.items())
        return f"{'+'.join(self.covers)}({shapes}{';' + kw if kw else ''})"


def _is_array(a: Any) -> bool:
    return isinstance(a, (numpy.ndarray, float, complex, numpy.floating, numpy.complexfloating))


def _is_float(a: Any) -> bool:
    return _is_array(a) and numpy.result_type(a).kind in "fc"


def sweep(fun: Callable, *arg_choices: list, argnums: tuple[int, ...] | None = None,
          covers: tuple[str, ...] | None = None, modes=("fwd", "rev"), order: int = 2,
          tol: dict | None = None, **kwarg_choices: list) -> list[Case]:
    """Every combination of the argument and keyword choices, as cases."""
    names = covers or _names_of(fun)
    keys = list(kwarg_choices)
    cases = []
    for args in itertools.product(*arg_choices):
        for values in itertools.product(*[kwarg_choices[k] for k in keys]):
            nums = argnums if argnums is not None else tuple(i for i, a in enumerate(args) if _is_float(a))
            cases.append(Case(fun, tuple(args), dict(zip(keys, values)), nums, tuple(names),
                              tuple(modes), order, dict(tol or {})))
    return cases


def _names_of(fun: Callable) -> tuple[str, ...]:
    """The names under which ``fun`` is listed in ravine.numpy.wrapper (else its __name__)."""
    from ravine.numpy import wrapper

    names = tuple(n for n in wrapper.DIFFERENTIABLE + wrapper.COMPOSED if getattr(wrapper, n, None) is fun)
    return names or (getattr(fun, "__name__", "fun"),)


def run_case(case: Case) -> None:
    """Check the derivatives of ``case.fun`` with respect to each argument."""
    for argnum in case.argnums:
        check_grads(case.fun, argnum, modes=case.modes, order=case.order, **case.tol)(*case.args, **case.kwargs)


def ids(cases: list[Case]) -> list[str]:
    return [c.id for c in cases]


def covered(*case_lists: list[Case]) -> set[str]:
    return {name for cases in case_lists for case in cases for name in case.covers}
