"""Arithmetic and elementwise functions: forward and reverse mode to second order,
over 0-d values, vectors, matrices and broadcasting pairs."""

import numpy
import pytest

import ravine.numpy as np
from gradsweep import P, R, U, ids, run_case, sweep

ANY = [R(), R(3), R(2, 3)]
POS = [P(), P(3), P(2, 3)]
UNIT = [U(), U(3), U(2, 3)]
# broadcasting pairs: (first, second) shapes that combine
PAIRS = [((), ()), ((3,), ()), ((), (3,)), ((2, 3), (3,)), ((3,), (2, 3)), ((2, 1), (1, 3)), ((2, 3), (2, 3))]


def pairs(make_x=R, make_y=R):
    return [[make_x(*a) for a, _ in PAIRS], [make_y(*b) for _, b in PAIRS]]


def binary(fun, make_x=R, make_y=R, **kw):
    xs, ys = pairs(make_x, make_y)
    cases = []
    for x, y in zip(xs, ys):
        cases += sweep(fun, [x], [y], **kw)
    return cases


UNARY = (
    sweep(np.negative, ANY) + sweep(np.positive, ANY) + sweep(np.exp, ANY) + sweep(np.exp2, ANY)
    + sweep(np.expm1, ANY) + sweep(np.log, POS) + sweep(np.log2, POS) + sweep(np.log10, POS)
    + sweep(np.log1p, POS) + sweep(np.sqrt, POS) + sweep(np.cbrt, POS) + sweep(np.square, ANY)
    + sweep(np.reciprocal, POS) + sweep(np.sin, ANY) + sweep(np.cos, ANY) + sweep(np.tan, UNIT)
    + sweep(np.arcsin, UNIT) + sweep(np.arccos, UNIT) + sweep(np.arctan, ANY) + sweep(np.sinh, ANY)
    + sweep(np.cosh, ANY) + sweep(np.tanh, ANY) + sweep(np.arcsinh, ANY)
    + sweep(np.arccosh, [P() + 1, P(3) + 1]) + sweep(np.arctanh, UNIT) + sweep(np.abs, ANY)
    + sweep(np.absolute, ANY) + sweep(np.fabs, ANY) + sweep(np.deg2rad, ANY) + sweep(np.rad2deg, ANY)
    + sweep(np.degrees, ANY) + sweep(np.radians, ANY) + sweep(np.sinc, ANY)
    + sweep(np.real, ANY) + sweep(np.imag, ANY) + sweep(np.conj, ANY) + sweep(np.conjugate, ANY)
    + sweep(np.real_if_close, ANY) + sweep(np.angle, POS) + sweep(np.copy, ANY) + sweep(np.nan_to_num, ANY)
    + sweep(np.clip, ANY, [-0.5], [0.6]) + sweep(np.clip, ANY, [None], [0.2])
    + sweep(np.clip, ANY, [-0.2], [None])
)

BINARY = (
    binary(np.add) + binary(np.subtract) + binary(np.multiply) + binary(np.divide, R, P)
    + binary(np.true_divide, R, P) + binary(np.power, P, R) + binary(np.float_power, P, R)
    + binary(np.maximum) + binary(np.minimum) + binary(np.fmax) + binary(np.fmin)
    + binary(np.logaddexp) + binary(np.logaddexp2) + binary(np.arctan2, R, P) + binary(np.hypot)
    + binary(np.mod, P, P) + binary(np.remainder, P, P) + binary(np.fmod, P, P)
    + sweep(np.where, [R(3) > 0], [R(3), R()], [R(2, 3), R(3)])
)


@pytest.mark.parametrize("case", UNARY, ids=ids(UNARY))
def test_unary(case):
    run_case(case)


@pytest.mark.parametrize("case", BINARY, ids=ids(BINARY))
def test_binary(case):
    run_case(case)


def test_power_at_zero_base_and_integer_exponents():
    from ravine import grad
    assert grad(lambda x: x**2)(0.0) == 0.0
    assert grad(lambda x: x**1)(0.0) == 1.0
    assert grad(lambda x: np.power(x, 3.0))(-2.0) == pytest.approx(12.0)
    assert grad(grad(lambda x: x**2))(0.0) == 2.0
    # d/dy 0**y = 0 for y > 0 (not nan)
    assert grad(lambda y: np.power(0.0, y))(2.0) == 0.0
    # negative base, integer exponent: the exponent's derivative is undefined in reals, the base's is fine
    assert grad(lambda x: x**3.0)(-1.5) == pytest.approx(3 * 1.5**2)


def test_max_min_ties_share_the_gradient():
    from ravine import grad
    g = grad(lambda x, y: np.sum(np.maximum(x, y)))(numpy.array([1.0, 2.0]), numpy.array([1.0, 3.0]))
    numpy.testing.assert_allclose(g, [0.5, 0.0])


def test_clip_passes_gradient_inside_and_blocks_outside():
    from ravine import grad
    g = grad(lambda x: np.sum(np.clip(x, -1.0, 1.0) * numpy.array([1.0, 2.0, 3.0])))(numpy.array([-2.0, 0.5, 3.0]))
    numpy.testing.assert_allclose(g, [0.0, 2.0, 0.0])
