"""scipy.linalg's expm, solve, inv, det and block_diag on traced matrices (before, they were
SciPy's own and refused traced values)."""

import numpy
import pytest
import scipy.linalg as sl
from traced_values import traced_value

import ravine
import ravine.scipy.linalg as rsl
from ravine.test_util import check_grads

rng = numpy.random.default_rng(11)
A = 0.5 * rng.standard_normal((3, 3))
S = A @ A.T + 3 * numpy.eye(3)
b = rng.standard_normal(3)


@pytest.mark.parametrize("x", [A, 0.5 * rng.standard_normal((2, 3, 3)), A + 0.3j * rng.standard_normal((3, 3))],
                         ids=["real", "stack", "complex"])
def test_expm_values_and_derivatives(x):
    numpy.testing.assert_allclose(traced_value(rsl.expm, x), sl.expm(x), rtol=1e-13)
    check_grads(rsl.expm, modes=("fwd", "rev"), order=1 if numpy.iscomplexobj(x) else 2)(x)


def test_expm_known_derivatives():
    # d/dt e^{tA} = A e^{tA};  for commuting A and E, L(A, E) = E e^A.
    t = 0.7
    numpy.testing.assert_allclose(ravine.jacobian(lambda s: rsl.expm(s * A))(t), A @ sl.expm(t * A), rtol=1e-12)
    D = numpy.diag([0.3, -1.0, 2.0])
    E = numpy.diag([1.0, 2.0, 3.0])
    _, tangent = ravine.make_jvp(rsl.expm)(D)(E)
    numpy.testing.assert_allclose(tangent, E @ sl.expm(D), rtol=1e-12)


@pytest.mark.parametrize("assume_a", [None, "sym", "pos"])
def test_solve_and_inv_read_the_triangle_scipy_reads(assume_a):
    # finite differences of SciPy's own function along non-symmetric directions: for 'sym'
    # and 'pos' SciPy reads the upper triangle only, and so must the derivative.
    numpy.testing.assert_allclose(traced_value(lambda a: rsl.solve(a, b, assume_a=assume_a), S),
                                  sl.solve(S, b, assume_a=assume_a), rtol=1e-12)
    check_grads(lambda a: rsl.solve(a, b, assume_a=assume_a), modes=("fwd", "rev"), order=2)(S)
    check_grads(lambda v: rsl.solve(S, v, assume_a=assume_a, transposed=True), modes=("fwd", "rev"), order=2)(b)
    check_grads(lambda a: rsl.inv(a, assume_a=assume_a), modes=("fwd", "rev"), order=2)(S)


def test_det_and_block_diag():
    check_grads(rsl.det, modes=("fwd", "rev"), order=2)(A)
    f = lambda a: rsl.block_diag(a, a[:2, :1], 3 * a)
    numpy.testing.assert_array_equal(traced_value(f, A), sl.block_diag(A, A[:2, :1], 3 * A))
    check_grads(f, modes=("fwd", "rev"), order=2)(A)
    numpy.testing.assert_array_equal(ravine.grad(lambda a: f(a).sum())(A), numpy.full((3, 3), 4.0)
                                     + numpy.pad(numpy.ones((2, 1)), ((0, 1), (0, 2))))
