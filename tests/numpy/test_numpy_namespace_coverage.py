"""Every public function of numpy, numpy.linalg and numpy.fft is covered by ravine.numpy:
it has a ravine version (differentiable, a constant, or a refusal that explains itself),
or it is listed in ``ravine.numpy.numpy_own.NUMPY_OWN`` with the reason NumPy's own is
right.  Before this test, 207 of them fell through to NumPy unlisted: on a traced value
they raised an error that recommended a ravine function that did not exist."""

import inspect
import io
import types
import warnings

import numpy
import pytest

import ravine
import ravine.numpy as np
from ravine.errors import TracingError
from ravine.numpy.numpy_own import NUMPY_OWN

MODULES = {"numpy": (numpy, np), "numpy.linalg": (numpy.linalg, np.linalg), "numpy.fft": (numpy.fft, np.fft)}
# The NumPy whose names this list was checked against; newer releases may add names.
CHECKED_UP_TO = (2, 4)


def public_functions(module):
    names = []
    for name in sorted(dir(module)):
        obj = getattr(module, name, None)
        if name.startswith("_") or obj is None or isinstance(obj, types.ModuleType) or inspect.isclass(obj):
            continue
        if callable(obj):
            names.append(name)
    return names


def unlisted(module_name):
    numpy_module, ravine_module = MODULES[module_name]
    return [name for name in public_functions(numpy_module)
            if getattr(ravine_module, name, None) is getattr(numpy_module, name)
            and name not in NUMPY_OWN[module_name]]


@pytest.mark.parametrize("module_name", sorted(MODULES))
def test_every_numpy_function_has_a_ravine_version_or_a_reason(module_name):
    missing = unlisted(module_name)
    version = tuple(int(part) for part in numpy.__version__.split(".")[:2])
    if version > CHECKED_UP_TO and missing:
        warnings.warn(f"NumPy {numpy.__version__} has functions ravine.numpy neither wraps nor lists "
                      f"in NUMPY_OWN: {missing}", stacklevel=1)
        return
    assert missing == [], f"{module_name}: neither wrapped by ravine nor listed in NUMPY_OWN: {missing}"


@pytest.mark.parametrize("module_name", sorted(MODULES))
def test_the_list_of_numpys_own_functions_is_honest(module_name):
    numpy_module, ravine_module = MODULES[module_name]
    for name, reason in NUMPY_OWN[module_name].items():
        assert reason
        if hasattr(numpy_module, name):  # names NumPy may drop are allowed to go
            assert getattr(ravine_module, name) is getattr(numpy_module, name), f"{name} is wrapped: unlist it"


def test_numpys_own_functions_refuse_traced_values_without_pointing_to_nothing():
    x = numpy.linspace(0.1, 1.0, 4)
    for call in (lambda v: numpy.save(io.BytesIO(), v), lambda v: numpy.packbits(v), lambda v: np.packbits(v)):
        with pytest.raises(TracingError, match="ravine.numpy has no differentiable") as info:
            ravine.grad(lambda v, call=call: call(v) and np.sum(v))(x)
        assert "Use ravine.numpy." not in str(info.value)


def test_constants_read_traced_values():
    x = numpy.array([[1.0, 2.0], [3.0, 4.0]])
    seen = {}

    def f(v):
        seen["text"] = np.array2string(v)
        seen["path"] = np.einsum_path("ij,jk", v, v)[0]
        seen["equiv"] = np.array_equiv(v, x)
        return np.sum(v * v)

    numpy.testing.assert_array_equal(ravine.grad(f)(x), 2 * x)
    assert seen == {"text": numpy.array2string(x), "path": numpy.einsum_path("ij,jk", x, x)[0], "equiv": True}


def signature_mismatches():
    """ravine functions that lack a parameter of NumPy's, or take NumPy's positional
    parameters in another order (calls that use them would fail or mean something else)."""
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    found = []
    for module_name, (numpy_module, ravine_module) in MODULES.items():
        for name in public_functions(numpy_module):
            theirs, ours = getattr(numpy_module, name), getattr(ravine_module, name, None)
            if ours is None or ours is theirs or isinstance(theirs, numpy.ufunc):
                continue
            try:
                want = list(inspect.signature(theirs).parameters.values())
                have = list(inspect.signature(ours).parameters.values())
            except (TypeError, ValueError):
                continue
            if any(p.kind == inspect.Parameter.VAR_KEYWORD for p in have):
                continue  # forwards any keyword
            names = {p.name for p in have}
            missing = [p.name for p in want if p.kind not in (p.VAR_POSITIONAL, p.VAR_KEYWORD) and p.name not in names]
            want_pos = [p.name for p in want if p.kind in positional]
            have_pos = [p.name for p in have if p.kind in positional][:len(want_pos)]
            if missing or (have_pos != want_pos and not any(p.kind == p.VAR_POSITIONAL for p in have)):
                found.append(f"{module_name}.{name}: missing {missing}, positional {have_pos} vs NumPy's {want_pos}")
    return found


def test_ravine_functions_take_numpys_parameters_in_numpys_order():
    # Found when written: diff had no prepend/append, concatenate no dtype/casting, choose
    # took mode where NumPy takes out, the stacks named their argument arrays (NumPy: tup),
    # nanmean took keepdims third, asarray/full/linspace had no device/copy/like.
    assert signature_mismatches() == []
