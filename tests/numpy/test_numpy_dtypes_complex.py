"""float32 stays float32, integers are constants, complex numbers follow autograd's
convention, and every DIFFERENTIABLE name has both rules and a test."""

import re
from pathlib import Path

import numpy
import pytest

import ravine.numpy as np
from gradsweep import C, covered, ids, run_case, sweep
from ravine import TracingError, elementwise_grad, grad, holomorphic_grad
from ravine.test_util import check_grads
from ravine.numpy import finite_differences, index_tricks, wrapper

import test_numpy_elementwise as elementwise
import test_numpy_fft as fft_tests
import test_numpy_products as products
import test_numpy_reductions_shapes as shapes

UNARY_FLOAT32 = ["exp", "exp2", "expm1", "log", "log2", "log10", "log1p", "sqrt", "cbrt", "square", "reciprocal",
                 "sin", "cos", "tan", "arcsin", "arctan", "sinh", "cosh", "tanh", "arcsinh", "arctanh", "abs",
                 "fabs", "deg2rad", "rad2deg", "sinc", "cumsum", "cumprod", "sort"]


@pytest.mark.parametrize("name", UNARY_FLOAT32)
def test_float32_gradients_stay_float32(name):
    x = numpy.array([0.3, 0.5, 0.7], dtype=numpy.float32)
    g = elementwise_grad(lambda x: getattr(np, name)(x) * numpy.float32(2.0))(x)
    assert g.dtype == numpy.float32, f"{name}: gradient has dtype {g.dtype}"
    g64 = elementwise_grad(lambda x: getattr(np, name)(x) * 2.0)(x.astype(float))
    numpy.testing.assert_allclose(g, g64, rtol=1e-4)


def test_float32_through_a_small_network():
    rng = numpy.random.default_rng(0)
    W = rng.standard_normal((3, 4)).astype(numpy.float32)
    x = rng.standard_normal((5, 3)).astype(numpy.float32)
    loss = lambda W: np.mean(np.log1p(np.exp(-np.tanh(x @ W))) ** 2)  # noqa: E731
    g = grad(loss)(W)
    assert g.dtype == numpy.float32
    numpy.testing.assert_allclose(g, grad(loss)(W.astype(float)), rtol=1e-3, atol=1e-5)


def test_integer_inputs_are_constants():
    k = numpy.arange(3)
    numpy.testing.assert_allclose(grad(lambda x: np.sum(x * k + k**2))(numpy.ones(3)), k)
    numpy.testing.assert_allclose(grad(lambda x: np.sum(np.power(x, k)))(numpy.full(3, 2.0)), [0.0, 1.0, 4.0])


@pytest.mark.parametrize("to_int", [
    lambda v: np.int64(v), lambda v: np.int32(v), lambda v: numpy.asarray(v, dtype=int), lambda v: np.astype(v, int),
])
def test_integer_conversions_of_traced_values_are_constants(to_int):
    # rows picked by a traced column cast to integers: the indices carry no derivative,
    # the picked entries do
    W = numpy.array([[0.3, -1.2, 2.5], [1.1, 0.4, 0.5], [-0.7, 2.0, 1.5]])

    def fun(W):
        rows = to_int(W[:, -1])
        assert rows.dtype.kind == "i" and not isinstance(rows, np.ArrayBox)
        return np.sum(W[rows, :2] ** 2)

    numpy.testing.assert_array_equal(to_int(W[:, -1]), [2, 0, 1])
    assert fun(W) == pytest.approx(numpy.sum(W[[2, 0, 1], :2] ** 2))
    check_grads(fun, modes=["fwd", "rev"], order=2)(W)
    numpy.testing.assert_allclose(grad(fun)(W)[:, 2], 0.0)
    assert np.int64(3.7) == 3 and np.int64 is numpy.int64  # still NumPy's own type


def test_float_conversion_of_a_traced_value_is_refused():
    with pytest.raises(TracingError, match="drop its derivative"):
        grad(lambda x: np.float64(x) * x)(numpy.array(1.5))
    with pytest.raises(TracingError, match="drop its derivative"):
        grad(lambda x: np.sum(numpy.asarray(x, dtype=float)))(numpy.ones(2))


def test_non_differentiable_functions_pass_through_as_constants():
    f = lambda x: np.sum(x * np.floor(x) + np.sign(x) * (np.argmax(x) + 1) + (x > 0.5))  # noqa: E731
    numpy.testing.assert_allclose(grad(f)(numpy.array([0.2, 1.7, -1.2])), [0.0, 1.0, -2.0])  # floor(x); the rest is constant


COMPLEX = (
    sweep(np.exp, [C(3)]) + sweep(np.sin, [C(3)]) + sweep(np.log, [C(3)]) + sweep(np.sqrt, [C(3)])
    + sweep(np.abs, [C(3)]) + sweep(np.angle, [C(3)]) + sweep(np.real, [C(3)]) + sweep(np.imag, [C(3)])
    + sweep(np.conj, [C(3)]) + sweep(np.multiply, [C(3)], [C(3), C()]) + sweep(np.divide, [C(3)], [C(3)])
    + sweep(np.power, [C(3)], [2.0]) + sweep(np.sum, [C(2, 3)], axis=[None, 0]) + sweep(np.dot, [C(2, 3)], [C(3)])
    + sweep(np.matmul, [C(2, 3)], [C(3, 2)]) + sweep(np.vdot, [C(3)], [C(3)]) + sweep(np.einsum, ["ij,j->i"], [C(2, 3)], [C(3)])
    + sweep(lambda z: np.abs(z) ** 2 + np.real(z * np.conj(z)), [C(3)], covers=("abs",))
    + sweep(lambda x: np.exp(1j * x), [numpy.array([0.3, 1.2])], covers=("exp",))
)


@pytest.mark.parametrize("case", COMPLEX, ids=ids(COMPLEX))
def test_complex(case):
    run_case(case)


def test_holomorphic_grad_and_real_valued_functions_of_complex_inputs():
    z = 0.3 + 0.4j
    assert holomorphic_grad(lambda z: z**3)(z) == pytest.approx(3 * z**2)
    assert holomorphic_grad(np.exp)(z) == pytest.approx(numpy.exp(z))
    # autograd's convention for real f of complex z: grad = ∂f/∂x − i ∂f/∂y  (here f = |z|², so 2 conj(z))
    assert grad(lambda z: np.abs(z) ** 2)(z) == pytest.approx(2 * numpy.conj(z))


def test_every_differentiable_name_has_both_rules_and_a_test():
    from ravine.autodiff.core import _missing_jvp  # noqa: F401  (the engine's error for a missing rule)

    missing_rules = []
    for name in wrapper.DIFFERENTIABLE:
        f = getattr(wrapper, name)
        first = 1 if name in ("concatenate_args",) else 2 if name == "array_from_args" else 0
        try:
            f.vjps[first] if f.vjp_argnums is None else None
            f.jvps[first] if f.jvp_argnums is None else None
        except KeyError:
            missing_rules.append(name)
    assert not missing_rules, f"no VJP or JVP rule: {missing_rules}"
    tested = covered(elementwise.UNARY, elementwise.BINARY, shapes.REDUCTIONS, shapes.SHAPES, shapes.GATHER,
                     products.PRODUCTS, fft_tests.FFT)
    untested = sorted(set(wrapper.DIFFERENTIABLE) - tested)
    assert not untested, f"primitives without a derivative test: {untested}"
    # functions composed from primitives: each must be called in a derivative test
    sources = "".join(p.read_text() for p in Path(__file__).parent.glob("test_*.py"))
    composed = wrapper.COMPOSED + index_tricks.__all__ + finite_differences.__all__
    uncalled = sorted(name for name in composed if not re.search(rf"np\.{name}\b", sources))
    assert not uncalled, f"composed functions never called in a test: {uncalled}"


@pytest.mark.parametrize("dtype", [numpy.float16, numpy.longdouble, numpy.clongdouble])
def test_half_and_extended_precision_inputs_keep_their_dtype(dtype):
    # d/dx Re Σ x² = 2 x for real x; 2 conj(x) for complex x (autograd's convention)
    x = numpy.random.default_rng(0).standard_normal((3, 2)).astype(dtype)
    g = grad(lambda x: np.real(np.sum(x**2)))(x)
    assert g.dtype == x.dtype
    expected = 2 * numpy.conj(x) if numpy.iscomplexobj(x) else 2 * x
    assert numpy.allclose(g, expected, rtol=1e-3 if dtype == numpy.float16 else 1e-12)
    scalar = dtype(0.3) if dtype != numpy.clongdouble else numpy.longdouble(0.3)
    d = grad(lambda s: np.sin(s) * s)(scalar)  # sin(s) + s cos(s), in the input's precision
    assert type(d) is type(scalar) and abs(float(d) - (numpy.sin(0.3) + 0.3 * numpy.cos(0.3))) < 1e-3
