"""Checking derivatives against finite differences, shipped for users.

``check_grads(fun, modes=("fwd", "rev"), order=2)(*args)`` picks random
directions v (input) and u (output) and checks

* forward mode: J v against the central difference (f(x + εv) − f(x − εv)) / 2ε;
* reverse mode: ⟨u, J v⟩ (by finite differences) against ⟨uᵀJ, v⟩ from the VJP;

then, for ``order`` > 1, applies the same checks to the functions (x, v) ↦ J(x) v
and (x, u) ↦ uᵀJ(x), so second derivatives (grad of grad) are checked too, and
so are the derivative rules of the derivative rules (the direction is an input).  Inputs and
outputs may be pytrees.
"""

from __future__ import annotations

import itertools
from typing import Any, Callable, Sequence

import numpy as _np

from ravine.autodiff import core
from ravine.autodiff.tracer import getval
from ravine.differential_operators import unary_to_nary
from ravine.misc.flatten import flatten, tree_map

__all__ = ["check_grads", "combo_check", "check_equivalent", "scalar_close", "GradientCheckError",
           "numerical_jvp"]

EPS = 1e-6
RTOL = 1e-5
ATOL = 1e-6


class GradientCheckError(AssertionError):
    """A derivative disagreed with finite differences."""


def _as_float_vector(tree: Any) -> tuple[_np.ndarray, Callable]:
    vec, unflatten = flatten(tree)
    return _np.asarray(getval(vec)), unflatten


def numerical_jvp(fun: Callable, x: Any, v: Any, eps: float = EPS) -> _np.ndarray:
    """Central-difference directional derivative of ``fun`` at ``x`` along ``v``,
    flattened.  ``x`` moves leaf by leaf, so a real leaf stays real when other
    leaves are complex."""
    f_plus, _ = _as_float_vector(fun(tree_map(lambda a, b: a + eps * b, x, v)))
    f_minus, _ = _as_float_vector(fun(tree_map(lambda a, b: a - eps * b, x, v)))
    return (f_plus - f_minus) / (2 * eps)


def _close(a, b, rtol, atol) -> bool:
    return bool(_np.allclose(a, b, rtol=rtol, atol=atol))


def _random_like(tree: Any, rng: _np.random.Generator) -> Any:
    """A random direction with ``tree``'s structure: real leaves get real
    directions (of their float dtype), complex leaves complex ones."""

    def random_leaf(leaf: Any) -> _np.ndarray:
        value = _np.asarray(getval(leaf))
        if _np.iscomplexobj(value):
            return rng.standard_normal(value.shape) + 1j * rng.standard_normal(value.shape)
        return rng.standard_normal(value.shape).astype(value.dtype if value.dtype.kind == "f" else float)

    return tree_map(random_leaf, tree)


def _check_jvp(fun, x, v, name, rtol, atol):
    _, jv = core.make_jvp(fun, x)(v)
    jv_vec, _ = _as_float_vector(jv)
    expected = numerical_jvp(fun, x, v)
    if not _close(jv_vec, expected, rtol, atol):
        raise GradientCheckError(
            f"(JVP) check of {name} failed: the forward-mode derivative disagrees with finite "
            "differences:\n"
            f"  JVP:                {jv_vec}\n  finite differences: {expected}"
        )


def _check_vjp(fun, x, v, u, name, rtol, atol):
    # Complex values follow autograd's convention: the VJP of a holomorphic f maps
    # ḡ to f'(z) ḡ, so Re Σ VJP(conj u)·v must equal Re Σ conj(u)·Jv (for real
    # values both are the ordinary <VJP(u), v> = <u, Jv>).
    vjp, _ = core.make_vjp(fun, x)
    u_vec, unflatten_u = _as_float_vector(u)
    v_vec, _ = _as_float_vector(v)
    vjp_vec, _ = _as_float_vector(vjp(unflatten_u(_np.conj(u_vec))))
    analytic = _np.real(_np.sum(vjp_vec * v_vec))
    numeric = _np.real(_np.vdot(u_vec, numerical_jvp(fun, x, v)))
    if not _close(analytic, numeric, rtol, atol):
        raise GradientCheckError(
            f"(VJP) check of {name} failed: the reverse-mode derivative disagrees with finite "
            "differences: "
            f"<VJP(u), v> = {analytic!r} but <u, (f(x+εv) - f(x-εv))/2ε> = {numeric!r}."
        )


def _check(fun, x, modes, order, rng, name, rtol, atol):
    v = _random_like(x, rng)
    y = fun(x)
    u = _random_like(y, rng)
    # Higher orders differentiate the JVP and the VJP as functions of the point and of
    # the direction together: the derivative in the direction is the JVP's (VJP's)
    # own derivative rule, which a function of the point alone never exercises
    # (x ↦ uᵀJ is constant for a linear fun, however wrong its VJP's VJP).
    if "fwd" in modes:
        _check_jvp(fun, x, v, name, rtol, atol)
        if order > 1:
            _check(lambda xv: core.make_jvp(fun, xv[0])(xv[1])[1], (x, v), modes, order - 1, rng,
                   f"jvp_{name}", rtol, atol)
    if "rev" in modes:
        _check_vjp(fun, x, v, u, name, rtol, atol)
        if order > 1:
            _check(lambda xu: core.make_vjp(fun, xu[0])[0](xu[1]), (x, u), modes, order - 1, rng,
                   f"vjp_{name}", rtol, atol)


@unary_to_nary
def check_grads(fun: Callable, x: Any, modes: Sequence[str] = ("fwd", "rev"), order: int = 2,
                rtol: float = RTOL, atol: float = ATOL, seed: int = 0) -> None:
    """Raise :class:`GradientCheckError` unless ``fun``'s derivatives, up to
    ``order``, match central finite differences along random directions.

    Use as ``check_grads(f, modes=("rev",), order=2)(x)``; ``argnum`` selects the
    argument as in :func:`ravine.grad`.
    """
    for mode in modes:
        if mode not in ("fwd", "rev"):
            raise ValueError(f"modes must contain only 'fwd' and 'rev'; received {mode!r}.")
    rng = _np.random.default_rng(seed)
    _check(fun, x, tuple(modes), order, rng, getattr(fun, "__name__", "fun"), rtol, atol)


def scalar_close(a: Any, b: Any, rtol: float = RTOL, atol: float = ATOL) -> bool:
    """|a − b| ≤ atol, or |a − b| / |a + b| ≤ rtol (autograd's test for two scalars)."""
    diff = abs(a - b)
    return bool(diff < atol or diff / abs(a + b) < rtol)


def check_equivalent(x: Any, y: Any, rtol: float = RTOL, atol: float = ATOL) -> None:
    """Raise :class:`GradientCheckError` unless the pytrees ``x`` and ``y`` have the same
    structure, shapes and dtype kind and ⟨x, v⟩ ≈ ⟨y, v⟩ for a random direction v."""
    x_vec, _ = _as_float_vector(x)
    y_vec, _ = _as_float_vector(y)
    if x_vec.shape != y_vec.shape or _np.iscomplexobj(x_vec) != _np.iscomplexobj(y_vec):
        raise GradientCheckError(f"Values live in different spaces:\n  x: {x!r}\n  y: {y!r}")
    v = _random_like(x_vec, _np.random.default_rng(0))
    if not scalar_close(_np.real(_np.vdot(v, x_vec)), _np.real(_np.vdot(v, y_vec)), rtol, atol):
        raise GradientCheckError(f"Values differ:\n  x: {x!r}\n  y: {y!r}")


def combo_check(fun: Callable, *check_args: Any, **check_kwargs: Any) -> Callable[..., None]:
    """``combo_check(fun, argnum, modes=...)(arg_choices_0, ..., kw=[choices])`` runs
    :func:`check_grads` on every combination of the argument and keyword choices."""

    def run(*arg_choices: Sequence[Any], **kwarg_choices: Sequence[Any]) -> None:
        keyword_pairs = [[(key, value) for value in values] for key, values in kwarg_choices.items()]
        for args in itertools.product(*arg_choices):
            for kwargs in itertools.product(*keyword_pairs):
                check_grads(fun, *check_args, **check_kwargs)(*args, **dict(kwargs))

    return run
