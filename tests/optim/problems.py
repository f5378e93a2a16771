"""Small test problems written with ravine.numpy (the data area does not exist yet)."""

import numpy

import ravine.numpy as np


def quadratic(eigenvalues, seed=0):
    """J(θ) = ½ θᵀAθ with A = Q diag(λ) Qᵀ for a random orthogonal Q; returns (J, A, Q)."""
    lam = numpy.asarray(eigenvalues, dtype=float)
    rng = numpy.random.default_rng(seed)
    q, _ = numpy.linalg.qr(rng.standard_normal((lam.size, lam.size)))
    a = q @ numpy.diag(lam) @ q.T
    a = 0.5 * (a + a.T)

    def loss(theta):
        return 0.5 * np.dot(theta, np.dot(a, theta))

    return loss, a, q


def rosenbrock(x):
    return np.sum(100.0 * (x[1:] - x[:-1] ** 2) ** 2 + (1.0 - x[:-1]) ** 2)


def noisy_least_squares(n=400, d=5, noise=1.0, seed=0):
    """Linear regression data (X, y) with Gaussian noise; loss(w, batch) is the mean squared error / 2."""
    rng = numpy.random.default_rng(seed)
    X = rng.standard_normal((n, d))
    w_true = rng.standard_normal(d)
    y = X @ w_true + noise * rng.standard_normal(n)

    def loss(w, batch):
        xb, yb = batch
        r = np.dot(xb, w) - yb
        return 0.5 * np.mean(r * r)

    return loss, (X, y)
