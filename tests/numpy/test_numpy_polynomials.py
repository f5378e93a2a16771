"""poly, polyadd, polysub, polymul, polydiv, polyval, polyder, polyint, polyfit, roots and
vander (ravine.numpy.polynomials): values against NumPy's, untraced and traced; derivatives
against central differences (forward and reverse, second order) and against known results
(d polyval/dx = polyval(polyder(p)), dr = −(∂p/∂c)(r)/p′(r) for a root r, ...)."""

import warnings

import numpy
import pytest
from gradsweep import C, R
from traced_values import forward_jacobian, traced_value

import ravine.numpy as np
from ravine import grad, jacobian
from ravine.errors import NotDifferentiableError
from ravine.test_util import check_grads

rng = numpy.random.default_rng(11)


def _assert_same(ours, theirs, rtol=0.0):
    """Equal shapes, and equal values (exactly, or to rtol)."""
    if isinstance(theirs, tuple):
        assert isinstance(ours, tuple) and len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            _assert_same(a, b, rtol)
        return
    assert numpy.shape(ours) == numpy.shape(theirs)
    if rtol:
        numpy.testing.assert_allclose(ours, theirs, rtol=rtol, atol=rtol)
    else:
        numpy.testing.assert_array_equal(ours, theirs)


# ---- arithmetic, evaluation, derivative, integral -------------------------------------------------

PAIRS = [(R(3), R(3)), (R(2), R(5)), (R(4), R(1)), (C(3), R(2)), (numpy.array([0.0, 0.0, 2.0, 1.0]), R(3))]


@pytest.mark.parametrize("a1, a2", PAIRS)
@pytest.mark.parametrize("name", ["polyadd", "polysub", "polymul"])
def test_binary_operations(name, a1, a2):
    expected = getattr(numpy, name)(a1, a2)
    _assert_same(getattr(np, name)(a1, a2), expected)
    _assert_same(traced_value(getattr(np, name), a1, a2), expected, rtol=1e-12)
    # leading zeros are trimmed on the values (as poly1d does): NumPy's result changes length when
    # they move, so only the other coefficients are perturbed there
    argnum = (0, 1) if a1[0] != 0 else 1
    check_grads(getattr(np, name), modes=("fwd", "rev"), order=2, argnum=argnum)(a1, a2)


def test_polymul_of_poly1d_stays_poly1d_untraced_and_trims_like_poly1d():
    assert isinstance(np.polymul(numpy.poly1d([1.0, 2.0]), [1.0, -1.0]), numpy.poly1d)
    a = numpy.array([0.0, 0.0, 1.5, 2.0])
    _assert_same(traced_value(np.polymul, a, numpy.array([0.0, 3.0])), numpy.polymul(a, [0.0, 3.0]), 1e-15)
    _assert_same(traced_value(np.polymul, numpy.zeros(2), numpy.array([2.0, 3.0])),
                 numpy.polymul(numpy.zeros(2), [2.0, 3.0]), 1e-15)


@pytest.mark.parametrize("u, v", [(R(5), R(2)), (R(6), R(3)), (R(3), R(3)), (R(2), R(4)), (C(4), R(2)),
                                  (numpy.array([1.0, -3.0, 2.0]), numpy.array([1.0, -1.0]))])
def test_polydiv(u, v):
    expected = numpy.polydiv(u, v)
    _assert_same(np.polydiv(u, v), expected)
    _assert_same(traced_value(np.polydiv, u, v), expected, rtol=1e-12)
    check_grads(np.polydiv, modes=("fwd", "rev"), order=2, argnum=(0, 1))(u, v)


def test_polydiv_inverts_polymul():
    q, r = R(3), R(2)
    v = R(3)
    u = np.polyadd(np.polymul(q, v), r)
    # d/du of the quotient is linear; and q(u(q)) = q, so dq/dq = I
    J = jacobian(lambda q: np.polydiv(np.polyadd(np.polymul(q, v), r), v)[0])(q)
    numpy.testing.assert_allclose(J, numpy.eye(3), atol=1e-12)
    numpy.testing.assert_allclose(np.polydiv(u, v)[1], r, atol=1e-12)


@pytest.mark.parametrize("p, x", [(R(4), R(5)), (R(1), R(3)), (C(3), R(2, 2)), (R(3), C(4)), (R(5), 0.7),
                                  (R(3, 2), R(2))])
def test_polyval(p, x):
    expected = numpy.polyval(p, x)
    _assert_same(np.polyval(p, x), expected)
    _assert_same(traced_value(np.polyval, p, x), expected)
    check_grads(np.polyval, modes=("fwd", "rev"), order=2, argnum=(0, 1))(p, x)


def test_polyval_derivative_is_the_derivative_polynomial():
    p, x = R(6), R(7)
    dx = grad(lambda x: np.sum(np.polyval(p, x)))(x)
    numpy.testing.assert_allclose(dx, numpy.polyval(numpy.polyder(p), x), rtol=1e-12)
    d2x = grad(lambda x: np.sum(grad(lambda x: np.sum(np.polyval(p, x)))(x)))(x)
    numpy.testing.assert_allclose(d2x, numpy.polyval(numpy.polyder(p, 2), x), rtol=1e-12)
    # d p(x) / d p_k = x^(L−1−k): the Vandermonde row
    J = jacobian(lambda p: np.polyval(p, x))(p)
    numpy.testing.assert_allclose(J, numpy.vander(x, 6), rtol=1e-12)


def test_polyval_refuses_a_poly1d_point_with_traced_coefficients():
    with pytest.raises(NotDifferentiableError, match="poly1d"):
        grad(lambda p: np.sum(np.polyval(p, numpy.poly1d([1.0, 0.0]))))(R(3))


@pytest.mark.parametrize("m", [0, 1, 2, 4])
def test_polyder_and_polyint(m):
    p = R(5)
    _assert_same(np.polyder(p, m), numpy.polyder(p, m))
    _assert_same(traced_value(lambda p: np.polyder(p, m), p), numpy.polyder(p, m))
    check_grads(lambda p: np.polyder(p, m), modes=("fwd", "rev"), order=2)(p)
    for k in (None, 0.5, R(max(m, 1))):
        _assert_same(np.polyint(p, m, k), numpy.polyint(p, m, k))
        _assert_same(traced_value(lambda p, k=k: np.polyint(p, m, k), p), numpy.polyint(p, m, k))
        check_grads(lambda p, k=k: np.polyint(p, m, k), modes=("fwd", "rev"), order=2)(p)
    if m:
        check_grads(lambda k: np.polyint(p, m, k), modes=("fwd", "rev"), order=2)(R(m))
        # polyder undoes polyint, whatever the constants
        J = jacobian(lambda p: np.polyder(np.polyint(p, m, R(m)), m))(p)
        numpy.testing.assert_allclose(J, numpy.eye(5), atol=1e-12)


@pytest.mark.parametrize("N, increasing", [(None, False), (3, False), (5, True), (1, False), (0, True)])
def test_vander(N, increasing):
    x = numpy.array([0.0, -1.3, 0.4, 2.0])
    expected = numpy.vander(x, N, increasing)
    _assert_same(np.vander(x, N, increasing), expected)
    _assert_same(traced_value(lambda x: np.vander(x, N, increasing), x), expected)
    check_grads(lambda x: np.vander(x, N, increasing), modes=("fwd", "rev"), order=2)(x)
    check_grads(lambda x: np.vander(x, N, increasing), modes=("fwd", "rev"), order=2)(C(3))
    # d x^j / dx = j x^(j−1), exactly at x = 0 too
    columns = 4 if N is None else N
    d = grad(lambda x: np.sum(np.vander(x, N, True)))(x)
    numpy.testing.assert_allclose(d, sum(j * x ** (j - 1) for j in range(1, columns)), rtol=1e-12)


# ---- poly and roots -------------------------------------------------------------------------------


@pytest.mark.parametrize("z", [R(1), R(4), C(3), numpy.array([1 + 2j, 1 - 2j, 0.5])])
def test_poly_from_roots(z):
    expected = numpy.poly(z)
    _assert_same(np.poly(z), expected)
    _assert_same(traced_value(np.poly, z), expected, rtol=1e-13)
    if numpy.iscomplexobj(expected) == numpy.iscomplexobj(z):  # (a real result of conjugate pairs: below)
        check_grads(np.poly, modes=("fwd", "rev"), order=2)(z)


def test_poly_of_conjugate_pairs_is_real_and_differentiable_along_pairs():
    z = numpy.array([1 + 2j, 1 - 2j, 0.5])
    assert not numpy.iscomplexobj(traced_value(np.poly, z))

    def along_pairs(t):  # keep the pair conjugate: the result stays real, as NumPy's does
        return np.poly(np.stack([t[0] + 1j * t[1], t[0] - 1j * t[1], t[2] + 0j]))

    check_grads(along_pairs, modes=("fwd", "rev"), order=2)(numpy.array([1.0, 2.0, 0.5]))


@pytest.mark.parametrize("A", [R(3, 3), R(4, 4), C(3, 3), numpy.eye(3) * 2.0, numpy.array([[0.0, 1.0], [-1.0, 0.0]])])
def test_poly_of_a_matrix_is_its_characteristic_polynomial(A):
    expected = numpy.poly(A)
    _assert_same(np.poly(A), expected)
    _assert_same(traced_value(np.poly, A), expected)  # NumPy's values, bit for bit
    check_grads(np.poly, modes=("fwd", "rev"), order=2)(A)  # repeated eigenvalues too (2 I)
    # the last coefficient is (−1)^n det A, whose derivative is (−1)^n det(A) A^{−T}
    n = A.shape[0]
    if numpy.iscomplexobj(A):
        return
    d = grad(lambda A: np.real(np.poly(A)[-1]))(A)
    numpy.testing.assert_allclose(d, numpy.real((-1) ** n * numpy.linalg.det(A) * numpy.linalg.inv(A).T),
                                  rtol=1e-10, atol=1e-12)


def test_poly_edge_cases():
    assert np.poly(numpy.array([])) == numpy.poly(numpy.array([]))
    with pytest.raises(ValueError, match="1d or non-empty square"):
        grad(lambda z: np.sum(np.poly(z)))(R(2, 3))


@pytest.mark.parametrize("p", [
    numpy.poly([1.0, -2.0, 3.5]), R(5), C(4), numpy.array([2.0, 0.0, 1.0]), numpy.array([1.0, -3.0, 2.0, 0.0]),
    numpy.array([0.0, 1.0, -3.0, 2.0]), numpy.array([1.0, 0.0, 0.0, 0.0, 8.0]), numpy.array([3.0]),
])
def test_roots_values_and_derivatives(p):
    expected = numpy.roots(p)
    _assert_same(np.roots(p), expected)
    _assert_same(traced_value(np.roots, p), expected)
    if p[0] != 0:  # (moving a leading zero adds a root: NumPy's result changes length)
        check_grads(np.roots, modes=("fwd", "rev"), order=2)(p)
    else:
        check_grads(lambda tail: np.roots(np.concatenate([p[:1], tail])), modes=("fwd", "rev"), order=2)(p[1:])


def test_roots_derivative_in_a_zero_leading_coefficient():
    # p = ε x³ + x² − 3x + 2: the two finite roots move by −r³/p'(r) per unit ε
    p = numpy.array([0.0, 1.0, -3.0, 2.0])
    J = jacobian(np.roots)(p)
    r = numpy.roots(p)
    numpy.testing.assert_allclose(J[:, 0], -r ** 3 / numpy.polyval(numpy.polyder(p), r), rtol=1e-12)
    eps = 1e-7
    moved = numpy.roots(p + [eps, 0, 0, 0])
    moved = moved[numpy.argsort(numpy.abs(moved))][:2]  # the finite ones (the third is near −1/ε)
    order = numpy.argsort(r)
    numpy.testing.assert_allclose((numpy.sort(moved) - r[order]) / eps, J[order, 0], rtol=1e-5)


def test_roots_derivative_is_implicit_differentiation():
    p = R(6)
    r = numpy.roots(p)
    J = forward_jacobian(np.roots, p)
    slope = numpy.polyval(numpy.polyder(p), r)
    expected = -numpy.vander(r, 6) / slope[:, None]  # dr_i/dp_k = −r_i^(L−1−k) / p'(r_i)
    numpy.testing.assert_allclose(J, expected, rtol=1e-9)
    # and agrees with the companion matrix's eigenvalue derivatives (ravine's eig rule)
    def by_companion(p):
        top = -p[1:] / p[0]
        return np.linalg.eigvals(np.concatenate([np.reshape(top, (1, 5)), numpy.eye(5)[:4]], axis=0))
    order = numpy.argsort(numpy.linalg.eigvals(numpy.vstack([-p[1:] / p[0], numpy.eye(5)[:4]])))
    J2 = forward_jacobian(by_companion, p)
    numpy.testing.assert_allclose(J[numpy.argsort(r)], J2[order], rtol=1e-8)


def test_real_inputs_get_real_gradients_from_complex_results():
    p = numpy.array([1.0, 0.5, 2.0, -1.0])  # a real polynomial with a complex pair of roots
    assert numpy.iscomplexobj(numpy.roots(p))
    weights = C(3)
    g = grad(lambda p: np.real(np.sum(weights * np.roots(p))))(p)
    assert g.dtype == numpy.float64
    numpy.testing.assert_allclose(g, numpy.real(weights @ forward_jacobian(np.roots, p)), rtol=1e-10)
    y = Y + 0.3j * R(9)
    weights = C(2)
    g = grad(lambda x: np.real(np.sum(weights * np.polyfit(x, y, 1))))(X)
    assert g.dtype == numpy.float64
    numpy.testing.assert_allclose(g, numpy.real(weights @ forward_jacobian(lambda x: np.polyfit(x, y, 1), X)), rtol=1e-10)


def test_roots_trailing_zero_is_a_simple_root_at_zero():
    p = numpy.array([1.0, -3.0, 2.0, 0.0])  # x (x − 1)(x − 2)
    r = numpy.roots(p)
    assert r[-1] == 0.0
    # the root at 0 moves by −dp_3 / p'(0) = −dp_3 / 2 when the constant term moves
    J = jacobian(np.roots)(p)
    assert J[-1, -1] == pytest.approx(-0.5)


def test_roots_refuses_repeated_roots():
    for p in (numpy.poly([1.0, 1.0, 3.0]), numpy.poly([2.0, 2.0, 2.0, -1.0])):
        with pytest.raises(NotDifferentiableError, match="coincide"):
            jacobian(np.roots)(p)
    with pytest.raises(NotDifferentiableError, match="coincide"):
        jacobian(np.roots)(numpy.array([1.0, 2.0, 0.0, 0.0]))  # two roots at 0


# ---- polyfit --------------------------------------------------------------------------------------

X = numpy.linspace(-1.0, 2.0, 9) + 0.05 * R(9)
Y = numpy.sin(X) + 0.1 * R(9)
Y2 = numpy.stack([Y, numpy.cos(X)], axis=1)
W = 0.5 + rng.random(9)


@pytest.mark.parametrize("deg", [0, 1, 3])
@pytest.mark.parametrize("y", [Y, Y2, Y + 0.3j * R(9)], ids=["1d", "2d", "complex"])
@pytest.mark.parametrize("w", [None, W], ids=["unweighted", "weighted"])
def test_polyfit_values_and_derivatives(deg, y, w):
    expected = numpy.polyfit(X, y, deg, w=w)
    _assert_same(np.polyfit(X, y, deg, w=w), expected)
    _assert_same(traced_value(lambda y: np.polyfit(X, y, deg, w=w), y), expected, rtol=1e-12)
    _assert_same(traced_value(lambda x: np.polyfit(x, y, deg, w=w), X), expected, rtol=1e-12)
    check_grads(lambda y: np.polyfit(X, y, deg, w=w), modes=("fwd", "rev"), order=2)(y)
    check_grads(lambda x, y: np.polyfit(x, y, deg, w=w), modes=("fwd", "rev"), order=2, argnum=(0, 1))(X, y)
    if w is not None:
        check_grads(lambda w: np.polyfit(X, y, deg, w=w), modes=("fwd", "rev"), order=2)(w)


@pytest.mark.parametrize("y", [Y, Y2], ids=["1d", "2d"])
def test_polyfit_full_and_cov(y):
    ours, theirs = np.polyfit(X, y, 2, full=True), numpy.polyfit(X, y, 2, full=True)
    _assert_same(ours, theirs)
    traced = traced_value(lambda x, y: np.polyfit(x, y, 2, full=True), X, y)
    assert traced[2] == theirs[2] and traced[4] == theirs[4]
    for a, b in zip(traced[:2] + (traced[3],), theirs[:2] + (theirs[3],)):
        _assert_same(a, b, rtol=1e-12)
    check_grads(lambda x, y: np.polyfit(x, y, 2, full=True)[:2], modes=("fwd", "rev"), order=2,
                argnum=(0, 1))(X, y)
    check_grads(lambda x: np.polyfit(x, y, 2, full=True)[3], modes=("fwd", "rev"), order=2)(X)
    for cov in (True, "unscaled"):
        _assert_same(traced_value(lambda x, y, cov=cov: np.polyfit(x, y, 2, cov=cov), X, y),
                     numpy.polyfit(X, y, 2, cov=cov), rtol=1e-11)
        check_grads(lambda x, y, cov=cov: np.polyfit(x, y, 2, cov=cov), modes=("fwd", "rev"), order=2, argnum=(0, 1))(X, y)


def test_polyfit_interpolates_exactly_and_is_linear_in_y():
    x = numpy.array([0.0, 1.0, 2.5])
    # three points, degree 2: the fit interpolates, so dc/dy = V^{-1}
    J = jacobian(lambda y: np.polyfit(x, y, 2))(R(3))
    numpy.testing.assert_allclose(J, numpy.linalg.inv(numpy.vander(x, 3)), rtol=1e-10, atol=1e-12)
    # a line through points on y = 2x + 1 moved along x: the fit stays exact, dc/dx = 0
    x = numpy.linspace(0.0, 1.0, 5)
    J = jacobian(lambda x: np.polyfit(x, 2 * x + 1, 1))(x)
    numpy.testing.assert_allclose(J, 0.0, atol=1e-10)


def test_polyfit_refuses_a_rank_deficient_fit():
    x = numpy.array([1.0, 1.0, 2.0, 2.0])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        numpy.polyfit(x, R(4), 2)  # NumPy only warns
    with pytest.raises(NotDifferentiableError, match="rank"):
        grad(lambda y: np.sum(np.polyfit(x, y, 2)))(R(4))


def test_polyfit_errors_match_numpy():
    for call in (lambda y: np.polyfit(X, y, -1), lambda y: np.polyfit(X[:3], y, 1),
                 lambda y: np.polyfit(R(2, 9), y, 1)):
        with pytest.raises((ValueError, TypeError)):
            grad(lambda y, call=call: np.sum(call(y)))(Y)


def test_the_names_are_ravines_own():
    from ravine.numpy import polynomials

    for name in polynomials.__all__:
        assert getattr(np, name) is getattr(polynomials, name) is not getattr(numpy, name)
        assert name in dir(np)
