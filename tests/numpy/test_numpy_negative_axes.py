"""Negative axes, everywhere an axis is taken: forward and reverse mode to second order.

A rule that inverts a permutation or expands a reduced axis must normalise the
axes first (np.argsort((-1, 0)) is not the inverse of that swap); this sweep
pins every axis-taking function with negative axes."""

import numpy
import pytest

import ravine.numpy as np
from ravine.scipy import special
from ravine.test_util import check_grads

rng = numpy.random.default_rng(0)
T = rng.standard_normal((2, 3, 4))
M = rng.standard_normal((3, 4))
S = rng.standard_normal((3, 3, 3))
cases = {
 "expand_dims": (lambda x: np.expand_dims(x, -1), T), "squeeze": (lambda x: np.squeeze(x[..., :1], axis=-1), T),
 "moveaxis": (lambda x: np.moveaxis(x, -1, 0), T), "moveaxis2": (lambda x: np.moveaxis(x, [0, -1], [-1, 0]), T),
 "swapaxes": (lambda x: np.swapaxes(x, -1, 0), T), "rollaxis": (lambda x: np.rollaxis(x, -1), T),
 "flip": (lambda x: np.flip(x, -1), T), "roll": (lambda x: np.roll(x, 2, axis=-1), T),
 "concatenate": (lambda x: np.concatenate([x, 2 * x], axis=-1), T), "stack": (lambda x: np.stack([x, x * x], axis=-1), T),
 "split": (lambda x: np.split(x, 2, axis=-1)[1], T), "repeat": (lambda x: np.repeat(x, 2, axis=-1), T),
 "cumsum": (lambda x: np.cumsum(x, axis=-1), T), "cumprod": (lambda x: np.cumprod(x, axis=-2), T),
 "sort": (lambda x: np.sort(x, axis=-1), T), "take": (lambda x: np.take(x, [0, 2, 2], axis=-1), T),
 "take_along": (lambda x: np.take_along_axis(x, numpy.argsort(T, axis=-1), axis=-1), T),
 "diagonal": (lambda x: np.diagonal(x, 0, -1, -2), S), "trace": (lambda x: np.trace(x, 0, -2, -1), S),
 "tensordot": (lambda x: np.tensordot(x, M, axes=([-2, -1], [0, 1])), T),
 "mean": (lambda x: np.mean(x, axis=(-1, 0)), T), "var": (lambda x: np.var(x, axis=-1), T), "std": (lambda x: np.std(x, axis=-2, keepdims=True), T),
 "max": (lambda x: np.max(x, axis=-1), T), "prod": (lambda x: np.prod(x, axis=(-1, 0)), T), "sum": (lambda x: np.sum(x, axis=(-2,)), T),
 "diff": (lambda x: np.diff(x, axis=-1), T), "gradient": (lambda x: np.gradient(x, axis=-1), T),
 "make_diagonal": (lambda x: np.make_diagonal(x, 0, -1, -2), M), "partition": (lambda x: np.partition(x, 1, axis=-1), T),
 "transpose": (lambda x: np.transpose(x, (-1, 0, 1)), T), "logsumexp": (lambda x: special.logsumexp(x, axis=-1), T),
 "softmax": (lambda x: special.softmax(x, axis=-2), T),
 "linalg_norm": (lambda x: np.linalg.norm(x, axis=-1), T), "norm2": (lambda x: np.linalg.norm(x, axis=(-2, -1)), T),
 "cross": (lambda x: np.cross(x[..., :3], T[..., 1:], axis=-1), T), "einsum": (lambda x: np.einsum('...ij,jk->...ik', x, M.T), T),
 "average": (lambda x: np.average(x, axis=-1, weights=numpy.arange(1.0, 5.0)), T), "nanmean": (lambda x: np.nanmean(x, axis=-1), T),
 "nansum": (lambda x: np.nansum(x, axis=-1), T), "amin": (lambda x: np.amin(x, axis=-2), T), "ptp_like": (lambda x: np.max(x, axis=-1) - np.min(x, axis=-1), T),
 "fft": (lambda x: np.real(np.fft.fft(x, axis=-2)), T), "rfft": (lambda x: np.abs(np.fft.rfft(x, axis=-2)), T), "fftn": (lambda x: np.real(np.fft.fftn(x, axes=(-1, 0))), T),
 "tile": (lambda x: np.tile(x, (1, 2)), M), "pad": (lambda x: np.pad(x, ((0, 0), (1, 2))), M), "rot90": (lambda x: np.rot90(x, 1, axes=(-1, 0)), M),
 "triu": (lambda x: np.triu(x, -1), M), "outer_axes": (lambda x: np.sum(x[:, None, :] * x[None, :, :], axis=-1), M),
}


@pytest.mark.parametrize("name", sorted(cases))
def test_negative_axes(name):
    fun, x = cases[name]
    check_grads(fun, modes=("fwd", "rev"), order=2)(x)
