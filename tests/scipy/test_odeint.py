"""odeint's derivatives to second order: grad of grad, forward over reverse and
forward over forward, against finite differences and a closed form."""

import numpy
import pytest

import ravine.numpy as np
from ravine import grad, hessian
from ravine.autodiff import core
from ravine.errors import NotDifferentiableError
from ravine.scipy import integrate
from ravine.test_util import check_grads

TOL = dict(rtol=1e-4, atol=1e-5)


def logistic_forced(y, t, k, c):
    # nonlinear in y and in the parameters, so second derivatives are not zero
    return k * y * (1.0 - y) - c * np.sin(t) * y


Y0, T, K, C = numpy.array([0.3, 0.6]), numpy.linspace(0.0, 0.8, 3), numpy.array(1.3), numpy.array([0.4, -0.2])


def solve(y0, t, k, c):
    return integrate.odeint(logistic_forced, y0, t, (k, c), rtol=1e-11, atol=1e-11)


def test_first_order_matches_finite_differences_and_closed_form():
    def f(y, t, k):
        return -k * y + np.sin(t)

    y0, t, k = numpy.array([1.0, 2.0]), numpy.linspace(0.0, 1.0, 4), numpy.array(0.7)
    F = lambda y0, t, k: integrate.odeint(f, y0, t, (k,), rtol=1e-10, atol=1e-10)  # noqa: E731
    for argnum in range(3):
        check_grads(F, argnum, order=1, rtol=1e-4, atol=1e-5)(y0, t, k)
    # dy/dt = −k y:  y(1) = y0 e^{−k}, so d y(1)/dk = −y0 e^{−k}
    decay = lambda k: integrate.odeint(lambda y, t, k: -k * y, numpy.array([2.0]), numpy.array([0.0, 1.0]), (k,),  # noqa: E731
                                       rtol=1e-11, atol=1e-11)[1, 0]
    assert grad(decay)(0.7) == pytest.approx(-2.0 * numpy.exp(-0.7), rel=1e-6)


@pytest.mark.parametrize("argnum", [0, 1, 2, 3], ids=["y0", "t", "k", "c"])
def test_second_order_matches_finite_differences(argnum):
    check_grads(solve, argnum, modes=("fwd", "rev"), order=2, **TOL)(Y0, T, K, C)


def test_args_given_as_one_pytree_argument():
    # autograd's tests differentiate the args tuple itself
    F = lambda y0, args: integrate.odeint(logistic_forced, y0, T, args, rtol=1e-11, atol=1e-11)  # noqa: E731
    check_grads(F, 1, modes=("rev",), order=2, **TOL)(Y0, (K, C))


def test_grad_of_grad_matches_closed_form():
    # dy/dt = −k y:  y(1) = y0 e^{−k};  d²y(1)/dk² = y0 e^{−k}, ∂²y(1)/∂k∂y0 = −e^{−k}
    def y1(k, y0):
        ys = integrate.odeint(lambda y, t, k: -k * y, np.reshape(y0, (1,)), numpy.array([0.0, 1.0]), (k,),
                              rtol=1e-11, atol=1e-11)
        return ys[1, 0]

    assert grad(grad(y1))(0.7, 2.0) == pytest.approx(2.0 * numpy.exp(-0.7), rel=1e-5)
    assert grad(grad(y1), 1)(0.7, 2.0) == pytest.approx(-numpy.exp(-0.7), rel=1e-5)
    # the second derivative is not silently zero (the bug this test pins)
    assert abs(grad(grad(y1))(0.7, 2.0)) > 0.5


def test_hessian_vector_product_matches_hessian():
    loss = lambda c: np.sum(solve(Y0, T, K, c) ** 2)  # noqa: E731
    H = hessian(loss)(C)
    v = numpy.array([0.3, -1.1])
    hvp = core.make_jvp(grad(loss), C)(v)[1]
    numpy.testing.assert_allclose(hvp, H @ v, rtol=1e-6, atol=1e-8)
    assert numpy.linalg.norm(H) > 1e-3


def test_args_must_be_a_tuple():
    with pytest.raises(TypeError, match="args=\\(k,\\)"):
        integrate.odeint(logistic_forced, Y0, T, 1.3)


def test_full_output_is_refused_with_the_way_out():
    with pytest.raises(ValueError, match="full_output=True is not supported"):
        integrate.odeint(logistic_forced, Y0, T, (K, C), full_output=True)


def test_integer_and_callable_arguments_are_held_fixed():
    # dy/dt = −k y^n with n = 2 (an int) and a forcing callable: y(1) = 1/(1 + k) for y0 = 1, no forcing
    def f(y, t, k, n, forcing):
        return -k * y ** n + forcing(t)

    def y1(k):
        return integrate.odeint(f, numpy.array([1.0]), numpy.array([0.0, 1.0]), (k, 2, lambda t: 0.0 * t),
                                rtol=1e-11, atol=1e-11)[1, 0]

    assert grad(y1)(0.5) == pytest.approx(-1.0 / 1.5 ** 2, rel=1e-6)  # d/dk 1/(1 + k)
    assert grad(grad(y1))(0.5) == pytest.approx(2.0 / 1.5 ** 3, rel=1e-5)
    check_grads(lambda k: integrate.odeint(f, Y0, T, (k, 2, np.sin), rtol=1e-11, atol=1e-11), **TOL)(K)


def test_an_extra_argument_that_is_a_nest_of_containers():
    # autograd's ODE-net example passes a network's [(W, b), ...] as one extra argument
    def net(y, t, params):
        for W, b in params:
            y = np.tanh(np.dot(y, W) + b)
        return y

    rng = numpy.random.default_rng(4)
    params = [(0.5 * rng.standard_normal((2, 3)), 0.1 * rng.standard_normal(3)),
              (0.5 * rng.standard_normal((3, 2)), 0.1 * rng.standard_normal(2))]
    loss = lambda p: np.sum(integrate.odeint(net, Y0, T, (p,), rtol=1e-10, atol=1e-10) ** 2)  # noqa: E731
    check_grads(loss, modes=("rev",), order=1, **TOL)(params)
    g = grad(loss)(params)
    assert [tuple(x.shape for x in layer) for layer in g] == [((2, 3), (3,)), ((3, 2), (2,))]
    # a dict among the extra arguments, with a constant entry
    by_name = lambda k: integrate.odeint(lambda y, t, d: -d["k"] * y * d["n"], Y0, T, ({"k": k, "n": 2},))  # noqa: E731
    assert numpy.allclose(grad(lambda k: np.sum(by_name(k)[-1]))(0.5), -2 * T[-1] * numpy.exp(-T[-1]) * Y0.sum(), rtol=1e-5)


# A stiff system: the adjoint re-integrates y backwards, where the mode of rate −100
# grows like e^{100 t}. Before the halving, y drifted and the gradient in y0 was 8 % off
# (2.188 against 2.016 at SciPy's default tolerances) with no error.
STIFF = numpy.array([[-100.0, 1.0], [0.0, -0.5]])
STIFF_TOL = {"rtol": 1e-10, "atol": 1e-10}


def stiff_rhs(np_, y, s, k):
    return np_.dot(k, y) + 0.1 * np_.sin(y)


def stiff_loss(y0, k):
    ys = integrate.odeint(lambda y, s, k: stiff_rhs(np, y, s, k), y0, numpy.array([0.0, 1.0]), (k,), **STIFF_TOL)
    return np.sum(ys**2)


def test_stiff_reverse_mode_matches_finite_differences_of_scipy():
    import scipy.integrate

    y0 = numpy.array([1.0, 0.7])

    def scipy_loss(y0, k):
        ys = scipy.integrate.odeint(lambda y, s, k: stiff_rhs(numpy, y, s, k), y0, numpy.array([0.0, 1.0]), (k,),
                                    **STIFF_TOL)
        return numpy.sum(ys**2)

    g_y0, g_k = grad(stiff_loss, argnum=(0, 1))(y0, STIFF)
    h = 1e-6
    for g, point, index in [(g_y0, y0, i) for i in range(2)] + [(g_k, STIFF, ij) for ij in numpy.ndindex(2, 2)]:
        e = numpy.zeros_like(point)
        e[index] = h
        args = (lambda p: (p, STIFF)) if point is y0 else (lambda p: (y0, p))
        fd = (scipy_loss(*args(point + e)) - scipy_loss(*args(point - e))) / (2 * h)
        assert g[index] == pytest.approx(fd, rel=1e-5, abs=1e-8)


def test_a_drift_that_halving_cannot_remove_raises(monkeypatch):
    monkeypatch.setattr(integrate, "_MAX_HALVINGS", 0)
    with pytest.raises(NotDifferentiableError, match="re-integrates y backwards.*forward mode"):
        grad(stiff_loss)(numpy.array([1.0, 0.7]), STIFF)
