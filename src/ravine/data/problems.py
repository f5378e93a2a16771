"""The lectures' synthetic data sets, each a named, documented, seeded generator.

================================  ===========================================================
``badly_scaled_regression``       lecture 000: inputs in wildly different units
                                  (x1 ≈ 50..350, x2 ≈ 0.001..0.004): w2's gradient is tiny,
                                  its curvature huge, and GD crawls along a ravine
``off_centre_regression``         lecture 000: inputs far from zero (x1 ≈ 1000, x2 ≈ 1005):
                                  weights and bias are nearly collinear, same ravine
``brady_three_points``            lecture 001 (Brady, Raghavan & Slawny 1989): three points,
                                  a single logistic unit separates them
``brady_spoiler_point``           the same three points plus a fourth at (0, −t), class 1:
                                  still separable, but logistic least squares keeps the
                                  three-point solution (the fourth point's gradient ≈ 0)
``brady_spoiler``                 two separable clouds plus far-away "spoilers": the
                                  perceptron separates all points (a harder exercise for it;
                                  bounded logistic units usually separate them too)
================================  ===========================================================

Every generator returns :class:`SyntheticData`: inputs ``x`` (one row per
example), targets ``y`` (real for regression, class ``0``/``1`` as ``int64``
for classification — use ``2*y - 1`` for the perceptron's ±1 convention) and
``truth``, the numbers the data were made from (regression weights and bias) or
a separating line ``w·x + b`` that proves the classes are linearly separable.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from ravine.errors import ConfigError
from ravine.data.named import build_named

__all__ = ["SyntheticData", "PROBLEM_FACTORIES", "get_problem", "badly_scaled_regression",
           "off_centre_regression", "brady_three_points", "brady_spoiler_point", "brady_spoiler"]


@dataclass(frozen=True)
class SyntheticData:
    """Inputs, targets and the ground truth of a synthetic problem."""

    name: str
    x: np.ndarray
    y: np.ndarray
    task: str
    description: str
    truth: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return f"SyntheticData({self.name!r}, x {self.x.shape}, task={self.task!r})"


def _positive_int(name: str, value) -> int:
    if int(value) != value or value < 1:
        raise ConfigError(f"{name} must be a positive whole number, got {value!r}")
    return int(value)


def _regression(name, description, x, w, b, noise, rng) -> SyntheticData:
    if not (noise >= 0 and np.isfinite(noise)):  # also refuses NaN, which would make every target NaN
        raise ConfigError(f"noise must be a finite non-negative standard deviation, got {noise!r}")
    y = x @ w + b + noise * rng.standard_normal(len(x))
    return SyntheticData(name, x, y, "regression", description,
                         {"weights": w, "bias": float(b), "noise": float(noise)})


def badly_scaled_regression(n: int = 100, noise: float = 0.1, seed: int = 0) -> SyntheticData:
    """Lecture 000's badly scaled table: x1 ~ U(50, 350), x2 ~ U(0.001, 0.004),
    t = 0.005 x1 + 800 x2 + 1.5 + noise·ε (so t ≈ 2.5..6.5, both inputs matter
    about equally).  The squared-error Hessian ∝ E[x xᵀ] has eigenvalues about
    10⁵ apart in the x1 direction and 10⁻⁶ in x2: GD's step must suit the
    largest, so w2 barely moves."""
    rng = np.random.default_rng(seed)
    n = _positive_int("n", n)
    x = np.column_stack([rng.uniform(50.0, 350.0, n), rng.uniform(0.001, 0.004, n)])
    return _regression("badly_scaled_regression", "linear regression with inputs in very different units, x1 ≈ 50..350, x2 ≈ 0.001..0.004 (lecture 000)",
                       x, np.array([0.005, 800.0]), 1.5, noise, rng)


def off_centre_regression(n: int = 100, noise: float = 0.1, seed: int = 0) -> SyntheticData:
    """Lecture 000's off-centre table: x1 ~ U(997, 1004), x2 ~ U(1002, 1009),
    t = 0.3 (x1 − 1000) + 0.2 (x2 − 1005) + 3.5 + noise·ε.  Written as
    t = w·x + b the bias is b = 3.5 − 300 − 201 = −497.5; the constant input
    and the huge common offset make the Hessian nearly singular."""
    rng = np.random.default_rng(seed)
    n = _positive_int("n", n)
    x = np.column_stack([rng.uniform(997.0, 1004.0, n), rng.uniform(1002.0, 1009.0, n)])
    w = np.array([0.3, 0.2])
    return _regression("off_centre_regression", "linear regression with inputs far from zero, x1 ≈ 1000, x2 ≈ 1005 (lecture 000)",
                       x, w, 3.5 - 0.3 * 1000.0 - 0.2 * 1005.0, noise, rng)


def brady_three_points() -> SyntheticData:
    """Lecture 001: (1, 0) and (0, 1) in class 1, (−1, 0) in class 0.  With
    u = σ⁻¹(1 − ε) the equations w·x + b = ±u have the unique solution
    w = (u, u), b = 0, which separates the points."""
    x = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    y = np.array([1, 1, 0], dtype=np.int64)
    return SyntheticData("brady_three_points", x, y, "classification",
                         "Brady et al.'s three points that one logistic unit separates (lecture 001)",
                         {"separator_weights": np.array([1.0, 1.0]), "separator_bias": 0.0})


def brady_spoiler_point(t: float = 100.0) -> SyntheticData:
    """The three points plus (0, −t) in class 1 (lecture 001).  Still linearly
    separable (by w = (1, −0.1), b = 0.5 for any t > 0), but for large t the
    fourth point's contribution to the logistic L2 gradient,
    2(1 − ε − σ(−w_y t + b)) σ'(−w_y t + b) t, vanishes near the three-point
    solution, which remains a broad local minimum that misclassifies it."""
    if not t > 0:
        raise ConfigError(f"t must be positive (the point sits at (0, -t)), got {t!r}")
    three = brady_three_points()
    x = np.vstack([three.x, [[0.0, -float(t)]]])
    y = np.append(three.y, 1)
    return SyntheticData("brady_spoiler_point", x, y, "classification",
                         f"the three points plus a far fourth point at (0, -{t:g}) that backprop leaves misclassified (lecture 001)",
                         {"separator_weights": np.array([1.0, -0.1]), "separator_bias": 0.5, "t": float(t)})


def brady_spoiler(n_per_class: int = 20, n_spoilers: int = 1, distance: float = 10.0,
                  seed: int = 0) -> SyntheticData:
    """Two separable clouds plus spoilers (lecture 001, "a more complex problem").

    Class 1 is uniform on [1, 3] × [−1, 1], class 0 on [−3, −1] × [−1, 1]; each
    spoiler is a class-0 point at (U(1.5, 2.5), −distance·(1 + 0.1 i)), far below
    the class-1 cloud.  The line x1 + 0.5 x2 = 0 separates everything whenever
    distance > 5, so the perceptron converges.  Unlike :func:`brady_spoiler_point`,
    this larger set does *not* reliably defeat a bounded logistic unit: with the
    clouds' many points, gradient descent usually finds a separator too (measured
    for B = 1, 3, 10 over five seeds).  Use it as the perceptron's harder exercise;
    the lecture's failure of backprop is :func:`brady_spoiler_point`.
    """
    rng = np.random.default_rng(seed)
    n_per_class = _positive_int("n_per_class", n_per_class)
    n_spoilers = _positive_int("n_spoilers", n_spoilers)
    if not distance > 6.0:
        raise ConfigError(f"distance must exceed 6 so the data stay separable with a margin, got {distance!r}")
    ones = np.column_stack([rng.uniform(1, 3, n_per_class), rng.uniform(-1, 1, n_per_class)])
    zeros = np.column_stack([rng.uniform(-3, -1, n_per_class), rng.uniform(-1, 1, n_per_class)])
    spoilers = np.column_stack([rng.uniform(1.5, 2.5, n_spoilers),
                                -distance * (1.0 + 0.1 * np.arange(n_spoilers))])
    x = np.vstack([ones, zeros, spoilers])
    y = np.concatenate([np.ones(n_per_class), np.zeros(n_per_class + n_spoilers)]).astype(np.int64)
    is_spoiler = np.zeros(len(y), dtype=bool)
    is_spoiler[-n_spoilers:] = True
    return SyntheticData("brady_spoiler", x, y, "classification",
                         f"two separable clouds plus {n_spoilers} far spoiler(s); the perceptron separates them (lecture 001)",
                         {"separator_weights": np.array([1.0, 0.5]), "separator_bias": 0.0,
                          "is_spoiler": is_spoiler})


PROBLEM_FACTORIES = {
    "badly_scaled_regression": badly_scaled_regression,
    "off_centre_regression": off_centre_regression,
    "brady_three_points": brady_three_points,
    "brady_spoiler_point": brady_spoiler_point,
    "brady_spoiler": brady_spoiler,
}


def get_problem(name: str, **params) -> SyntheticData:
    """The synthetic problem ``name`` generated with ``params``."""
    return build_named(PROBLEM_FACTORIES, "problem", name, params)
