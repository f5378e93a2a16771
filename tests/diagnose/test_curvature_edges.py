"""Edge cases of the curvature tools against a dense reference (numpy.linalg.eigvalsh
of ravine.hessian): pytrees, float32, indefinite and singular Hessians, n = 1 and 2,
repeated eigenvalues; and bad input refused with a ravine error that names the fix."""

import numpy
import pytest

import ravine.numpy as np
from ravine import ConfigError, DivergenceError, ShapeError, hessian
from ravine.diagnose.curvature import (
    extreme_eigenpairs,
    hessian_matrix,
    hessian_operator,
)
from ravine.misc.flatten import flatten


def _reference(loss, params):
    """Eigenvalues of ravine.hessian of the flattened loss, by numpy.linalg.eigvalsh."""
    theta, unflatten = flatten(params)
    return numpy.linalg.eigvalsh(numpy.asarray(hessian(lambda v: loss(unflatten(v)))(numpy.asarray(theta, float))))


def _pytree_loss(p):
    # indefinite, couples the leaves, not quadratic
    return (np.sum(p["W"] ** 2) * np.sin(p["s"]) + np.dot(p["b"], np.dot(p["W"], p["b"]))
            - np.sum(p["b"] ** 4) + p["s"] ** 3)


PYTREE = {"W": numpy.array([[0.3, -1.2], [0.7, 0.1]]), "b": numpy.array([0.5, -0.4]), "s": numpy.array(0.9)}


@pytest.mark.parametrize("method", ["dense", "lanczos"])
def test_pytree_spectrum_matches_dense_reference(method):
    ref = _reference(_pytree_loss, PYTREE)
    assert ref[0] < 0 < ref[-1]  # indefinite
    op = hessian_operator(_pytree_loss, PYTREE)
    for which, pick in (("largest", ref[-2:]), ("smallest", ref[:2])):
        got = extreme_eigenpairs(op, k=2, which=which, method=method).values
        numpy.testing.assert_allclose(got, pick, rtol=1e-10, atol=1e-12)


def test_float32_parameters_give_the_float64_spectrum_of_the_same_loss():
    A = numpy.array([[4.0, 1.0, 0.0], [1.0, 3.0, -2.0], [0.0, -2.0, -1.0]])
    loss = lambda x: 0.5 * np.dot(x, np.dot(A, x)) + np.sum(x**3) / 3
    x32 = numpy.array([0.1, -0.2, 0.3], dtype=numpy.float32)
    values = extreme_eigenpairs(hessian_operator(loss, x32), k=3).values
    numpy.testing.assert_allclose(values, numpy.linalg.eigvalsh(A + numpy.diag(2 * x32.astype(float))), rtol=1e-6)


@pytest.mark.parametrize("n", [1, 2])
def test_tiny_problems_where_k_reaches_the_dimension(n):
    A = numpy.diag([3.0, -1.0][:n])
    loss = lambda x: 0.5 * np.dot(x, np.dot(A, x))
    op = hessian_operator(loss, numpy.ones(n))
    for method in ("dense", "lanczos"):
        for k in range(1, n + 1):
            assert numpy.allclose(extreme_eigenpairs(op, k=k, method=method).values, numpy.sort(numpy.diag(A))[n - k:])
    with pytest.raises(ConfigError, match="between 1 and the dimension"):
        extreme_eigenpairs(op, k=n + 1)


def test_repeated_eigenvalues_are_all_found_by_lanczos():
    rng = numpy.random.default_rng(0)
    lams = numpy.r_[5.0, 5.0, 5.0, numpy.linspace(0.1, 4.0, 97)]
    Q, _ = numpy.linalg.qr(rng.normal(size=(100, 100)))
    A = (Q * lams) @ Q.T
    numpy.testing.assert_allclose(extreme_eigenpairs(A, k=4, method="lanczos").values, [4.0, 5.0, 5.0, 5.0],
                                  rtol=1e-10)


def test_k_must_be_a_whole_number():
    # k = 2.5 used to escape as a TypeError from a slice deep in extreme_eigenpairs
    with pytest.raises(ConfigError, match="whole number"):
        extreme_eigenpairs(numpy.diag([1.0, 2.0, 3.0]), k=2.5)
    with pytest.raises(ConfigError, match="whole number"):
        extreme_eigenpairs(numpy.diag([1.0, 2.0, 3.0]), k=True)
    assert extreme_eigenpairs(numpy.diag([1.0, 2.0, 3.0]), k=numpy.int64(2)).values.tolist() == [2.0, 3.0]


def test_a_non_scalar_loss_has_no_hessian_matrix():
    # used to return the (3, 3, 3) second-derivative tensor of x ↦ x² as if it were the Hessian
    with pytest.raises(ShapeError, match="scalar"):
        hessian_matrix(lambda x: x**2, numpy.ones(3))
    with pytest.raises(ShapeError, match="scalar"):
        hessian_operator(lambda x: x**2, numpy.ones(3))


@pytest.mark.parametrize("method", ["dense", "lanczos"])
def test_non_finite_parameters_are_refused_by_name(method):
    # a NaN parameter used to give λmax = nan (dense) or a raw ArpackError (Lanczos)
    n = 3 if method == "dense" else 80
    params = {"w": numpy.ones(n), "v": numpy.array([1.0, numpy.nan])}
    loss = lambda p: np.sum(p["w"] ** 4) + np.sum(p["v"] ** 4)
    with pytest.raises(DivergenceError, match=r"parameters contain NaN or Inf at 1 of .*v\[1\]"):
        extreme_eigenpairs(hessian_operator(loss, params), method=method)


def test_a_loss_that_is_not_finite_at_the_parameters_is_refused():
    with numpy.errstate(divide="ignore"), \
            pytest.raises(DivergenceError, match=r"gradient .* NaN or Inf at 1 of 2 .*params\[0\]"):
        hessian_operator(lambda x: np.sum(np.log(x)), numpy.array([0.0, 1.0]))


def test_a_non_symmetric_matrix_is_refused_not_symmetrised():
    # eigh of (M + Mᵀ)/2 gave 2.0 as the "largest eigenvalue" of [[1, 2], [0, 1]] (whose are 1, 1)
    with pytest.raises(ShapeError, match="not symmetric"):
        extreme_eigenpairs(numpy.array([[1.0, 2.0], [0.0, 1.0]]))


@pytest.mark.parametrize("scale", [1e-9, 1.0, 1e6])
def test_classification_does_not_depend_on_the_units_of_the_loss(scale):
    # Scaling E by c > 0 scales every eigenvalue by c and changes nothing else.  With the old
    # default tolerance 1e-8·max(1, |λ|max), 1e-9·‖x‖² (H = 2e-9·I, perfectly conditioned)
    # was called "degenerate".
    from ravine.diagnose.curvature import classify_critical_point

    cases = {"minimum": lambda x: scale * (x[0] ** 2 + 3 * x[1] ** 2),
             "maximum": lambda x: -scale * (x[0] ** 2 + 3 * x[1] ** 2),
             "saddle": lambda x: scale * (x[0] ** 2 - 3 * x[1] ** 2),
             "degenerate": lambda x: scale * (x[0] ** 2 + x[1] ** 4)}
    for kind, f in cases.items():
        assert classify_critical_point(f, numpy.zeros(2)).kind == kind, (scale, kind)
    # a zero Hessian decides nothing
    assert classify_critical_point(lambda x: scale * x[0] ** 4, numpy.zeros(1)).kind == "degenerate"
