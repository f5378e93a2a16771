"""Dirichlet(α) on the simplex: log p(x) = Σ (αᵢ − 1) log xᵢ + lnΓ(Σ α) − Σ lnΓ(αᵢ),
with 0 · log 0 = 0 (xlogy) where xᵢ = 0 and αᵢ = 1, as in SciPy."""

import scipy.stats as _stats

from ravine.numpy import wrapper as anp
from ravine.scipy import special
from ravine.scipy._untraced import distribution_fallback as _distribution_fallback


def logpdf(x, alpha):
    return (anp.sum(special.xlogy(alpha - 1.0, x), axis=-1) + special.gammaln(anp.sum(alpha, axis=-1))
            - anp.sum(special.gammaln(alpha), axis=-1))


def pdf(x, alpha):
    return anp.exp(logpdf(x, alpha))


# Sampling is not differentiated: the samples are constants.
rvs = _stats.dirichlet.rvs


# SciPy's other methods (ppf, rvs, mean, entropy, ...) on plain arrays; traced values are refused.
__getattr__ = _distribution_fallback(__name__, _stats.dirichlet)

