"""``ravine.scipy.stats``: log-densities, densities and distribution functions,
differentiable in the data and in the parameters (written from ravine.numpy and
ravine.scipy.special).  ``from ravine.scipy.stats import norm; norm.logpdf(x, loc, scale)``.
"""

from ravine.scipy.stats import beta, chi2, dirichlet, gamma, multivariate_normal, norm, poisson, t

__all__ = ["norm", "t", "multivariate_normal", "dirichlet", "beta", "gamma", "poisson", "chi2"]
