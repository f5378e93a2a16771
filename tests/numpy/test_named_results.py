"""NumPy's named results on the traced path, and gradients in the input's own complex dtype.

NumPy 2 returns its decompositions as named tuples (``EighResult(eigenvalues,
eigenvectors)``, ``SVDResult(U, S, Vh)``, ...).  ravine returned plain tuples for traced
input, and for plain input too where the decomposition runs through ravine's primitive,
so code written for NumPy (``np.linalg.eigh(a).eigenvalues``) raised an AttributeError
as soon as it was differentiated.
"""

from __future__ import annotations

import numpy
import pytest

import ravine.numpy as rnp
from ravine import grad, make_jvp, make_vjp
from ravine.test_util import check_grads

rng = numpy.random.default_rng(7)
A = rng.standard_normal((3, 3))
SYM = A + A.T
SPD = A @ A.T + 3 * numpy.eye(3)
TALL = rng.standard_normal((4, 3))

# (label, call, input, a scalar of the named fields that has a derivative)
DECOMPOSITIONS = [
    ("eigh", lambda np, a: np.linalg.eigh(a), SYM,
     lambda r: r.eigenvalues.sum() + (r.eigenvectors[:, 0] ** 2).sum()),
    ("eig", lambda np, a: np.linalg.eig(a), SPD,
     lambda r: r.eigenvalues.real.sum() + (abs(r.eigenvectors) ** 2).sum()),
    ("svd", lambda np, a: np.linalg.svd(a, full_matrices=False), TALL,
     lambda r: r.S.sum() + (r.U[:, 0] * r.Vh[0, 0]).sum()),
    ("svd_hermitian", lambda np, a: np.linalg.svd(a, hermitian=True), SYM, lambda r: r.S.sum()),
    ("qr", lambda np, a: np.linalg.qr(a), TALL, lambda r: r.R.sum() + r.Q[0].sum()),
    ("slogdet", lambda np, a: np.linalg.slogdet(a), SPD, lambda r: r.logabsdet * r.sign),
]


@pytest.mark.parametrize("label, call, a, fields", DECOMPOSITIONS, ids=[d[0] for d in DECOMPOSITIONS])
def test_traced_decomposition_has_numpys_named_type(label, call, a, fields):
    want = call(numpy, a)
    seen = []

    def probe(x):
        seen.append(call(rnp, x))
        return x

    make_vjp(probe)(a)
    assert type(seen[0]) is type(want)
    assert seen[0]._fields == want._fields
    assert type(call(rnp, a)) is type(want)  # plain input as well


@pytest.mark.parametrize("label, call, a, fields", DECOMPOSITIONS, ids=[d[0] for d in DECOMPOSITIONS])
def test_gradient_through_named_fields_matches_finite_differences(label, call, a, fields):
    # The same scalar by field names through ravine and through NumPy's own result:
    # the named fields must be the right components, and differentiable.
    assert numpy.isclose(fields(call(rnp, a)), fields(call(numpy, a)))
    check_grads(lambda x: fields(call(rnp, x)), modes=("rev", "fwd"), order=1)(a)


def test_named_result_as_the_output_keeps_its_type_in_both_modes():
    f = rnp.linalg.eigh
    vjp, value = make_vjp(f)(SYM)
    assert type(value) is type(numpy.linalg.eigh(SYM))
    numpy.testing.assert_allclose(value.eigenvalues, numpy.linalg.eigvalsh(SYM))
    gradient = vjp((numpy.ones(3), numpy.zeros((3, 3))))  # d(Σλ)/dA: the identity on the lower triangle
    numpy.testing.assert_allclose(gradient, numpy.eye(3), atol=1e-12)
    value, tangent = make_jvp(f)(SYM)(numpy.eye(3))
    assert type(tangent) is type(numpy.linalg.eigh(SYM))
    numpy.testing.assert_allclose(tangent.eigenvalues, numpy.ones(3), atol=1e-12)


def test_slogdet_gradient_by_name_is_the_inverse_transpose():
    gradient = grad(lambda a: rnp.linalg.slogdet(a).logabsdet)(SPD)
    numpy.testing.assert_allclose(gradient, numpy.linalg.inv(SPD).T, rtol=1e-12)


def test_traced_meshgrid_returns_numpys_container():
    want = numpy.meshgrid(numpy.arange(2.0), numpy.arange(3.0))
    seen = []

    def probe(x):
        seen.append(rnp.meshgrid(x, x[:2]))
        return x

    make_vjp(probe)(numpy.arange(3.0))
    assert type(seen[0]) is type(want)


# ---- complex64 -------------------------------------------------------------------------------------


Z64 = (rng.standard_normal(4) + 1j * rng.standard_normal(4)).astype(numpy.complex64)


@pytest.mark.parametrize("dtype", [numpy.complex64, numpy.complex128])
def test_complex_gradient_keeps_the_inputs_dtype_across_a_float64_constant(dtype):
    # z · c with a float64 c is computed in complex128; the gradient of a complex64 z
    # came back complex128 (a float32 x was already cast back to float32).
    c = numpy.linspace(0.5, 2.0, 4)
    z = Z64.astype(dtype)
    gradient = grad(lambda z: rnp.sum(rnp.abs(z * c) ** 2))(z)
    assert gradient.dtype == dtype
    # |cz|² = c²(x² + y²): ∂/∂x + i∂/∂y = 2c²z, and autograd's cotangent is its conjugate
    numpy.testing.assert_allclose(gradient, numpy.conj(2 * c**2 * z), rtol=1e-5)


def test_complex64_scalar_gradient_is_a_complex64_scalar():
    gradient = grad(lambda z: rnp.real(z * numpy.float64(3.0)))(numpy.complex64(1 + 2j))
    assert type(gradient) is numpy.complex64
    assert gradient == 3.0
