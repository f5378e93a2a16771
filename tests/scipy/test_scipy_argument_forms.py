"""ravine.scipy with less common argument forms — tuples of axes, keepdims, weights,
broadcast loc/scale, batched multivariate normals, triangular solves with trans —
in forward and reverse mode to second order.  Written with the sweep that found
``logsumexp`` refusing traced weights ``b``."""

import numpy
import pytest

import ravine.numpy as np
from ravine.scipy import linalg as sla
from ravine.scipy import signal, stats
from ravine.scipy import special as sp
from ravine.test_util import check_grads

rng = numpy.random.default_rng(3)
T = rng.standard_normal((2, 3, 4))
M = rng.standard_normal((3, 4))
V = rng.standard_normal(5)
P = numpy.abs(V) + 0.5
_A = rng.standard_normal((3, 3))
SPD = _A @ _A.T + 3 * numpy.eye(3)  # symmetric positive definite
cases = {
 "lse_tuple": (lambda x: sp.logsumexp(x, axis=(0, 2)), T), "lse_keep": (lambda x: sp.logsumexp(x, axis=-1, keepdims=True), T),
 "lse_b": (lambda x: sp.logsumexp(x, b=numpy.arange(1.0, 6.0)), V), "lse_b_traced": (lambda x: sp.logsumexp(V, b=np.abs(x) + 1), V),
 "lse_none": (lambda x: sp.logsumexp(x), M), "softmax_tuple": (lambda x: sp.softmax(x, axis=(0, 1)), M), "softmax_none": (lambda x: sp.softmax(x), M),
 "log_softmax": (lambda x: sp.log_softmax(x, axis=0), M), "expit": (lambda x: sp.expit(x), M), "logit": (lambda x: sp.logit(sp.expit(x)), M),
 "erf_inv": (lambda x: sp.erfinv(np.tanh(x) * 0.9), V), "xlogy": (lambda x: sp.xlogy(x, P), V), "xlogy2": (lambda x: sp.xlogy(P, np.abs(x) + 1), V),
 "xlog1py": (lambda x: sp.xlog1py(x, P), V), "gammaln": (lambda x: sp.gammaln(np.abs(x) + 0.5), V), "digamma": (lambda x: sp.digamma(np.abs(x) + 0.5), V),
 "polygamma": (lambda x: sp.polygamma(2, np.abs(x) + 0.5), V), "beta": (lambda x: sp.beta(np.abs(x) + 0.5, P), V), "betaln": (lambda x: sp.betaln(P, np.abs(x) + 0.5), V),
 "iv": (lambda x: sp.iv(1.5, np.abs(x) + 0.1), V), "ive": (lambda x: sp.ive(0.5, np.abs(x) + 0.1), V), "jn": (lambda x: sp.jn(2, x), V), "yn": (lambda x: sp.yn(1, np.abs(x) + 0.5), V),
 "multigammaln": (lambda x: sp.multigammaln(np.abs(x[0]) + 3.0, 2), V), "rgamma": (lambda x: sp.rgamma(x), V), "log_ndtr": (lambda x: sp.log_ndtr(x), V),
 "norm_logpdf_bcast": (lambda x: stats.norm.logpdf(M, loc=x[:4], scale=P[:4]), V), "norm_cdf_scale": (lambda x: stats.norm.cdf(V, 0.3, np.abs(x) + 0.5), V),
 "norm_logcdf": (lambda x: stats.norm.logcdf(x), V), "norm_sf": (lambda x: stats.norm.sf(x, 0.2, 2.0), V), "norm_logsf": (lambda x: stats.norm.logsf(x), V),
 "t_logpdf_df": (lambda x: stats.t.logpdf(V, np.abs(x) + 1.0, 0.1, 1.5), V), "t_cdf": (lambda x: stats.t.cdf(x, 3.0), V),
 "gamma_logpdf": (lambda x: stats.gamma.logpdf(P, np.abs(x) + 1.0), V), "beta_logpdf": (lambda x: stats.beta.logpdf(0.3, np.abs(x) + 1.0, 2.0), V),
 "poisson_logpmf": (lambda x: stats.poisson.logpmf(3, np.abs(x) + 0.5), V), "dirichlet": (lambda x: stats.dirichlet.logpdf(numpy.array([0.2, 0.3, 0.5]), np.abs(x[:3]) + 0.5), V),
 "mvn_logpdf_batch": (lambda x: stats.multivariate_normal.logpdf(M[:, :3], x[:3], SPD), V), "mvn_cov": (lambda x: stats.multivariate_normal.logpdf(V[:3], None, SPD + np.diag(np.abs(x[:3]))), V),
 "chi2": (lambda x: stats.chi2.logpdf(P, np.abs(x) + 2.0), V),
 "solve_tri_lower": (lambda x: sla.solve_triangular(numpy.tril(SPD), x[:3], lower=True), V), "solve_tri_trans": (lambda x: sla.solve_triangular(numpy.triu(SPD), x[:3], trans="T"), V),
 "solve_tri_A": (lambda x: sla.solve_triangular(numpy.tril(SPD) + np.diag(x[:3]), V[:3], lower=True), V), "sqrtm": (lambda x: np.real(sla.sqrtm(SPD + np.outer(x[:3], x[:3]))), V),
 "cho_lower": (lambda x: sla.cholesky(SPD + np.diag(np.abs(x[:3])), lower=True), V), "sylvester": (lambda x: sla.solve_sylvester(SPD, SPD.T + 1, np.outer(x[:3], x[1:4])), V),
 "convolve_full": (lambda x: signal.convolve(x, V[:3]), V), "convolve_valid": (lambda x: signal.convolve(x, V[:3], mode="valid"), V),
 "convolve_2d": (lambda x: signal.convolve(M, np.reshape(x[:4], (2, 2))), V),
}


@pytest.mark.parametrize("name", sorted(cases))
def test_scipy_argument_form(name):
    fun, x = cases[name]
    check_grads(fun, modes=("fwd", "rev"), order=2, rtol=1e-4, atol=1e-5)(x)
