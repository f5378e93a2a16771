"""How ``ravine.scipy.special`` wraps a SciPy function as a primitive and
attaches its derivative, for one-, two- and order-first-argument functions.

A rule is ``derivative(ans, *args)``, written with traced functions so that
higher derivatives follow.  An optional ``domain(argnum, *plain_args)`` runs
before a derivative is taken and raises a
:class:`~ravine.errors.NotDifferentiableError` (through :func:`refuse`) where the
derivative does not exist, instead of returning a silently wrong number.
"""

from __future__ import annotations

import numpy as _np
import scipy.special as _sp

from ravine.autodiff.core import defjvp, defvjp
from ravine.autodiff.tracer import getval, primitive
from ravine.errors import NotDifferentiableError
from ravine.numpy.jvps import broadcast_tangent
from ravine.numpy.vjps import unbroadcast_f


def refuse(bad, name: str, arg: str, where: str, instead: str) -> None:
    """Raise if any entry of the boolean array ``bad`` is set."""
    if _np.any(bad):
        raise NotDifferentiableError(
            f"ravine.scipy.special.{name}: no derivative in {arg} {where}. {instead} To mask such points, "
            "move the argument into the domain before the call (np.where(ok, x, safe_value)), not only the result.")


def _checked(domain, argnum, args):
    if domain is not None:
        domain(argnum, *[getval(a) for a in args])


def _quiet(rule, quiet):
    """Evaluate ``rule`` with NumPy's divide/invalid/overflow warnings off (for a
    function whose rule gives ±∞ on purpose at a domain edge: a documented
    one-sided or infinite derivative)."""
    if not quiet:
        return rule

    def quiet(*args):
        with _np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            return rule(*args)
    return quiet


def unary(name, derivative, domain=None, raw=None, quiet=None):
    """Wrap scipy.special.<name> (or ``raw``); derivative(ans, x) is its derivative.
    The cotangent of a real x is real (the real part, for a complex-valued f)."""
    f = primitive(raw if raw is not None else getattr(_sp, name))
    d = _quiet(derivative, domain is not None if quiet is None else quiet)

    def vjp(ans, x):
        _checked(domain, 0, (x,))
        return unbroadcast_f(x, lambda g: g * d(ans, x))

    def jvp(g, ans, x):
        _checked(domain, 0, (x,))
        return g * d(ans, x)

    defvjp(f, vjp)
    defjvp(f, jvp)
    return f


def order_first(name, derivative, raw=None):
    """Wrap scipy.special.<name>(n, x) (or ``raw``) whose first argument is a constant order."""
    f = primitive(raw if raw is not None else getattr(_sp, name))
    defvjp(f, None, lambda ans, n, x: unbroadcast_f(x, lambda g: g * derivative(ans, n, x)))
    defjvp(f, None, lambda g, ans, n, x: broadcast_tangent(g * derivative(ans, n, x), ans))
    return f


def binary(name, d_first, d_second, domain=None):
    """Wrap scipy.special.<name>(x, y); d_first/d_second(ans, x, y) are its partial derivatives."""
    f = primitive(getattr(_sp, name))
    rules = [_quiet(d_first, domain is not None), _quiet(d_second, domain is not None)]

    def vjp(argnum):
        def make(ans, x, y):
            _checked(domain, argnum, (x, y))
            return unbroadcast_f((x, y)[argnum], lambda g: g * rules[argnum](ans, x, y))
        return make

    def jvp(argnum):
        def rule(g, ans, x, y):
            _checked(domain, argnum, (x, y))
            return broadcast_tangent(g * rules[argnum](ans, x, y), ans)
        return rule

    defvjp(f, vjp(0), vjp(1))
    defjvp(f, jvp(0), jvp(1))
    return f


def real_and(x, condition):
    """``condition(x)`` for a real array, all False for a complex one (whose
    domain is not checked)."""
    x = _np.asarray(x)
    if _np.iscomplexobj(x):
        return _np.zeros(x.shape, bool)
    return condition(x)
