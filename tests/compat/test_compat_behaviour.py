"""Compatibility with HIPS autograd, checked without autograd: the scenarios where ravine
once disagreed with autograd (or with the mathematics), verified against closed forms and
finite differences, plus the autograd spellings that must keep working after an import change."""

import numpy
import pytest

import ravine
import ravine.numpy as np
from ravine import grad, jacobian, make_jvp, make_vjp
from ravine.errors import NotDifferentiableError, ShapeError
from ravine.test_util import GradientCheckError, check_equivalent, check_grads, combo_check, scalar_close

RNG = numpy.random.default_rng(3)
Z = RNG.standard_normal((3, 4)) + 1j * RNG.standard_normal((3, 4))
A = RNG.standard_normal((3, 4))


def fd_gradient(f, z, eps=1e-6):
    """autograd's convention for a real f of complex z: ∂f/∂x − i ∂f/∂y, by central differences."""
    g = numpy.zeros_like(z)
    for idx in numpy.ndindex(z.shape):
        for unit in (1.0, 1j):
            e = numpy.zeros_like(z)
            e[idx] = unit * eps
            d = (f(z + e) - f(z - e)) / (2 * eps)
            g[idx] += d if unit == 1.0 else -1j * d
    return g


@pytest.mark.parametrize("name", ["var", "std"])
@pytest.mark.parametrize("kwargs", [{}, {"axis": 0}, {"axis": 1, "keepdims": True, "ddof": 1}])
def test_var_std_of_complex_follow_the_conjugate_convention(name, kwargs):
    weights = RNG.standard_normal(numpy.shape(getattr(numpy, name)(Z, **kwargs)))

    def f(z, lib):
        return lib.sum(weights * getattr(lib, name)(z, **kwargs))

    assert numpy.allclose(grad(lambda z: f(z, np))(Z), fd_gradient(lambda z: f(z, numpy), Z), atol=1e-6)
    # var of a complex array is real, and so is its tangent
    _, tangent = make_jvp(lambda z: getattr(np, name)(z, **kwargs))(Z)(numpy.ones_like(Z))
    assert not numpy.iscomplexobj(tangent)


# A real operand of a product with a complex operand receives a real cotangent (the real part),
# exactly as under broadcasting, so x − η ∇f stays real.
REAL_COMPLEX_PRODUCTS = {
    "dot": lambda a, b: np.dot(a, b),
    "tensordot": lambda a, b: np.tensordot(a, b, 1),
    "kron": lambda a, b: np.kron(a, b),
    "outer": lambda a, b: np.outer(a, b),
    "concatenate": lambda a, b: np.concatenate([a, b]),
    "stack": lambda a, b: np.stack([a, b]),
    "array": lambda a, b: np.array([a[0, 0], b[0, 0]]),
}


@pytest.mark.parametrize("name", sorted(REAL_COMPLEX_PRODUCTS))
def test_real_operand_of_a_complex_product_gets_a_real_cotangent(name):
    product = REAL_COMPLEX_PRODUCTS[name]
    a = RNG.standard_normal((3, 3))
    b = RNG.standard_normal((3, 3)) + 1j * RNG.standard_normal((3, 3))
    u = RNG.standard_normal(numpy.shape(product(a, b))) + 1j * RNG.standard_normal(numpy.shape(product(a, b)))

    def loss(a, lib_product):
        return np.real(np.sum(u * lib_product(a, b)))

    g = grad(loss)(a, product)
    assert g.dtype == numpy.float64
    eps = 1e-6
    fd = numpy.zeros_like(a)
    for idx in numpy.ndindex(a.shape):
        e = numpy.zeros_like(a)
        e[idx] = eps
        fd[idx] = (loss(a + e, product) - loss(a - e, product)) / (2 * eps)
    assert numpy.allclose(g, fd, atol=1e-6)


@pytest.mark.parametrize("call", [  # complex eigh, eig, svd, pinv, spectral norms: tests/numpy/test_numpy_linalg_spectral.py
    lambda z: np.linalg.qr(z)[1],
    lambda z: np.linalg.cholesky(z @ np.conj(z.T) + 3 * numpy.eye(3)),
])
def test_complex_decompositions_are_refused_not_wrong(call):
    z = Z[:, :3]
    with pytest.raises(NotDifferentiableError, match="complex matrix"):
        grad(lambda z: np.sum(np.abs(call(z))))(z)


def test_complex_decompositions_of_plain_values_still_work():
    z = Z[:, :3]
    assert numpy.allclose(np.linalg.svd(z, compute_uv=False), numpy.linalg.svd(z, compute_uv=False))
    assert numpy.allclose(np.linalg.norm(z, "nuc"), numpy.linalg.norm(z, "nuc"))


def test_complex_inverse_det_solve_follow_the_convention():
    z = Z[:, :3] + 3 * numpy.eye(3)
    u = RNG.standard_normal((3, 3))
    for f in (lambda z, lib: lib.sum(u * lib.abs(lib.linalg.inv(z))),
              lambda z, lib: lib.abs(lib.linalg.det(z)),
              lambda z, lib: lib.sum(u[0] * lib.abs(lib.linalg.solve(z, numpy.arange(3.0) + 1j)))):
        assert numpy.allclose(grad(lambda z: f(z, np))(z), fd_gradient(lambda z: f(z, numpy), z), atol=1e-5)


# ---- spellings autograd code uses -----------------------------------------------------------------


def test_numpy_random_imports_as_a_module():
    import ravine.numpy.random as npr

    assert npr is numpy.random is np.random
    npr.seed(0)
    assert npr.randn(2).shape == (2,)


def test_test_util_helpers_autograd_tests_use():
    assert scalar_close(1.0, 1.0 + 1e-9) and not scalar_close(1.0, 1.1)
    check_equivalent((A, {"b": 2.0}), (A.copy(), {"b": 2.0}))
    with pytest.raises(GradientCheckError):
        check_equivalent(A, A + 1.0)
    calls = []

    def f(x, y, scale=1.0):
        calls.append(scale)
        return np.sin(x) * y * scale

    combo_check(f, (0, 1), modes=["rev"], order=1)([0.3, A[0]], [1.5], scale=[1.0, 2.0])
    assert len(calls) > 0 and set(calls) == {1.0, 2.0}

    def wrong_gradient(x):
        return wrong(x)

    from ravine.extend import defvjp, primitive

    wrong = primitive(numpy.sin)
    defvjp(wrong, lambda ans, x: lambda g: g * numpy.sin(x))
    with pytest.raises(GradientCheckError):
        combo_check(wrong_gradient, 0, modes=["rev"], order=1)([0.3])


def test_dirichlet_rvs_is_scipys_sampler():
    import ravine.scipy.stats.dirichlet as dirichlet

    samples = dirichlet.rvs([1.0, 2.0, 3.0], size=4, random_state=0)
    assert samples.shape == (4, 3) and numpy.allclose(samples.sum(axis=1), 1.0)


def test_grad_through_vjp_and_jvp_agree_with_each_other():
    # second order mixed modes on a real function: VJP of the JVP equals the Hessian-vector product
    f = lambda x: np.sum(np.tanh(x) ** 2 * np.var(x))
    v = RNG.standard_normal(A.shape)
    hv_mixed = make_vjp(lambda x: make_jvp(f)(x)(v)[1])(A)[0](1.0)
    hv_rev = ravine.hessian_tensor_product(f)(A, v)
    assert numpy.allclose(hv_mixed, hv_rev)


def test_autograd_module_paths_for_engine_names():
    # autograd code also imports from autograd.core, autograd.tracer and autograd.wrap_util
    from ravine.core import make_vjp as core_make_vjp, vspace, defvjp
    from ravine.tracer import primitive, getval, isbox
    from ravine.wrap_util import unary_to_nary

    @primitive
    def cube(x):
        return x**3

    defvjp(cube, lambda ans, x: lambda g: 3 * x**2 * g)
    vjp, ans = core_make_vjp(cube, 2.0)  # the unary engine function, as in autograd.core
    assert ans == 8.0 and vjp(1.0) == 12.0
    assert vspace(numpy.zeros((2, 3))).size == 6 and getval(1.5) == 1.5 and not isbox(1.5)

    @unary_to_nary
    def value_of(fun, x):
        return fun(x)

    assert value_of(lambda a, b: a * b, argnum=1)(2.0, 5.0) == 10.0


def test_tensor_jacobian_product_contracts_leading_output_axes():
    from ravine import tensor_jacobian_product

    f = lambda a: np.roll(np.sin(a), 1) * a[0]  # noqa: E731  an asymmetric Jacobian
    a = RNG.standard_normal((5, 4, 3))
    J = jacobian(f)(a)  # (5, 4, 3, 5, 4, 3)
    for V in (RNG.standard_normal((5, 4, 3)), RNG.standard_normal((5, 4)), RNG.standard_normal(5)):
        expected = numpy.tensordot(V, J, axes=V.ndim)
        assert numpy.allclose(tensor_jacobian_product(f)(a, V), expected)
    with pytest.raises(ShapeError, match=r"tensor has shape \(4, 3\)"):
        tensor_jacobian_product(f)(a, numpy.ones((4, 3)))


def test_autograds_pre_1_2_registration_methods_on_core_primitive():
    from ravine.core import primitive as core_primitive

    @core_primitive
    def mul(x, y):
        return x * y

    with pytest.warns(DeprecationWarning, match="pre-1.2 API"):
        mul.defvjp(lambda g, ans, vs, gvs, x, y: y * g)  # the old rule also took the vector spaces
    with pytest.warns(DeprecationWarning):
        mul.defgrad(lambda ans, x, y: lambda g: x * g, argnum=1)
    a, b = RNG.standard_normal((2, 2)), RNG.standard_normal((2, 2))
    check_grads(mul, argnum=(0, 1), modes=("rev",), order=1)(a, b)

    @core_primitive
    def flat(x, y):
        return 0.0 * x * y

    with pytest.warns(DeprecationWarning):
        flat.defvjp_is_zero([0, 1])
    gx, gy = grad(lambda x, y: np.sum(flat(x, y)), argnum=(0, 1))(a, b)
    assert not gx.any() and not gy.any() and gx.shape == (2, 2)


def test_autograd_util_names():
    from ravine.util import func, quick_grad_check, subval, subvals

    assert subvals((1, 2, 3), [(0, 9), (2, 7)]) == (9, 2, 7) and subval((1, 2), 1, 5) == (1, 5)
    assert func(len) is len
    with pytest.warns(DeprecationWarning, match="check_grads"):
        quick_grad_check(lambda x, y: np.sum(x**2) + y, numpy.array([1.0, 2.0]), (2.0,))
    from ravine.extend import defvjp, primitive

    wrong = primitive(lambda x: x**2)
    defvjp(wrong, lambda ans, x: lambda g: g * x)  # should be 2 x g
    with pytest.warns(DeprecationWarning), pytest.raises(GradientCheckError):
        quick_grad_check(wrong, 1.5)


def test_a_vector_space_written_for_autograd():
    # autograd's VSpace subclasses define _add, _scalar_mul, _inner_prod and leave out what they
    # do not need (autograd's rkhs example); the public operations call them
    from ravine.extend import VSpace

    class Pair:
        def __init__(self, a, b):
            self.a, self.b = a, b

    class PairSpace(VSpace):
        def __init__(self, value):
            pass

        def zeros(self):
            return Pair(0.0, 0.0)

        def _add(self, x, y):
            return Pair(x.a + y.a, x.b + y.b)

        def _scalar_mul(self, x, s):
            return Pair(s * x.a, s * x.b)

        def _inner_prod(self, x, y):
            return x.a * y.a + x.b * y.b

    space = PairSpace(Pair(1.0, 2.0))
    total = space.add(Pair(1.0, 2.0), space.scalar_mul(Pair(3.0, 4.0), 2.0))
    assert (total.a, total.b) == (7.0, 10.0) and space.inner_prod(total, Pair(1.0, 1.0)) == 17.0
    with pytest.raises(NotImplementedError, match="PairSpace.ones is not defined"):
        space.ones()


def test_autograds_custom_trace_api():
    # autograd's print_trace example: a Node subclass sees every primitive applied to traced values
    from ravine.tracer import Node, trace

    log = []

    class NameNode(Node):
        def __init__(self, value, fun, args, kwargs, parent_argnums, parents):
            self.name = f"v{len(log) + 1}"
            shown = list(args)
            for argnum, parent in zip(parent_argnums, parents):
                shown[argnum] = parent.name
            log.append((self.name, fun.__name__, tuple(shown), float(value)))

        def initialize_root(self, x):
            self.name = "v0"

    value, end = trace(NameNode.new_root(1.5), lambda x: np.sin(x * x) / 2, 1.5)
    assert value == numpy.sin(2.25) / 2 and end.name == "v3"
    assert [(name, fun, args) for name, fun, args, _ in log] == [
        ("v1", "multiply", ("v0", "v0")), ("v2", "sin", ("v1",)), ("v3", "divide", ("v2", 2))]
    log.clear()
    trace(NameNode.new_root(1.0), grad(lambda x: np.sin(x * x)), 1.0)  # traces through grad too
    assert "cos" in [fun for _, fun, _, _ in log]
    with pytest.warns(UserWarning, match="independent"):
        assert trace(NameNode.new_root(1.0), lambda x: 3.0, 1.0) == (3.0, None)
