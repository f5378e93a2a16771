"""What a differentiated function sees, for tests that compare traced results with NumPy's.

``traced_value(fun, *args)`` is ``fun(*args)`` computed while every argument is traced
(reverse mode), returned as a plain value; ``traced_call(fun, *args)`` also returns the
outputs as ``fun`` returned them (to check which are traced), for any output container; ``forward_jacobian(fun, x)`` is ∂fun/∂x built
column by column in forward mode, for complex outputs too (``ravine.jacobian`` takes
real outputs only).
"""

from __future__ import annotations

import numpy

from ravine.autodiff.core import make_jvp, make_vjp
from ravine.autodiff.tracer import getval


def traced_value(fun, *args):
    _, value = make_vjp(lambda xs: fun(*[xs[i] for i in range(len(args))]), args)
    return value


def traced_call(fun, *args):
    """(outputs as ``fun`` returned them on traced arguments, their plain values)."""
    seen = []

    def probe(xs):
        seen.append(fun(*[xs[i] for i in range(len(args))]))
        return xs[0]

    make_vjp(probe, args)
    out = seen[0]
    if isinstance(out, (tuple, list)):
        return out, type(out)(getval(o) for o in out)
    return out, getval(out)


def forward_jacobian(fun, x):
    basis = numpy.eye(numpy.size(x)).reshape((-1,) + numpy.shape(x))
    return numpy.stack([make_jvp(fun, x)(e)[1] for e in basis], axis=-1)
