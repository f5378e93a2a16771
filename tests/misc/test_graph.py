"""trace_graph: the recorded graph, backprop as message passing over it, DOT output."""

import numpy
import pytest

import ravine.numpy as np
from ravine import grad
from ravine.errors import ShapeError
from ravine.misc import trace_graph


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def test_the_lectures_logistic_graph_and_its_messages():
    graph = trace_graph(sigmoid)(1.5)
    assert [n.fun for n in graph.nodes] == ["input", "negative", "exp", "add", "divide"]
    assert [n.parents for n in graph.nodes] == [(), (0,), (1,), (2,), (3,)] and graph.output == 4
    e = numpy.exp(-1.5)
    assert numpy.allclose([n.value for n in graph.nodes], [1.5, -1.5, e, 1 + e, 1 / (1 + e)])
    assert all(n.adjoint is None for n in graph.nodes)
    back = graph.backward()
    y = 1 / (1 + e)
    # v̄ of each node: ∂y/∂v, from y = 1/u, u = 1 + e, e = exp(m), m = −z
    expected = [y * (1 - y), -y * (1 - y), -1 / (1 + e) ** 2, -1 / (1 + e) ** 2, 1.0]
    assert numpy.allclose([n.adjoint for n in back.nodes], expected)
    assert numpy.isclose(back.gradient()[0], grad(sigmoid)(1.5))
    text = str(back)
    assert "adjoint" in text and "divide" in text and "output: node 4" in text


def test_gradient_of_the_lectures_squared_error_and_of_a_pytree():
    w, x, t = numpy.array([0.5, -0.3]), numpy.array([1.0, 2.0]), 1.0
    loss = lambda w: 0.5 * (sigmoid(w @ x) - t) ** 2  # noqa: E731
    (g,) = trace_graph(loss)(w).backward().gradient()
    y = 1 / (1 + numpy.exp(-(w @ x)))
    assert numpy.allclose(g, (y - t) * y * (1 - y) * x)  # dL/dw = (y − t) σ'(z) x
    params = {"W": numpy.ones((2, 2)), "b": numpy.arange(2.0)}
    f = lambda p, scale: scale * np.sum(np.tanh(p["W"] @ p["b"]))  # noqa: E731
    graph = trace_graph(f)(params, 3.0).backward()
    expected = grad(f)(params, 3.0)
    assert [n.fun for n in graph.nodes[:2]] == ["input", "input"]
    gW, gb = graph.gradient()  # leaves in the container's order
    assert numpy.allclose(gW, expected["W"]) and numpy.allclose(gb, expected["b"])


def test_fan_out_accumulates_messages_and_argnum_selects_the_input():
    graph = trace_graph(lambda a, x: a * x * x, argnum=1)(3.0, 2.0).backward()
    assert graph.nodes[0].value == 2.0 and numpy.isclose(graph.gradient()[0], 2 * 3.0 * 2.0)
    assert graph.nodes[1].parents == (0,) and graph.nodes[2].parents == (1, 0)  # (a·x)·x: x feeds two nodes
    with pytest.raises(ShapeError, match="argnum=2"):
        trace_graph(lambda a: a, argnum=2)(1.0)


def test_an_output_independent_of_the_input_and_the_dot_source():
    constant = trace_graph(lambda x: numpy.float64(4.0))(1.0)
    assert constant.output is None and constant.backward() is constant
    dot = trace_graph(sigmoid)(0.5).backward().to_dot()
    assert dot.startswith("digraph computation {") and dot.rstrip().endswith("}")
    assert all(f"n{i} -> n{i + 1}" in dot for i in range(4)) and "adjoint" in dot and "style=bold" in dot
