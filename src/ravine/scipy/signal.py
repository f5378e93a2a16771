"""``ravine.scipy.signal``: N-dimensional convolution with derivatives.

convolve(a, b, mode) is a window of full[n] = Σ_k a[k] b[n − k].  It is linear in
each input; the adjoint embeds ḡ in the full-size output (zeros outside the
window) and correlates it with the other input: ā = convolve(ḡ_full, flip(b), 'valid').
"""

from __future__ import annotations

import numpy as _np
import scipy.signal as _ss

from ravine.autodiff.core import def_linear, defvjp
from ravine.autodiff.tracer import getval, primitive
from ravine.numpy import wrapper as anp

__all__ = ["convolve"]


@primitive
def convolve(in1, in2, mode="full", method="auto"):
    return _ss.convolve(in1, in2, mode=mode, method=method)


def _grad_convolve(argnum):
    def maker(ans, in1, in2, mode="full", method="auto"):
        s1, s2, s_out = _np.shape(getval(in1)), _np.shape(getval(in2)), _np.shape(getval(ans))
        full = [n1 + n2 - 1 for n1, n2 in zip(s1, s2)]
        starts = [(f - n) // 2 for f, n in zip(full, s_out)]
        widths = [(st, f - n - st) for st, f, n in zip(starts, full, s_out)]
        other = in2 if argnum == 0 else in1

        def vjp(g):
            g_full = anp.pad(g, widths) if any(w != (0, 0) for w in widths) else g
            return convolve(g_full, anp.flip(other), mode="valid", method=method)

        return vjp

    return maker


defvjp(convolve, _grad_convolve(0), _grad_convolve(1))
def_linear(convolve)
