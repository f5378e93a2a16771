"""x ** c for a constant complex scalar c: the rule's y − 1 called float() on it and raised a
TypeError (found by a randomised hunt over complex compositions)."""

from __future__ import annotations

import numpy
import pytest

import ravine
import ravine.numpy as np
from ravine.test_util import check_grads

Z = numpy.array([1.0 + 1.0j, 2.0 - 0.5j, -0.7 + 0.2j])


@pytest.mark.parametrize("c", [0.5 + 0.5j, numpy.complex64(1.5 - 0.25j), numpy.complex128(2j), numpy.asarray(-0.5 + 1j)],
                         ids=["python", "complex64", "complex128", "0d_array"])
def test_complex_scalar_exponent_matches_finite_differences(c):
    check_grads(lambda z: np.sum(np.real((z + 3) ** c) + np.imag((z + 3) ** c)), modes=("fwd", "rev"), order=2)(Z)
    check_grads(lambda x: np.sum(np.abs((x + 3) ** c)), modes=("fwd", "rev"), order=2)(numpy.real(Z))


def test_holomorphic_derivative_is_c_times_z_to_the_c_minus_one():
    c = 0.5 + 0.5j
    got = ravine.holomorphic_grad(lambda z: np.sum((z + 3) ** c))(Z)
    numpy.testing.assert_allclose(got, c * (Z + 3) ** (c - 1), rtol=1e-12)


def test_complex64_base_keeps_its_dtype_with_a_python_complex_exponent():
    z = Z.astype(numpy.complex64)
    assert ravine.grad(lambda z: np.real(np.sum((z + 3) ** (0.5 + 0.5j))))(z).dtype == numpy.complex64
