"""``ravine.scipy.signal.convolve``: N-dimensional convolution with summed ("dot")
and broadcast ("ignored") axes, differentiable in both inputs.

``convolve(A, B, axes=None, dot_axes=((), ()), mode='full')`` pairs the axes
``axes[0]`` of A with ``axes[1]`` of B (convolved), pairs ``dot_axes[0]`` with
``dot_axes[1]`` (multiplied and summed, as in ``tensordot``), and keeps every
other axis of either input (an outer product over them).  With multi-indices
d (dot), i (other axes of A), j (other axes of B), k, n (convolved axes):

    full[i, j, n] = Σ_d Σ_k A[d, i, k] B[d, j, n − k]      (B = 0 outside its range)

The output's axes are i (in A's order), then j (in B's order), then the
convolved axes (in the order of ``axes``).  ``mode`` keeps a window of ``full``
along each convolved axis of sizes n_A, n_B: 'full' all n_A + n_B − 1 entries,
'valid' the |n_A − n_B| + 1 where neither input is padded, 'same' n_A entries
centred as in SciPy.  ``axes=None`` convolves every non-dot axis, in order.  With
neither keyword this is ``scipy.signal.convolve(A, B, mode)``; a string third
argument is read as ``mode``, as SciPy's signature has it.

The function is bilinear.  Embedding the cotangent Ḡ in the full output (zeros
outside the window) as Ḡ_f, the adjoints are convolutions again:

    Ā[d, i, k] = Σ_{j,n} Ḡ_f[i, j, n] B[d, j, n − k] = valid(Ḡ_f ⋆ flip B)  summing j,
    B̄[d, j, m] = Σ_{i,n} Ḡ_f[i, j, n] A[d, i, n − m] = valid(Ḡ_f ⋆ flip A)  summing i,

where flip reverses the convolved axes; so derivatives of every order follow.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as _np
import scipy.fft as _fft
import scipy.signal as _ss

from ravine.autodiff.core import def_linear, defvjp
from ravine.autodiff.tracer import getval, primitive
from ravine.numpy import wrapper as anp

__all__ = ["convolve"]

_MODES = ("full", "valid", "same")


class _Layout(NamedTuple):
    """Axis roles of one call: convolved, dot and other axes of A and of B."""

    conv_a: tuple
    conv_b: tuple
    dot_a: tuple
    dot_b: tuple
    rest_a: tuple
    rest_b: tuple


def convolve(in1: Any, in2: Any, axes: Any = None, dot_axes: Any = ((), ()), mode: str = "full",
             method: str = "auto") -> Any:
    """Generalised convolution of ``in1`` and ``in2`` (see the module docstring)."""
    if isinstance(axes, str):  # SciPy's positional order: convolve(in1, in2, mode, method)
        axes, mode = None, axes
        if isinstance(dot_axes, str):
            dot_axes, method = ((), ()), dot_axes
    layout = _layout(_np.ndim(getval(in1)), _np.ndim(getval(in2)), axes, dot_axes)
    if mode not in _MODES:
        raise ValueError(f"convolve: mode must be one of {_MODES}; received {mode!r}.")
    shape_a, shape_b = _np.shape(getval(in1)), _np.shape(getval(in2))
    for p, q in zip(layout.dot_a, layout.dot_b):
        if shape_a[p] != shape_b[q]:
            raise ValueError(f"convolve: dot axes {p} of in1 (size {shape_a[p]}) and {q} of in2 "
                             f"(size {shape_b[q]}) must have the same size to be summed together.")
    return _convolve(in1, in2, layout, mode, method)


def _pair(value, name):
    try:
        first, second = value
        return [int(p) for p in first], [int(q) for q in second]
    except (TypeError, ValueError):
        raise ValueError(f"convolve: {name} must be a pair of axis lists, one for each input, such as "
                         f"([0], [1]); received {value!r}.") from None


def _normalise(axes, ndim, name):
    out = []
    for p in axes:
        if not -ndim <= p < ndim:
            raise ValueError(f"convolve: axis {p} in {name} is out of range for an input with {ndim} dimensions.")
        out.append(p % ndim)
    if len(set(out)) != len(out):
        raise ValueError(f"convolve: {name} names an axis twice ({axes}); each axis may appear once.")
    return tuple(out)


def _layout(ndim_a, ndim_b, axes, dot_axes) -> _Layout:
    dot_a, dot_b = _pair(dot_axes, "dot_axes")
    if len(dot_a) != len(dot_b):
        raise ValueError(f"convolve: dot_axes must pair as many axes of in1 as of in2; received {dot_axes!r}.")
    dot_a, dot_b = _normalise(dot_a, ndim_a, "dot_axes"), _normalise(dot_b, ndim_b, "dot_axes")
    if axes is None:
        conv_a = [p for p in range(ndim_a) if p not in dot_a]
        conv_b = [q for q in range(ndim_b) if q not in dot_b]
        if len(conv_a) != len(conv_b):
            raise ValueError(f"convolve: in1 has {len(conv_a)} axes to convolve and in2 has {len(conv_b)}; "
                             "name the pairs with axes=([...], [...]).")
    else:
        conv_a, conv_b = _pair(axes, "axes")
        if len(conv_a) != len(conv_b):
            raise ValueError(f"convolve: axes must pair as many axes of in1 as of in2; received {axes!r}.")
    conv_a, conv_b = _normalise(conv_a, ndim_a, "axes"), _normalise(conv_b, ndim_b, "axes")
    for conv, dot, which in ((conv_a, dot_a, "in1"), (conv_b, dot_b, "in2")):
        if set(conv) & set(dot):
            raise ValueError(f"convolve: axes {sorted(set(conv) & set(dot))} of {which} are both convolved "
                             "and summed; list each axis in axes or in dot_axes, not both.")
    rest_a = tuple(p for p in range(ndim_a) if p not in conv_a and p not in dot_a)
    rest_b = tuple(q for q in range(ndim_b) if q not in conv_b and q not in dot_b)
    return _Layout(conv_a, conv_b, dot_a, dot_b, rest_a, rest_b)


def _window(n_a, n_b, mode):
    """(start, length) of the kept part of the full convolution along one axis."""
    full = n_a + n_b - 1
    if mode == "full":
        return 0, full
    if mode == "valid":
        return min(n_a, n_b) - 1, abs(n_a - n_b) + 1
    return (full - n_a) // 2, n_a


def _by_fft(Ac, Bc, full):
    """The full convolution of canonical operands (D, I, *k), summing D per frequency."""
    real = not (_np.iscomplexobj(Ac) or _np.iscomplexobj(Bc))
    fft, ifft = (_fft.rfftn, _fft.irfftn) if real else (_fft.fftn, _fft.ifftn)
    size = [_fft.next_fast_len(n, real) for n in full]
    conv = tuple(range(2, 2 + len(full)))
    Fa, Fb = fft(Ac, size, axes=conv), fft(Bc, size, axes=conv)
    n_freq = Fa.shape[2:]
    per_freq_a = _np.moveaxis(Fa.reshape(Fa.shape[:2] + (-1,)), -1, 0)  # (freq, D, Ia)
    per_freq_b = _np.moveaxis(Fb.reshape(Fb.shape[:2] + (-1,)), -1, 0)  # (freq, D, Ib)
    prod = _np.matmul(_np.swapaxes(per_freq_a, 1, 2), per_freq_b)  # (freq, Ia, Ib)
    spectrum = _np.moveaxis(prod, 0, -1).reshape(prod.shape[1:] + n_freq)
    return ifft(spectrum, size, axes=conv)[(Ellipsis,) + tuple(slice(0, n) for n in full)]


@primitive
def _convolve(A, B, layout, mode, method):
    A, B = _np.asarray(A), _np.asarray(B)
    sa, sb = A.shape, B.shape
    ka, kb = [sa[p] for p in layout.conv_a], [sb[q] for q in layout.conv_b]
    ia, ib = [sa[p] for p in layout.rest_a], [sb[q] for q in layout.rest_b]
    n_dot = int(_np.prod([sa[p] for p in layout.dot_a]))
    Ac = _np.transpose(A, layout.dot_a + layout.rest_a + layout.conv_a).reshape([n_dot, int(_np.prod(ia))] + ka)
    Bc = _np.transpose(B, layout.dot_b + layout.rest_b + layout.conv_b).reshape([n_dot, int(_np.prod(ib))] + kb)
    windows = [_window(m, n, mode) for m, n in zip(ka, kb)]
    crop = (Ellipsis,) + tuple(slice(s, s + n) for s, n in windows)
    if not ka:  # nothing convolved: a tensordot
        out = _np.matmul(Ac.T, Bc)
    elif Ac.shape[:2] == (1, 1) and Bc.shape[:2] == (1, 1):  # a plain convolution
        out = _ss.convolve(Ac[0, 0], Bc[0, 0], mode="full", method=method)[crop]
    else:
        out = _by_fft(Ac, Bc, [m + n - 1 for m, n in zip(ka, kb)])[crop]
    return out.reshape(ia + ib + [n for _, n in windows])


def _grad_convolve(argnum):
    def maker(ans, A, B, layout, mode, method):
        sa, sb = _np.shape(getval(A)), _np.shape(getval(B))
        n_ra, n_rb, n_conv = len(layout.rest_a), len(layout.rest_b), len(layout.conv_a)
        widths = [(0, 0)] * (n_ra + n_rb)
        for p, q in zip(layout.conv_a, layout.conv_b):
            start, length = _window(sa[p], sb[q], mode)
            widths.append((start, sa[p] + sb[q] - 1 - start - length))
        g_conv = tuple(range(n_ra + n_rb, n_ra + n_rb + n_conv))
        if argnum == 0:  # Ā: sum Ḡ_f's B-rest axes against B's rest axes
            other, conv, dot, rest = B, layout.conv_b, layout.dot_b, layout.rest_b
            g_dot, keep, partner, own_conv = tuple(range(n_ra, n_ra + n_rb)), layout.rest_a, layout.dot_a, layout.conv_a
        else:
            other, conv, dot, rest = A, layout.conv_a, layout.dot_a, layout.rest_a
            g_dot, keep, partner, own_conv = tuple(range(n_ra)), layout.rest_b, layout.dot_b, layout.conv_b
        # the result's axes: Ḡ_f's kept rest axes, `other`'s dot axes (in its order), then the convolved ones
        labels = keep + tuple(partner[dot.index(p)] for p in sorted(dot)) + own_conv
        g_keep = tuple(range(n_ra)) if argnum == 0 else tuple(range(n_ra, n_ra + n_rb))
        inner = _Layout(g_conv, conv, g_dot, rest, g_keep, tuple(sorted(dot)))
        order = tuple(_np.argsort(labels))

        def vjp(g):
            g_full = anp.pad(g, widths) if any(w != (0, 0) for w in widths) else g
            flipped = anp.flip(other, conv) if conv else other
            return anp.transpose(_convolve(g_full, flipped, inner, "valid", method), order)

        return vjp

    return maker


defvjp(_convolve, _grad_convolve(0), _grad_convolve(1))
def_linear(_convolve)
