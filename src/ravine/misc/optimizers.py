"""autograd's loop-owning optimisers (``autograd.misc.optimizers``), for code
written for autograd.

Each runs ``num_iters`` steps and returns the final iterate; ``grad(x, i)``
receives the iterate and the step number, ``callback(x, i, g)`` (if given) is
called before each step with the gradient just computed.  ``x`` may be a pytree
(nested dicts, lists, tuples of arrays): it is flattened to one vector, updated,
and rebuilt.  The recurrences are autograd's, so the iterates are the same
numbers; note that they differ from the lectures' conventions that
:mod:`ravine.optim` follows (``sgd``'s momentum is damped by 1 − mass, RMSprop's
average starts at 1).  New code should prefer :mod:`ravine.optim`, whose
optimisers are ``init``/``update`` pairs that leave the loop to you and can be
checkpointed.
"""

from __future__ import annotations

from functools import wraps
from typing import Any, Callable

import numpy as _np

from ravine.misc.flatten import flatten

__all__ = ["sgd", "rmsprop", "adam", "unflatten_optimizer"]


def unflatten_optimizer(optimize: Callable) -> Callable:
    """Let ``optimize(grad, x, callback, ...)``, written for flat vectors, take and
    return a pytree ``x`` (``grad`` and ``callback`` then see the pytree too)."""

    @wraps(optimize)
    def on_pytrees(grad: Callable, x0: Any, callback: Callable | None = None, *args: Any, **kwargs: Any) -> Any:
        flat_x0, unflatten = flatten(x0)
        flat_grad = lambda x, i: flatten(grad(unflatten(x), i))[0]  # noqa: E731
        flat_callback = None
        if callback is not None:
            flat_callback = lambda x, i, g: callback(unflatten(x), i, unflatten(g))  # noqa: E731
        return unflatten(optimize(flat_grad, _np.asarray(flat_x0), flat_callback, *args, **kwargs))

    return on_pytrees


@unflatten_optimizer
def sgd(grad: Callable, x: Any, callback: Callable | None = None, num_iters: int = 200,
        step_size: float = 0.1, mass: float = 0.9) -> Any:
    """Gradient descent with damped momentum:
    v ← mass·v − (1 − mass)·g,  x ← x + step_size·v  (v₀ = 0)."""
    velocity = _np.zeros(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        velocity = mass * velocity - (1.0 - mass) * g
        x = x + step_size * velocity
    return x


@unflatten_optimizer
def rmsprop(grad: Callable, x: Any, callback: Callable | None = None, num_iters: int = 100,
            step_size: float = 0.1, gamma: float = 0.9, eps: float = 1e-8) -> Any:
    """RMSprop: r ← γ·r + (1 − γ)·g²,  x ← x − step_size·g/(√r + ε)  (r₀ = 1)."""
    avg_sq_grad = _np.ones(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        avg_sq_grad = avg_sq_grad * gamma + g**2 * (1 - gamma)
        x = x - step_size * g / (_np.sqrt(avg_sq_grad) + eps)
    return x


@unflatten_optimizer
def adam(grad: Callable, x: Any, callback: Callable | None = None, num_iters: int = 100,
         step_size: float = 0.001, b1: float = 0.9, b2: float = 0.999, eps: float = 1e-8) -> Any:
    """Adam: m ← b1·m + (1 − b1)·g,  v ← b2·v + (1 − b2)·g²,
    x ← x − step_size·m̂/(√v̂ + ε) with m̂ = m/(1 − b1ᵗ), v̂ = v/(1 − b2ᵗ), t = i + 1."""
    m = _np.zeros(len(x))
    v = _np.zeros(len(x))
    for i in range(num_iters):
        g = grad(x, i)
        if callback:
            callback(x, i, g)
        m = (1 - b1) * g + b1 * m
        v = (1 - b2) * (g**2) + b2 * v
        m_hat = m / (1 - b1 ** (i + 1))
        v_hat = v / (1 - b2 ** (i + 1))
        x = x - step_size * m_hat / (_np.sqrt(v_hat) + eps)
    return x
