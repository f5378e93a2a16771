"""ravine.scipy.signal.convolve with convolved, summed (dot) and outer (other) axes:
values against a slice-by-slice SciPy reference, derivatives against finite
differences to second order."""

import itertools

import numpy
import pytest
import scipy.signal

from gradsweep import R
from ravine.scipy import signal
from ravine.test_util import check_grads


def reference(A, B, axes, dot_axes, mode):
    """Sum over the dot indices of SciPy's convolution of matching slices, one
    output entry per pair of other indices of A and B: the definition, written out."""
    conv_a, conv_b = [p % A.ndim for p in axes[0]], [q % B.ndim for q in axes[1]]
    dot_a, dot_b = [p % A.ndim for p in dot_axes[0]], [q % B.ndim for q in dot_axes[1]]
    rest_a = [p for p in range(A.ndim) if p not in conv_a + dot_a]
    rest_b = [q for q in range(B.ndim) if q not in conv_b + dot_b]
    a = numpy.transpose(A, rest_a + dot_a + conv_a)
    b = numpy.transpose(B, rest_b + dot_b + conv_b)
    shape_ra, shape_rb = a.shape[:len(rest_a)], b.shape[:len(rest_b)]
    shape_d = a.shape[len(rest_a):len(rest_a) + len(dot_a)]
    blocks = {}
    for i in itertools.product(*map(range, shape_ra)):
        for j in itertools.product(*map(range, shape_rb)):
            total = 0
            for d in itertools.product(*map(range, shape_d)):
                x, y = a[i + d], b[j + d]
                total = total + (scipy.signal.convolve(x, y, mode="full") if x.ndim else x * y)
            blocks[i + j] = numpy.asarray(total)
    full = numpy.array([blocks[k] for k in sorted(blocks)]).reshape(shape_ra + shape_rb + next(iter(blocks.values())).shape)
    window = []
    for p, q in zip(conv_a, conv_b):
        na, nb = A.shape[p], B.shape[q]
        start, length = {"full": (0, na + nb - 1), "valid": (min(na, nb) - 1, abs(na - nb) + 1),
                         "same": ((nb - 1) // 2, na)}[mode]
        window.append(slice(start, start + length))
    return full[(Ellipsis,) + tuple(window)] if window else full


CASES = [  # A shape, B shape, axes, dot_axes
    ((3, 5), (3, 4), ([1], [0]), ([], [])),
    ((3, 5), (3, 4), ([], []), ([0], [0])),
    ((3, 5), (3, 4, 2), ([1], [2]), ([0], [0])),
    ((2, 5, 4, 3), (2, 4, 2, 3, 2), ([1, 2], [2, 4]), ([0, 3], [0, 3])),
    ((3, 3, 2), (3, 2, 3), ([1], [1]), ([0], [2])),
    ((4, 3), (3, 2), ([1, 0], [1, 0]), ([], [])),
    ((2, 4), (3, 2), ([-1], [0]), ([0], [-1])),
]
MODES = ["full", "valid", "same"]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shape_a,shape_b,axes,dot_axes", CASES)
def test_values_match_slice_by_slice_scipy(shape_a, shape_b, axes, dot_axes, mode):
    A, B = R(*shape_a), R(*shape_b)
    out = signal.convolve(A, B, axes=axes, dot_axes=dot_axes, mode=mode)
    numpy.testing.assert_allclose(out, reference(A, B, axes, dot_axes, mode), rtol=1e-10, atol=1e-12)


def test_plain_call_is_scipy_convolve_and_accepts_scipy_argument_order():
    A, B = R(4, 3), R(2, 2)
    for mode in MODES:
        numpy.testing.assert_allclose(signal.convolve(A, B, mode=mode), scipy.signal.convolve(A, B, mode=mode))
        numpy.testing.assert_allclose(signal.convolve(A, B, mode, "direct"), scipy.signal.convolve(A, B, mode))


def test_complex_values():
    A, B = R(2, 4) + 1j * R(2, 4), R(2, 3) - 2j * R(2, 3)
    numpy.testing.assert_allclose(signal.convolve(A, B, axes=([1], [1]), dot_axes=([0], [0])),
                                  reference(A, B, ([1], [1]), ([0], [0]), "full"), rtol=1e-10)


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("shape_a,shape_b,axes,dot_axes", [CASES[2], CASES[4], CASES[6]])
def test_derivatives_to_second_order(shape_a, shape_b, axes, dot_axes, mode):
    A, B = R(*shape_a), R(*shape_b)
    for argnum in (0, 1):
        check_grads(lambda a, b: signal.convolve(a, b, axes=axes, dot_axes=dot_axes, mode=mode), argnum)(A, B)


def test_derivatives_of_a_product_of_two_convolutions():
    # second derivatives that are not zero: the output is quadratic in A
    A, B = R(3, 4), R(3, 2)
    f = lambda a, b: signal.convolve(a, signal.convolve(a, b, axes=([1], [1]), dot_axes=([0], [0])),  # noqa: E731
                                     axes=([1], [0]), mode="valid")
    check_grads(f, 0)(A, B)


@pytest.mark.parametrize("kwargs,message", [
    (dict(mode="circular"), "mode must be one of"),
    (dict(axes=([0], [0]), dot_axes=([1], [1])), "must have the same size"),
    (dict(axes=([0], [0]), dot_axes=([0], [1])), "both convolved and summed"),
    (dict(dot_axes=([0], [])), "as many axes"),
    (dict(axes=([2], [0])), "out of range"),
    (dict(axes=([0, 0], [0, 1])), "names an axis twice"),
    (dict(axes=0), "pair of axis lists"),
])
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        signal.convolve(R(3, 4), R(3, 2), **kwargs)


def test_axes_none_needs_as_many_axes_on_each_side():
    with pytest.raises(ValueError, match="name the pairs with axes"):
        signal.convolve(R(3, 4), R(3))
