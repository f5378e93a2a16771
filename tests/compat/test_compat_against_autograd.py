"""Side by side with HIPS autograd in the same process: the same code, imports mapped to
ravine, must give the same values, VJPs, JVPs and second derivatives."""

import numpy
import pytest

autograd = pytest.importorskip("autograd", reason="autograd is the comparison anchor (pip install -e .[dev] installs it)")
import autograd.numpy as anp  # noqa: E402
import autograd.scipy.special as asp  # noqa: E402

import ravine  # noqa: E402
import ravine.numpy as rnp  # noqa: E402
import ravine.scipy.special as rsp  # noqa: E402

RNG = numpy.random.default_rng(11)
R = RNG.standard_normal((3, 4))
Z = RNG.standard_normal((3, 4)) + 1j * RNG.standard_normal((3, 4))
S = RNG.standard_normal((3, 3))

# name -> (program written against a namespace `np` and a scipy.special `sp`, input)
PROGRAMS = {
    "mlp": (lambda np, sp: lambda x: np.sum(np.tanh(x @ np.ones((4, 2))) ** 2), R),
    "logsumexp": (lambda np, sp: lambda x: sp.logsumexp(x, axis=1), R),
    "var_std_complex": (lambda np, sp: lambda z: np.var(z, axis=0) + np.std(z), Z),
    "var_real": (lambda np, sp: lambda x: np.var(x, axis=1, keepdims=True), R),
    "dot_real_complex": (lambda np, sp: lambda x: np.abs(np.dot(x, Z.T)) ** 2, R),
    "kron_real_complex": (lambda np, sp: lambda x: np.abs(np.kron(x[:2, :2], Z[:2, :2])), R),
    "tensordot_real_complex": (lambda np, sp: lambda x: np.real(np.tensordot(x, Z, ([1], [1]))), R),
    "linspace": (lambda np, sp: lambda x: np.linspace(x[0, 0], x[1, 1], 5), R),
    "full": (lambda np, sp: lambda x: np.full((2, 3), x[0, 0]) * x[0, :3], R),
    "indexing": (lambda np, sp: lambda x: x[[0, 0, 2], [1, 1, 3]] * x[1:, ::-2].sum(), R),
    "linalg": (lambda np, sp: lambda x: np.linalg.slogdet(x @ x.T + np.eye(3))[1] + np.sum(np.linalg.inv(x)), S),
    "eigh": (lambda np, sp: lambda x: np.linalg.eigh(x + x.T)[0], S),
    "norm_nuc": (lambda np, sp: lambda x: np.linalg.norm(x, "nuc"), S),
    # spectral decompositions through phase-free functions of the vectors (|V|, eigenvalues)
    "eigh_upper_nonsymmetric": (lambda np, sp: lambda x: np.abs(np.linalg.eigh(x, "U")[1]) * np.linalg.eigh(x, "U")[0], S),
    "eigh_complex": (lambda np, sp: lambda z: np.abs(np.linalg.eigh(z)[1]) * np.linalg.eigh(z)[0], Z[:, :3]),
    "eig_real": (lambda np, sp: lambda x: np.abs(np.linalg.eig(x)[1]) * np.abs(np.linalg.eig(x)[0]), S),
    "eig_complex": (lambda np, sp: lambda z: np.abs(np.linalg.eig(z)[1]) * np.linalg.eig(z)[0], Z[:, :3]),
    "svd_complex": (lambda np, sp: lambda z: np.abs(np.linalg.svd(z, full_matrices=False)[2])
                    * np.linalg.svd(z, full_matrices=False)[1][:, None], Z),
    "fft": (lambda np, sp: lambda x: np.abs(np.fft.rfft(x)) ** 2, R),
    "special": (lambda np, sp: lambda x: sp.gammaln(np.abs(x) + 1) + sp.expit(x) + sp.erf(x), R),
    "stack_where": (lambda np, sp: lambda x: np.where(x > 0, np.stack([x, x ** 2])[1], -x), R),
    "mean_std_of_lists": (lambda np, sp: lambda x: np.mean([x[0, 0], x[1, 1] ** 2]) * np.std((x[0, 1], x[2, 3])), R),
    "einsum_interleaved": (lambda np, sp: lambda x: np.einsum(x, [0, 1], np.sin(x), [2, 1], [0, 2]), R),
    "make_diagonal": (lambda np, sp: lambda x: np.make_diagonal(x, axis1=-1, axis2=-2) ** 2, R),
    "r_c_": (lambda np, sp: lambda x: np.r_[x[0], 1:3, x[1] ** 2] + np.c_[x[0], x[1]].sum(), R),
    "gradient": (lambda np, sp: lambda x: np.gradient(x ** 2, axis=1), R),
    "plain_numpy_reduction": (lambda np, sp: lambda x: numpy.sum(np.exp(x) * R, axis=0), R),
    "int_cast_indices": (lambda np, sp: lambda x: x[np.int64(np.abs(x[:, 0]) * 0.0 + 1.5)] ** 2, R),
}


def _vec(tree):
    return numpy.concatenate([numpy.ravel(numpy.asarray(leaf, dtype=complex)) for leaf in
                              (tree if isinstance(tree, (tuple, list)) else [tree])])


def _like(x, rng):
    r = rng.standard_normal(numpy.shape(x))
    return r + 1j * rng.standard_normal(numpy.shape(x)) if numpy.iscomplexobj(x) else r


@pytest.mark.filterwarnings("ignore:.*is slow for array inputs:UserWarning")  # autograd's r_/c_
@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_values_and_derivatives_as_autograd(name):
    make, x = PROGRAMS[name]
    fr, fa = make(rnp, rsp), make(anp, asp)
    rng = numpy.random.default_rng(0)
    y = fa(x)
    assert numpy.allclose(_vec(fr(x)), _vec(y))
    g, v = _like(y, rng), _like(x, rng)
    assert numpy.allclose(_vec(ravine.make_vjp(fr)(x)[0](g)), _vec(autograd.make_vjp(fa)(x)[0](g)))
    try:
        tangent_a = autograd.make_jvp(fa)(x)(v)[1]
    except NotImplementedError:  # autograd has no forward rule here; ravine's is checked elsewhere
        tangent_a = None
    if tangent_a is not None:
        assert numpy.allclose(_vec(ravine.make_jvp(fr)(x)(v)[1]), _vec(tangent_a))
    h = _like(x, rng)
    second_r = ravine.make_vjp(lambda x: ravine.make_vjp(fr)(x)[0](g))(x)[0](h)
    second_a = autograd.make_vjp(lambda x: autograd.make_vjp(fa)(x)[0](g))(x)[0](h)
    assert numpy.allclose(_vec(second_r), _vec(second_a), atol=1e-8)


def test_operators_agree_on_a_pytree_loss():
    params = {"W": R, "b": R[0]}

    def loss(np):
        return lambda p, x: np.sum(np.tanh(x @ p["W"] + p["b"]) ** 2)

    x = RNG.standard_normal((5, 3))
    gr, ga = ravine.grad(loss(rnp))(params, x), autograd.grad(loss(anp))(params, x)
    assert all(numpy.allclose(gr[k], ga[k]) for k in params)
    v = numpy.ones_like(R)
    hr = ravine.hessian_tensor_product(lambda w: loss(rnp)({"W": w, "b": R[0]}, x))(R, v)
    ha = autograd.hessian_tensor_product(lambda w: loss(anp)({"W": w, "b": R[0]}, x))(R, v)
    assert numpy.allclose(hr, ha)
    assert numpy.allclose(ravine.hessian(lambda w: loss(rnp)({"W": w, "b": R[0]}, x))(R),
                          autograd.hessian(lambda w: loss(anp)({"W": w, "b": R[0]}, x))(R))
