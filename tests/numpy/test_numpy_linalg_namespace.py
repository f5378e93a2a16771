"""numpy.linalg's remaining names (lstsq, cond, the array-API functions, multi_dot,
tensorinv, tensorsolve, matrix_rank), the gufuncs vecdot/matvec/vecmat and
matrix_transpose, and numpy.fft's hfft, ihfft, fftfreq, rfftfreq: values against NumPy
(untraced: NumPy's own result; traced: the same numbers), derivatives against finite
differences in both modes to second order, closed-form gradients, and the refusals."""

import inspect

import numpy
import pytest
from gradsweep import C, R, ids, run_case, sweep
from numpy.testing import assert_allclose, assert_array_equal

import ravine
import ravine.numpy as np
from ravine.errors import NotDifferentiableError
from ravine.test_util import check_grads

la = np.linalg
NUMPY_NAMES = ["cond", "cross", "diagonal", "lstsq", "matmul", "matrix_norm", "matrix_rank", "matrix_transpose",
               "multi_dot", "outer", "svdvals", "tensordot", "tensorinv", "tensorsolve", "trace", "vecdot",
               "vector_norm"]


def traced_value(fun, *args):
    """fun's value with its first argument traced (reverse mode)."""
    return ravine.make_vjp(lambda x: fun(x, *args[1:]))(args[0])[1]


def well_conditioned(*shape, complex_=False):
    A = C(*shape) if complex_ else R(*shape)
    return A + 3 * numpy.eye(shape[-2], shape[-1])


def lstsq_part(k, rcond=None):
    def f(a, b):
        return la.lstsq(a, b, rcond)[k]

    f.__name__ = ["lstsq_x", "lstsq_residuals", "lstsq_rank", "lstsq_s"][k]
    return f


# ---- derivatives against finite differences -----------------------------------------------------------

TALL, WIDE, SQUARE = R(5, 3), R(2, 4), well_conditioned(3, 3)
LSTSQ = (
    sweep(lstsq_part(0), [TALL], [R(5), R(5, 2)]) + sweep(lstsq_part(0), [WIDE], [R(2), R(2, 3)])
    + sweep(lstsq_part(0), [SQUARE], [R(3)]) + sweep(lstsq_part(0), [C(5, 3)], [C(5), R(5)])
    + sweep(lstsq_part(0), [C(2, 4)], [C(2, 2)]) + sweep(lstsq_part(0), [TALL], [C(5, 2)])
    + sweep(lstsq_part(0, rcond=1e-3), [TALL], [R(5)]) + sweep(lstsq_part(0, rcond=-1), [WIDE], [R(2)])
    + sweep(lstsq_part(1), [TALL, C(5, 3)], [R(5), C(5, 2)]) + sweep(lstsq_part(3), [TALL, C(5, 3)], [R(5)])
    + sweep(lstsq_part(3), [WIDE], [R(2, 2)])
)

ARRAY_API = (
    sweep(la.matmul, [R(3, 4), C(2, 3, 4)], [R(4, 2), R(4)]) + sweep(la.tensordot, [R(3, 4)], [R(4, 2)], axes=[1])
    + sweep(la.tensordot, [R(2, 3, 4)], [C(3, 4, 2)], axes=[2, ([1, 2], [0, 1])])
    + sweep(la.outer, [R(3), C(2)], [R(4)]) + sweep(la.cross, [R(3), C(2, 3)], [R(2, 3)])
    + sweep(la.cross, [R(3, 2)], [R(3, 2)], axis=[0])
    + sweep(la.trace, [R(3, 4), C(2, 3, 3)], offset=[0, 1, -1]) + sweep(la.trace, [R(2, 3)], dtype=[complex])
    + sweep(la.diagonal, [R(3, 4), C(2, 3, 3)], offset=[0, 2, -1])
    + sweep(la.matrix_transpose, [R(3, 4), C(2, 3, 4)]) + sweep(la.vecdot, [R(2, 3), C(3)], [C(2, 3)])
    + sweep(la.vecdot, [C(3, 2)], [R(3, 2)], axis=[0]) + sweep(la.svdvals, [R(3, 2), R(2, 3, 4), C(3, 3)])
    + sweep(la.vector_norm, [R(2, 3, 4)], axis=[None, 1, (0, 2)], ord=[2, 1, 3.5, numpy.inf, -numpy.inf])[::2]
    + sweep(la.vector_norm, [C(3, 4)], axis=[None, -1], keepdims=[True, False], ord=[2, 1])
    + sweep(la.matrix_norm, [R(3, 4), C(2, 3, 3)], ord=["fro", "nuc", 1, -1, numpy.inf, -numpy.inf, 2, -2])
    + sweep(la.matrix_norm, [R(2, 3, 4)], keepdims=[True], ord=["fro", 2, 1])
)
OTHERS = (
    sweep(la.cond, [well_conditioned(3, 3), R(4, 2), well_conditioned(2, 3, 3, complex_=True)], p=[None, 2, -2])
    + sweep(la.cond, [well_conditioned(3, 3), well_conditioned(2, 3, 3, complex_=True)],
            p=[1, -1, numpy.inf, -numpy.inf, "fro", "nuc"])
    + sweep(lambda a, b, c: la.multi_dot([a, b, c]), [R(2, 6)], [R(6, 3)], [R(3, 5), R(3)], covers=("multi_dot",))
    + sweep(lambda a, b, c, d: la.multi_dot([a, b, c, d]), [R(4), C(4)], [R(4, 6)], [R(6, 2)], [R(2, 5)],
            covers=("multi_dot",))
    + sweep(lambda a, b: la.multi_dot([a, b]), [R(3)], [R(3, 2)], covers=("multi_dot",))
    + sweep(la.tensorinv, [well_conditioned(6, 6).reshape(6, 2, 3)], ind=[1])
    + sweep(la.tensorinv, [well_conditioned(6, 6).reshape(2, 3, 3, 2)], ind=[2])
    + sweep(la.tensorsolve, [well_conditioned(6, 6).reshape(2, 3, 6)], [R(2, 3)])
    + sweep(la.tensorsolve, [well_conditioned(6, 6, complex_=True).reshape(6, 2, 3)], [R(6)])
    + sweep(la.tensorsolve, [well_conditioned(6, 6).reshape(3, 6, 2)], [R(6)], axes=[(0,)])
)
GUFUNCS = (
    sweep(np.vecdot, [R(3), C(2, 3)], [C(3), R(4, 1, 3)]) + sweep(np.vecdot, [C(4, 3)], [R(4, 3)], axis=[0])
    + sweep(np.vecdot, [R(2, 3, 4)], [C(2, 3, 4)], axis=[1], keepdims=[True, False])
    + sweep(np.vecdot, [R(2, 3, 4)], [R(3, 4)], axes=[[(1,), (0,), (0,)]], keepdims=[True])
    + sweep(np.matvec, [R(3, 4), C(2, 3, 4)], [R(4), C(5, 1, 4)])
    + sweep(np.matvec, [R(4, 2, 3)], [R(3)], axes=[[(0, 2), (0,), (0,)]])
    + sweep(np.vecmat, [R(3), C(2, 3)], [C(3, 4), R(5, 1, 3, 2)])
    + sweep(np.matrix_transpose, [R(2, 3), C(4, 2, 3)])
)
FFT = (
    sweep(np.fft.hfft, [C(4), C(3, 5)], [None, 7, 6, 3], norm=[None, "ortho", "forward", "backward"])[::2]
    + sweep(np.fft.hfft, [C(4, 3)], [None, 5], axis=[0])
    + sweep(np.fft.ihfft, [R(5), R(2, 6)], [None, 4, 7], norm=[None, "ortho", "forward"])
    + sweep(np.fft.ihfft, [R(4, 3)], axis=[0])
    + sweep(lambda d: np.fft.fftfreq(5, d), [R(low=0.5)], covers=("fftfreq",))
    + sweep(lambda d: np.fft.rfftfreq(6, d), [R(low=0.5)], covers=("rfftfreq",))
)
ALL = LSTSQ + ARRAY_API + OTHERS + GUFUNCS + FFT


@pytest.mark.parametrize("case", ALL, ids=ids(ALL))
def test_derivatives_match_finite_differences(case):
    run_case(case)


def test_every_name_has_a_derivative_test():
    tested = {name for case in ALL for name in case.covers}
    names = set(NUMPY_NAMES) - {"lstsq", "matrix_rank"} | {"lstsq_x", "lstsq_residuals", "lstsq_s", "matvec",
                                                            "vecmat", "hfft", "ihfft", "fftfreq", "rfftfreq"}
    assert names <= tested, sorted(names - tested)


def test_lstsq_to_third_order():
    check_grads(lstsq_part(0), (0, 1), modes=("fwd", "rev"), order=3)(R(4, 2), R(4))
    check_grads(lstsq_part(0), 0, modes=("rev",), order=3)(C(2, 3), C(2))


# ---- values equal NumPy's -------------------------------------------------------------------------------

VALUE_CALLS = [
    ("cond", (well_conditioned(2, 3, 3),), {"p": "fro"}), ("cond", (R(4, 3),), {}), ("cond", (R(3, 3),), {"p": -2}),
    ("cross", (R(2, 3), R(3)), {}), ("diagonal", (R(2, 3, 4),), {"offset": 1}), ("matmul", (R(2, 3), C(3, 2)), {}),
    ("matrix_norm", (C(2, 3, 3),), {"ord": 2, "keepdims": True}), ("matrix_norm", (R(3, 3),), {}),
    ("matrix_transpose", (R(2, 3, 4),), {}), ("outer", (R(3), C(2)), {}), ("svdvals", (C(2, 4, 3),), {}),
    ("tensordot", (R(2, 3, 4), R(3, 4)), {}), ("tensordot", (R(2, 3), R(3, 4)), {"axes": 1}),
    ("tensorinv", (well_conditioned(6, 6).reshape(2, 3, 6),), {"ind": 2}),
    ("tensorsolve", (well_conditioned(6, 6).reshape(6, 2, 3), R(6)), {}),
    ("trace", (C(2, 3, 4),), {"offset": -1}), ("vecdot", (C(2, 3), C(3)), {}), ("vecdot", (R(3, 2), R(3, 2)), {"axis": 0}),
    ("vector_norm", (R(2, 3, 4),), {"axis": (0, 2), "keepdims": True, "ord": 3}), ("vector_norm", (C(3, 2),), {}),
    ("vector_norm", (R(4),), {"ord": 0}),
]


@pytest.mark.parametrize("name, args, kwargs", VALUE_CALLS, ids=[c[0] for c in VALUE_CALLS])
def test_linalg_values_match_numpy(name, args, kwargs):
    ours, theirs = getattr(la, name), getattr(numpy.linalg, name)
    expected = theirs(*args, **kwargs)
    untraced = ours(*args, **kwargs)
    assert_array_equal(untraced, expected)
    assert numpy.asarray(untraced).dtype == numpy.asarray(expected).dtype
    assert_allclose(traced_value(lambda x, *rest: ours(x, *rest, **kwargs), *args), expected, rtol=1e-12, atol=1e-12)


@pytest.mark.parametrize("name, args, kwargs", [
    ("vecdot", (C(2, 3), R(3)), {}), ("vecdot", (R(2, 3, 4), C(2, 3, 4)), {"axis": 1, "keepdims": True}),
    ("vecdot", (R(2, 3, 4), R(3, 4)), {"axes": [(1,), (0,), (0,)], "keepdims": True}),
    ("matvec", (C(2, 3, 4), R(5, 1, 4)), {}), ("matvec", (R(4, 2, 3), R(3)), {"axes": [(0, 2), (0,), (0,)]}),
    ("vecmat", (C(3), R(2, 3, 4)), {}), ("matrix_transpose", (C(2, 3, 4),), {}),
])
def test_gufunc_values_match_numpy(name, args, kwargs):
    expected = getattr(numpy, name)(*args, **kwargs)
    assert_array_equal(getattr(np, name)(*args, **kwargs), expected)
    for i in range(len(args)):  # each operand traced in turn
        def f(x, i=i):
            return getattr(np, name)(*args[:i], x, *args[i + 1:], **kwargs)

        assert_allclose(ravine.make_vjp(f)(args[i])[1], expected, rtol=1e-12, atol=1e-12)


def test_linalg_vecdot_is_the_top_level_vecdot():
    x, y = C(2, 3), C(2, 3)
    g = R(3)
    vjp_linalg, value_linalg = ravine.make_vjp(lambda x: la.vecdot(x, y, axis=0))(x)
    vjp_top, value_top = ravine.make_vjp(lambda x: np.vecdot(x, y, axis=0))(x)
    assert_array_equal(value_linalg, value_top)
    assert_array_equal(vjp_linalg(g), vjp_top(g))


@pytest.mark.parametrize("shapes", [((5, 3), (5,)), ((5, 3), (5, 2)), ((3, 3), (3,)), ((2, 4), (2, 3))])
@pytest.mark.parametrize("kind", ["real", "complex"])
def test_lstsq_values_rank_and_residual_shapes_match_numpy(shapes, kind):
    make = R if kind == "real" else C
    A, b = make(*shapes[0]), make(*shapes[1])
    x, res, rank, s = numpy.linalg.lstsq(A, b)
    got = []
    ravine.make_vjp(lambda A: got.extend(la.lstsq(A, b)) or got[0])(A)
    assert_allclose(ravine.getval(got[0]), x, rtol=1e-12, atol=1e-12)
    assert_allclose(ravine.getval(got[1]), res, rtol=1e-10, atol=1e-12)
    assert ravine.getval(got[1]).shape == res.shape and ravine.getval(got[1]).dtype == res.dtype
    assert got[2] == rank and type(got[2]) is type(rank)
    assert_array_equal(ravine.getval(got[3]), s)  # the same LAPACK call
    untraced = la.lstsq(A, b)
    for ours, theirs in zip(untraced, (x, res, rank, s)):
        assert_array_equal(ours, theirs)


@pytest.mark.parametrize("rcond", [None, 0.4, -1, 2.0])
def test_lstsq_rank_is_counted_as_lapack_counts_it(rcond):
    A = numpy.diag([1.0, 0.4, 1.5e-16])  # 0.4 is cut by rcond=0.4; 1.5e-16 by LAPACK's 2⁻⁵³ for rcond ∉ (0, 1)
    b = R(3)
    rank = []
    ravine.make_vjp(lambda b: rank.append(la.lstsq(A, b, rcond)[2]) or b)(b)
    assert rank[0] == numpy.linalg.lstsq(A, b, rcond)[2]


# ---- closed forms ---------------------------------------------------------------------------------------


def test_lstsq_gradient_matches_the_normal_equations():
    # L = c·x with x = (AᵀA)⁻¹Aᵀb: ∂L/∂b = A z and ∂L/∂A = r zᵀ − A z xᵀ, z = (AᵀA)⁻¹c, r = b − A x
    A, b, c = R(6, 3), R(6), R(3)
    x = numpy.linalg.solve(A.T @ A, A.T @ b)
    z = numpy.linalg.solve(A.T @ A, c)
    gA, gb = ravine.grad(lambda A, b: np.dot(c, la.lstsq(A, b)[0]), argnum=(0, 1))(A, b)
    assert_allclose(gb, A @ z, rtol=1e-10)
    assert_allclose(gA, numpy.outer(b - A @ x, z) - numpy.outer(A @ z, x), rtol=1e-10, atol=1e-12)


def test_lstsq_residual_gradient_is_twice_the_residual():
    # at the optimum Aᵀr = 0, so d‖b − Ax‖² = 2 rᵀ(db − dA x): ∂/∂b = 2r, ∂/∂A = −2 r xᵀ
    A, b = R(6, 3), R(6)
    x, (res,), _, _ = numpy.linalg.lstsq(A, b)
    r = b - A @ x
    gA, gb = ravine.grad(lambda A, b: la.lstsq(A, b)[1][0], argnum=(0, 1))(A, b)
    assert res == pytest.approx(r @ r)
    assert_allclose(gb, 2 * r, rtol=1e-10, atol=1e-12)
    assert_allclose(gA, -2 * numpy.outer(r, x), rtol=1e-10, atol=1e-12)


def test_lstsq_of_a_constant_rank_deficient_matrix_is_linear_in_b():
    A = R(5, 2) @ R(2, 4)  # rank 2 < 4
    g = R(4)
    gb = ravine.grad(lambda b: np.dot(g, la.lstsq(A, b)[0]))(R(5))
    assert_allclose(gb, numpy.linalg.pinv(A).T @ g, rtol=1e-8, atol=1e-10)


def test_cond_2_gradient_matches_the_singular_vector_formula():
    # cond₂ = s₁/sₙ:  ∇ = (u₁v₁ᵀ − cond₂ uₙvₙᵀ) / sₙ
    A = R(4, 3)
    U, s, Vt = numpy.linalg.svd(A, full_matrices=False)
    expected = (numpy.outer(U[:, 0], Vt[0]) - s[0] / s[-1] * numpy.outer(U[:, -1], Vt[-1])) / s[-1]
    assert_allclose(ravine.grad(la.cond)(A), expected, rtol=1e-10)
    assert_allclose(ravine.grad(lambda A: la.cond(A, 2))(A), expected, rtol=1e-10)


def test_cond_fro_gradient_matches_the_inverse_formula():
    # cond_F = ‖A‖‖B‖ with B = A⁻¹: d‖A‖ = ⟨A, dA⟩/‖A‖, d‖B‖ = ⟨B, −B dA B⟩/‖B‖ = −⟨BᵀBBᵀ, dA⟩/‖B‖
    A = well_conditioned(3, 3)
    B = numpy.linalg.inv(A)
    nA, nB = numpy.linalg.norm(A), numpy.linalg.norm(B)
    expected = nB * A / nA - nA * (B.T @ B @ B.T) / nB
    assert_allclose(ravine.grad(lambda A: la.cond(A, "fro"))(A), expected, rtol=1e-10)


def test_svdvals_sum_has_the_nuclear_norm_gradient():
    A = R(4, 3)
    U, _, Vt = numpy.linalg.svd(A, full_matrices=False)
    assert_allclose(ravine.grad(lambda A: np.sum(la.svdvals(A)))(A), U @ Vt, rtol=1e-10)


def test_vecdot_conjugates_its_first_operand():
    # Re vecdot(x, y) = Σ Re x Re y + Im x Im y: gradient ∂/∂Re − i ∂/∂Im = conj(y) in x and y in y
    x, y = C(4), C(4)
    assert_allclose(ravine.grad(lambda x: np.real(np.vecdot(x, y)))(x), numpy.conj(y))
    assert_allclose(ravine.grad(lambda y: np.real(np.vecdot(x, y)))(y), numpy.conj(x))
    assert_allclose(ravine.grad(lambda x: np.real(np.sum(np.vecmat(x, numpy.ones((4, 2))))))(x), 2 * numpy.ones(4))


@pytest.mark.parametrize("name, n", [("fftfreq", 6), ("fftfreq", 7), ("rfftfreq", 6), ("rfftfreq", 7)])
def test_fftfreq_derivative_in_the_spacing(name, n):
    f, reference = getattr(np.fft, name), getattr(numpy.fft, name)
    value, tangent = ravine.make_jvp(lambda d: f(n, d))(0.25)(1.0)
    expected = reference(n, 0.25)
    assert_array_equal(value, expected)  # NumPy's own arithmetic
    assert_allclose(tangent, -expected / 0.25)
    assert_array_equal(f(n), reference(n))


@pytest.mark.parametrize("norm", [None, "ortho", "forward", "backward"])
@pytest.mark.parametrize("n", [None, 7])
def test_hfft_and_ihfft_values_match_numpy(norm, n):
    a, x = C(2, 5), R(3, 6)
    assert_array_equal(np.fft.hfft(a, n, norm=norm), numpy.fft.hfft(a, n, norm=norm))
    assert_array_equal(np.fft.ihfft(x, n, norm=norm), numpy.fft.ihfft(x, n, norm=norm))
    assert_allclose(traced_value(lambda a: np.fft.hfft(a, n, 0, norm), a), numpy.fft.hfft(a, n, 0, norm), atol=1e-12)
    assert_allclose(traced_value(lambda x: np.fft.ihfft(x, n, norm=norm), x), numpy.fft.ihfft(x, n, norm=norm),
                    atol=1e-12)


def test_hfft_rejects_an_unknown_norm_when_traced():
    with pytest.raises(ValueError, match="Invalid norm"):
        traced_value(lambda a: np.fft.hfft(a, norm="sideways"), C(4))


def test_matrix_rank_is_a_constant():
    A = R(4, 2) @ R(2, 3)
    ranks = []

    def f(A):
        ranks.append(la.matrix_rank(A))
        return np.sum(A) * ranks[-1]

    assert_allclose(ravine.grad(f)(A), 2 * numpy.ones_like(A))
    assert ranks[0] == numpy.linalg.matrix_rank(A) == 2 and type(ranks[0]) is type(numpy.linalg.matrix_rank(A))
    assert la.matrix_rank(A, rtol=0.5) == numpy.linalg.matrix_rank(A, rtol=0.5)


# ---- signatures, refusals and shape errors ----------------------------------------------------------------


@pytest.mark.parametrize("name", NUMPY_NAMES)
def test_signature_is_numpys(name):
    assert inspect.signature(getattr(la, name)) == inspect.signature(getattr(numpy.linalg, name))


@pytest.mark.parametrize("name", ["hfft", "ihfft", "fftfreq", "rfftfreq"])
def test_fft_signature_is_numpys(name):
    assert inspect.signature(getattr(np.fft, name)) == inspect.signature(getattr(numpy.fft, name))


def test_new_top_level_names_are_listed():
    for name in ("matrix_transpose", "vecdot", "matvec", "vecmat"):
        assert name in dir(np) and getattr(np, name) is not getattr(numpy, name)


def test_lstsq_refuses_a_traced_rank_deficient_matrix():
    A = R(5, 2) @ R(2, 3)  # rank 2 < 3
    with pytest.raises(NotDifferentiableError, match="rank 2 < 3"):
        ravine.grad(lambda A: np.sum(la.lstsq(A, R(5))[0]))(A)
    with pytest.raises(NotDifferentiableError, match="rank 1 < 2"):  # a non-zero singular value cut by rcond
        ravine.grad(lambda A: np.sum(la.lstsq(A, R(3), rcond=0.5)[0]))(numpy.diag([1.0, 0.1, 0.0])[:, :2])


@pytest.mark.parametrize("p", [None, -2, 1, "fro"])
def test_cond_refuses_a_traced_singular_matrix(p):
    A = numpy.array([[1.0, 2.0], [0.0, 0.0]])  # exactly singular: a zero singular value, a zero pivot
    assert la.cond(A, p) == numpy.linalg.cond(A, p)
    with pytest.raises(NotDifferentiableError, match="singular"):
        ravine.grad(lambda A: la.cond(A, p))(A)


def test_out_arguments_are_refused_for_traced_values():
    x = R(3)
    with pytest.raises(NotDifferentiableError, match="out"):
        ravine.grad(lambda x: np.vecdot(x, x, out=numpy.empty(())))(x)
    with pytest.raises(NotDifferentiableError, match="dtype"):
        ravine.grad(lambda x: np.vecdot(x, x, dtype=numpy.float32))(x)
    with pytest.raises(NotDifferentiableError, match="out"):
        ravine.grad(lambda x: np.sum(la.multi_dot([x, R(3, 3), x], out=numpy.empty(()))))(x)
    with pytest.raises(NotDifferentiableError, match="out"):
        ravine.grad(lambda x: np.sum(np.fft.hfft(x, out=numpy.empty(4))))(x)


@pytest.mark.parametrize("call, error", [
    (lambda x: la.outer(x, x[None]), ValueError), (lambda x: la.cross(x[:2], x[:2]), ValueError),
    (lambda x: la.matrix_transpose(x), ValueError), (lambda x: np.matrix_transpose(x), ValueError),
    (lambda x: np.vecdot(x, x[:2]), ValueError), (lambda x: np.matvec(x[None], x[:2]), ValueError),
    (lambda x: np.vecdot(x, x, axis=0, axes=[0, 0]), TypeError), (lambda x: np.matvec(x[None], x, axis=0), TypeError),
    (lambda x: np.matvec(x[None], x, keepdims=True), TypeError), (lambda x: np.vecdot(x[0], x), ValueError),
    (lambda x: la.lstsq(x[None, None], x), numpy.linalg.LinAlgError),
    (lambda x: la.lstsq(x[:, None], x[:2]), numpy.linalg.LinAlgError),
    (lambda x: la.svdvals(x), numpy.linalg.LinAlgError), (lambda x: la.matrix_norm(x), numpy.exceptions.AxisError),
    (lambda x: la.vector_norm(x, ord="fro"), ValueError), (lambda x: la.cond(x[None, :2], 1), numpy.linalg.LinAlgError),
    (lambda x: la.multi_dot([x]), ValueError), (lambda x: la.multi_dot([x, x[None, None], x]), numpy.linalg.LinAlgError),
    (lambda x: la.tensorinv(x, ind=0), ValueError), (lambda x: la.tensorsolve(x[None], x), numpy.linalg.LinAlgError),
    (lambda x: np.fft.fftfreq(2.5, x[0]), ValueError),
], ids=lambda c: getattr(c, "__name__", str(c)))
def test_misuse_raises_numpys_error_traced_or_not(call, error):
    x = R(3)
    with pytest.raises(error):
        call(x)
    with pytest.raises(error):
        ravine.grad(lambda x: np.sum(call(x)))(x)
