"""Norms at the zero vector and standard deviations of equal entries: the subgradient 0.

‖x‖ and std(x) are convex with their minimum there, so they have no gradient, and 0 is in
their subdifferential.  ravine gave NaN (0·∞ from the square root), as autograd does, while
``hypot(0, 0)``, ``nanstd`` of equal entries and ``abs(0)`` already gave 0: one NaN in a
penalty ‖w‖ or a normalisation by std poisons a whole training run.  Away from the kink the
rules are unchanged (checked against finite differences below).
"""

from __future__ import annotations

import numpy
import pytest

import ravine
import ravine.numpy as np
from ravine import grad, hessian, make_jvp
from ravine.test_util import check_grads

ZERO = numpy.zeros((2, 3))
EQUAL = numpy.full((2, 3), 0.5)  # every std over these is exactly 0

CASES = [
    ("norm", lambda x: np.linalg.norm(x), ZERO),
    ("norm_rows", lambda x: np.sum(np.linalg.norm(x, axis=1)), ZERO),
    ("norm_fro", lambda x: np.linalg.norm(x, "fro"), ZERO),
    ("norm_p3", lambda x: np.linalg.norm(np.ravel(x), 3), ZERO),
    ("norm_p1", lambda x: np.linalg.norm(np.ravel(x), 1), ZERO),
    ("vector_norm", lambda x: np.linalg.vector_norm(x), ZERO),
    ("matrix_norm", lambda x: np.linalg.matrix_norm(x), ZERO),
    ("std", lambda x: np.std(x), EQUAL),
    ("std_rows", lambda x: np.sum(np.std(x, axis=1)), EQUAL),
    ("std_ddof", lambda x: np.std(x, ddof=1), EQUAL),
    ("std_mean", lambda x: np.std(x, mean=np.mean(x, axis=1, keepdims=True), axis=1)[0], EQUAL),
    ("nanstd", lambda x: np.nanstd(x), EQUAL),
]


@pytest.mark.parametrize("label, f, x", CASES, ids=[c[0] for c in CASES])
def test_zero_subgradient_in_both_modes_and_a_finite_hessian(label, f, x):
    numpy.testing.assert_array_equal(grad(f)(x), numpy.zeros_like(x))
    direction = numpy.random.default_rng(0).standard_normal(x.shape)
    assert make_jvp(f)(x)(direction)[1] == 0.0
    assert numpy.all(numpy.isfinite(hessian(f)(x)))


@pytest.mark.parametrize("label, f, x", CASES, ids=[c[0] for c in CASES])
def test_rules_away_from_the_kink_match_finite_differences(label, f, x):
    nearby = x + 0.3 * numpy.random.default_rng(1).standard_normal(x.shape)
    check_grads(f, modes=("fwd", "rev"), order=2)(nearby)


@pytest.mark.parametrize("label, f, x", CASES, ids=[c[0] for c in CASES])
def test_values_are_numpys(label, f, x):
    # where() on the zero branch must not turn NumPy's scalar into a 0-d array or change the dtype
    f32 = x.astype(numpy.float32)
    _, value = ravine.make_vjp(f)(f32)
    plain = f(f32)
    assert type(value) is type(plain) and numpy.asarray(value).dtype == numpy.asarray(plain).dtype
    assert value == plain == 0.0


def test_gradient_descent_on_a_norm_penalty_lands_at_zero_and_stays():
    # min ½‖w − c‖² + λ‖w‖ with ‖c‖ < λ has its minimum at w = 0; a NaN there ended the run.
    c, lam = numpy.array([0.3, -0.2]), 1.0
    objective = lambda w: 0.5 * np.sum((w - c) ** 2) + lam * np.linalg.norm(w)
    w = numpy.zeros(2)
    for _ in range(5):
        w = w - 0.1 * grad(objective)(w)
    assert numpy.all(numpy.isfinite(w))
    # from 0 the step is −α(0 − c + 0) = αc, then the penalty pulls back: no NaN, small iterates
    assert numpy.linalg.norm(w) < numpy.linalg.norm(c)
