"""Reproducible random test values of a given shape and dtype.

``values = RandomValues(seed)`` gives ``values.real(3, 4)``, ``values.real(dtype=float32)``
(a NumPy scalar when no shape is given), ``values.complex(2, 2)``, ``values.positive(3)``
(entries ≥ 0.5, safe for log and division) and ``values.like(x)``: a random value of
x's shape and dtype, complex where x is, a scalar where x is 0-d — a cotangent or a
tangent for x.  Used by the tests that compare shortcut rules with the general path.
"""

from __future__ import annotations

import numpy


class RandomValues:
    def __init__(self, seed: int) -> None:
        self.rng = numpy.random.default_rng(seed)

    def real(self, *shape, dtype=numpy.float64):
        return self.rng.standard_normal(shape).astype(dtype) if shape else dtype(self.rng.standard_normal())

    def complex(self, *shape):
        return self.real(*shape) + 1j * self.real(*shape)

    def positive(self, *shape, dtype=numpy.float64):
        return (numpy.abs(self.real(*shape)) + 0.5).astype(dtype)

    def like(self, x):
        value = numpy.asarray(x)
        out = self.rng.standard_normal(value.shape).astype(value.dtype)
        if value.dtype.kind == "c":
            out = out + 1j * self.rng.standard_normal(value.shape)
        return out if value.shape else value.dtype.type(out)
