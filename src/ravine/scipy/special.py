"""``ravine.scipy.special``: special functions with derivatives.

Each rule is a one-line derivative written with traced functions, so higher
derivatives follow (ψ = digamma, ψ⁽ⁿ⁾ = polygamma(n, ·)):

    expit' = σ(1−σ)         logit' = 1/(x(1−x))        erf' = 2/√π e^{−x²}
    erfinv' = √π/2 e^{erfinv²}                        gammaln' = ψ
    gamma' = Γψ             rgamma' = −ψ/Γ             ψ⁽ⁿ⁾' = ψ⁽ⁿ⁺¹⁾
    ∂_a ln B(a,b) = ψ(a) − ψ(a+b)                     ∂_x P(a,x) = x^{a−1}e^{−x}/Γ(a)
    I_ν' = (I_{ν−1} + I_{ν+1})/2    J_n' = (J_{n−1} − J_{n+1})/2    Y_n' likewise
    ndtr' = φ               log_ndtr' = φ / ndtr

    log_expit' = σ(−x)      softplus' = σ(x)
    logsumexp(..., return_sign=True): (log|Σ b eᵃ|, sign), the sign a constant;
        ∂/∂a = sign·b·eᵃ⁻ˡˢᵉ, refused where Σ b eᵃ = 0

More functions, each module's docstring stating its rules and its domain edges:
elementary ones (log1p, expm1, exprel, cbrt, exp2, exp10, cosm1, powm1) in
``_special_elementary``; entr, rel_entr, kl_div, huber, pseudo_huber in
``_special_losses``; ndtri, ndtri_exp, erfcx, erfi, dawsn, wofz in
``_special_error``; boxcox, boxcox1p, inv_boxcox, inv_boxcox1p in
``_special_boxcox``.  Where a derivative does not exist (outside a domain) they
raise a NotDifferentiableError rather than return a number.

gammasgn, the sign of Γ, is piecewise constant: its derivative is zero and it
returns an untraced constant, like ``ravine.numpy.sign``.

Order arguments (n of polygamma/jn/yn, ν of iv, d of multigammaln) and the
shape parameter a of the incomplete gamma function are constants.
"""

from __future__ import annotations

import numpy as _np
import scipy.special as _sp

from ravine.autodiff.core import defjvp, defvjp
from ravine.autodiff.tracer import Box, getval, notrace_primitive, primitive
from ravine.numpy import wrapper as anp
from ravine.numpy.jvps import broadcast_tangent
from ravine.numpy.vjps import unbroadcast, unbroadcast_f
from ravine.scipy._special_boxcox import boxcox, boxcox1p, inv_boxcox, inv_boxcox1p
from ravine.scipy._special_elementary import (
    cbrt,
    cosm1,
    exp2,
    exp10,
    expm1,
    exprel,
    log1p,
    powm1,
)
from ravine.scipy._special_error import dawsn, erfcx, erfi, ndtri, ndtri_exp, wofz
from ravine.scipy._special_losses import entr, huber, kl_div, pseudo_huber, rel_entr
from ravine.scipy._special_rules import binary as _binary
from ravine.scipy._special_rules import order_first as _order_first
from ravine.scipy._special_rules import refuse as _refuse
from ravine.scipy._special_rules import unary as _unary
from ravine.scipy._untraced import plain_only

__all__ = [
    "beta", "betainc", "betaln", "boxcox", "boxcox1p", "cbrt", "cosm1", "dawsn", "digamma", "entr", "erf",
    "erfc", "erfcinv", "erfcx", "erfi", "erfinv", "exp2", "exp10", "expit", "expm1", "exprel", "gamma",
    "gammainc", "gammaincc", "gammaln", "gammasgn", "huber", "i0", "i1", "inv_boxcox", "inv_boxcox1p", "iv",
    "ive", "j0", "j1", "jn", "kl_div", "log1p", "log_expit", "log_ndtr", "log_softmax", "logit", "logsumexp",
    "multigammaln", "ndtr", "ndtri", "ndtri_exp", "polygamma", "powm1", "pseudo_huber", "psi", "rel_entr",
    "rgamma", "softmax", "softplus", "wofz", "xlog1py", "xlogy", "y0", "y1", "yn",
]

_SQRT_PI = float(_np.sqrt(_np.pi))
_SQRT_2PI = float(_np.sqrt(2 * _np.pi))


# ---- logistic and error functions ----------------------------------------------------------
expit = _unary("expit", lambda ans, x: ans * (1.0 - ans))
logit = _unary("logit", lambda ans, x: 1.0 / (x * (1.0 - x)))
log_expit = _unary("log_expit", lambda ans, x: expit(-x))  # 1 − σ(x), without the cancellation


def _softplus(x):
    """log(1 + eˣ), SciPy's; its derivative is σ(x) = expit(x)."""
    return _sp.softplus(x)


_softplus.__name__ = "softplus"
softplus = _unary("softplus", lambda ans, x: expit(x), raw=_softplus)
erf = _unary("erf", lambda ans, x: 2.0 / _SQRT_PI * anp.exp(-x * x))
erfc = _unary("erfc", lambda ans, x: -2.0 / _SQRT_PI * anp.exp(-x * x))
erfinv = _unary("erfinv", lambda ans, x: _SQRT_PI / 2.0 * anp.exp(ans * ans))
erfcinv = _unary("erfcinv", lambda ans, x: -_SQRT_PI / 2.0 * anp.exp(ans * ans))
ndtr = _unary("ndtr", lambda ans, x: anp.exp(-0.5 * x * x) / _SQRT_2PI)
log_ndtr = _unary("log_ndtr", lambda ans, x: anp.exp(-0.5 * x * x - ans) / _SQRT_2PI)

# ---- gamma family ---------------------------------------------------------------------------------
polygamma = _order_first("polygamma", lambda ans, n, x: polygamma(_np.asarray(n) + 1, x))
digamma = _unary("digamma", lambda ans, x: polygamma(1, x))
psi = digamma
gammaln = _unary("gammaln", lambda ans, x: digamma(x))
gamma = _unary("gamma", lambda ans, x: ans * digamma(x))
rgamma = _unary("rgamma", lambda ans, x: -ans * digamma(x))
gammasgn = notrace_primitive(_sp.gammasgn)  # ±1, constant between the poles
beta = _binary("beta", lambda ans, a, b: ans * (digamma(a) - digamma(a + b)),
               lambda ans, a, b: ans * (digamma(b) - digamma(a + b)))
betaln = _binary("betaln", lambda ans, a, b: digamma(a) - digamma(a + b),
                 lambda ans, a, b: digamma(b) - digamma(a + b))
# (a − 1) log x as xlogy, 0 at a = 1, x = 0: there ∂_x P = 1 (e⁻ˣ), not 0·∞.
gammainc = _order_first("gammainc", lambda ans, a, x: anp.exp(xlogy(a - 1, x) - x - gammaln(a)))
gammaincc = _order_first("gammaincc", lambda ans, a, x: -anp.exp(xlogy(a - 1, x) - x - gammaln(a)))


@primitive
def multigammaln(a, d):
    """log Γ_d(a) = d(d−1)/4 log π + Σ_{j<d} log Γ(a − j/2)."""
    return _sp.multigammaln(a, d)


def _sum_digamma(a, d):
    return sum(digamma(a - 0.5 * j) for j in range(d))


defvjp(multigammaln, lambda ans, a, d: lambda g: g * _sum_digamma(a, d))
defjvp(multigammaln, lambda g, ans, a, d: g * _sum_digamma(a, d))


@primitive
def betainc(a, b, x):
    """The regularised incomplete beta function I_x(a, b) (derivative in x only)."""
    return _sp.betainc(a, b, x)


def _betainc_dx(a, b, x):
    """∂_x I_x(a, b) = x^{a−1} (1 − x)^{b−1} / B(a, b), with 0·log 0 = 0 at a = 1, x = 0 and b = 1, x = 1."""
    return anp.exp(xlogy(a - 1, x) + xlog1py(b - 1, -x) - betaln(a, b))


defvjp(betainc, None, None, lambda ans, a, b, x: unbroadcast_f(x, lambda g: g * _betainc_dx(a, b, x)))
defjvp(betainc, None, None, lambda g, ans, a, b, x: broadcast_tangent(g * _betainc_dx(a, b, x), ans))

# ---- Bessel functions -------------------------------------------------------------------------------
iv = _order_first("iv", lambda ans, v, x: 0.5 * (iv(_np.asarray(v) - 1, x) + iv(_np.asarray(v) + 1, x)))
# ive = iv e^{−|x|}:  ive' = (I_{ν−1} + I_{ν+1})/2 e^{−|x|} − sign(x) ive
ive = _order_first("ive", lambda ans, v, x: 0.5 * (ive(_np.asarray(v) - 1, x) + ive(_np.asarray(v) + 1, x))
                   - anp.sign(x) * ans)
jn = _order_first("jv", lambda ans, n, x: 0.5 * (jn(_np.asarray(n) - 1, x) - jn(_np.asarray(n) + 1, x)))
# SciPy's yn truncates a non-integer order towards zero (yn(0.7, x) is y0(x)); the
# recurrence uses that integer order, so the derivative is the one of the value.
yn = _order_first("yn", lambda ans, n, x: 0.5 * (yn(_np.trunc(n) - 1, x) - yn(_np.trunc(n) + 1, x)))
i0 = _unary("i0", lambda ans, x: i1(x))
i1 = _unary("i1", lambda ans, x: 0.5 * (i0(x) + iv(2, x)))
j0 = _unary("j0", lambda ans, x: -j1(x))
j1 = _unary("j1", lambda ans, x: 0.5 * (j0(x) - jn(2, x)))
y0 = _unary("y0", lambda ans, x: -y1(x))
y1 = _unary("y1", lambda ans, x: 0.5 * (y0(x) - yn(2, x)))

# ---- x log y ---------------------------------------------------------------------------------------------
xlogy = _binary("xlogy", lambda ans, x, y: anp.log(y), lambda ans, x, y: x / y)
xlog1py = _binary("xlog1py", lambda ans, x, y: anp.log1p(y), lambda ans, x, y: x / (1.0 + y))

# ---- log-sum-exp and softmax ------------------------------------------------------------------------------


def logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False):
    """log Σ b exp(a) over ``axis``; the weights ``b`` (optional) may be traced too."""
    if return_sign:
        return _logsumexp_with_sign(a, axis, b, keepdims)
    if isinstance(b, Box):
        return _weighted_logsumexp(a, b, axis, keepdims)
    return _logsumexp(a, axis=axis, b=b, keepdims=keepdims)


@primitive
def _logsumexp(a, axis=None, b=None, keepdims=False, return_sign=False):
    return _sp.logsumexp(a, axis=axis, b=b, keepdims=keepdims)


@primitive
def _weighted_logsumexp(a, b, axis, keepdims):
    return _sp.logsumexp(a, axis=axis, b=b, keepdims=keepdims)


def _summed_shape(a, b):
    """The shape logsumexp reduces: a's broadcast against b's (b may have more axes)."""
    return _np.shape(getval(a)) if b is None else _np.broadcast_shapes(_np.shape(getval(a)), _np.shape(getval(b)))


def _lse_weights(ans, a, axis, b, keepdims, times_b=True):
    """∂ logsumexp / ∂a = b exp(a − logsumexp) (∂/∂b without the factor b), with the
    reduced axes restored."""
    from ravine.numpy.vjps import _expand_reduced

    w = anp.exp(a - _expand_reduced(ans, _summed_shape(a, b), axis, keepdims))
    return w * b if times_b and b is not None else w


def _grad_logsumexp(ans, a, axis=None, b=None, keepdims=False, return_sign=False):
    from ravine.numpy.vjps import _expand_reduced

    shape = _summed_shape(a, b)
    return lambda g: unbroadcast(a, _expand_reduced(g, shape, axis, keepdims) * _lse_weights(ans, a, axis, b, keepdims))


defvjp(_logsumexp, _grad_logsumexp)
defjvp(_logsumexp, lambda g, ans, a, axis=None, b=None, keepdims=False, return_sign=False: anp.sum(
    g * _lse_weights(ans, a, axis, b, keepdims), axis=axis, keepdims=keepdims))


def _grad_weighted_logsumexp_b(ans, a, b, axis, keepdims):
    # ∂/∂b log Σ b eᵃ = eᵃ⁻ˡˢᵉ, summed back over the axes along which b was broadcast
    from ravine.numpy.vjps import _expand_reduced

    shape = _summed_shape(a, b)
    return lambda g: unbroadcast(b, _expand_reduced(g, shape, axis, keepdims)
                                 * _lse_weights(ans, a, axis, b, keepdims, times_b=False))


defvjp(_weighted_logsumexp,
       lambda ans, a, b, axis, keepdims: _grad_logsumexp(ans, a, axis, b, keepdims), _grad_weighted_logsumexp_b)
defjvp(_weighted_logsumexp,
       lambda g, ans, a, b, axis, keepdims: anp.sum(g * _lse_weights(ans, a, axis, b, keepdims), axis=axis,
                                                    keepdims=keepdims),
       lambda g, ans, a, b, axis, keepdims: anp.sum(g * _lse_weights(ans, a, axis, b, keepdims, times_b=False),
                                                    axis=axis, keepdims=keepdims))


def _logsumexp_with_sign(a, axis, b, keepdims):
    """(log|Σ b eᵃ|, sign Σ b eᵃ): the sign a constant, the first differentiable
    where Σ b eᵃ ≠ 0, with ∂/∂a = sign·b·eᵃ⁻ˡˢᵉ and ∂/∂b = sign·eᵃ⁻ˡˢᵉ."""
    value, sign = _sp.logsumexp(getval(a), axis=axis, b=getval(b), keepdims=keepdims, return_sign=True)
    if not (isinstance(a, Box) or isinstance(b, Box)):
        return value, sign
    _refuse(_np.iscomplexobj(getval(a)) or _np.iscomplexobj(getval(b)), "logsumexp", "a or b",
            "with return_sign=True for complex input (log|Σ| is not holomorphic)",
            "Take the real and imaginary parts apart, or call it without return_sign.")
    _refuse(sign == 0, "logsumexp", "a or b", "with return_sign=True where Σ b·exp(a) = 0 (log|Σ| = −∞ there)",
            "Move the weights b off the cancellation.")
    return _signed_logsumexp(a, b, sign, axis, keepdims), sign


@primitive
def _signed_logsumexp(a, b, sign, axis, keepdims):
    return _sp.logsumexp(a, axis=axis, b=b, keepdims=keepdims, return_sign=True)[0]


def _signed_weights(ans, a, b, sign, axis, keepdims, with_b):
    """sign·eᵃ⁻ˡˢᵉ (times b with ``with_b``), with the reduced axes restored."""
    from ravine.numpy.vjps import _expand_reduced

    shape = _np.broadcast_shapes(_np.shape(getval(a)), _np.shape(getval(b)))
    w = anp.exp(a - _expand_reduced(ans, shape, axis, keepdims)) * _expand_reduced(sign, shape, axis, keepdims)
    return w * b if with_b and b is not None else w


def _signed_vjp(argnum):
    def make(ans, a, b, sign, axis, keepdims):
        from ravine.numpy.vjps import _expand_reduced

        shape = _np.broadcast_shapes(_np.shape(getval(a)), _np.shape(getval(b)))
        w = _signed_weights(ans, a, b, sign, axis, keepdims, argnum == 0)
        return lambda g: unbroadcast((a, b)[argnum], _expand_reduced(g, shape, axis, keepdims) * w)
    return make


def _signed_jvp(argnum):
    return lambda g, ans, a, b, sign, axis, keepdims: anp.sum(
        g * _signed_weights(ans, a, b, sign, axis, keepdims, argnum == 0), axis=axis, keepdims=keepdims)


defvjp(_signed_logsumexp, _signed_vjp(0), _signed_vjp(1))
defjvp(_signed_logsumexp, _signed_jvp(0), _signed_jvp(1))


def log_softmax(x, axis=None):
    """x − logsumexp(x) along ``axis`` (SciPy's own result when x is not traced)."""
    if not isinstance(x, Box):
        return _sp.log_softmax(x, axis=axis)
    out = x - logsumexp(x, axis=axis, keepdims=True)
    if _np.ndim(getval(x)) == 0:  # logsumexp's keepdims gives a 0-d x the shape (1,); SciPy returns a scalar
        out = anp.numpy_scalar(anp.reshape(out, ()))
    return out


def softmax(x, axis=None):
    """exp(log_softmax(x)) (SciPy's own result when x is not traced)."""
    if not isinstance(x, Box):
        return _sp.softmax(x, axis=axis)
    return anp.numpy_scalar(anp.exp(log_softmax(x, axis=axis)))


def __getattr__(name):
    return plain_only("ravine.scipy.special", _sp, name, __all__)
