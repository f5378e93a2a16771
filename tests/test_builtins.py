"""ravine.tuple / list / dict: containers built inside differentiated code, and classes
that both Python's isinstance and ravine's accept as the second argument."""

import numpy
import pytest

import ravine
import ravine.numpy as np
from ravine import grad
from ravine.test_util import check_grads


@pytest.mark.parametrize("kind, builtin, value, other", [
    (ravine.list, list, [1.0, 2.0], (1.0, 2.0)),
    (ravine.tuple, tuple, (1.0, 2.0), [1.0, 2.0]),
    (ravine.dict, dict, {"a": 1.0, "b": 2.0}, [("a", 1.0)]),
])
def test_container_classes_answer_instance_checks_for_the_builtin_type(kind, builtin, value, other):
    assert isinstance(value, kind) and ravine.isinstance(value, kind)
    assert not isinstance(other, kind) and not ravine.isinstance(other, kind)
    assert issubclass(builtin, kind) and not issubclass(type(other), kind)
    assert ravine.isinstance(value, (kind, float))


@pytest.mark.parametrize("kind, builtin, value, first", [
    (ravine.list, list, [1.5, -2.0], 0),
    (ravine.tuple, tuple, (1.5, -2.0), 0),
    (ravine.dict, dict, {"a": 1.5, "b": -2.0}, "a"),
])
def test_isinstance_works_on_a_container_argument_under_grad(kind, builtin, value, first):
    seen = []

    def fun(x):
        seen.append((ravine.isinstance(x, kind), ravine.isinstance(x, builtin), isinstance(x, kind)))
        return x[first] ** 2

    fun(value)
    assert grad(fun)(value)[first] == pytest.approx(3.0)
    assert seen == [(True, True, True)] * 2


def test_constructors_build_plain_containers_and_stay_differentiable():
    assert ravine.list((1.0, 2.0)) == [1.0, 2.0] and type(ravine.list((1.0, 2.0))) is list
    assert ravine.tuple([1.0]) == (1.0,) and type(ravine.tuple()) is tuple
    assert ravine.dict(a=1.0, b=2.0) == {"a": 1.0, "b": 2.0} and type(ravine.dict()) is dict

    def fun(x):
        parts = ravine.dict(s=np.sin(x), pair=ravine.tuple([x, x * x]), seq=ravine.list([np.exp(x)]))
        return parts["s"] * parts["pair"][1] + parts["seq"][0] * parts["pair"][0]

    check_grads(fun, modes=["fwd", "rev"], order=2)(numpy.array([0.3, -1.1]))
