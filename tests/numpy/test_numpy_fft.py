"""ravine.numpy.fft: every transform, with n/s/axes/norm variants, to second order
in both modes; complex and real inputs."""

import numpy
import pytest

import ravine.numpy as np
from gradsweep import C, R, ids, run_case, sweep

fft = np.fft
NORMS = [None, "ortho", "forward"]

FFT = (
    sweep(fft.fft, [R(5), C(4), C(2, 3)], norm=NORMS) + sweep(fft.fft, [C(4)], [3, 6], axis=[0])
    + sweep(fft.ifft, [R(5), C(2, 3)], norm=NORMS) + sweep(fft.ifft, [C(2, 3)], [2, 5], [0])
    + sweep(fft.fft2, [C(2, 3), R(2, 2, 3)]) + sweep(fft.fft2, [C(3, 4)], s=[(2, 5)], axes=[(0, 1)], norm=["ortho"])
    + sweep(fft.ifft2, [C(2, 3)]) + sweep(fft.ifft2, [C(2, 3)], s=[(3, 2)], axes=[(-2, -1)])
    + sweep(fft.fftn, [C(2, 3, 2)], axes=[None, (0, 2)], norm=[None, "ortho"])
    + sweep(fft.ifftn, [C(2, 3, 2)], s=[(2, 4)], axes=[(1, 2)])
    + sweep(fft.rfft, [R(5), R(6), R(2, 4)], norm=NORMS) + sweep(fft.rfft, [R(5)], [4, 8])
    + sweep(fft.rfft, [R(4, 3)], axis=[0])
    + sweep(fft.irfft, [C(3), C(4), C(2, 3)], norm=NORMS) + sweep(fft.irfft, [C(3)], [4, 5, 7, 2])
    + sweep(fft.rfft2, [R(3, 4), R(2, 3, 5)]) + sweep(fft.rfftn, [R(2, 3, 4)], axes=[None, (0, 1)])
    + sweep(fft.rfftn, [R(3, 4)], s=[(4, 6)], axes=[(0, 1)])
    + sweep(fft.rfftn, [R(5, 5, 5), R(2, 3)], axes=[None, (0, 1)]) + sweep(fft.rfftn, [R(3, 4)], s=[(3, 5)], axes=[(0, 1)])
    + sweep(fft.irfft2, [C(3, 3)]) + sweep(fft.irfftn, [C(2, 3, 3)]) + sweep(fft.irfftn, [C(2, 3, 3)], s=[(2, 3, 5)], axes=[(0, 1, 2)])
    + sweep(fft.fftshift, [R(5), C(2, 3)], axes=[None, 0]) + sweep(fft.ifftshift, [R(4), R(3, 3)], axes=[None, -1])
)


@pytest.mark.parametrize("case", FFT, ids=ids(FFT))
def test_fft(case):
    run_case(case)


def test_values_and_passthrough_match_numpy():
    x = R(6)
    numpy.testing.assert_allclose(fft.irfft(fft.rfft(x), 6), x)
    numpy.testing.assert_array_equal(fft.fftfreq(7, 0.3), numpy.fft.fftfreq(7, 0.3))


@pytest.mark.parametrize("transform, shape", [(fft.rfftn, (3, 5)), (fft.rfftn, (2, 3, 5)), (fft.rfft2, (4, 3)),
                                              (fft.rfft, (7,))])
def test_real_input_transforms_of_odd_length_against_their_jacobian(transform, shape):
    # autograd raises NotImplementedError for an odd last axis; ravine's rule x̄ = Re(fftn(ḡ
    # zero-padded to n)) holds for every n.  J is built column by column from NumPy's own
    # transform of unit vectors (the map is linear, so this is exact).
    from ravine import make_jvp, make_vjp

    size = int(numpy.prod(shape))
    J = numpy.stack([getattr(numpy.fft, transform.__name__)(e.reshape(shape)).ravel() for e in numpy.eye(size)], axis=1)
    x, v = R(*shape), R(*shape)
    vjp, ans = make_vjp(transform)(x)
    g = C(*numpy.shape(ans))
    numpy.testing.assert_allclose(vjp(g).ravel(), numpy.real(J.T @ g.ravel()), atol=1e-12)
    numpy.testing.assert_allclose(make_jvp(transform)(x)(v)[1].ravel(), J @ v.ravel(), atol=1e-12)
