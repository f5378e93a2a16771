"""Differentiating through a fixed-point iteration (``autograd.misc.fixed_points``).

``fixed_point(f, a, x0, distance, tol)`` iterates x ← f(a)(x) from ``x0`` until
``distance(x, x_prev) ≤ tol`` and returns x*.  Its derivative with respect to
``a`` does not unroll the iterations; it uses the implicit function theorem at
x* = f(a)(x*):

* reverse mode: ā = (∂f/∂a)ᵀ w, where w solves w = ḡ + (∂f/∂x)ᵀ w, itself
  found by iterating w ← ḡ + (∂f/∂x)ᵀ w (one VJP of f per step);
* forward mode: ẋ* solves ẋ* = (∂f/∂a) ȧ + (∂f/∂x) ẋ*, iterated the same way.

Both adjoint iterations converge when the forward one does near x* (f(a) is a
contraction there: the spectral radius of ∂f/∂x is below 1), and they stop on
the same ``distance``/``tol``.  ``x0``, ``distance`` and ``tol`` carry no
derivative.
"""

from __future__ import annotations

from typing import Any, Callable

from ravine.autodiff.core import defjvp, defvjp, make_jvp, make_vjp, vspace
from ravine.autodiff.tracer import extension_primitive, read_value
from ravine.errors import DivergenceError

__all__ = ["fixed_point"]

MAX_ITERATIONS = 100_000


def _iterate(step: Callable, x0: Any, distance: Callable, tol: float, what: str) -> Any:
    x_prev, x = x0, step(x0)
    iterations = 1
    # The stopping rule sees raw values: it decides when to stop and is not differentiated
    # (read_value: a replaying trace must know that the number of steps depends on values).
    while distance(read_value(x), read_value(x_prev)) > tol:
        if iterations >= MAX_ITERATIONS:
            raise DivergenceError(
                f"fixed_point: the {what} iteration did not reach distance ≤ {tol} in {MAX_ITERATIONS} "
                "steps. Check that f(a) is a contraction near the fixed point, or loosen tol."
            )
        x_prev, x = x, step(x)
        iterations += 1
    return x


@extension_primitive  # ``a`` may be a container of parameters
def fixed_point(f: Callable, a: Any, x0: Any, distance: Callable, tol: float) -> Any:
    """x* with x* = f(a)(x*), by iterating from ``x0`` until ``distance(x, x_prev) ≤ tol``."""
    return _iterate(f(a), x0, distance, tol, "forward")


def _fixed_point_vjp(ans: Any, f: Callable, a: Any, x0: Any, distance: Callable, tol: float) -> Callable:
    vjp_x, _ = make_vjp(f(a), ans)  # w ↦ (∂f/∂x)ᵀ w at x*
    vjp_a, _ = make_vjp(lambda a: f(a)(ans), a)  # w ↦ (∂f/∂a)ᵀ w at x*

    def vjp(g: Any) -> Any:
        space = vspace(ans)
        w = _iterate(lambda w: space.add(g, vjp_x(w)), space.zeros(), distance, tol, "adjoint")
        return vjp_a(w)

    return vjp


def _fixed_point_jvp(g: Any, ans: Any, f: Callable, a: Any, x0: Any, distance: Callable, tol: float) -> Any:
    _, from_a = make_jvp(lambda a: f(a)(ans), a)(g)  # (∂f/∂a) ȧ at x*
    space = vspace(ans)
    return _iterate(lambda t: space.add(from_a, make_jvp(f(a), ans)(t)[1]), space.zeros(), distance, tol,
                    "tangent")


defvjp(fixed_point, None, _fixed_point_vjp, None, None, None)
defjvp(fixed_point, None, _fixed_point_jvp, None, None, None)
