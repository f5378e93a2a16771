"""Property-based tests: random compositions of primitives, checked in both modes
to second order against finite differences."""

import numpy
from hypothesis import given, settings, strategies as st

import ravine.numpy as np
from ravine.test_util import check_grads

# smooth maps R^(2,3) -> R^(2,3) (bounded inputs keep them well away from singularities)
UNARY = [np.sin, np.tanh, np.exp, lambda x: np.log1p(x * x), lambda x: x**3, np.arctan, np.cosh,
         lambda x: np.sqrt(1.0 + x * x), lambda x: np.cumsum(x, axis=1), lambda x: np.flip(x, 0),
         lambda x: np.roll(x, 1, axis=1), lambda x: np.sort(x, axis=1), lambda x: x - np.mean(x, axis=0),
         lambda x: x / (1.0 + np.sum(x**2)), lambda x: np.tile(x[:, :1], (1, 3)) * x]
BINARY = [np.add, np.subtract, np.multiply, lambda a, b: a / (2.0 + np.sin(b)), np.hypot,
          lambda a, b: np.maximum(a, b + 0.05), lambda a, b: np.dot(a, b.T) @ a, np.logaddexp,
          lambda a, b: np.einsum("ij,kj->ik", a, b) @ b, lambda a, b: np.where(a > b + 0.05, a * b, a - b)]
# The comparisons keep a margin (b + 0.05): a program can make a and b equal up to rounding
# (sin x + x − x against sin x), and finite differences across a jump say nothing.


@st.composite
def programs(draw):
    steps = draw(st.lists(st.tuples(st.booleans(), st.integers(0, 100), st.integers(0, 100)), min_size=1, max_size=4))
    return [(is_binary, i % (len(BINARY) if is_binary else len(UNARY)), j) for is_binary, i, j in steps]


def run(program, x):
    values = [x]
    for is_binary, i, j in program:
        last = values[-1]
        values.append(BINARY[i](last, values[j % len(values)]) if is_binary else UNARY[i](last))
    return np.sum(np.tanh(values[-1])) + np.sum(values[-1] * values[0])


@settings(max_examples=60, deadline=None, derandomize=True)  # the same programs on every run: CI cannot flake
@given(program=programs(), seed=st.integers(0, 2**16))
def test_random_compositions_match_finite_differences(program, seed):
    x = 0.5 * numpy.random.default_rng(seed).standard_normal((2, 3))
    check_grads(lambda x: run(program, x), modes=("fwd", "rev"), order=2, rtol=1e-4, atol=1e-5)(x)
