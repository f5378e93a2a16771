"""What a differentiated function sees, for tests that compare traced results with NumPy's.

``traced_value(fun, *args)`` is ``fun(*args)`` computed while every argument is traced
(reverse mode), returned as a plain value; ``forward_jacobian(fun, x)`` is ∂fun/∂x built
column by column in forward mode, for complex outputs too (``ravine.jacobian`` takes
real outputs only).
"""

from __future__ import annotations

import numpy

from ravine.autodiff.core import make_jvp, make_vjp


def traced_value(fun, *args):
    _, value = make_vjp(lambda xs: fun(*[xs[i] for i in range(len(args))]), args)
    return value


def forward_jacobian(fun, x):
    basis = numpy.eye(numpy.size(x)).reshape((-1,) + numpy.shape(x))
    return numpy.stack([make_jvp(fun, x)(e)[1] for e in basis], axis=-1)
