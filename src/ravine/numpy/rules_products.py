"""Rules for products beyond dot/matmul/tensordot: einsum, inner, vdot, kron, cross.

Each product is linear in each operand, so its forward rule is the product with
the tangent in that operand's place (:func:`def_linear`); the reverse rules
contract the cotangent with the other operands.  Complex operands follow
autograd's convention (the VJP of z ↦ c z is ḡ ↦ c ḡ).
"""

from __future__ import annotations

import string

import numpy as _np

from ravine.autodiff.core import def_linear, defvjp, defvjp_argnum
from ravine.autodiff.tracer import getval
from ravine.errors import NotDifferentiableError
from ravine.numpy import wrapper as anp
from ravine.numpy.vjps import unbroadcast, unbroadcast_f


def _shape(x):
    return _np.shape(getval(x))


# ---- einsum --------------------------------------------------------------------------------------


def _sublist_letters(sublist):
    """One operand's sublist, e.g. [Ellipsis, 0, 1], as subscript letters ("...ab")."""
    # NumPy's forward call has already checked that each label is Ellipsis or in [0, 52).
    return "".join("..." if label is Ellipsis else string.ascii_letters[label] for label in sublist)


def _einsum_call(args):
    """(subscripts, operands, position of operand i in args) for both of einsum's call
    forms: einsum('ij,jk->ik', A, B) and the interleaved einsum(A, [0, 1], B, [1, 2], [0, 2]),
    whose sublists become the equivalent subscripts string."""
    if isinstance(args[0], str):
        return args[0], args[1:], lambda i: i + 1
    n = len(args) // 2
    operands, sublists = args[0:2 * n:2], args[1:2 * n:2]
    inputs = ",".join(_sublist_letters(s) for s in sublists)
    output = "->" + _sublist_letters(args[-1]) if len(args) % 2 else ""
    return inputs + output, operands, lambda i: 2 * i


def _explicit_subscripts(subscripts, shapes):
    """Split an einsum specification into per-operand letters and output letters,
    with every ``...`` replaced by explicit letters (right-aligned, as NumPy
    broadcasts them)."""
    spec = subscripts.replace(" ", "")
    inputs, _, output = spec.partition("->")
    terms = inputs.split(",")
    unused = [c for c in string.ascii_letters if c not in spec]
    n_ellipsis = max([len(s) - len(t.replace("...", "")) for t, s in zip(terms, shapes) if "..." in t] or [0])
    ellipsis = "".join(unused[:n_ellipsis])
    expanded = []
    for term, shape in zip(terms, shapes):
        if "..." in term:
            k = len(shape) - len(term.replace("...", ""))
            term = term.replace("...", ellipsis[n_ellipsis - k:])
        expanded.append(term)
    if "->" not in spec:
        letters = "".join(expanded)
        output = ellipsis + "".join(sorted(c for c in set(letters) - set(ellipsis) if letters.count(c) == 1))
    else:
        output = output.replace("...", ellipsis)
    return expanded, output, unused[n_ellipsis:]


def grad_einsum(argnum, ans, args, kwargs):
    # ∂/∂A_i of einsum(s_1,...,s_n -> s_out): contract ḡ (subscripts s_out) with the
    # other operands into s_i.  Letters that occur only in s_i are restored with ones,
    # repeated letters (diagonals) with identity matrices, size-1 (broadcast) axes by
    # summing.
    subscripts, operands, position = _einsum_call(args)
    i = next((k for k in range(len(operands)) if position(k) == argnum), None)
    if i is None:
        raise NotDifferentiableError(f"einsum: argument {argnum} is a subscripts list, not an operand; "
                                     "only the arrays are differentiable.")
    shapes = [_shape(op) for op in operands]
    terms, output, fresh = _explicit_subscripts(subscripts, shapes)
    sizes = {}
    for term, shape in zip(terms, shapes):
        for c, n in zip(term, shape):
            sizes[c] = max(sizes.get(c, 1), n)
    target = terms[i]

    def vjp(g):
        fresh_iter = iter(fresh)
        pieces, specs = [g], [output]
        for j, (op, term) in enumerate(zip(operands, terms)):
            if j == i:
                continue
            op, term = _drop_broadcast_axes(op, term, sizes)
            pieces.append(op)
            specs.append(term)
        available = set("".join(specs))
        result, seen = "", set()
        for c, n in zip(target, shapes[i]):
            if n == 1 and sizes[c] > 1:  # broadcast axis of this operand: sum over c
                new = next(fresh_iter)
                pieces.append(_np.ones(1))
                specs.append(new)
                result += new
            elif c in seen:  # repeated letter: the cotangent lives on the diagonal
                new = next(fresh_iter)
                pieces.append(_np.eye(n))
                specs.append(c + new)
                result += new
            else:
                if c not in available:  # summed in this operand only
                    pieces.append(_np.ones(n))
                    specs.append(c)
                    available.add(c)
                result += c
                seen.add(c)
        out = anp.einsum(",".join(specs) + "->" + result, *pieces, **kwargs)
        return unbroadcast(operands[i], out)

    return vjp


def _drop_broadcast_axes(op, term, sizes):
    """Remove size-1 axes that are broadcast against a longer axis elsewhere."""
    shape = _shape(op)
    drop = [k for k, (c, n) in enumerate(zip(term, shape)) if n == 1 and sizes[c] > 1]
    if not drop:
        return op, term
    index = tuple(0 if k in drop else slice(None) for k in range(len(shape)))
    return op[index], "".join(c for k, c in enumerate(term) if k not in drop)


defvjp_argnum(anp.einsum, grad_einsum)

# ---- inner, vdot, kron, cross ---------------------------------------------------------------


def grad_inner_a(ans, a, b):
    # inner(a, b)[I, J] = Σ_k a[I, k] b[J, k]  =>  ḡ_a[I, k] = Σ_J ḡ[I, J] b[J, k]
    na, nb = anp.ndim(a), anp.ndim(b)
    if na == 0 or nb == 0:
        return unbroadcast_f(a, lambda g: g * b if na else anp.sum(g * b))
    return lambda g: anp.tensordot(g, b, (list(range(na - 1, na + nb - 2)), list(range(nb - 1))))


def grad_inner_b(ans, a, b):
    # ḡ_b[J, k] = Σ_I ḡ[I, J] a[I, k]
    na, nb = anp.ndim(a), anp.ndim(b)
    if na == 0 or nb == 0:
        return unbroadcast_f(b, lambda g: g * a if nb else anp.sum(g * a))
    return lambda g: anp.tensordot(g, a, (list(range(na - 1)), list(range(na - 1))))


defvjp(anp.inner, grad_inner_a, grad_inner_b)
# vdot(a, b) = Σ conj(a) b over the flattened arrays
defvjp(anp.vdot, lambda ans, a, b: lambda g: anp.reshape(anp.conj(g * anp.ravel(b)), _shape(a)),
                 lambda ans, a, b: lambda g: anp.reshape(g * anp.conj(anp.ravel(a)), _shape(b)))


def _kron_layout(a, b):
    sa, sb = _shape(a), _shape(b)
    nd = max(len(sa), len(sb))
    sa, sb = (1,) * (nd - len(sa)) + sa, (1,) * (nd - len(sb)) + sb
    interleaved = [n for pair in zip(sa, sb) for n in pair]
    a_spread = [n for m in sa for n in (m, 1)]
    b_spread = [n for m in sb for n in (1, m)]
    return nd, interleaved, a_spread, b_spread


def grad_kron(argnum):
    # kron(a, b)[i·nb + j] = a[i] b[j] along every axis: view ḡ as ḡ[i, j] and contract.
    def maker(ans, a, b):
        nd, interleaved, a_spread, b_spread = _kron_layout(a, b)
        own, other, other_spread = (a, b, b_spread) if argnum == 0 else (b, a, a_spread)
        summed = tuple(range(1, 2 * nd, 2)) if argnum == 0 else tuple(range(0, 2 * nd, 2))

        def vjp(g):
            blocks = anp.reshape(g, interleaved) * anp.reshape(other, other_spread)
            return unbroadcast(own, anp.reshape(anp.sum(blocks, axis=summed), _shape(own)))

        return vjp

    return maker


defvjp(anp.kron, grad_kron(0), grad_kron(1))


def grad_cross(argnum):
    # (a × b)·ḡ = a·(b × ḡ) = b·(ḡ × a)
    def maker(ans, a, b, axisa=-1, axisb=-1, axisc=-1, axis=None):
        if axis is not None:
            axisa = axisb = axisc = axis
        na, nb = anp.ndim(a), anp.ndim(b)
        ax_a, ax_b = axisa % na - na, axisb % nb - nb
        ax_c = axisc % anp.ndim(ans) - anp.ndim(ans) if anp.ndim(ans) else None
        if _shape(a)[ax_a] != 3 or _shape(b)[ax_b] != 3:
            raise NotDifferentiableError("cross is differentiable for 3-vectors only; pad 2-vectors with a zero.")
        if argnum == 0:
            return lambda g: unbroadcast(a, anp.cross(b, g, axisa=ax_b, axisb=ax_c, axisc=ax_a))
        return lambda g: unbroadcast(b, anp.cross(g, a, axisa=ax_c, axisb=ax_a, axisc=ax_b))

    return maker


defvjp(anp.cross, grad_cross(0), grad_cross(1))

for _f in (anp.einsum, anp.inner, anp.vdot, anp.kron, anp.cross):
    def_linear(_f)
