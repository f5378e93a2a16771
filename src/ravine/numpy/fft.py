"""``ravine.numpy.fft``: numpy.fft with derivatives.

Every transform is linear, so its forward rule is the transform of the tangent.
Reverse rules use autograd's convention (the VJP of a complex-linear map y = W x
is ḡ ↦ Wᵀ ḡ, transpose without conjugation):

* fft, ifft, fftn, ...: the DFT matrix is symmetric, so x̄ = the same transform
  of ḡ, then cropped or zero-padded back to x's shape (the adjoint of the
  padding or cropping that ``n``/``s`` asked for);
* rfft (real input, first n//2+1 frequencies): x̄ = Re fft(ḡ zero-padded to n);
* irfft (Hermitian half-spectrum to n real samples): x̄_k = c_k · ifft(ḡ)_k for
  k ≤ n//2, with c_k = 2 for the frequencies that stand for a conjugate pair and
  1 for the zero frequency (and the Nyquist one when n is even).

Composed from those (numpy.fft's own definitions, so the derivatives follow):

* hfft(a, n)  = irfft(conj(a), n) with the norm's direction swapped (None/'backward' ↔
  'forward', 'ortho' stays): the real signal of a Hermitian half-spectrum;
* ihfft(a, n) = conj(rfft(a, n)), the norm swapped the same way;
* fftfreq(n, d) = k / (n d) for k = 0, 1, …, −1 (rfftfreq: k = 0 … n//2): constants,
  but differentiable in a traced sample spacing d (∂f/∂d = −f / d).
"""

from __future__ import annotations

import inspect

import numpy as _np

from ravine.autodiff.core import def_linear, defvjp
from ravine.autodiff.tracer import getval, primitive
from ravine.errors import NotDifferentiableError
from ravine.numpy import wrapper as anp
from ravine.numpy.untraced import numpy_unless_traced
from ravine.numpy.vjps import unbroadcast

__all__ = ["fft", "ifft", "fft2", "ifft2", "fftn", "ifftn", "rfft", "irfft", "rfft2", "irfft2",
           "rfftn", "irfftn", "fftshift", "ifftshift", "hfft", "ihfft", "fftfreq", "rfftfreq"]

_nfft = _np.fft
fft, ifft = primitive(_nfft.fft), primitive(_nfft.ifft)
fft2, ifft2 = primitive(_nfft.fft2), primitive(_nfft.ifft2)
fftn, ifftn = primitive(_nfft.fftn), primitive(_nfft.ifftn)
rfft, irfft = primitive(_nfft.rfft), primitive(_nfft.irfft)
rfft2, irfft2 = primitive(_nfft.rfft2), primitive(_nfft.irfft2)
rfftn, irfftn = primitive(_nfft.rfftn), primitive(_nfft.irfftn)
fftshift, ifftshift = primitive(_nfft.fftshift), primitive(_nfft.ifftshift)


def _fit(g, shape, axes):
    """Crop or zero-pad ``g`` along ``axes`` to the sizes in ``shape``."""
    gshape = _np.shape(getval(g))
    index = [slice(None)] * len(gshape)
    widths = [(0, 0)] * len(gshape)
    for ax in axes:
        index[ax] = slice(0, shape[ax])
        widths[ax] = (0, max(0, shape[ax] - gshape[ax]))
    g = g[tuple(index)]
    return anp.pad(g, widths) if any(w[1] for w in widths) else g


def _call(transform, x, *args, **kwargs):
    """(size along each transformed axis or None, the axes, norm) of a call."""
    bound = inspect.signature(transform.fun).bind(x, *args, **kwargs)
    bound.apply_defaults()
    a = bound.arguments
    ndim = len(_np.shape(getval(x)))
    if "axis" in a:
        return [a["n"]], [a["axis"] % ndim], a["norm"]
    axes, s = a["axes"], a["s"]
    if axes is None:
        axes = range(ndim - len(s), ndim) if s is not None else range(ndim)
    axes = [ax % ndim for ax in axes]
    return list(s) if s is not None else [None] * len(axes), axes, a["norm"]


def _apply(transform, g, axes, norm):
    if "axis" in inspect.signature(transform.fun).parameters:
        return transform(g, axis=axes[0], norm=norm)
    return transform(g, axes=axes, norm=norm)


def _full_vjp(transform):
    """VJP maker for a complex transform: the same transform of ḡ, fitted to x."""

    def maker(ans, x, *args, **kwargs):
        _, axes, norm = _call(transform, x, *args, **kwargs)
        shape = _np.shape(getval(x))
        return lambda g: unbroadcast(x, _fit(_apply(transform, g, axes, norm), shape, axes))

    return maker


def _real_input_vjp(transform, full_transform):
    """VJP maker for rfft-like transforms: x̄ = Re(full transform of ḡ padded to n)."""

    def maker(ans, x, *args, **kwargs):
        sizes, axes, norm = _call(transform, x, *args, **kwargs)
        shape = _np.shape(getval(x))
        padded_shape = list(_np.shape(getval(ans)))
        padded_shape[axes[-1]] = sizes[-1] if sizes[-1] is not None else shape[axes[-1]]
        return lambda g: unbroadcast(x, _fit(_apply(full_transform, _fit(g, padded_shape, axes), axes, norm),
                                             shape, axes))

    return maker


def _hermitian_weights(m, n):
    """c_k for k < m: 1 at k = 0 (and at k = n/2 for even n), 2 elsewhere."""
    c = _np.full(m, 2.0)
    c[0] = 1.0
    if n % 2 == 0 and n // 2 < m:
        c[n // 2] = 1.0
    return c


def _real_output_vjp(transform, inverse_transform):
    """VJP maker for irfft-like transforms: x̄_k = c_k ifft(ḡ)_k for k ≤ n//2."""

    def maker(ans, x, *args, **kwargs):
        _, axes, norm = _call(transform, x, *args, **kwargs)
        shape = _np.shape(getval(x))
        n = _np.shape(getval(ans))[axes[-1]]
        m = n // 2 + 1
        weights = _hermitian_weights(m, n).reshape([-1 if i == axes[-1] else 1 for i in range(len(shape))])
        index = tuple(slice(0, m) if i == axes[-1] else slice(None) for i in range(len(shape)))
        return lambda g: _fit(_apply(inverse_transform, g, axes, norm)[index] * weights, shape, axes)

    return maker


for _f in (fft, ifft, fft2, ifft2, fftn, ifftn):
    defvjp(_f, _full_vjp(_f))
for _f, _full in ((rfft, fft), (rfft2, fft2), (rfftn, fftn)):
    defvjp(_f, _real_input_vjp(_f, _full))
for _f, _inverse in ((irfft, ifft), (irfft2, ifft2), (irfftn, ifftn)):
    defvjp(_f, _real_output_vjp(_f, _inverse))
defvjp(fftshift, lambda ans, x, axes=None: lambda g: ifftshift(g, axes))
defvjp(ifftshift, lambda ans, x, axes=None: lambda g: fftshift(g, axes))

for _f in (fft, ifft, fft2, ifft2, fftn, ifftn, rfft, irfft, rfft2, irfft2, rfftn, irfftn, fftshift, ifftshift):
    def_linear(_f)


# ---- composed: Hermitian transforms, sample frequencies ------------------------------------------


def _swapped_norm(norm):
    """The norm of the inverse transform that hfft and ihfft are written with."""
    swapped = {None: "forward", "backward": "forward", "ortho": "ortho", "forward": "backward"}
    if norm not in swapped:
        raise ValueError(f'Invalid norm value {norm}; should be "backward", "ortho" or "forward".')
    return swapped[norm]


def _refuse_out(name, out):
    if out is not None:
        raise NotDifferentiableError(f"fft.{name} of a traced array cannot write into out=; use the returned "
                                     "array (out=None).")


@numpy_unless_traced(_nfft.hfft)
def hfft(a, n=None, axis=-1, norm=None, out=None):
    """The n real samples whose spectrum has the Hermitian half a: irfft(conj(a)), norm swapped."""
    _refuse_out("hfft", out)
    a = anp.asarray(a)
    if n is None:
        n = (_np.shape(getval(a))[axis] - 1) * 2
    return irfft(anp.conj(a), n, axis, norm=_swapped_norm(norm))


@numpy_unless_traced(_nfft.ihfft)
def ihfft(a, n=None, axis=-1, norm=None, out=None):
    """The Hermitian half-spectrum of real a: conj(rfft(a)), norm swapped."""
    _refuse_out("ihfft", out)
    a = anp.asarray(a)
    if n is None:
        n = _np.shape(getval(a))[axis]
    return anp.conj(rfft(a, n, axis, norm=_swapped_norm(norm)))


def _frequencies(n, d, device, indices):
    if not isinstance(n, (int, _np.integer)):
        raise ValueError("n should be an integer")  # noqa: TRY004  (NumPy's error)
    return indices(n, device) * (1.0 / (n * d))  # NumPy's arithmetic, with d traced


@numpy_unless_traced(_nfft.fftfreq)
def fftfreq(n, d=1.0, device=None):
    """Sample frequencies k / (n d) in FFT order; differentiable in a traced d."""
    return _frequencies(n, d, device, lambda n, device: _np.concatenate(
        [_np.arange(0, (n - 1) // 2 + 1, device=device), _np.arange(-(n // 2), 0, device=device)]))


@numpy_unless_traced(_nfft.rfftfreq)
def rfftfreq(n, d=1.0, device=None):
    """Sample frequencies k / (n d), k = 0 … n//2 (rfft's); differentiable in a traced d."""
    return _frequencies(n, d, device, lambda n, device: _np.arange(0, n // 2 + 1, device=device))


def __getattr__(name):
    try:
        return getattr(_nfft, name)
    except AttributeError:
        raise AttributeError(f"module 'ravine.numpy.fft' has no attribute {name!r}") from None
