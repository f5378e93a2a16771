"""Checking derivatives against finite differences, shipped for users.

``check_grads(fun, modes=("fwd", "rev"), order=2)(*args)`` picks random
directions v (input) and u (output) and checks

* forward mode: J v against the central difference (f(x + εv) − f(x − εv)) / 2ε;
* reverse mode: ⟨u, J v⟩ (by finite differences) against ⟨uᵀJ, v⟩ from the VJP;

then, for ``order`` > 1, applies the same checks to the functions x ↦ J(x) v and
x ↦ uᵀJ(x), so second derivatives (grad of grad) are checked too.  Inputs and
outputs may be pytrees.
"""

from __future__ import annotations

from typing import Any, Callable, Sequence

import numpy as _np

from ravine.autodiff import core
from ravine.autodiff.tracer import getval
from ravine.differential_operators import unary_to_nary
from ravine.misc.flatten import flatten

__all__ = ["check_grads", "GradientCheckError", "numerical_jvp"]

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
    flattened."""
    x_vec, unflatten = _as_float_vector(x)
    v_vec, _ = _as_float_vector(v)
    f_plus, _ = _as_float_vector(fun(unflatten(x_vec + eps * v_vec)))
    f_minus, _ = _as_float_vector(fun(unflatten(x_vec - eps * v_vec)))
    return (f_plus - f_minus) / (2 * eps)


def _close(a, b, rtol, atol) -> bool:
    return bool(_np.allclose(a, b, rtol=rtol, atol=atol))


def _random_like(tree: Any, rng: _np.random.Generator) -> Any:
    vec, unflatten = _as_float_vector(tree)
    if _np.iscomplexobj(vec):
        return unflatten(rng.standard_normal(vec.shape) + 1j * rng.standard_normal(vec.shape))
    return unflatten(rng.standard_normal(vec.shape).astype(vec.dtype if vec.dtype.kind == "f" else float))


def _check_jvp(fun, x, v, name, rtol, atol):
    _, jv = core.make_jvp(fun, x)(v)
    jv_vec, _ = _as_float_vector(jv)
    expected = numerical_jvp(fun, x, v)
    if not _close(jv_vec, expected, rtol, atol):
        raise GradientCheckError(
            f"Forward-mode derivative of {name} disagrees with finite differences:\n"
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
            f"Reverse-mode derivative of {name} disagrees with finite differences: "
            f"<VJP(u), v> = {analytic!r} but <u, (f(x+εv) - f(x-εv))/2ε> = {numeric!r}."
        )


def _check(fun, x, modes, order, rng, name, rtol, atol):
    v = _random_like(x, rng)
    y = fun(x)
    u = _random_like(y, rng)
    if "fwd" in modes:
        _check_jvp(fun, x, v, name, rtol, atol)
        if order > 1:
            _check(lambda x: core.make_jvp(fun, x)(v)[1], x, modes, order - 1, rng, f"JVP of {name}", rtol, atol)
    if "rev" in modes:
        _check_vjp(fun, x, v, u, name, rtol, atol)
        if order > 1:
            _check(lambda x: core.make_vjp(fun, x)[0](u), x, modes, order - 1, rng, f"VJP of {name}", rtol, atol)


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
