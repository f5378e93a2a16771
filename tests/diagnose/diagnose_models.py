"""Small models written with ravine.numpy for the diagnose tests (real data:
sklearn's digits, loaded offline)."""

from functools import lru_cache

import numpy

import ravine.numpy as np
from ravine import getval


@lru_cache(maxsize=None)
def digits(n: int | None = None):
    """(X, Y): digits scaled to [0, 1] and one-hot targets, first n examples."""
    from sklearn.datasets import load_digits

    X, y = load_digits(return_X_y=True)
    X, y = X[:n], y[:n]
    return X / 16.0, numpy.eye(10)[y]


def log_softmax(z):
    # shift by the row maximum (a constant: the result does not depend on it)
    m = numpy.max(getval(z), axis=1, keepdims=True)
    return z - m - np.log(np.sum(np.exp(z - m), axis=1, keepdims=True))


def softmax_regression_loss(X, Y, l2=0.0):
    """Mean cross-entropy of softmax regression, params {"W": (d, 10), "b": (10,)}."""

    def loss(p):
        z = np.dot(X, p["W"]) + p["b"]
        reg = 0.5 * l2 * np.sum(p["W"] ** 2) if l2 else 0.0
        return -np.mean(np.sum(Y * log_softmax(z), axis=1)) + reg

    return loss


def mlp_loss(X, Y, activation=np.tanh):
    """Mean cross-entropy of a one-hidden-layer MLP, params W1, b1, W2, b2."""

    def loss(p):
        h = activation(np.dot(X, p["W1"]) + p["b1"])
        z = np.dot(h, p["W2"]) + p["b2"]
        return -np.mean(np.sum(Y * log_softmax(z), axis=1))

    return loss


def mlp_params(n_in, n_hidden, n_out, rng, scale=None):
    scale = 1.0 / numpy.sqrt(n_in) if scale is None else scale
    return {"W1": rng.normal(size=(n_in, n_hidden)) * scale, "b1": numpy.zeros(n_hidden),
            "W2": rng.normal(size=(n_hidden, n_out)) / numpy.sqrt(n_hidden), "b2": numpy.zeros(n_out)}


def least_squares_loss(X, Y):
    """A linear model fitted by squared error, ½·mean‖XW + b − Y‖²: its Hessian
    is constant, so lecture 000's analysis of GD on a quadratic holds exactly."""

    def loss(p):
        r = np.dot(X, p["W"]) + p["b"] - Y
        return 0.5 * np.mean(np.sum(r**2, axis=1))

    return loss


def standardized(X):
    """Zero mean, unit variance per feature; constant features dropped."""
    sd = X.std(axis=0)
    keep = sd > 0
    return (X[:, keep] - X[:, keep].mean(axis=0)) / sd[keep]
