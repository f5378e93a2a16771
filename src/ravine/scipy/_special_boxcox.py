"""The Box-Cox transform and its inverse in ``ravine.scipy.special``, in x
(or y) and in λ.  With L = log x (log1p x for the ``1p`` forms) and
M₁(u) = ∫₀¹ t e^{ut} dt = exprel'(u) (½ at u = 0):

    boxcox(x, λ) = (x^λ − 1)/λ = L exprel(λL)
        ∂ₓ = x^{λ−1}          ∂_λ = L² M₁(λL)            (L²/2 at λ = 0)
    inv_boxcox(y, λ) = x = (1 + λy)^{1/λ}  (by the inverse-function rule)
        ∂ᵧ = x^{1−λ}          ∂_λ = −L² M₁(λL) x^{1−λ},  L = log x   (−y² eʸ/2 at λ = 0)

and the same for boxcox1p / inv_boxcox1p with 1 + x in place of x.  Written
this way the λ = 0 limits hold exactly, with no cancellation near λ = 0.

Refused: boxcox at x ≤ 0 (boxcox1p at x ≤ −1), where SciPy's value is NaN, −∞
or −1/λ at a boundary point; inv_boxcox(1p) where 1 + λy ≤ 0 (NaN, or 0 at the
boundary).
"""

from __future__ import annotations

import numpy as _np

from ravine.numpy import wrapper as anp
from ravine.scipy._special_elementary import exprel_moment
from ravine.scipy._special_rules import binary, refuse

__all__ = ["boxcox", "boxcox1p", "inv_boxcox", "inv_boxcox1p"]


def _forward_domain(name, low):
    def domain(argnum, x, lmbda):
        x, _ = _np.broadcast_arrays(x, lmbda)
        refuse(x <= low, name, ("x", "lmbda")[argnum], f"where x ≤ {low:g} (outside the domain or on its boundary)",
               f"Keep x > {low:g}.")
    return domain


def _inverse_domain(name):
    def domain(argnum, y, lmbda):
        y, lmbda = _np.broadcast_arrays(y, lmbda)
        refuse((lmbda != 0) & (1.0 + lmbda * y <= 0), name, ("y", "lmbda")[argnum],
               "where 1 + λy ≤ 0 (outside the range of the transform)", "Keep 1 + λy > 0.")
    return domain


def _forward(name, log_base, low):
    """boxcox (log_base = log) or boxcox1p (log1p)."""
    return binary(name, lambda ans, x, lmbda: anp.exp((lmbda - 1.0) * log_base(x)),
                  lambda ans, x, lmbda: log_base(x) ** 2 * exprel_moment(1, lmbda * log_base(x)),
                  _forward_domain(name, low))


def _inverse_dy(log_base):
    return lambda ans, y, lmbda: anp.exp((1.0 - lmbda) * log_base(ans))


def _inverse_dlmbda(log_base):
    def rule(ans, y, lmbda):
        L = log_base(ans)
        return -(L**2) * exprel_moment(1, lmbda * L) * anp.exp((1.0 - lmbda) * L)
    return rule


def _inverse(name, log_base):
    """inv_boxcox (log_base = log: x = ans) or inv_boxcox1p (log1p: x = 1 + ans)."""
    return binary(name, _inverse_dy(log_base), _inverse_dlmbda(log_base), _inverse_domain(name))


boxcox = _forward("boxcox", anp.log, 0.0)
boxcox1p = _forward("boxcox1p", anp.log1p, -1.0)
inv_boxcox = _inverse("inv_boxcox", anp.log)
inv_boxcox1p = _inverse("inv_boxcox1p", anp.log1p)
