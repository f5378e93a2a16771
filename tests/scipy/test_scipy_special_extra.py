"""The scipy.special functions added beside the original set — elementary
functions accurate near 0, entropy terms, robust losses, the inverse normal CDF,
scaled error functions, Box-Cox — and ``logsumexp(return_sign=True)``.

Values are SciPy's, traced or not; derivatives match finite differences to
second order in both modes, over shapes and broadcasting pairs inside the
domain; known closed forms and limits hold; and at the domain edges each
function gives the derivative its docstring promises or refuses clearly."""

import numpy
import pytest
import scipy.special

import ravine.numpy as np
from gradsweep import P, R, U, ids, run_case, sweep
from ravine import grad, make_jvp, make_vjp
from ravine.autodiff.tracer import isbox
from ravine.errors import NotDifferentiableError
from ravine.scipy import special as sp



def close(expected, rel=1e-12):
    """pytest.approx with no absolute floor, so tiny derivatives are compared relatively."""
    return pytest.approx(expected, rel=rel, abs=0)


ANY = [R(), R(3), R(2, 3)]
SIGNED_POS = [numpy.array([-1.3, -0.6, 0.7, 1.4])]  # away from 0, both signs
LAMBDA = numpy.array([-0.7, 0.0, 1e-9, 0.8])  # includes λ = 0 and λ next to it
Y = numpy.array([-0.9, -0.2, 0.4, 1.1])
R_HUBER = numpy.array([-2.6, -0.4, 0.3, 1.9])  # none within 0.1 of |r| = δ for the δ below

CASES = (
    sweep(sp.log1p, [U(3, low=-0.9, high=2.0), U(2, 3, low=-0.5, high=1.0)]) + sweep(sp.expm1, ANY)
    + sweep(sp.exprel, ANY + [U(4, low=-1e-3, high=1e-3), U(5, low=-40.0, high=40.0)])
    + sweep(sp.cbrt, SIGNED_POS) + sweep(sp.exp2, ANY) + sweep(sp.exp10, ANY) + sweep(sp.cosm1, ANY)
    + sweep(sp.powm1, [P(4), P(2, 1)], [R(4), R()]) + sweep(sp.powm1, [-P(3) - 0.5], [2.0, 3.0], argnums=(0,))
    + sweep(sp.entr, [P(), P(3), P(2, 3)])
    + sweep(sp.rel_entr, [P(3), P(2, 1)], [P(3), P()]) + sweep(sp.kl_div, [P(3), P()], [P(2, 3), P(3)])
    + sweep(sp.log_expit, ANY + [numpy.array([-40.0, 35.0])]) + sweep(sp.softplus, ANY + [numpy.array([-40.0, 35.0])])
    + sweep(sp.ndtri, [U(3, low=0.02, high=0.98), numpy.array(0.5)])
    + sweep(sp.ndtri_exp, [U(3, low=-8.0, high=-0.05), numpy.array([-30.0])])
    + sweep(sp.erfcx, ANY) + sweep(sp.erfi, ANY) + sweep(sp.dawsn, ANY)
    + sweep(sp.wofz, [R(3), R(3) + 1j * R(3)])
    + sweep(sp.boxcox, [P(4) + 0.3, P(2, 1)], [LAMBDA, 0.0, 1.5]) + sweep(sp.boxcox1p, [U(4, low=-0.5, high=2.0)], [LAMBDA, 0.0])
    + sweep(sp.inv_boxcox, [Y, numpy.array([[0.3], [-0.5]])], [LAMBDA, 0.0])
    + sweep(sp.inv_boxcox1p, [Y], [LAMBDA, -0.3])
    + sweep(sp.huber, [1.0, numpy.array([[0.7], [1.5]])], [R_HUBER])
    + sweep(sp.pseudo_huber, [P(), P(4), numpy.array([[0.7], [1.5]])], [R(4), numpy.array([1e-3, -2.0, 0.5, 4.0])])
)


@pytest.mark.parametrize("case", CASES, ids=ids(CASES))
def test_derivatives_match_finite_differences(case):
    run_case(case)


# ---- values ------------------------------------------------------------------------------------
VALUE_POINTS = {
    "log1p": ([-1.0, -0.5, 1e-12, 3.0],), "expm1": ([-800.0, -1e-10, 0.0, 2.0],), "exprel": ([-50.0, 0.0, 1e-9, 3.0],),
    "cbrt": ([-8.0, 0.0, 27.0],), "exp2": ([-3.0, 0.5],), "exp10": ([-3.0, 0.5],), "cosm1": ([1e-5, 2.0],),
    "powm1": ([0.0, 0.5, 2.0, -2.0], [2.0, 1e-9, -0.5, 3.0]), "entr": ([-1.0, 0.0, 0.5],),
    "rel_entr": ([0.0, 0.0, 1.0, 2.0], [0.0, 1.0, 0.0, 3.0]), "kl_div": ([0.0, 0.0, 1.0, 2.0], [0.0, 1.0, 0.0, 3.0]),
    "log_expit": ([-800.0, 0.0, 40.0],), "softplus": ([-800.0, 0.0, 800.0],), "ndtri": ([0.0, 0.3, 1.0, 1.5],),
    "ndtri_exp": ([-1e3, -0.5, 0.0],), "erfcx": ([-3.0, 0.0, 1e4],), "erfi": ([-1.0, 2.0],), "dawsn": ([-1.0, 30.0],),
    "wofz": ([0.5, 1.0 + 2.0j],), "boxcox": ([0.5, 2.0, 3.0], [0.0, 1e-12, -1.5]),
    "boxcox1p": ([1e-9, 2.0, -0.5], [0.0, 0.5, -1.5]), "inv_boxcox": ([0.5, 2.0, -2.0], [0.0, 1e-12, 0.5]),
    "inv_boxcox1p": ([1e-9, 2.0, -0.5], [0.0, 0.5, -1.5]), "huber": ([1.0, 0.0, 2.0], [0.5, 3.0, -3.0]),
    "pseudo_huber": ([1.0, 0.0, 2.0], [0.5, 3.0, -1e-4]),
}


@pytest.mark.parametrize("name", sorted(VALUE_POINTS))
def test_values_are_scipys_untraced_and_traced(name):
    args = [numpy.array(a) for a in VALUE_POINTS[name]]
    expected = getattr(scipy.special, name)(*args)
    with numpy.errstate(all="ignore"):
        numpy.testing.assert_array_equal(getattr(sp, name)(*args), expected)
        for argnum in range(len(args)):
            def f(x, argnum=argnum):
                return getattr(sp, name)(*args[:argnum], x, *args[argnum + 1:])
            numpy.testing.assert_array_equal(make_vjp(f)(args[argnum])[1], expected)


def test_every_new_name_is_differentiable_and_listed():
    new = set(VALUE_POINTS)
    assert new <= set(sp.__all__)
    assert {case.covers[0] for case in CASES} == new


# ---- closed forms and limits --------------------------------------------------------------------
def test_ndtri_derivative_is_the_reciprocal_normal_density():
    p = numpy.array([1e-10, 0.01, 0.3, 0.5, 0.97])
    expected = numpy.sqrt(2 * numpy.pi) * numpy.exp(scipy.special.ndtri(p) ** 2 / 2)
    numpy.testing.assert_allclose(grad(lambda p: np.sum(sp.ndtri(p)))(p), expected, rtol=1e-13)
    # ndtri_exp(y) = ndtri(eʸ), so its derivative is eʸ ndtri'(eʸ), also far in the tail
    y = numpy.array([-700.0, -20.0, -0.1])
    numpy.testing.assert_allclose(grad(lambda y: np.sum(sp.ndtri_exp(y)))(y),
                                  numpy.sqrt(2 * numpy.pi) * numpy.exp(y + scipy.special.ndtri_exp(y) ** 2 / 2),
                                  rtol=1e-13)
    assert grad(sp.ndtri_exp)(-1.0) == close(numpy.e ** -1 * grad(sp.ndtri)(numpy.e ** -1), rel=1e-12)


def test_exprel_derivatives_at_and_near_zero():
    assert grad(sp.exprel)(0.0) == 0.5
    assert grad(grad(sp.exprel))(0.0) == close(1 / 3, rel=1e-15)
    assert grad(grad(grad(sp.exprel)))(0.0) == close(1 / 4, rel=1e-15)
    # no cancellation next to 0: exprel'(x) = ½ + x/3 + x²/8 + …
    assert grad(sp.exprel)(1e-9) == close(0.5 + 1e-9 / 3, rel=1e-15)
    x = numpy.array([-60.0, -3.0, 0.7, 5.0, 100.0])
    numpy.testing.assert_allclose(grad(lambda x: np.sum(sp.exprel(x)))(x),
                                  (x * numpy.exp(x) - numpy.exp(x) + 1) / x**2, rtol=1e-12)


def test_entropy_derivatives():
    x = numpy.array([0.1, 1.0, 4.0])
    numpy.testing.assert_allclose(grad(lambda x: np.sum(sp.entr(x)))(x), -numpy.log(x) - 1, rtol=1e-14)
    y = numpy.array([0.5, 2.0, 3.0])
    numpy.testing.assert_allclose(grad(lambda y: np.sum(sp.rel_entr(x, y)))(y), -x / y, rtol=1e-14)
    numpy.testing.assert_allclose(grad(lambda x: np.sum(sp.kl_div(x, y)))(x), numpy.log(x / y), rtol=1e-14)


def test_log_expit_and_softplus_are_stable_in_the_tails():
    assert grad(sp.log_expit)(-800.0) == 1.0
    assert grad(sp.log_expit)(40.0) == close(numpy.exp(-40.0), rel=1e-12)
    assert grad(sp.softplus)(800.0) == 1.0 and grad(sp.softplus)(-40.0) == close(numpy.exp(-40.0), rel=1e-12)


def test_erfcx_erfi_dawsn_derivatives_agree_with_their_definitions():
    x = numpy.array([-1.5, 0.2, 2.0])
    numpy.testing.assert_allclose(grad(lambda x: np.sum(sp.erfcx(x)))(x),
                                  2 * x * scipy.special.erfcx(x) - 2 / numpy.sqrt(numpy.pi), rtol=1e-13)
    numpy.testing.assert_allclose(grad(lambda x: np.sum(sp.erfi(x)))(x), 2 / numpy.sqrt(numpy.pi) * numpy.exp(x**2))
    # dawsn = √π/2 e^{−x²} erfi(x), differentiated by the product rule through traced functions
    numpy.testing.assert_allclose(grad(lambda x: np.sum(sp.dawsn(x)))(x),
                                  grad(lambda x: np.sum(numpy.sqrt(numpy.pi) / 2 * np.exp(-x * x) * sp.erfi(x)))(x),
                                  rtol=1e-12)


def test_boxcox_lambda_zero_limits():
    x = numpy.array([0.3, 2.0, 5.0])
    L = numpy.log(x)
    d_lmbda = grad(lambda lm: np.sum(sp.boxcox(x, lm)), 0)
    numpy.testing.assert_allclose(grad(lambda lm: np.sum(sp.boxcox(x, lm)))(0.0), numpy.sum(L**2 / 2), rtol=1e-14)
    assert grad(lambda lm: sp.boxcox(2.0, lm))(0.0) == close(numpy.log(2.0) ** 2 / 2, rel=1e-15)
    assert grad(grad(lambda lm: sp.boxcox(2.0, lm)))(0.0) == close(numpy.log(2.0) ** 3 / 3, rel=1e-14)
    assert grad(lambda lm: sp.boxcox(2.0, lm))(1e-10) == close(numpy.log(2.0) ** 2 / 2, rel=1e-9)
    assert d_lmbda(0.0) == close(numpy.sum(L**2 / 2), rel=1e-14)
    assert grad(sp.boxcox)(2.0, 0.0) == 0.5  # ∂ₓ log x
    assert grad(lambda lm: sp.boxcox1p(1e-3, lm))(0.0) == close(numpy.log1p(1e-3) ** 2 / 2, rel=1e-14)
    # the inverse: ∂_λ (1 + λy)^{1/λ} at λ = 0 is −y² eʸ/2, and inv_boxcox undoes boxcox
    assert grad(lambda lm: sp.inv_boxcox(0.7, lm))(0.0) == close(-0.49 * numpy.exp(0.7) / 2, rel=1e-14)
    assert grad(lambda lm: sp.inv_boxcox1p(0.7, lm))(0.0) == close(-0.49 * numpy.exp(0.7) / 2, rel=1e-14)
    assert grad(lambda y: sp.inv_boxcox(y, 0.0))(0.7) == close(numpy.exp(0.7), rel=1e-15)
    round_trip = grad(lambda x: sp.inv_boxcox(sp.boxcox(x, 0.4), 0.4))(1.7)
    assert round_trip == close(1.0, rel=1e-14)


def test_inverse_boxcox_lambda_derivative_away_from_zero():
    y, lm = 0.8, 0.6
    expected = (1 + lm * y) ** (1 / lm) * (y / (lm * (1 + lm * y)) - numpy.log1p(lm * y) / lm**2)
    assert grad(lambda lm: sp.inv_boxcox(y, lm))(lm) == close(expected, rel=1e-13)
    assert grad(lambda lm: sp.inv_boxcox1p(y, lm))(lm) == close(expected, rel=1e-13)


def test_huber_and_pseudo_huber_pieces():
    r = numpy.array([-3.0, -0.5, 0.25, 2.0])
    numpy.testing.assert_array_equal(grad(lambda r: np.sum(sp.huber(1.0, r)))(r), [-1.0, -0.5, 0.25, 1.0])
    assert grad(lambda d: np.sum(sp.huber(d, r)))(1.0) == close(2.0 + 1.0)  # |r| − δ beyond δ only
    # pseudo-Huber in δ: δ q²/4 for small q = (r/δ)², where 2δ(s−1) − r²/(δs) would cancel
    assert grad(lambda d: sp.pseudo_huber(d, 1e-5))(2.0) == close(2.0 * (1e-5 / 2.0) ** 4 / 4, rel=1e-9)
    s = numpy.sqrt(1 + (r / 1.5) ** 2)
    numpy.testing.assert_allclose(grad(lambda d: np.sum(sp.pseudo_huber(d, r)))(1.5),
                                  numpy.sum(2 * 1.5 * (s - 1) - r**2 / (1.5 * s)), rtol=1e-13)
    numpy.testing.assert_allclose(grad(lambda r: np.sum(sp.pseudo_huber(1.5, r)))(r), r / s, rtol=1e-14)


def test_powm1_derivatives_including_x_zero():
    assert grad(sp.powm1, 1)(0.0, 2.0) == 0.0  # 0ʸ ≡ 0 for y > 0
    assert grad(sp.powm1)(0.0, 2.0) == 0.0 and grad(sp.powm1)(0.0, 1.0) == 1.0 and grad(sp.powm1)(0.0, 0.0) == 0.0
    assert grad(sp.powm1)(0.0, 0.5) == numpy.inf  # one-sided, a vertical tangent
    assert grad(sp.powm1, 1)(3.0, 1e-12) == close(numpy.log(3.0), rel=1e-11)
    assert grad(sp.powm1)(-2.0, 3.0) == close(12.0)


# ---- domain edges ------------------------------------------------------------------------------------------
def test_edge_derivatives_are_the_one_sided_limits():
    assert grad(sp.entr)(0.0) == numpy.inf
    assert grad(sp.rel_entr)(0.0, 2.0) == -numpy.inf and grad(sp.rel_entr, 1)(0.0, 2.0) == 0.0
    assert grad(sp.kl_div)(0.0, 2.0) == -numpy.inf and grad(sp.kl_div, 1)(0.0, 2.0) == 1.0
    assert grad(sp.ndtri)(0.0) == numpy.inf and grad(sp.ndtri)(1.0) == numpy.inf
    assert grad(sp.ndtri_exp)(0.0) == numpy.inf
    assert grad(sp.log1p)(-1.0) == numpy.inf
    assert grad(sp.cbrt)(0.0) == numpy.inf
    assert grad(sp.huber, 1)(0.0, -2.0) == 0.0 and grad(sp.huber)(0.0, -2.0) == 2.0
    assert make_jvp(sp.entr)(0.0)(1.0)[1] == numpy.inf


REFUSED = [
    (lambda x: sp.entr(x), [-0.5], "entr: no derivative in x"),
    (lambda x: sp.rel_entr(x, 1.0), [-1.0], "rel_entr: no derivative in x"),
    (lambda y: sp.rel_entr(1.0, y), [0.0], "rel_entr: no derivative in y"),
    (lambda y: sp.rel_entr(0.0, y), [0.0], "rel_entr"),
    (lambda x: sp.kl_div(x, numpy.array([1.0, 0.0])), [1.0], "kl_div: no derivative in x"),
    (lambda p: sp.ndtri(p), [1.2], "ndtri: no derivative in p"),
    (lambda y: sp.ndtri_exp(y), [0.5], "ndtri_exp"),
    (lambda x: sp.log1p(x), [-2.0], "log1p"),
    (lambda x: sp.boxcox(x, 0.5), [0.0], "boxcox: no derivative in x"),
    (lambda lm: sp.boxcox(-1.0, lm), [0.5], "boxcox: no derivative in lmbda"),
    (lambda x: sp.boxcox1p(x, 0.5), [-1.0], "boxcox1p"),
    (lambda y: sp.inv_boxcox(y, 0.5), [-2.0], "inv_boxcox: no derivative in y"),
    (lambda lm: sp.inv_boxcox1p(-2.0, lm), [1.0], "inv_boxcox1p: no derivative in lmbda"),
    (lambda d: sp.huber(d, 1.0), [-0.5], "huber: no derivative in delta"),
    (lambda r: sp.huber(-1.0, r), [0.5], "huber: no derivative in r"),
    (lambda d: sp.pseudo_huber(d, 1.0), [0.0], "pseudo_huber"),
    (lambda x: sp.powm1(x, 0.5), [-2.0], "powm1: no derivative in x"),
    (lambda y: sp.powm1(-2.0, y), [2.0], "powm1: no derivative in y"),
    (lambda y: sp.powm1(0.0, y), [-1.0], "powm1: no derivative in y"),
]


@pytest.mark.parametrize("fun,point,message", REFUSED, ids=[m for _, _, m in REFUSED])
@pytest.mark.parametrize("mode", ["rev", "fwd"])
def test_outside_the_domain_the_derivative_is_refused(fun, point, message, mode):
    x = numpy.array(point)
    with numpy.errstate(all="ignore"), pytest.raises(NotDifferentiableError, match=message):
        if mode == "rev":
            grad(lambda x: np.sum(fun(x)))(x)
        else:
            make_jvp(fun)(x)(numpy.ones_like(x))


# ---- logsumexp(return_sign=True) -----------------------------------------------------------------------------
A = numpy.array([[0.3, -1.2, 0.8], [1.1, 0.2, -0.5]])
B = numpy.array([[1.0, -2.0, 0.5], [-1.0, 3.0, -0.2]])


@pytest.mark.parametrize("axis", [None, 0, 1, -1, (0, 1)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_logsumexp_with_sign_values_untraced_and_traced(axis, keepdims):
    expected = scipy.special.logsumexp(A, axis=axis, b=B, keepdims=keepdims, return_sign=True)
    value, sign = sp.logsumexp(A, axis=axis, b=B, keepdims=keepdims, return_sign=True)
    numpy.testing.assert_array_equal(value, expected[0])
    numpy.testing.assert_array_equal(sign, expected[1])
    for argnum in (0, 1):
        seen = {}

        def f(x, argnum=argnum):
            a, b = (x, B) if argnum == 0 else (A, x)
            value, seen["sign"] = sp.logsumexp(a, axis=axis, b=b, keepdims=keepdims, return_sign=True)
            return value

        numpy.testing.assert_array_equal(make_vjp(f)((A, B)[argnum])[1], expected[0])
        assert not isbox(seen["sign"])  # the sign is a constant
        numpy.testing.assert_array_equal(seen["sign"], expected[1])


LSE_SIGN = (
    sweep(lambda a, b: sp.logsumexp(a, b=b, return_sign=True)[0], [A], [B], covers=("logsumexp_sign",))
    + sweep(lambda a, b: sp.logsumexp(a, axis=1, b=b, return_sign=True)[0], [A], [B, B[:1]], covers=("logsumexp_sign",))
    + sweep(lambda a, b: sp.logsumexp(a, axis=0, b=b, keepdims=True, return_sign=True)[0], [A, A[:, :1]], [B],
            covers=("logsumexp_sign",))
    + sweep(lambda a: sp.logsumexp(a, axis=-1, return_sign=True)[0], [A], covers=("logsumexp_sign",))
    + sweep(lambda a: sp.logsumexp(a, axis=(0, 1), b=B, return_sign=True)[0], [A], covers=("logsumexp_sign",))
)


@pytest.mark.parametrize("case", LSE_SIGN, ids=ids(LSE_SIGN))
def test_logsumexp_with_sign_derivatives(case):
    run_case(case)


def test_logsumexp_with_sign_gradient_and_refusal():
    a, b = numpy.array([2.0, 1.0]), numpy.array([1.0, -1.0])
    s = numpy.exp(2.0) - numpy.exp(1.0)
    numpy.testing.assert_allclose(grad(lambda a: sp.logsumexp(a, b=b, return_sign=True)[0])(a),
                                  b * numpy.exp(a) / s, rtol=1e-14)
    numpy.testing.assert_allclose(grad(lambda b: sp.logsumexp(a, b=b, return_sign=True)[0])(-b),
                                  numpy.exp(a) / -s, rtol=1e-14)  # a negative sum: sign −1
    _, sign = sp.logsumexp(np.array([1.0, 2.0]) * 1.0, b=b, return_sign=True)
    assert sign == -1.0
    with pytest.raises(NotDifferentiableError, match=r"logsumexp.*Σ b·exp\(a\) = 0"):
        grad(lambda a: sp.logsumexp(a, b=b, return_sign=True)[0])(numpy.array([1.0, 1.0]))
    # without return_sign nothing changed
    assert grad(lambda a: sp.logsumexp(a))(a) == close(numpy.exp(a) / numpy.exp(a).sum())
