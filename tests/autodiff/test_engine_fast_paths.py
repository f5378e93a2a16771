"""Behaviour that the engine's fast paths must keep (see bench/ for their speed).

Each test pins a case that a shortcut in the hot path could get wrong: negative
indices into traced containers, the one-box primitive path, shape-preserving
broadcasting, repeated indexing, complex values, numpy scalars.
"""

import numpy
import pytest

import ravine.numpy as np
from ravine import builtins as rbuiltins
from ravine import grad, hessian_tensor_product, make_hvp


def test_negative_index_into_traced_list_reaches_the_right_entry():
    params = [numpy.ones(2), 2 * numpy.ones(2), 3 * numpy.ones(2)]
    g = grad(lambda p: np.sum(5.0 * p[-1]) + np.sum(p[0]))(params)
    numpy.testing.assert_array_equal(g[0], [1.0, 1.0])
    numpy.testing.assert_array_equal(g[1], [0.0, 0.0])
    numpy.testing.assert_array_equal(g[2], [5.0, 5.0])


def test_negative_index_and_slice_of_traced_tuple_accumulate():
    params = (numpy.ones(2), 2 * numpy.ones(2), 3 * numpy.ones(2))
    g = grad(lambda p: np.sum(p[-1]) + np.sum(p[2]) + np.sum(p[-3:][1]))(params)
    numpy.testing.assert_array_equal(g[1], [1.0, 1.0])
    numpy.testing.assert_array_equal(g[2], [2.0, 2.0])


def test_out_of_range_index_into_traced_list_raises_index_error():
    with pytest.raises(IndexError):
        grad(lambda p: np.sum(p[3]))([numpy.ones(2)])


def _tanh_square_plus_cube(p):
    a, b = (p["a"], p["b"]) if rbuiltins.isinstance(p, dict) else (p[0], p[1])
    return np.sum(np.tanh(a) ** 2) + np.sum(b**3)


def _expected_hvp(a, b, va, vb):
    # d²/da² tanh(a)² = 2(1 − t²)² − 4t²(1 − t²);  d²/db² b³ = 6b
    t = numpy.tanh(a)
    return (2 * (1 - t**2) ** 2 - 4 * t**2 * (1 - t**2)) * va, 6 * b * vb


@pytest.mark.parametrize("container", [list, tuple, dict])
def test_hessian_vector_product_of_a_pytree_is_not_zero(container):
    # Forward over reverse: the gradient of a pytree is itself a traced pytree.
    a, b = numpy.array([0.3, -0.7, 1.1]), numpy.array([0.2, -1.5])
    va, vb = numpy.array([1.0, 2.0, -1.0]), numpy.array([0.5, 3.0])
    if container is dict:
        x, v = {"a": a, "b": b}, {"a": va, "b": vb}
    else:
        x, v = container([a, b]), container([va, vb])
    want_a, want_b = _expected_hvp(a, b, va, vb)
    for hv in (hessian_tensor_product(_tanh_square_plus_cube)(x, v), make_hvp(_tanh_square_plus_cube)(x)[0](v)):
        got_a, got_b = (hv["a"], hv["b"]) if container is dict else hv
        numpy.testing.assert_allclose(got_a, want_a, rtol=1e-12)
        numpy.testing.assert_allclose(got_b, want_b, rtol=1e-12)


# ---- indexing: sparse cotangents ------------------------------------------


def test_reading_every_entry_in_a_loop_gives_the_dense_gradient():
    x = numpy.linspace(-1.0, 2.0, 40)
    g = grad(lambda x: sum(x[i] ** 3 for i in range(len(x))))(x)
    numpy.testing.assert_allclose(g, 3 * x**2, rtol=1e-12)


def test_repeated_and_fancy_indices_accumulate():
    x = numpy.array([1.0, 2.0, 3.0, 4.0])
    # f = x0² (via fancy index, twice) + 5·x1 + Σ x[1:3] + x3 (row of a 2-D view)
    f = lambda x: (np.sum(x[[0, 0]] * x[numpy.array([0, 0])]) + 5.0 * x[1] + np.sum(x[1:3])
                   + np.reshape(x, (2, 2))[1][1])
    numpy.testing.assert_allclose(grad(f)(x), [4.0, 6.0, 1.0, 1.0])


def test_boolean_mask_index_accumulates():
    x = numpy.array([1.0, -2.0, 3.0])
    mask = x > 0
    numpy.testing.assert_allclose(grad(lambda x: np.sum(x[mask] ** 2) + x[mask][0])(x), [3.0, 0.0, 6.0])


def test_indexing_mixed_with_dense_paths_adds_both():
    x = numpy.array([0.5, -1.5, 2.0])
    f = lambda x: x[2] * x[0] + np.sum(3.0 * x) + x[2]
    numpy.testing.assert_allclose(grad(f)(x), [2.0 + 3.0, 3.0, 0.5 + 3.0 + 1.0])


def test_second_derivative_through_indexing_in_a_loop():
    from ravine import hessian

    x = numpy.array([0.3, -0.4, 1.2])
    h = hessian(lambda x: sum(x[i] ** 3 for i in range(3)) + x[0] * x[1])(x)
    want = numpy.diag(6 * x)
    want[0, 1] = want[1, 0] = 1.0
    numpy.testing.assert_allclose(h, want, rtol=1e-12)


def test_indexing_a_complex_array_matches_the_same_function_without_indexing():
    z = numpy.array([1.0 + 2.0j, -0.5 + 0.25j])
    e0, e1 = numpy.array([1.0, 0.0]), numpy.array([0.0, 1.0])
    with_index = grad(lambda z: np.abs(z[0]) ** 2 + np.real(2j * z[1]))(z)
    without = grad(lambda z: np.abs(np.sum(z * e0)) ** 2 + np.real(2j * np.sum(z * e1)))(z)
    numpy.testing.assert_allclose(with_index, without, rtol=1e-12)


def test_float32_indexing_gradient_keeps_float32():
    x = numpy.array([1.0, 2.0], dtype=numpy.float32)
    g = grad(lambda x: x[0] * x[1] + x[1])(x)
    assert g.dtype == numpy.float32
    numpy.testing.assert_allclose(g, [2.0, 2.0])


def test_indexing_gradient_checks_against_finite_differences_in_both_modes():
    from ravine.test_util import check_grads

    x = numpy.array([[0.3, -0.7, 1.1], [0.2, 0.9, -1.3]])
    check_grads(lambda x: np.sum(x[0] * x[1]) + x[1, 2] ** 2 + np.sum(x[:, [0, 0, 2]]), modes=("fwd", "rev"), order=2)(x)


# ---- checks on every grad call ----------------------------------------------


def test_grad_of_a_ragged_tuple_output_raises_a_shape_error():
    from ravine import ShapeError
    from ravine import builtins as rb

    with pytest.raises(ShapeError, match="scalar"):
        grad(lambda x: rb.tuple([x, np.stack([x, x])]))(1.0)


def test_grad_of_a_vector_or_complex_output_is_refused():
    from ravine import NotDifferentiableError, ShapeError

    with pytest.raises(ShapeError, match=r"\(2,\)"):
        grad(lambda x: np.stack([x, x]))(1.0)
    with pytest.raises(NotDifferentiableError, match="complex"):
        grad(lambda x: x * (1.0 + 1.0j))(1.0)
    assert grad(lambda x: np.reshape(x * x, (1, 1)))(3.0) == 6.0  # size-1 arrays are scalars


# ---- forward mode through containers ----------------------------------------


def test_forward_mode_through_built_containers_gives_zero_tangents_to_constants():
    from ravine import make_jvp

    def f(x):
        return rbuiltins.list([2.0 * x, numpy.ones(2), x * x]), rbuiltins.dict(a=x, b=3.0)

    x, v = numpy.array([1.0, -2.0]), numpy.array([0.5, 4.0])
    (seq, mapping), (t_seq, t_map) = make_jvp(lambda x: rbuiltins.tuple(f(x)))(x)(v)
    numpy.testing.assert_allclose(t_seq[0], 2.0 * v)
    numpy.testing.assert_array_equal(t_seq[1], [0.0, 0.0])
    numpy.testing.assert_allclose(t_seq[2], 2.0 * x * v)
    numpy.testing.assert_allclose(t_map["a"], v)
    assert t_map["b"] == 0.0


# ---- tuple, list and dict inputs are traced leaf by leaf ---------------------------


def test_pytree_input_reaches_the_function_as_the_same_container_of_traced_leaves():
    seen = {}

    def loss(p):
        seen["type"] = type(p)
        seen["inner"] = type(p["layers"][1])
        return np.sum(p["layers"][0] * p["layers"][1][0]) + p["scale"] ** 2

    params = {"layers": [numpy.arange(3.0), (numpy.ones(3),)], "scale": 1.5}
    g = grad(loss)(params)
    assert seen == {"type": dict, "inner": tuple}
    assert list(g) == ["layers", "scale"] and type(g["layers"]) is list and type(g["layers"][1]) is tuple
    numpy.testing.assert_array_equal(g["layers"][0], numpy.ones(3))
    numpy.testing.assert_array_equal(g["layers"][1][0], numpy.arange(3.0))
    assert g["scale"] == 3.0
    assert type(params["layers"]) is list and params["layers"][0] is not None  # the caller's container untouched


@pytest.mark.parametrize("params, first, second", [
    ([[numpy.ones(2)], 2 * numpy.ones(2)], (0, 0), (1,)),   # as many entries as leaves, but nested
    (([numpy.ones(2)], (2 * numpy.ones(2),)), (0, 0), (1, 0)),
    ({"a": [numpy.ones(2)], "b": 2 * numpy.ones(2)}, ("a", 0), ("b",)),
    ([numpy.ones(2), [], 2 * numpy.ones(2)], (0,), (2,)),    # an empty container keeps its place
])
def test_nested_containers_keep_their_structure_in_and_out(params, first, second):
    def at(tree, path):
        for key in path:
            tree = tree[key]
        return tree

    g = grad(lambda p: np.sum(at(p, first) * at(p, second)))(params)
    assert repr(_structure_of(g)) == repr(_structure_of(params))
    numpy.testing.assert_array_equal(at(g, first), at(params, second))
    numpy.testing.assert_array_equal(at(g, second), at(params, first))


def _structure_of(tree):
    """The containers of a pytree with its leaves replaced by their shapes."""
    if isinstance(tree, (list, tuple)):
        return type(tree)(_structure_of(v) for v in tree)
    if isinstance(tree, dict):
        return {k: _structure_of(v) for k, v in tree.items()}
    return numpy.shape(tree)


def test_leaf_returned_as_it_is_and_unused_leaves_get_zeros_of_their_dtype():
    params = [numpy.array([1.0, 2.0], dtype=numpy.float32), numpy.array(3.0)]
    g = grad(lambda p: p[1])(params)
    assert g[1] == 1.0
    assert g[0].dtype == numpy.float32
    numpy.testing.assert_array_equal(g[0], [0.0, 0.0])
    g = grad(lambda p: np.sum(p[0] ** 2))(params)
    numpy.testing.assert_array_equal(g[0], [2.0, 4.0])
    assert g[1] == 0.0


def test_second_derivatives_with_respect_to_a_list_of_leaves():
    # f(a, b) = a² b³: ∂²f/∂a∂b = 6 a b², ∂²f/∂b² = 6 a² b.
    a, b = 1.5, -0.5
    f = lambda p: p[0] ** 2 * p[1] ** 3
    mixed = grad(lambda p: grad(f)(p)[0])([a, b])
    assert mixed[1] == pytest.approx(6 * a * b**2)
    assert mixed[0] == pytest.approx(2 * b**3)
    hv = hessian_tensor_product(f)([a, b], [0.0, 1.0])
    assert hv[0] == pytest.approx(6 * a * b**2) and hv[1] == pytest.approx(6 * a**2 * b)
    hvp, _ = make_hvp(f)([a, b])
    assert hvp([0.0, 1.0])[1] == pytest.approx(6 * a**2 * b)


def test_jvp_of_a_pytree_takes_a_tangent_of_the_same_structure_or_explains_why_not():
    from ravine import ShapeError, make_jvp

    f = lambda p: np.sum(p[0] * p[1])
    jvp = make_jvp(f)([numpy.ones(2), 2 * numpy.ones(2)])
    assert jvp([numpy.ones(2), numpy.zeros(2)])[1] == 4.0
    assert jvp((numpy.ones(2), numpy.zeros(2)))[1] == 4.0  # a tuple may stand for the list
    with pytest.raises(ShapeError, match=r"point is \[array\(2,\), array\(2,\)\], the tangent \[array\(2,\)\]"):
        jvp([numpy.ones(2)])


def test_container_with_a_leaf_that_cannot_be_traced_keeps_the_old_error():
    from ravine import NotDifferentiableError

    with pytest.raises(NotDifferentiableError):
        grad(lambda p: np.sum(p[0]))([numpy.ones(2), "label"])
