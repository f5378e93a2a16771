"""``ravine.scipy.integrate.odeint``: ODE solutions differentiable in y0, t and the
parameters, by the adjoint method (reverse) and forward sensitivities (forward).

For dy/dt = f(y, t, θ) observed at t_0 < ... < t_N with cotangents ḡ_i:

* reverse: integrate backwards, from t_N to t_0, the augmented system
  dy/dt = f,  da/dt = −aᵀ ∂f/∂y,  dθ̄/dt = −aᵀ ∂f/∂θ,
  adding ḡ_i to the adjoint a at each t_i; then ȳ0 = a(t_0), θ̄ = θ̄(t_0),
  t̄_i = ḡ_iᵀ f(y_i, t_i) for i > 0 and t̄_0 = −(a(t_0) − ḡ_0)ᵀ f(y_0, t_0);
* forward: integrate the tangent alongside, dẏ/dt = ∂f/∂y ẏ + ∂f/∂θ θ̇.

Each step evaluates the VJP or JVP of f with ravine itself, so f must be written
with ``ravine.numpy``.  The rules are numerical (they call SciPy's integrator), so
they give first derivatives; a derivative of a derivative is not traced.
"""

from __future__ import annotations

from typing import Callable

import numpy as _np
import scipy.integrate as _si

from ravine.autodiff import core
from ravine.autodiff.core import defjvp_argnums, defvjp_argnums
from ravine.autodiff.tracer import getval, primitive

__all__ = ["odeint"]


def odeint(func: Callable, y0, t, args=(), **kwargs):
    """Like ``scipy.integrate.odeint(func, y0, t, args)``: y at each time in t, shape (len(t),) + y0.shape."""
    return _odeint(func, kwargs, y0, t, *args)


@primitive
def _odeint(func, kwargs, y0, t, *args):
    shape = _np.shape(y0)
    flat = lambda y, s: _np.ravel(func(_np.reshape(y, shape), s, *args))  # noqa: E731
    ys = _si.odeint(flat, _np.ravel(y0), t, **kwargs)
    return _np.reshape(ys, (len(t),) + shape)


def _split(vec, sizes):
    out, start = [], 0
    for n in sizes:
        out.append(vec[start:start + n])
        start += n
    return out


def _grad_odeint(argnums, ans, args_, kwargs_):
    func, kwargs, y0, t, *args = args_
    y0, t, args = getval(y0), _np.asarray(getval(t)), [getval(a) for a in args]
    ys = getval(ans)
    shape = _np.shape(y0)
    n = int(_np.prod(shape))
    arg_sizes = [int(_np.size(a)) for a in args]

    def augmented(state, s):
        y, a, _ = _split(state, [n, n, sum(arg_sizes)])
        yv = _np.reshape(y, shape)
        vjp, f = core.make_vjp(lambda z: func(z[0], s, *z[1:]), (yv,) + tuple(args))
        cot = vjp(_np.reshape(-a, shape))
        return _np.concatenate([_np.ravel(f)] + [_np.ravel(c) for c in cot])

    def vjp(g):
        g = _np.asarray(getval(g))
        a = _np.ravel(g[-1])
        theta_bar = _np.zeros(sum(arg_sizes))
        t_bar = _np.zeros(len(t))
        for i in range(len(t) - 1, 0, -1):
            t_bar[i] = _np.dot(_np.ravel(g[i]), _np.ravel(func(ys[i], t[i], *args)))
            state = _np.concatenate([_np.ravel(ys[i]), a, theta_bar])
            back = _si.odeint(augmented, state, _np.array([t[i], t[i - 1]]), **kwargs)[-1]
            _, a, theta_bar = _split(back, [n, n, sum(arg_sizes)])
            a = a + _np.ravel(g[i - 1])
        # y(t_0) = y0 whatever t_0 is, so ḡ_0 takes no part in t̄_0
        t_bar[0] = -_np.dot(a - _np.ravel(g[0]), _np.ravel(func(ys[0], t[0], *args)))
        grads = {2: _np.reshape(a, shape), 3: t_bar}
        for k, (piece, arg) in enumerate(zip(_split(theta_bar, arg_sizes), args)):
            grads[4 + k] = _np.reshape(piece, _np.shape(arg))
        return [grads[i] for i in argnums]

    return vjp


def _jvp_odeint(argnums, tangents, ans, args_, kwargs_):
    func, kwargs, y0, t, *args = args_
    y0, t, args = getval(y0), _np.asarray(getval(t)), [getval(a) for a in args]
    shape = _np.shape(y0)
    n = int(_np.prod(shape))
    given = dict(zip(argnums, tangents))
    arg_dots = [given.get(4 + k, _np.zeros(_np.shape(a))) for k, a in enumerate(args)]
    y_dot0 = given.get(2, _np.zeros(shape))

    def augmented(state, s):
        y, y_dot = _np.reshape(state[:n], shape), _np.reshape(state[n:], shape)
        f, f_dot = core.make_jvp(lambda z: func(z[0], s, *z[1:]), (y,) + tuple(args))((y_dot,) + tuple(arg_dots))
        return _np.concatenate([_np.ravel(f), _np.ravel(f_dot)])

    state0 = _np.concatenate([_np.ravel(y0), _np.ravel(y_dot0)])
    out = _si.odeint(augmented, state0, t, **kwargs)[:, n:]
    tangent = _np.reshape(out, (len(t),) + shape)
    if 3 in given:  # moving the observation times moves the samples along the flow
        t_dot = _np.asarray(given[3])
        ys = getval(ans)
        flows = _np.stack([func(ys[i], t[i], *args) for i in range(len(t))])
        tangent = tangent + _np.reshape(t_dot, (-1,) + (1,) * len(shape)) * flows
        tangent = tangent - t_dot[0] * _flow_sensitivity(func, y0, t, args, kwargs, flows[0])
    return tangent


def _flow_sensitivity(func, y0, t, args, kwargs, f0):
    """∂y(t_i)/∂y0 · f(y0, t0): how the solution moves when t_0 moves (times −ṫ_0)."""
    shape = _np.shape(y0)
    n = int(_np.prod(shape))

    def augmented(state, s):
        y, y_dot = _np.reshape(state[:n], shape), _np.reshape(state[n:], shape)
        f, f_dot = core.make_jvp(lambda z: func(z, s, *args), y)(y_dot)
        return _np.concatenate([_np.ravel(f), _np.ravel(f_dot)])

    out = _si.odeint(augmented, _np.concatenate([_np.ravel(y0), _np.ravel(f0)]), t, **kwargs)[:, n:]
    return _np.reshape(out, (len(t),) + shape)


defvjp_argnums(_odeint, _grad_odeint)
defjvp_argnums(_odeint, _jvp_odeint)
