"""First-order optimisers: each update uses the gradient g = ∇J(θ) (and its past).

All of them return the update u with θ ← θ + u, keep their state in an
immutable NamedTuple (``count`` = updates so far, ``lr`` = the learning rate
used by the last update) and take ``lr`` as a number or a schedule of k.

Mini-batch SGD is :func:`gd` fed with mini-batch gradients: the batches are
drawn by :func:`ravine.optim.minimize` (``data=..., batch_size=B, seed=...``),
which is what the ``"sgd"`` registry entry asks for.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as _np

from ravine.optim.base import (
    GradientTransformation,
    check_fraction,
    check_nonnegative,
    check_positive,
    learning_rate,
    vector_transformation,
)
from ravine.optim.schedules import Schedule, as_schedule

__all__ = [
    "AccumulatorState",
    "AdamState",
    "GDState",
    "MomentumState",
    "adagrad",
    "adam",
    "adamw",
    "gd",
    "momentum",
    "nesterov",
    "rmsprop",
    "sgd",
]

class GDState(NamedTuple):
    count: int
    lr: float


class MomentumState(NamedTuple):
    count: int
    lr: float
    velocity: _np.ndarray  # p (momentum) or ΔW (Nesterov)


class AccumulatorState(NamedTuple):
    count: int
    lr: float
    accumulator: _np.ndarray  # Σ g² (Adagrad) or s (RMSprop)


class AdamState(NamedTuple):
    count: int
    lr: float
    m: _np.ndarray
    v: _np.ndarray


def gd(lr: float | Schedule) -> GradientTransformation:
    """Gradient descent (lectures 000/001): θ ← θ − α∇J(θ), i.e. u = −α_k g."""
    return _gd("gd", lr)


def _gd(owner: str, lr: float | Schedule) -> GradientTransformation:
    schedule = as_schedule(lr, owner=owner)

    def init(x: _np.ndarray) -> GDState:
        return GDState(0, schedule(0))

    def update(g: _np.ndarray, state: GDState, x: Any = None, **extra: Any):
        alpha = learning_rate(schedule, state.count, extra)
        return -alpha * g, GDState(state.count + 1, alpha)

    return vector_transformation(init, update, name=owner)


def sgd(lr: float | Schedule) -> GradientTransformation:
    """Mini-batch SGD (lecture 003, eq. 7): θ ← θ − α∇_θ E_B with E_B the mean loss
    on a shuffled mini-batch of size B (B = N is batch GD).  The update is
    :func:`gd`'s; the driver supplies the mini-batch gradients."""
    return _gd("sgd", lr)


def momentum(lr: float | Schedule, mu: float = 0.9) -> GradientTransformation:
    """Heavy-ball momentum as lecture 000 writes it::

        p ← μp − α ∂J/∂θ
        θ ← θ + p

    with p₀ = 0, 0 ≤ μ < 1.  On a plane (constant gradient) p reaches the
    terminal velocity −α/(1 − μ)·∂J/∂θ.  (PyTorch's SGD keeps v ← μv + g and
    steps −αv: the same iterates for a constant α, not for a schedule.)
    """
    schedule = as_schedule(lr, owner="momentum")
    mu = check_fraction("momentum", "mu", mu)

    def init(x: _np.ndarray) -> MomentumState:
        return MomentumState(0, schedule(0), _np.zeros_like(x))

    def update(g: _np.ndarray, state: MomentumState, x: Any = None, **extra: Any):
        alpha = learning_rate(schedule, state.count, extra)
        p = mu * state.velocity - alpha * g
        return p, MomentumState(state.count + 1, alpha, p)

    return vector_transformation(init, update, name="momentum")


def nesterov(lr: float | Schedule, mu: float = 0.9) -> GradientTransformation:
    """Nesterov's accelerated gradient as written in lecture 001::

        ΔW⁽ᵏ⁾ = βΔW⁽ᵏ⁻¹⁾ − η ∇Loss(W⁽ᵏ⁻¹⁾ + βΔW⁽ᵏ⁻¹⁾)
        W⁽ᵏ⁾ = W⁽ᵏ⁻¹⁾ + ΔW⁽ᵏ⁾

    (β = ``mu``, η = ``lr``).  The gradient is taken at the extended point, so,
    as in the lecture's "Training with Nesterov" loop (W ← W + βΔW; gradient;
    W ← W − η∇; ΔW ← βΔW − η∇), the parameters this optimiser sees and returns
    are the extended point φ = W⁽ᵏ⁾ + βΔW⁽ᵏ⁾; the update is
    u = βΔW⁽ᵏ⁺¹⁾ − η∇Loss(φ), and the lecture's W⁽ᵏ⁾ = φ − β·state.velocity.
    """
    schedule = as_schedule(lr, owner="nesterov")
    mu = check_fraction("nesterov", "mu", mu)

    def init(x: _np.ndarray) -> MomentumState:
        return MomentumState(0, schedule(0), _np.zeros_like(x))

    def update(g: _np.ndarray, state: MomentumState, x: Any = None, **extra: Any):
        eta = learning_rate(schedule, state.count, extra)
        step = -eta * g
        delta = mu * state.velocity + step
        return mu * delta + step, MomentumState(state.count + 1, eta, delta)

    return vector_transformation(init, update, name="nesterov")


def adagrad(lr: float | Schedule, eps: float = 1e-8) -> GradientTransformation:
    """Adagrad (lecture 001's speed-up extensions)::

        G ← G + g²            (per coordinate, G₀ = 0)
        θ ← θ − α g / (√G + ε)
    """
    schedule = as_schedule(lr, owner="adagrad")
    eps = check_positive("adagrad", "eps", eps)

    def init(x: _np.ndarray) -> AccumulatorState:
        return AccumulatorState(0, schedule(0), _np.zeros_like(x))

    def update(g: _np.ndarray, state: AccumulatorState, x: Any = None, **extra: Any):
        alpha = learning_rate(schedule, state.count, extra)
        acc = state.accumulator + g * g
        return (-alpha) * g / (_np.sqrt(acc) + eps), AccumulatorState(state.count + 1, alpha, acc)

    return vector_transformation(init, update, name="adagrad")


def rmsprop(lr: float | Schedule, gamma: float = 0.1, eps: float = 1e-8) -> GradientTransformation:
    """RMSprop exactly as lectures 000 and 004 write it, for each coordinate j::

        s_j ← (1 − γ) s_j + γ [∂J/∂θ_j]²
        θ_j ← θ_j − α / √(s_j + ε) · ∂J/∂θ_j

    with s₀ = 0.  γ is the weight of the new square (γ = 0.1 is PyTorch's
    alpha = 0.9); ε sits inside the square root, as in the lecture (PyTorch adds
    it outside).
    """
    schedule = as_schedule(lr, owner="rmsprop")
    gamma = check_fraction("rmsprop", "gamma", gamma, low_open=True, high_open=False)
    eps = check_positive("rmsprop", "eps", eps)

    def init(x: _np.ndarray) -> AccumulatorState:
        return AccumulatorState(0, schedule(0), _np.zeros_like(x))

    def update(g: _np.ndarray, state: AccumulatorState, x: Any = None, **extra: Any):
        alpha = learning_rate(schedule, state.count, extra)
        s = (1.0 - gamma) * state.accumulator + gamma * (g * g)
        return (-alpha) * g / _np.sqrt(s + eps), AccumulatorState(state.count + 1, alpha, s)

    return vector_transformation(init, update, name="rmsprop")


def _adam_direction(g, state, beta1, beta2, eps):
    """m ← β1 m + (1 − β1) g; v ← β2 v + (1 − β2) g²; d = m̂ / (√v̂ + ε)."""
    t = state.count + 1
    m = beta1 * state.m + (1.0 - beta1) * g
    v = beta2 * state.v + (1.0 - beta2) * (g * g)
    m_hat_scale = 1.0 / (1.0 - beta1**t)
    v_hat_scale = 1.0 / (1.0 - beta2**t)
    d = (m_hat_scale * m) / (_np.sqrt(v_hat_scale * v) + eps)
    return d, m, v


def _check_adam(owner, lr, beta1, beta2, eps):
    schedule = as_schedule(lr, owner=owner)
    beta1 = check_fraction(owner, "beta1", beta1)
    beta2 = check_fraction(owner, "beta2", beta2)
    eps = check_positive(owner, "eps", eps)
    return schedule, beta1, beta2, eps


def adam(lr: float | Schedule = 1e-3, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8
         ) -> GradientTransformation:
    """Adam ("RMSprop + momentum", lecture 000), with bias correction::

        m ← β1 m + (1 − β1) g          v ← β2 v + (1 − β2) g²
        m̂ = m / (1 − β1ᵗ)              v̂ = v / (1 − β2ᵗ)
        θ ← θ − α m̂ / (√v̂ + ε)
    """
    schedule, beta1, beta2, eps = _check_adam("adam", lr, beta1, beta2, eps)

    def init(x: _np.ndarray) -> AdamState:
        return AdamState(0, schedule(0), _np.zeros_like(x), _np.zeros_like(x))

    def update(g: _np.ndarray, state: AdamState, x: Any = None, **extra: Any):
        alpha = learning_rate(schedule, state.count, extra)
        d, m, v = _adam_direction(g, state, beta1, beta2, eps)
        return (-alpha) * d, AdamState(state.count + 1, alpha, m, v)

    return vector_transformation(init, update, name="adam")


def adamw(lr: float | Schedule = 1e-3, beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8,
          weight_decay: float = 0.01) -> GradientTransformation:
    """AdamW: Adam with decoupled weight decay λ::

        θ ← θ − α (m̂ / (√v̂ + ε) + λθ)

    (the decay is not added to g, so it is not rescaled by √v̂; α multiplies
    both terms, as in PyTorch).
    """
    schedule, beta1, beta2, eps = _check_adam("adamw", lr, beta1, beta2, eps)
    lam = check_nonnegative("adamw", "weight_decay", weight_decay)

    def init(x: _np.ndarray) -> AdamState:
        return AdamState(0, schedule(0), _np.zeros_like(x), _np.zeros_like(x))

    def update(g: _np.ndarray, state: AdamState, x: Any = None, **extra: Any):
        alpha = learning_rate(schedule, state.count, extra)
        d, m, v = _adam_direction(g, state, beta1, beta2, eps)
        return (-alpha) * (d + lam * x), AdamState(state.count + 1, alpha, m, v)

    return vector_transformation(init, update, name="adamw", needs_params=True)
