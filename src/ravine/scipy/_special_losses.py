"""Entropy terms and robust losses of ``ravine.scipy.special``, in both arguments:

    entr(x) = −x log x                    entr' = −log x − 1
    rel_entr(x, y) = x log(x/y)           ∂ₓ = log(x/y) + 1,  ∂ᵧ = −x/y
    kl_div(x, y) = x log(x/y) − x + y     ∂ₓ = log(x/y),      ∂ᵧ = 1 − x/y
    huber(δ, r):   ∂ᵣ = r for |r| ≤ δ, δ sign r beyond;   ∂_δ = 0 for |r| ≤ δ, |r| − δ beyond
    pseudo_huber(δ, r) = δ²(s − 1), s = √(1 + q), q = (r/δ)²:
                   ∂ᵣ = r/s,   ∂_δ = δ q²/(s (1 + s)²)   (= 2δ(s−1) − r²/(δs) without cancellation)

SciPy's conventions at the edges, and the derivatives ravine gives there:
entr(0) = 0 with entr'(0) = +∞ (the one-sided limit); x < 0 (entr = −∞) is
refused.  rel_entr and kl_div at x = 0, y > 0 (values 0 and y): ∂ₓ = −∞
(one-sided), ∂ᵧ = 0 and 1; where SciPy returns +∞ (x < 0, or y ≤ 0 with x ≥ 0
except 0 at x = y = 0, which is not differentiable either) both are refused.
huber at δ = 0 (huber ≡ 0): ∂ᵣ = 0 and ∂_δ = |r| (one-sided); δ < 0 (huber = ∞)
is refused.  pseudo_huber is refused at δ ≤ 0.
"""

from __future__ import annotations

import numpy as _np

from ravine.numpy import wrapper as anp
from ravine.scipy._special_rules import binary, refuse, unary

__all__ = ["entr", "huber", "kl_div", "pseudo_huber", "rel_entr"]


def _entr_domain(argnum, x):
    refuse(x < 0, "entr", "x", "where x < 0 (entr is −∞ there)", "Keep x ≥ 0; at x = 0 the derivative is +∞.")


def _divergence_domain(name):
    def domain(argnum, x, y):
        x, y = _np.broadcast_arrays(x, y)
        refuse((x < 0) | (y <= 0), name, "xy"[argnum],
               "where x < 0 or y ≤ 0 (the value is +∞ there, or 0 at x = y = 0 with no derivative)",
               "Keep x ≥ 0 and y > 0; at x = 0 the derivative in x is −∞.")
    return domain


def _huber_domain(argnum, delta, r):
    refuse(_np.broadcast_to(delta, _np.broadcast_shapes(_np.shape(delta), _np.shape(r))) < 0, "huber",
           ("delta", "r")[argnum], "where delta < 0 (huber is ∞ there)", "Keep delta ≥ 0.")


def _pseudo_huber_domain(argnum, delta, r):
    refuse(_np.broadcast_to(delta, _np.broadcast_shapes(_np.shape(delta), _np.shape(r))) <= 0, "pseudo_huber",
           ("delta", "r")[argnum], "where delta ≤ 0 (pseudo_huber is 0 or ∞ there)", "Keep delta > 0.")


def _pseudo_huber_parts(delta, r):
    q = (r / delta) ** 2
    return q, anp.sqrt(1.0 + q)


def _pseudo_huber_ddelta(ans, delta, r):
    q, s = _pseudo_huber_parts(delta, r)
    return delta * q * q / (s * (1.0 + s) ** 2)


entr = unary("entr", lambda ans, x: -anp.log(x) - 1.0, _entr_domain)
rel_entr = binary("rel_entr", lambda ans, x, y: anp.log(x / y) + 1.0, lambda ans, x, y: -x / y,
                  _divergence_domain("rel_entr"))
kl_div = binary("kl_div", lambda ans, x, y: anp.log(x / y), lambda ans, x, y: 1.0 - x / y,
                _divergence_domain("kl_div"))
huber = binary("huber", lambda ans, delta, r: anp.where(anp.abs(r) <= delta, 0.0, anp.abs(r) - delta),
               lambda ans, delta, r: anp.where(anp.abs(r) <= delta, r, delta * anp.sign(r)), _huber_domain)
pseudo_huber = binary("pseudo_huber", _pseudo_huber_ddelta,
                      lambda ans, delta, r: r / _pseudo_huber_parts(delta, r)[1], _pseudo_huber_domain)
