"""``ravine.scipy.integrate.odeint``: ODE solutions differentiable in y0, t and the
parameters θ, by the adjoint method (reverse) and forward sensitivities (forward),
to any order.

For dy/dt = f(y, t, θ) observed at t_0, ..., t_N, with Φ(t_i) = ∂y(t_i)/∂y0:

* reverse, with cotangents ḡ_i: integrate backwards, from t_N to t_0, the
  augmented system
      dy/dt = f,   da/dt = −aᵀ ∂f/∂y,   dθ̄/dt = −aᵀ ∂f/∂θ,
  adding ḡ_i to the adjoint a at each t_i.  Then ȳ0 = a(t_0), θ̄ = θ̄(t_0),
  t̄_i = ḡ_iᵀ f(y_i, t_i) for i > 0 and t̄_0 = −(a(t_0) − ḡ_0)ᵀ f(y_0, t_0)
  (y(t_0) = y0 whatever t_0 is, so ḡ_0 takes no part in t̄_0).  y is
  re-integrated backwards, where a stiff system's decaying modes grow; where it
  ends more than 10³ tolerances (atol + rtol·|y|) from the forward y(t_{i−1}),
  the interval is halved, y at the midpoint taken from a forward solve, up to
  12 times before a NotDifferentiableError;
* forward, with tangents ẏ0, ṫ, θ̇: integrate alongside y the tangent
      dẏ/dt = ∂f/∂y ẏ + ∂f/∂θ θ̇,   ẏ(t_0) = ẏ0 − ṫ_0 f(y0, t_0)
  (moving t_0 forward by ṫ_0 shifts the whole solution by −ṫ_0 Φ f(y0, t_0));
  the tangent of the i-th sample is ẏ(t_i) + ṫ_i f(y_i, t_i).

Both rules are written with ravine itself: each augmented system is solved by
the same primitive, its right-hand side evaluates the VJP or JVP of f with
``make_vjp`` / ``make_jvp`` on whatever (possibly traced) values it receives,
and ḡ, y_i and θ stay traced.  So a derivative of a derivative (``grad`` of
``grad``, a Hessian-vector product) is the derivative of another ODE solution
and is computed the same way.  f must be written with ``ravine.numpy`` and be
differentiable to one order more than the derivative asked for.  Extra
arguments that are not float arrays (integers, flags, callables) are constants.

SciPy's Jacobian options (``Dfun``, ``col_deriv``, ``ml``, ``mu``) describe f's
Jacobian, so they serve the solve of y only: the augmented systems have other
Jacobians (an ``ml``/``mu`` band passed on to them made LSODA's stiff steps use a
wrong one), and LSODA estimates those itself.  ``tfirst=True`` (f(t, y, ...)) is
read once, here, by swapping f's first two arguments (and Dfun's).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as _np
import scipy.integrate as _si

from ravine.autodiff import core
from ravine.autodiff.core import defjvp_argnums, defvjp_argnums
from ravine.autodiff.pytrees import join_tree, split_tree
from ravine.autodiff.tracer import getval, primitive
from ravine.errors import NotDifferentiableError
from ravine.numpy import wrapper as anp

__all__ = ["odeint"]


_JACOBIAN_OPTIONS = ("Dfun", "col_deriv", "ml", "mu")


def odeint(func: Callable, y0: Any, t: Any, args: tuple = (), **kwargs: Any) -> Any:
    """Like ``scipy.integrate.odeint(func, y0, t, args)``: y at each time in t,
    shape ``(len(t),) + y0.shape``; ``kwargs`` (rtol, atol, tfirst, ...) go to SciPy.
    ``Dfun(y, t, *args)`` receives y shaped like y0 and returns the Jacobian of the
    flattened system."""
    if not isinstance(args, (tuple, list)):
        raise TypeError(f"odeint: args must be a tuple of extra arguments for func; received "
                        f"{type(args).__name__}. Write args=(k,) for a single argument.")
    if kwargs.get("full_output"):
        raise ValueError("odeint: full_output=True is not supported (the output must be the solution array); "
                         "call scipy.integrate.odeint on plain arrays for its information dict.")
    if kwargs.pop("tfirst", False):
        func = _swap_first_two(func)
        if kwargs.get("Dfun") is not None:
            kwargs["Dfun"] = _swap_first_two(kwargs["Dfun"])
    structure, leaves = split_tree(tuple(args))
    if all(type(a) not in (tuple, list, dict) for a in args):
        return _odeint(func, kwargs, y0, t, *args)
    # Containers among the extra arguments (a network's list of (W, b) pairs) are traced
    # leaf by leaf: the primitive receives the leaves, func the containers rebuilt.
    def rebuilt(f):
        return lambda y, s, *flat: f(y, s, *join_tree(structure, flat))

    if kwargs.get("Dfun") is not None:
        kwargs["Dfun"] = rebuilt(kwargs["Dfun"])
    return _odeint(rebuilt(func), kwargs, y0, t, *leaves)


def _swap_first_two(f):
    return lambda y, s, *args: f(s, y, *args)


def _augmented(kwargs):
    """The solver options for an adjoint or tangent system: all but f's Jacobian."""
    return {k: v for k, v in kwargs.items() if k not in _JACOBIAN_OPTIONS}


@primitive
def _odeint(func, kwargs, y0, t, *args):
    shape = _np.shape(y0)
    flat = lambda y, s: _np.ravel(func(_np.reshape(y, shape), s, *args))  # noqa: E731
    if kwargs.get("Dfun") is not None:
        jacobian = kwargs["Dfun"]
        kwargs = dict(kwargs, Dfun=lambda y, s: jacobian(_np.reshape(y, shape), s, *args))
    ys = _si.odeint(flat, _np.ravel(y0), t, **kwargs)
    return _np.reshape(ys, (len(t),) + shape)


def _split(vec, sizes):
    out, start = [], 0
    for n in sizes:
        out.append(vec[start:start + n])
        start += n
    return out


def _floats(args):
    """Positions of the extra arguments that carry derivatives (float or complex
    values); the others (integers, flags, callables) are held fixed."""
    return [k for k, a in enumerate(args) if _np.asarray(getval(a)).dtype.kind in "fc"]


def _rhs_of(func, s, args, floats):
    """z = (y, θ_k for k in floats) ↦ f(y, s, *args), the other arguments held fixed."""
    def rhs(z):
        full = list(args)
        for k, value in zip(floats, z[1:]):
            full[k] = value
        return func(z[0], s, *full)

    return rhs


# ---- reverse mode: the adjoint system ------------------------------------------------------------


def _adjoint_dynamics(func, shape, n, floats):
    """Right-hand side of the flat state [y, a, θ̄]: [f, −aᵀ∂f/∂y, −aᵀ∂f/∂θ]."""
    def dynamics(state, s, *args):
        y, a = anp.reshape(state[:n], shape), anp.reshape(state[n:2 * n], shape)
        vjp, f = core.make_vjp(_rhs_of(func, s, args, floats), (y,) + tuple(args[k] for k in floats))
        return anp.concatenate([anp.ravel(f)] + [anp.ravel(c) for c in vjp(-a)])

    return dynamics


def _grad_odeint(argnums, ans, args_, kwargs_):
    func, kwargs, y0, t, *args = args_
    shape = _np.shape(getval(y0))
    n, floats = int(_np.size(getval(y0))), _floats(args)
    sizes = [int(_np.size(getval(args[k]))) for k in floats]
    dynamics = _adjoint_dynamics(func, shape, n, floats)
    n_times = len(getval(t))

    def vjp(g):
        a = anp.ravel(g[-1])
        theta_bar = anp.zeros(sum(sizes))
        t_bars = []
        def backwards(t_hi, t_lo, y_hi, y_lo, a, theta_bar, depth):
            """a and θ̄ carried from t_hi back to t_lo, y re-integrated beside them."""
            state = anp.concatenate([anp.ravel(y_hi), a, theta_bar])
            with warnings.catch_warnings():
                # A solve that gives up ("excess work") ends away from y_lo: the drift
                # test below judges it, and halving recovers, so SciPy's warning would mislead.
                warnings.simplefilter("ignore", _si.ODEintWarning)
                back = _odeint(dynamics, _augmented(kwargs), state, anp.stack([t_hi, t_lo]), *args)[-1]
            y_back, a_lo, theta_bar_lo = _split(back, [n, n, sum(sizes)])
            drift = _drift(y_back, y_lo, kwargs)
            if drift <= _DRIFT_LIMIT:
                return a_lo, theta_bar_lo
            if depth == _MAX_HALVINGS:
                raise _drift_error(t_hi, t_lo, drift)
            # y drifted from the forward solution (a stiff system's decaying modes grow
            # backwards): halve the interval, with y at the midpoint from a forward solve.
            t_mid = 0.5 * (t_hi + t_lo)
            y_mid = _odeint(func, kwargs, y_lo, anp.stack([t_lo, t_mid]), *args)[-1]
            a, theta_bar = backwards(t_hi, t_mid, y_hi, y_mid, a, theta_bar, depth + 1)
            return backwards(t_mid, t_lo, y_mid, y_lo, a, theta_bar, depth + 1)

        for i in range(n_times - 1, 0, -1):
            t_bars.append(anp.sum(g[i] * func(ans[i], t[i], *args)))
            a, theta_bar = backwards(t[i], t[i - 1], ans[i], ans[i - 1], a, theta_bar, 0)
            a = a + anp.ravel(g[i - 1])
        t_bars.append(-anp.sum((a - anp.ravel(g[0])) * anp.ravel(func(ans[0], t[0], *args))))
        grads = {2: anp.reshape(a, shape), 3: anp.stack(t_bars[::-1])}
        for k, piece in zip(floats, _split(theta_bar, sizes)):
            grads[4 + k] = anp.reshape(piece, _np.shape(getval(args[k])))
        return [grads[i] for i in argnums]

    return vjp


# How far the y that the adjoint re-integrates backwards may end from the forward
# solution, in units of SciPy's local error tolerance atol + rtol·|y| (well-behaved
# systems end within about 10), and how often an interval may be halved to get there.
_DRIFT_LIMIT = 1e3
_MAX_HALVINGS = 12
_SCIPY_TOLERANCE = 1.49012e-8  # odeint's default rtol and atol


def _drift(y_back, y_forward, kwargs):
    """max |y_back − y_forward| / (atol + rtol·|y_forward|); ∞ for NaN."""
    y_back = _np.ravel(getval(y_back))
    y_forward = _np.ravel(getval(y_forward))
    if not y_forward.size:
        return 0.0
    rtol = kwargs.get("rtol") or _SCIPY_TOLERANCE
    atol = kwargs.get("atol") or _SCIPY_TOLERANCE
    drift = _np.max(_np.abs(y_back - y_forward) / (_np.asarray(atol) + _np.asarray(rtol) * _np.abs(y_forward)))
    return float(drift) if _np.isfinite(drift) else _np.inf


def _drift_error(t_hi, t_lo, drift):
    return NotDifferentiableError(
        f"odeint: the reverse-mode derivative re-integrates y backwards beside the adjoint, and from "
        f"t = {float(getval(t_hi)):.6g} to {float(getval(t_lo)):.6g} it still ended {drift:.3g} × the solver "
        f"tolerance away from the forward solution after {_MAX_HALVINGS} halvings of the interval: the system is "
        "too stiff or chaotic there for the adjoint method. Use forward mode (ravine.make_jvp, or jacobian of a "
        "function with few inputs)."
    )


# ---- forward mode: sensitivities ------------------------------------------------------------------------


def _tangent_dynamics(func, shape, n, floats, n_args):
    """Right-hand side of the flat state [y, ẏ] given θ and θ̇: [f, ∂f/∂y ẏ + ∂f/∂θ θ̇]."""
    def dynamics(state, s, *rest):
        args, arg_dots = rest[:n_args], rest[n_args:]
        y, y_dot = anp.reshape(state[:n], shape), anp.reshape(state[n:], shape)
        point = (y,) + tuple(args[k] for k in floats)
        f, f_dot = core.make_jvp(_rhs_of(func, s, args, floats), point)((y_dot,) + tuple(arg_dots))
        return anp.concatenate([anp.ravel(f), anp.ravel(f_dot)])

    return dynamics


def _jvp_odeint(argnums, tangents, ans, args_, kwargs_):
    func, kwargs, y0, t, *args = args_
    shape = _np.shape(getval(y0))
    n, floats = int(_np.size(getval(y0))), _floats(args)
    given = dict(zip(argnums, tangents))
    arg_dots = [given.get(4 + k, _np.zeros(_np.shape(getval(args[k])))) for k in floats]
    y_dot0 = given.get(2, _np.zeros(shape))
    if 3 in given:
        y_dot0 = y_dot0 - given[3][0] * func(y0, t[0], *args)
    dynamics = _tangent_dynamics(func, shape, n, floats, len(args))
    state0 = anp.concatenate([anp.ravel(y0), anp.ravel(y_dot0)])
    out = _odeint(dynamics, _augmented(kwargs), state0, t, *args, *arg_dots)[:, n:]
    tangent = anp.reshape(out, (-1,) + shape)
    if 3 in given:  # moving the observation times moves the samples along the flow
        flows = anp.stack([func(ans[i], t[i], *args) for i in range(len(getval(t)))])
        tangent = tangent + anp.reshape(given[3], (-1,) + (1,) * len(shape)) * flows
    return tangent


defvjp_argnums(_odeint, _grad_odeint)
defjvp_argnums(_odeint, _jvp_odeint)
