"""The optimiser protocol: ``init(params) -> state`` and
``update(grads, state, params, **extra) -> (updates, state)``.

An optimiser (or any piece of one: clipping, weight decay, averaging) is a
:class:`GradientTransformation`, a pair of pure functions over immutable
state (NamedTuples of NumPy arrays and numbers), in the style of optax.  A
training step is::

    updates, state = opt.update(grads, state, params)
    params = apply_updates(params, updates)      # θ ← θ + u

``params``, ``grads`` and ``updates`` are any pytree (a flat vector for a test
function, a dict of arrays for a network).  Every built-in transformation does
its arithmetic on one flat float vector: :func:`vector_transformation` lifts a
pair of vector functions to pytrees with :func:`ravine.misc.flatten.flatten`
(no copy when the pytree already is a 1-D float array, which is what
:func:`chain` and :func:`ravine.optim.minimize` pass on).

Optimisers that need more than the gradient receive it through keyword
arguments of ``update``: ``loss_fn`` (the objective, a function of params;
line searches, Newton), ``residual_fn`` (residuals r(θ) with J = ∂r/∂θ;
Levenberg-Marquardt) and ``value`` (the loss at params; reduce-on-plateau).
Every transformation accepts and ignores the extras it does not use.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from numbers import Integral, Real
from typing import Any, NamedTuple

import numpy as _np

from ravine.autodiff.tracer import getval
from ravine.errors import ConfigError, ShapeError
from ravine.misc.flatten import flatten, tree_map, tree_structure_equal
from ravine.optim.guards import (
    check_chain_state,
    check_finite_gradient,
    check_params,
    check_state,
)

__all__ = [
    "EmptyState",
    "GradientTransformation",
    "apply_updates",
    "chain",
    "check_fraction",
    "check_int",
    "check_nonnegative",
    "check_positive",
    "find_states",
    "identity",
    "learning_rate",
    "to_vector",
    "vector_transformation",
]

Params = Any
State = Any


class GradientTransformation(NamedTuple):
    """``init(params) -> state``; ``update(grads, state, params=None, **extra) -> (updates, state)``."""

    init: Callable[[Params], State]
    update: Callable[..., tuple[Any, State]]


class EmptyState(NamedTuple):
    """State of a stateless transformation."""


# ---------------------------------------------------------------------------
# pytrees <-> flat vectors
# ---------------------------------------------------------------------------


def _identity(v: Any) -> Any:
    return v


def to_vector(tree: Any) -> tuple[_np.ndarray, Callable[[Any], Any]]:
    """``(vector, unflatten)`` for a pytree of plain arrays.

    A 1-D float array is returned as it is (``unflatten`` is the identity), so
    vectors pass through chains and the driver without copies.
    """
    if isinstance(tree, _np.ndarray) and tree.ndim == 1 and tree.dtype.kind == "f":
        return tree, _identity
    vector, unflatten = flatten(tree)
    vector = _np.asarray(getval(vector))
    if vector.dtype.kind != "f":
        vector = vector.astype(float)
    return vector, unflatten


def _vector_fn(fun: Callable | None, unflatten: Callable) -> Callable | None:
    """A function of the params pytree as a function of the flat vector."""
    if fun is None or unflatten is _identity:
        return fun
    return lambda v: fun(unflatten(v))


def _flat_inputs(grads: Any, params: Params, extra: dict) -> tuple[_np.ndarray, Callable, _np.ndarray | None]:
    """``(g, unflatten, x)`` as flat vectors; re-expresses the function extras in place."""
    g, unflatten = to_vector(grads)
    if params is None:
        return g, unflatten, None
    x, unflatten_params = to_vector(params)
    for key in ("loss_fn", "residual_fn"):
        if extra.get(key) is not None:
            extra[key] = _vector_fn(extra[key], unflatten_params)
    return g, unflatten, x


def vector_transformation(
    init_vec: Callable[[_np.ndarray], State],
    update_vec: Callable[..., tuple[_np.ndarray, State]],
    *,
    name: str = "transformation",
    needs_params: bool = False,
) -> GradientTransformation:
    """Lift vector functions ``init_vec(x)`` and ``update_vec(g, state, x, **extra)``
    to a :class:`GradientTransformation` over pytrees.

    ``x`` is ``None`` when the caller gives no params (a ConfigError when
    ``needs_params``).  ``loss_fn`` and ``residual_fn`` extras are re-expressed
    as functions of the flat vector.  Before ``update_vec`` runs, the inputs
    are checked (:mod:`ravine.optim.guards`, errors naming ``name``): g finite,
    θ of g's size, and the state of ``init_vec``'s type with arrays sized for g.
    """
    state_type = type(init_vec(_np.zeros(0)))

    def init(params: Params) -> State:
        return init_vec(to_vector(params)[0])

    def update(grads: Any, state: State, params: Params = None, **extra: Any) -> tuple[Any, State]:
        g, unflatten, x = _flat_inputs(grads, params, extra)
        check_params(name, g, x, needs_params)
        check_state(name, state, state_type, g.size)
        check_finite_gradient(name, g)
        updates, new_state = update_vec(g, state, x, **extra)
        return unflatten(updates), new_state

    return GradientTransformation(init, update)


def identity() -> GradientTransformation:
    """The transformation that changes nothing (u = g)."""
    return GradientTransformation(lambda params: EmptyState(), lambda g, s, params=None, **extra: (g, s))


def chain(*transforms: GradientTransformation) -> GradientTransformation:
    """Compose transformations left to right: the updates of one are the input
    of the next; the state is the tuple of the members' states.

    Typical order: ``chain(clip_by_norm(h), momentum(0.1, 0.9), ema_average(100))``.
    """
    for i, t in enumerate(transforms):
        if not isinstance(t, GradientTransformation):
            raise ConfigError(
                f"chain() argument {i} is a {type(t).__name__}, not a GradientTransformation; "
                "pass optimisers and transforms such as ravine.optim.momentum(lr=0.1)."
            )

    def init(params: Params) -> tuple:
        x = to_vector(params)[0]
        return tuple(t.init(x) for t in transforms)

    def update(grads: Any, state: tuple, params: Params = None, **extra: Any) -> tuple[Any, tuple]:
        check_chain_state(len(transforms), state)
        u, unflatten, x = _flat_inputs(grads, params, extra)
        new_states = []
        for t, s in zip(transforms, state):
            u, s = t.update(u, s, x, **extra)
            new_states.append(s)
        return unflatten(u), tuple(new_states)

    return GradientTransformation(init, update)


def apply_updates(params: Params, updates: Any) -> Params:
    """θ ← θ + u, leaf by leaf (updates already carry the minus sign of descent).

    A floating-point leaf keeps its dtype, as in optax: float32 parameters stay
    float32 even where the optimiser worked in float64 (BFGS's H, Newton's
    Hessian).  Integer leaves become float64 (θ + u truncated to integers would
    be a different step).  ``updates`` must have the structure and shapes of
    ``params`` (else ShapeError: NumPy would broadcast a (1,) θ over a (5,) u).
    """
    if isinstance(params, _np.ndarray) and isinstance(updates, _np.ndarray):
        return _add_leaf(params, updates)
    if not tree_structure_equal(params, updates):
        raise ShapeError(
            f"apply_updates: the updates ({type(updates).__name__}) do not have the structure and shapes of "
            f"the params ({type(params).__name__}); pass update() the gradient as the same pytree as the params."
        )
    return tree_map(_add_leaf, params, updates)


def _add_leaf(p: Any, u: Any) -> _np.ndarray:
    p, u = _np.asarray(p), _np.asarray(u)
    if p.shape != u.shape:
        raise ShapeError(f"apply_updates: a parameter of shape {p.shape} received an update of shape {u.shape}; "
                         "pass update() the gradient with the shapes of the params.")
    out = p + u
    return out.astype(p.dtype) if p.dtype.kind in "fc" and out.dtype != p.dtype else out


def find_states(state: State, state_type: type) -> list:
    """Every sub-state of type ``state_type`` inside a (chained) state, outermost first."""
    found, stack = [], [state]
    while stack:
        s = stack.pop()
        if isinstance(s, state_type):
            found.append(s)
        elif isinstance(s, tuple):
            stack.extend(reversed(s))
    return found


def learning_rate(schedule: Callable[[int], float], count: int, extra: dict) -> float:
    """α_k = schedule(k) × ``extra["lr_scale"]`` (the factor reduce-on-plateau has reached, default 1)."""
    return schedule(count) * float(extra.get("lr_scale", 1.0))


# ---------------------------------------------------------------------------
# hyper-parameter validation (errors name the owner, the argument and the value)
# ---------------------------------------------------------------------------


def _is_number(value: Any) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool) and math.isfinite(float(value))


def check_positive(owner: str, name: str, value: Any) -> float:
    """A finite number > 0, else ConfigError."""
    if not _is_number(value) or float(value) <= 0:
        raise ConfigError(f"{owner}: {name} must be a finite number > 0; received {value!r}.")
    return float(value)


def check_nonnegative(owner: str, name: str, value: Any) -> float:
    """A finite number ≥ 0, else ConfigError."""
    if not _is_number(value) or float(value) < 0:
        raise ConfigError(f"{owner}: {name} must be a finite number ≥ 0; received {value!r}.")
    return float(value)


def check_fraction(owner: str, name: str, value: Any, *, low_open: bool = False, high_open: bool = True) -> float:
    """A number in [0, 1) by default (``low_open`` excludes 0, ``high_open`` excludes 1)."""
    ok = _is_number(value)
    if ok:
        v = float(value)
        ok = (v > 0 if low_open else v >= 0) and (v < 1 if high_open else v <= 1)
    if not ok:
        interval = ("(" if low_open else "[") + "0, 1" + (")" if high_open else "]")
        raise ConfigError(f"{owner}: {name} must be a number in {interval}; received {value!r}.")
    return float(value)


def check_int(owner: str, name: str, value: Any, minimum: int = 0) -> int:
    """An integer ≥ ``minimum``, else ConfigError."""
    if not isinstance(value, Integral) or isinstance(value, bool) or int(value) < minimum:
        raise ConfigError(f"{owner}: {name} must be an integer ≥ {minimum}; received {value!r}.")
    return int(value)
