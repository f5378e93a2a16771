"""Differential operators, each built on ``make_vjp`` or ``make_jvp``.

Every operator is written for a function of one argument, ``op(fun, x, ...)``;
:func:`unary_to_nary` turns it into the familiar form
``op(fun, argnum=0)(*args, **kwargs)``, where ``argnum`` is an int or a tuple
(then ``x`` is the tuple of those arguments and the result is a tuple too).
Names and signatures follow HIPS autograd.
"""

from __future__ import annotations

import inspect
import math
from functools import wraps
from typing import Any, Callable

import numpy as _np

import ravine.numpy as rnp
from ravine import builtins as rbuiltins
from ravine.autodiff import core
from ravine.autodiff.core import vspace
from ravine.autodiff.tracer import Box, getval, primitive
from ravine.errors import NotDifferentiableError, ShapeError

__all__ = [
    "grad", "value_and_grad", "grad_and_aux", "grad_named", "multigrad_dict", "elementwise_grad",
    "deriv", "holomorphic_grad", "jacobian", "hessian", "hessian_tensor_product",
    "hessian_vector_product", "tensor_jacobian_product", "vector_jacobian_product",
    "make_vjp", "make_jvp", "make_hvp", "make_ggnvp", "checkpoint", "unary_to_nary",
]


def _subvals(args: tuple, pairs) -> tuple:
    args = list(args)
    for i, v in pairs:
        args[i] = v
    return tuple(args)


def unary_to_nary(unary_operator: Callable) -> Callable:
    """Lift ``unary_operator(fun, x, *op_args)`` to ``operator(fun, argnum=0, *op_args)``."""

    @wraps(unary_operator)
    def nary_operator(fun: Callable, argnum: int | tuple[int, ...] = 0, *op_args, **op_kwargs) -> Callable:
        if not isinstance(argnum, (int, tuple, list)):
            raise TypeError(f"argnum must be an int or a tuple of ints; received {argnum!r}.")

        @wraps(fun)
        def nary_f(*args, **kwargs):
            if argnum == 0 and len(args) == 1 and not kwargs:
                # f(x): the function is already unary (the usual call; saves a closure).
                return unary_operator(fun, args[0], *op_args, **op_kwargs)
            if isinstance(argnum, int):
                if argnum >= len(args):
                    raise TypeError(
                        f"{unary_operator.__name__}({_name(fun)}, argnum={argnum}) was called with "
                        f"{len(args)} positional argument(s); argument {argnum} does not exist."
                    )
                x = args[argnum]

                def unary_f(x):
                    return fun(*_subvals(args, [(argnum, x)]), **kwargs)

            else:
                x = tuple(args[i] for i in argnum)

                def unary_f(x):
                    return fun(*_subvals(args, zip(argnum, x)), **kwargs)

            unary_f.__name__ = _name(fun)
            return unary_operator(unary_f, x, *op_args, **op_kwargs)

        return nary_f

    return nary_operator


def _name(fun: Callable) -> str:
    return getattr(fun, "__name__", type(fun).__name__)


_REAL_SCALAR_TYPES = (_np.float64, _np.float32, float)


def _check_scalar(fun: Callable, ans: Any, op: str) -> None:
    if type(ans) in _REAL_SCALAR_TYPES:
        return  # the usual loss: a real NumPy or Python float
    value = getval(ans)
    # Runs on every grad call: .shape/.dtype rather than np.shape/np.prod/np.iscomplexobj
    # (microseconds each), and containers first (np.shape of a ragged tuple raises).
    is_container = isinstance(value, (tuple, list, dict))
    shape = type(value).__name__ if is_container else getattr(value, "shape", None)
    if shape is None:
        shape = _np.shape(value)
    if is_container or math.prod(shape) != 1:
        raise ShapeError(
            f"{op} requires {_name(fun)} to return a scalar, but its output had shape {shape}. "
            "Use output.sum() for the gradient of the sum, elementwise_grad for a function "
            "applied elementwise, or jacobian for the full matrix of derivatives."
        )
    dtype = getattr(value, "dtype", None)
    if op == "grad" and (dtype.kind == "c" if dtype is not None else _np.iscomplexobj(value)):
        raise NotDifferentiableError(
            f"grad requires {_name(fun)} to return a real scalar; it returned a complex value. "
            "Use holomorphic_grad for holomorphic functions, or differentiate np.abs(f(x))**2."
        )


def _check_float_input(x: Any, op: str) -> None:
    value = getval(x)
    dtype = getattr(value, "dtype", None)
    if isinstance(value, (bool, int, _np.integer, _np.bool_)) or (dtype is not None and dtype.kind in "iub"):
        raise NotDifferentiableError(
            f"{op} was asked to differentiate with respect to an integer input "
            f"({type(value).__name__}{'' if dtype is None else ', dtype ' + str(dtype)}); integers are "
            "constants. Pass floats instead, e.g. 3.0 or x.astype(float)."
        )


# ----------------------------------------------------------------------------
# reverse mode
# ----------------------------------------------------------------------------


@unary_to_nary
def make_vjp(fun: Callable, x: Any) -> tuple[Callable, Any]:
    """``make_vjp(fun, argnum)(*args) -> (vjp, value)``; ``vjp(g) = gᵀ J``."""
    _check_float_input_tree(x, "make_vjp")
    return core.make_vjp(fun, x)


def _check_float_input_tree(x: Any, op: str) -> None:
    value = getval(x)
    kind = type(value)
    if kind is _np.ndarray and value.dtype.kind in "fc":
        return  # the common leaf, checked without the isinstance chain below
    if kind is list or kind is tuple:  # a flat list of float arrays without a call per entry
        for v in value:
            if type(v) is not _np.ndarray or v.dtype.kind not in "fc":
                _check_float_input_tree(v, op)
        return
    if isinstance(value, dict):
        for v in value.values():
            _check_float_input_tree(v, op)
    elif isinstance(value, (tuple, list)):
        for v in value:
            _check_float_input_tree(v, op)
    else:
        _check_float_input(value, op)


@unary_to_nary
def grad(fun: Callable, x: Any) -> Any:
    """The gradient of a scalar-valued ``fun`` with respect to argument ``argnum``:
    one backward pass, ∇f(x) = VJP(1)."""
    _check_float_input_tree(x, "grad")
    vjp, ans = core.make_vjp(fun, x)
    _check_scalar(fun, ans, "grad")
    return vjp(_seed(ans))


@unary_to_nary
def value_and_grad(fun: Callable, x: Any) -> tuple[Any, Any]:
    """``(fun(x), ∇fun(x))`` from one forward and one backward pass."""
    _check_float_input_tree(x, "value_and_grad")
    vjp, ans = core.make_vjp(fun, x)
    _check_scalar(fun, ans, "value_and_grad")
    return ans, vjp(_seed(ans))


def _seed(ans: Any) -> Any:
    """``vspace(ans).ones()``, the cotangent 1 of a scalar output; the usual NumPy
    float output skips building its vector space (a few µs on every call)."""
    if type(ans) is _np.float64 or type(ans) is _np.float32:
        return _np.ones((), ans.dtype)
    return vspace(ans).ones()


@unary_to_nary
def grad_and_aux(fun: Callable, x: Any) -> tuple[Any, Any]:
    """For ``fun`` returning ``(value, aux)``: ``(∇value, aux)``."""
    _check_float_input_tree(x, "grad_and_aux")
    vjp, (ans, aux) = core.make_vjp(lambda x: rbuiltins.tuple(fun(x)), x)
    _check_scalar(fun, ans, "grad_and_aux")
    return vjp((vspace(ans).ones(), vspace(aux).zeros())), aux


@unary_to_nary
def elementwise_grad(fun: Callable, x: Any) -> Any:
    """The VJP with a vector of ones: for a function applied elementwise, the
    derivative of each output with respect to its own input."""
    vjp, ans = core.make_vjp(fun, x)
    if vspace(ans).iscomplex:
        raise NotDifferentiableError("elementwise_grad is for real-valued functions; use holomorphic_grad.")
    return vjp(vspace(ans).ones())


@unary_to_nary
def holomorphic_grad(fun: Callable, x: Any) -> Any:
    """The complex derivative of a holomorphic function (autograd's convention)."""
    if not vspace(x).iscomplex:
        raise NotDifferentiableError("holomorphic_grad needs a complex input; multiply it by 1+0j.")
    vjp, ans = core.make_vjp(fun, x)
    return vjp(vspace(ans).ones())


@unary_to_nary
def jacobian(fun: Callable, x: Any) -> Any:
    """The Jacobian ∂fun/∂x, of shape ``fun(x).shape + x.shape``, one VJP per output.

    A complex output has two basis cotangents per entry, eₖ and i·eₖ, and the VJP is
    Re(gᵀJ) for a real x: row k of J is vjp(eₖ) − i·vjp(i·eₖ).  For a complex x the
    function is taken to be holomorphic (as ``holomorphic_grad`` does): row k is vjp(eₖ).
    """
    vjp, ans = core.make_vjp(fun, x)
    ans_space = vspace(ans)
    if not hasattr(ans_space, "shape") or not isinstance(ans_space.shape, tuple):
        raise NotDifferentiableError("jacobian needs fun to return an array; for a pytree, flatten it first.")
    rows = [vjp(b) for b in ans_space.standard_basis()]
    if ans_space.iscomplex and rows:
        real_parts, imaginary_parts = rows[0::2], rows[1::2]
        if vspace(x).iscomplex:
            rows = real_parts
        else:
            rows = [re - 1j * im for re, im in zip(real_parts, imaginary_parts)]
    x_shape = _np.shape(getval(x))
    if not rows:
        return _np.zeros(ans_space.shape + x_shape)
    return rnp.reshape(rnp.stack(rows), ans_space.shape + x_shape)


def hessian(fun: Callable, argnum: int = 0) -> Callable:
    """The Hessian: ``jacobian(jacobian(fun))``, shape ``x.shape + x.shape``."""
    return jacobian(jacobian(fun, argnum), argnum)


def tensor_jacobian_product(fun: Callable, argnum: int = 0) -> Callable:
    """``tensor_jacobian_product(fun, argnum)(*args, tensor)``: the Jacobian
    ∂fun/∂x contracted with ``tensor`` over the leading ``tensor.ndim`` axes of
    the output, Σ_i tensor[i] ∂fun[i, ...]/∂x.

    When ``tensor`` has the output's shape this is one VJP (the result has the
    shape of argument ``argnum``); with fewer axes, the remaining output axes stay
    in front: the Jacobian of x ↦ tensordot(tensor, fun(x), tensor.ndim), one
    VJP per remaining output entry, never the full Jacobian."""

    def vector_times_jacobian(*args, **kwargs):
        args, vector = args[:-1], args[-1]
        vjp, ans = make_vjp(fun, argnum)(*args, **kwargs)
        out_shape, v_shape = _np.shape(getval(ans)), _np.shape(getval(vector))
        if v_shape == out_shape:
            return vjp(vector)
        if out_shape[: len(v_shape)] != v_shape:
            raise ShapeError(
                f"tensor_jacobian_product: the tensor has shape {v_shape}, but the output of "
                f"{_name(fun)} has shape {out_shape}; the tensor's shape must be the output's "
                "shape or its leading part."
            )
        axes = len(v_shape)
        return jacobian(lambda *a, **k: rnp.tensordot(vector, fun(*a, **k), axes), argnum)(*args, **kwargs)

    return vector_times_jacobian


vector_jacobian_product = tensor_jacobian_product


def hessian_tensor_product(fun: Callable, argnum: int = 0) -> Callable:
    """``hessian_tensor_product(fun, argnum)(*args, vector)`` = H·vector without
    forming H: the JVP of the gradient (forward over reverse, about the cost
    of two or three gradients)."""
    fun_grad = grad(fun, argnum)

    def hessian_times_vector(*args, **kwargs):
        args, vector = args[:-1], args[-1]
        return make_jvp(fun_grad, argnum)(*args, **kwargs)(vector)[1]

    return hessian_times_vector


hessian_vector_product = hessian_tensor_product


@unary_to_nary
def make_hvp(fun: Callable, x: Any) -> tuple[Callable, Any]:
    """``make_hvp(fun)(x) -> (hvp, ∇fun(x))`` where ``hvp(v) = H v``; the backward
    pass of the gradient is traced once and reused for every v (reverse over
    reverse, as autograd)."""
    return core.make_vjp(grad(fun), x)


def make_ggnvp(f: Callable, g: Callable = lambda x: 0.5 * rnp.sum(x**2, axis=-1), f_argnum: int = 0) -> Callable:
    """Gauss-Newton-vector products for ``g(f(x))``: ``v -> Jᵀ H_g J v`` with
    J = ∂f/∂x and H_g the Hessian of g at f(x).  Positive semi-definite when g
    is convex."""

    @unary_to_nary
    def _make_ggnvp(f: Callable, x: Any) -> Callable:
        f_vjp, f_x = core.make_vjp(f, x)
        g_hvp, _ = core.make_vjp(grad(g), f_x)
        f_jvp = core.make_jvp(f, x)

        def ggnvp(v: Any) -> Any:
            return f_vjp(g_hvp(f_jvp(v)[1]))

        return ggnvp

    return _make_ggnvp(f, f_argnum)


# ----------------------------------------------------------------------------
# forward mode
# ----------------------------------------------------------------------------


@unary_to_nary
def make_jvp(fun: Callable, x: Any) -> Callable:
    """``make_jvp(fun, argnum)(*args) -> jvp`` with ``jvp(v) = (fun(x), J v)``."""
    return core.make_jvp(fun, x)


@unary_to_nary
def deriv(fun: Callable, x: Any) -> Any:
    """The derivative of a function of one scalar (or elementwise): J·1, forward mode."""
    return core.make_jvp(fun, x)(vspace(x).ones())[1]


# ----------------------------------------------------------------------------
# named and dict gradients
# ----------------------------------------------------------------------------


def grad_named(fun: Callable, argname: str) -> Callable:
    """The gradient with respect to the argument called ``argname``."""
    names = list(inspect.signature(fun).parameters)
    if argname not in names:
        raise TypeError(f"{_name(fun)} has no argument named {argname!r}; its arguments are {names}.")
    return grad(fun, names.index(argname))


def multigrad_dict(fun: Callable) -> Callable:
    """``multigrad_dict(fun)(*args, **kwargs)`` -> the gradients with respect to
    every argument, as a dict keyed by argument name (defaults included)."""
    sig = inspect.signature(fun)

    def gradfun(*args, **kwargs):
        bound = sig.bind(*args, **kwargs)
        bound.apply_defaults()
        names = list(bound.arguments)

        def of_dict(values):
            rebound = inspect.BoundArguments(sig, {n: values[n] for n in names})
            return fun(*rebound.args, **rebound.kwargs)

        of_dict.__name__ = _name(fun)
        return grad(of_dict)(dict(bound.arguments))

    return gradfun


# ----------------------------------------------------------------------------
# checkpointing
# ----------------------------------------------------------------------------


def checkpoint(fun: Callable) -> Callable:
    """Return ``fun`` with the same value and derivatives, but whose forward
    pass stores only its inputs: the backward pass traces it again.  Trades
    compute for memory on long chains.

    Only the traced arguments (positional or keyword) are inputs of the
    checkpoint; the others (integers, flags, strings) are passed through as
    constants."""

    def run(*values, where, template, kwargs_template):
        args, kwargs = list(template), dict(kwargs_template)
        for key, value in zip(where, values):
            if type(key) is int:
                args[key] = value
            else:
                kwargs[key] = value
        return fun(*args, **kwargs)

    wrapped_run = primitive(run)

    def vjp_maker(argnums, ans, values, static):
        def vjp(g):
            grads = core.make_vjp(lambda vs: run(*vs, **static), tuple(values))[0](g)
            return [grads[i] for i in argnums]

        return vjp

    def jvp_maker(argnums, tangents, ans, values, static):
        given = dict(zip(argnums, tangents))
        full = tuple(given[i] if i in given else vspace(v).zeros() for i, v in enumerate(values))
        return core.make_jvp(lambda vs: run(*vs, **static), tuple(values))(full)[1]

    core.defvjp_argnums(wrapped_run, vjp_maker)
    core.defjvp_argnums(wrapped_run, jvp_maker)

    @wraps(fun)
    def checkpointed(*args, **kwargs):
        where = tuple(i for i, a in enumerate(args) if isinstance(a, Box))
        where += tuple(k for k, v in kwargs.items() if isinstance(v, Box))
        if not where:
            return fun(*args, **kwargs)
        values = [args[key] if type(key) is int else kwargs[key] for key in where]
        template = tuple(None if i in where else a for i, a in enumerate(args))
        kwargs_template = {k: v for k, v in kwargs.items() if k not in where}
        return wrapped_run(*values, where=where, template=template, kwargs_template=kwargs_template)

    return checkpointed
