"""Lanczos, power iteration, Hutchinson and stochastic Lanczos quadrature on
matrices whose spectra are known."""

import numpy
import pytest

from ravine import ConfigError, DivergenceError, ShapeError
from ravine.diagnose.krylov import (
    hutchinson_trace,
    lanczos,
    lanczos_top_eigenpair,
    power_iteration,
    ritz_pairs,
    spectral_density,
)


def rotated(eigenvalues, seed=0):
    n = len(eigenvalues)
    Q, _ = numpy.linalg.qr(numpy.random.default_rng(seed).normal(size=(n, n)))
    return (Q * eigenvalues) @ Q.T


def test_lanczos_basis_is_orthonormal_and_tridiagonalises():
    A = rotated(numpy.linspace(-1.0, 5.0, 80))
    state = lanczos(A, 30, rng=1)
    Q = state.basis
    numpy.testing.assert_allclose(Q @ Q.T, numpy.eye(30), atol=1e-12)
    T = numpy.diag(state.alphas) + numpy.diag(state.betas, 1) + numpy.diag(state.betas, -1)
    numpy.testing.assert_allclose(Q @ A @ Q.T, T, atol=1e-10)


def test_full_lanczos_recovers_the_whole_spectrum():
    spectrum = numpy.array([-4.0, -1.0, 0.25, 0.5, 3.0, 9.0])
    state = lanczos(rotated(spectrum), 6, rng=2)
    numpy.testing.assert_allclose(ritz_pairs(state)[0], spectrum, atol=1e-10)


def test_invariant_subspace_stops_early_with_exact_ritz_values():
    A = numpy.diag([1.0, 2.0, 3.0, 4.0])
    v0 = numpy.array([1.0, 1.0, 0.0, 0.0])  # lives in a 2-dimensional invariant subspace
    state = lanczos(A, 4, v0=v0)
    assert state.invariant and state.n_matvecs == 2
    numpy.testing.assert_allclose(ritz_pairs(state)[0], [1.0, 2.0], atol=1e-12)


def test_lanczos_needs_several_times_fewer_products_than_power_iteration():
    lam = numpy.r_[numpy.linspace(0.0, 9.0, 398), 9.5, 10.0]  # gap ratio 0.95: slow for power iteration
    A = rotated(lam, seed=3)
    lz = lanczos_top_eigenpair(A, tol=1e-8, rng=4)
    pw = power_iteration(A, tol=1e-10, max_iter=5000, rng=4)
    assert lz.converged and lz.value == pytest.approx(10.0, rel=1e-8)
    assert pw.value == pytest.approx(10.0, rel=1e-6)
    assert numpy.abs(lz.vector @ numpy.linalg.eigh(A)[1][:, -1]) == pytest.approx(1.0, abs=1e-6)
    assert 3 * lz.n_matvecs < pw.n_matvecs


def test_hutchinson_trace_and_standard_error():
    A = rotated(numpy.linspace(1.0, 3.0, 50), seed=5)
    est = hutchinson_trace(A, n_samples=200, rng=6)
    assert abs(est.estimate - numpy.trace(A)) < 3 * est.stderr
    # for a diagonal matrix every Rademacher sample is exact: zero error
    exact = hutchinson_trace(numpy.diag(numpy.arange(1.0, 6.0)), n_samples=5, rng=0)
    assert exact.estimate == pytest.approx(15.0) and exact.stderr == pytest.approx(0.0, abs=1e-12)
    with pytest.raises(ConfigError, match="n_samples"):
        hutchinson_trace(A, n_samples=1)


def test_spectral_density_by_stochastic_lanczos_quadrature():
    rng = numpy.random.default_rng(7)
    lam = numpy.r_[rng.normal(1.0, 0.1, 300), rng.normal(10.0, 0.5, 100)]  # two clusters, 3:1
    A = rotated(lam, seed=8)
    sd = spectral_density(A, n_probes=20, n_steps=25, rng=9)
    assert sd.fraction_below(5.0) == pytest.approx(0.75, abs=0.05)
    assert sd.trace() == pytest.approx(lam.sum(), rel=0.05)
    grid = numpy.linspace(-2, 14, 2001)
    dens = sd.density(grid, sigma=0.3)
    assert numpy.trapezoid(dens, grid) == pytest.approx(1.0, abs=1e-3)
    assert dens[numpy.argmin(abs(grid - 1.0))] > 5 * dens[numpy.argmin(abs(grid - 5.5))]
    assert sd.n_matvecs == 20 * 25


def test_bad_arguments_are_named():
    with pytest.raises(ShapeError, match="square"):
        lanczos(numpy.ones((3, 4)), 2)
    with pytest.raises(ConfigError, match="n_steps"):
        lanczos(numpy.eye(3), 0)
    with pytest.raises(ConfigError, match="zero"):
        lanczos(numpy.eye(3), 2, v0=numpy.zeros(3))
    with pytest.raises(ConfigError, match="tol"):
        power_iteration(numpy.eye(3), tol=0.0)


def test_power_iteration_does_not_claim_convergence_when_the_top_magnitudes_have_opposite_signs():
    # Eigenvalues ±1: v flips between two vectors whose Rayleigh quotient is constant, so
    # |λ_k − λ_{k−1}| = 0 from the second step on although λ_k (here about −0.22) is no
    # eigenvalue.  The residual ‖Hv − λv‖ stays of order 1 and must veto "converged".
    A = rotated(numpy.array([1.0, -1.0, 0.5]), seed=7)
    est = power_iteration(A, tol=1e-6, max_iter=200, rng=3)
    assert numpy.min(numpy.abs(numpy.linalg.eigvalsh(A) - est.value)) > 1e-2  # not an eigenvalue ...
    assert not est.converged and est.n_matvecs == 200                         # ... and not claimed to be
    assert est.residual > 0.1
    # a clear gap still converges, to the eigenvalue of largest magnitude
    ok = power_iteration(rotated(numpy.array([1.0, -5.0, 2.0]), seed=7), tol=1e-8, rng=0)
    assert ok.converged and ok.value == pytest.approx(-5.0, rel=1e-7)


def test_a_non_finite_operator_is_refused_by_name_not_by_arpack_or_lapack():
    # NaN in the matrix used to give NaN Ritz values (lanczos, power_iteration,
    # hutchinson_trace) or a ValueError from inside scipy (spectral_density).
    A = numpy.eye(5)
    A[2, 2] = numpy.nan
    for call in (lambda: lanczos(A, 3, rng=0), lambda: power_iteration(A, rng=0),
                 lambda: hutchinson_trace(A, n_samples=4, rng=0), lambda: spectral_density(A, 2, 3, rng=0),
                 lambda: lanczos_top_eigenpair(A, rng=0)):
        with pytest.raises(DivergenceError, match="NaN or Inf"):
            call()
