"""Two-dimensional test surfaces for optimisers, written with ``ravine.numpy``.

Each :class:`Surface` bundles

- ``f(theta)``: the function, built from ``ravine.numpy`` so ravine can
  differentiate it; ``theta`` has shape ``(2,)``, or ``(2, ...)`` to evaluate a
  whole grid at once (``theta[0]`` is x1, ``theta[1]`` is x2);
- ``gradient(theta)`` and ``hessian(theta)``: the same derivatives in closed
  form, plain NumPy, for tests and for plotting gradient fields;
- ``critical_points``: every known point with zero gradient, with its value and
  kind (global/local minimum, saddle, maximum) read off the Hessian's
  eigenvalues (lecture 002: all positive → minimum, mixed → saddle);
- ``start``: a start point that shows the surface's difficulty, and
  ``bounds``: ``((x1_min, x1_max), (x2_min, x2_max))`` for contour plots.

The surfaces and the lecture they illustrate:

=================  ==================================================================
``quadratic``      ½ (θ − c)ᵀ A (θ − c), A = R diag(λ1, λ2) Rᵀ: ill-conditioned
                   curvature, GD's (1 − αλ)^k and α < 2/λmax (lectures 000, 001)
``rosenbrock``     (a − x1)² + b (x2 − x1²)²: a curved ravine (lecture 003, Fig. 5)
``saddle``         x1² − x2²: the saddle of lecture 002; unbounded below
``plateau``        1 − exp(−‖θ‖² / 2s²): flat far from the minimum (lecture 003)
``local_minima``   rotated tilted double wells: four minima of different depths,
                   four saddles and a maximum (lecture 003, random restarts)
``cliff``          a bowl plus a sigmoid step of height H: a near-vertical wall whose
                   gradient catapults GD far away unless it is clipped (lecture 002)
=================  ==================================================================
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable

import numpy as onp

import ravine.numpy as np
from ravine.errors import ConfigError
from ravine.data.named import build_named

__all__ = ["CriticalPoint", "Surface", "SURFACE_FACTORIES", "get_surface", "surface_names",
           "quadratic", "rosenbrock", "saddle", "plateau", "local_minima", "cliff"]


@dataclass(frozen=True)
class CriticalPoint:
    """A point where the gradient vanishes: ``kind`` is ``"global minimum"``,
    ``"local minimum"``, ``"saddle"`` or ``"maximum"``."""

    location: onp.ndarray
    value: float
    kind: str


@dataclass(frozen=True)
class Surface:
    """A 2-D test function with its derivatives in closed form (module docstring)."""

    name: str
    formula: str
    description: str
    f: Callable
    gradient: Callable
    hessian: Callable
    critical_points: tuple[CriticalPoint, ...]
    start: onp.ndarray
    bounds: tuple[tuple[float, float], tuple[float, float]]
    params: dict = field(default_factory=dict)

    def __call__(self, theta):
        return self.f(theta)

    @property
    def minima(self) -> tuple[CriticalPoint, ...]:
        return tuple(p for p in self.critical_points if p.kind.endswith("minimum"))

    @property
    def global_minimum(self) -> CriticalPoint | None:
        """The lowest minimum, or ``None`` for a surface unbounded below."""
        found = [p for p in self.critical_points if p.kind == "global minimum"]
        return found[0] if found else None

    def grid(self, n: int = 101) -> tuple[onp.ndarray, onp.ndarray, onp.ndarray]:
        """``(X1, X2, F)`` on an ``n × n`` grid over ``bounds`` (for contour plots)."""
        (a, b), (c, d) = self.bounds
        x1, x2 = onp.meshgrid(onp.linspace(a, b, n), onp.linspace(c, d, n))
        return x1, x2, onp.asarray(self.f(onp.stack([x1, x2])))


def _classify(hessian: onp.ndarray) -> str:
    eig = onp.linalg.eigvalsh(hessian)
    if onp.all(eig > 0):
        return "local minimum"
    if onp.all(eig < 0):
        return "maximum"
    if eig.min() < 0 < eig.max():
        return "saddle"
    raise ConfigError(f"a critical point with a singular Hessian (eigenvalues {eig}) cannot be "
                      "classified; choose non-zero curvatures")


def _critical_points(f, hessian, locations, bounded_below: bool = True) -> tuple[CriticalPoint, ...]:
    """Critical points with values and kinds; the lowest minimum becomes global
    (if the surface is bounded below)."""
    points = []
    for loc in locations:
        loc = onp.asarray(loc, dtype=onp.float64)
        points.append(CriticalPoint(loc, float(f(loc)), _classify(hessian(loc))))
    minima = [p for p in points if p.kind == "local minimum"]
    if bounded_below and minima:
        best = min(minima, key=lambda p: p.value)
        points = [CriticalPoint(p.location, p.value, "global minimum") if p is best else p for p in points]
    return tuple(sorted(points, key=lambda p: p.value))


def _rotation(angle: float) -> onp.ndarray:
    c, s = math.cos(angle), math.sin(angle)
    return onp.array([[c, -s], [s, c]])


def _start(point) -> onp.ndarray:
    out = onp.array(point, dtype=onp.float64)
    out.setflags(write=False)
    return out


# --------------------------------------------------------------------------- quadratic
def quadratic(eigenvalues=(1.0, 10.0), angle: float = math.pi / 6, center=(0.0, 0.0)) -> Surface:
    """f(θ) = ½ (θ − c)ᵀ A (θ − c) with A = R(angle) diag(λ1, λ2) R(angle)ᵀ.

    ∇f = A (θ − c), ∇²f = A; c is the only critical point (a minimum when both
    λ > 0, a saddle for mixed signs).  The condition number is |λmax / λmin|.
    """
    lam = onp.asarray(eigenvalues, dtype=onp.float64)
    if lam.shape != (2,) or onp.any(lam == 0) or not onp.all(onp.isfinite(lam)):
        raise ConfigError(f"eigenvalues must be two finite non-zero numbers, got {eigenvalues!r}")
    R = _rotation(angle)
    A = R @ onp.diag(lam) @ R.T
    c = onp.asarray(center, dtype=onp.float64)
    if c.shape != (2,) or not onp.all(onp.isfinite(c)):
        raise ConfigError(f"center must be a finite point (c1, c2) of the plane, got {center!r}")
    a11, a12, a22 = float(A[0, 0]), float(A[0, 1]), float(A[1, 1])

    def f(theta):
        d1, d2 = theta[0] - c[0], theta[1] - c[1]
        return 0.5 * (a11 * d1 ** 2 + 2.0 * a12 * d1 * d2 + a22 * d2 ** 2)

    def gradient(theta):
        d1, d2 = onp.asarray(theta[0]) - c[0], onp.asarray(theta[1]) - c[1]
        return onp.stack([a11 * d1 + a12 * d2, a12 * d1 + a22 * d2])

    def hessian(theta):
        return A.copy()

    return Surface(
        "quadratic", "½ (θ − c)ᵀ R diag(λ1, λ2) Rᵀ (θ − c)",
        f"quadratic bowl with eigenvalues {tuple(lam.tolist())} (condition number "
        f"{abs(lam).max() / abs(lam).min():g}) rotated by {angle:.3g} rad",
        f, gradient, hessian, _critical_points(f, hessian, [c], bounded_below=bool(onp.all(lam > 0))),
        _start(c + R @ onp.array([2.0, 2.0 / math.sqrt(abs(lam[1] / lam[0]))])),
        ((c[0] - 3.0, c[0] + 3.0), (c[1] - 3.0, c[1] + 3.0)),
        {"eigenvalues": tuple(lam.tolist()), "angle": angle, "center": tuple(c.tolist())})


# --------------------------------------------------------------------------- rosenbrock
def rosenbrock(a: float = 1.0, b: float = 100.0) -> Surface:
    """f = (a − x1)² + b (x2 − x1²)²; the single minimum (a, a²) lies in a curved ravine.

    ∂f/∂x1 = −2(a − x1) − 4 b x1 (x2 − x1²),  ∂f/∂x2 = 2 b (x2 − x1²);
    ∇²f = [[2 − 4b(x2 − x1²) + 8 b x1², −4 b x1], [−4 b x1, 2 b]].
    """
    if not b > 0:
        raise ConfigError(f"rosenbrock needs b > 0 for a single minimum, got b={b!r}")

    def f(theta):
        return (a - theta[0]) ** 2 + b * (theta[1] - theta[0] ** 2) ** 2

    def gradient(theta):
        x, y = onp.asarray(theta[0]), onp.asarray(theta[1])
        return onp.stack([-2.0 * (a - x) - 4.0 * b * x * (y - x ** 2), 2.0 * b * (y - x ** 2)])

    def hessian(theta):
        x, y = float(theta[0]), float(theta[1])
        return onp.array([[2.0 - 4.0 * b * (y - x ** 2) + 8.0 * b * x ** 2, -4.0 * b * x],
                          [-4.0 * b * x, 2.0 * b]])

    return Surface(
        "rosenbrock", "(a − x1)² + b (x2 − x1²)²",
        f"Rosenbrock's banana valley (a={a:g}, b={b:g}); minimum at (a, a²)",
        f, gradient, hessian, _critical_points(f, hessian, [(a, a * a)]),
        _start((-1.2 * abs(a) if a else -1.2, 1.0)),
        ((-2.0 * max(abs(a), 1.0), 2.0 * max(abs(a), 1.0)), (-1.0, 3.0 * max(a * a, 1.0))),
        {"a": a, "b": b})


# --------------------------------------------------------------------------- saddle
def saddle() -> Surface:
    """f = x1² − x2² (lecture 002): ∇f = (2 x1, −2 x2), ∇²f = diag(2, −2).

    The origin is a saddle; started on the x1 axis, gradient descent converges to
    it, and a tiny x2 offset escapes only slowly.  Unbounded below.
    """

    def f(theta):
        return theta[0] ** 2 - theta[1] ** 2

    def gradient(theta):
        return onp.stack([2.0 * onp.asarray(theta[0]), -2.0 * onp.asarray(theta[1])])

    def hessian(theta):
        return onp.diag([2.0, -2.0])

    return Surface("saddle", "x1² − x2²", "the saddle x1² − x2² of lecture 002 (unbounded below)",
                   f, gradient, hessian, _critical_points(f, hessian, [(0.0, 0.0)], bounded_below=False),
                   _start((1.0, 1e-3)), ((-1.5, 1.5), (-1.5, 1.5)))


# --------------------------------------------------------------------------- plateau
def plateau(width: float = 1.0) -> Surface:
    """f = 1 − exp(−‖θ‖² / 2s²): a well of width s in a plateau at height 1.

    With e = exp(−‖θ‖² / 2s²): ∇f = e θ / s², ∇²f = (e / s²)(I − θ θᵀ / s²).
    Far from the origin the gradient is exponentially small (lecture 003).
    """
    if not width > 0:
        raise ConfigError(f"plateau width must be positive, got {width!r}")
    s2 = float(width) ** 2

    def f(theta):
        return 1.0 - np.exp(-(theta[0] ** 2 + theta[1] ** 2) / (2.0 * s2))

    def gradient(theta):
        x, y = onp.asarray(theta[0]), onp.asarray(theta[1])
        e = onp.exp(-(x ** 2 + y ** 2) / (2.0 * s2))
        return onp.stack([e * x / s2, e * y / s2])

    def hessian(theta):
        t = onp.asarray(theta, dtype=onp.float64)
        e = math.exp(-float(t @ t) / (2.0 * s2))
        return (e / s2) * (onp.eye(2) - onp.outer(t, t) / s2)

    return Surface("plateau", "1 − exp(−‖θ‖² / 2s²)",
                   f"a well of width {width:g} in a flat plateau: tiny gradients far from the minimum",
                   f, gradient, hessian, _critical_points(f, hessian, [(0.0, 0.0)]),
                   _start((2.5 * width, 1.5 * width)), ((-3.5 * width, 3.5 * width),) * 2,
                   {"width": width})


# --------------------------------------------------------------------------- local minima
def _cubic_roots(tilt: float) -> onp.ndarray:
    """Real roots of g'(u) = 4u³ − 4u + tilt, polished by Newton's method."""
    roots = onp.sort(onp.roots([4.0, 0.0, -4.0, tilt]).real)
    for _ in range(3):
        roots = roots - (4 * roots ** 3 - 4 * roots + tilt) / (12 * roots ** 2 - 4)
    return roots


def local_minima(tilts=(0.3, 0.15), angle: float = math.pi / 6) -> Surface:
    """f = g1(u1) + g2(u2), u = R(angle)ᵀ θ, g_i(u) = (u² − 1)² + t_i u.

    Each tilted double well g_i has minima near ±1 of depths differing by about
    2 t_i, so f has four minima of four different depths, four saddles and one
    maximum: all nine critical points are R (r, r') for roots r, r' of
    4u³ − 4u + t = 0.  ∇f = R (g1'(u1), g2'(u2)), ∇²f = R diag(g1'', g2'') Rᵀ with
    g' = 4u³ − 4u + t, g'' = 12u² − 4.  The start lies in the basin of the
    shallowest minimum.
    """
    t1, t2 = (float(t) for t in tilts)
    limit = 8.0 / (3.0 * math.sqrt(3.0))
    if not (0 < abs(t1) < limit and 0 < abs(t2) < limit and abs(t1) != abs(t2)):
        raise ConfigError(f"tilts must be two different non-zero sizes below {limit:.3f} in absolute "
                          f"value (so each well keeps two minima of different depths), got {tilts!r}")
    R = _rotation(angle)
    r11, r12, r21, r22 = (float(v) for v in R.ravel())

    def _u(theta):  # u = Rᵀ θ
        return r11 * theta[0] + r21 * theta[1], r12 * theta[0] + r22 * theta[1]

    def f(theta):
        u1, u2 = _u(theta)
        return (u1 ** 2 - 1.0) ** 2 + t1 * u1 + (u2 ** 2 - 1.0) ** 2 + t2 * u2

    def gradient(theta):
        u1, u2 = _u((onp.asarray(theta[0]), onp.asarray(theta[1])))
        g1, g2 = 4 * u1 ** 3 - 4 * u1 + t1, 4 * u2 ** 3 - 4 * u2 + t2
        return onp.stack([r11 * g1 + r12 * g2, r21 * g1 + r22 * g2])

    def hessian(theta):
        u1, u2 = _u((float(theta[0]), float(theta[1])))
        return R @ onp.diag([12 * u1 ** 2 - 4, 12 * u2 ** 2 - 4]) @ R.T

    locations = [R @ onp.array([p, q]) for p in _cubic_roots(t1) for q in _cubic_roots(t2)]
    worst = max((R @ onp.array([p, q]) for p in _cubic_roots(t1)[[0, 2]] for q in _cubic_roots(t2)[[0, 2]]),
                key=lambda loc: float(f(loc)))
    return Surface("local_minima", "(u1² − 1)² + t1 u1 + (u2² − 1)² + t2 u2,  u = Rᵀθ",
                   "four minima of different depths, four saddles and a maximum",
                   f, gradient, hessian, _critical_points(f, hessian, locations),
                   _start(worst * 1.5), ((-2.5, 2.5), (-2.5, 2.5)),
                   {"tilts": (t1, t2), "angle": angle})


# --------------------------------------------------------------------------- cliff
def cliff(height: float = 20.0, steepness: float = 20.0, edge: float = 0.0,
          center=(2.0, 0.0)) -> Surface:
    """f = ½ ‖θ − c‖² + H σ(k (e − x1)): a plateau of height H that ends in a cliff at x1 = e.

    With s = σ(k(e − x1)):  ∂f/∂x1 = (x1 − c1) − H k s(1 − s),  ∂f/∂x2 = x2 − c2,
    ∂²f/∂x1² = 1 + H k² s(1 − s)(1 − 2s), ∂²f/∂x2² = 1.  At the edge the slope is
    about H k / 4, so one gradient step there throws the iterate far away — what
    gradient clipping prevents (lecture 002).  The minimum sits just past c
    (the step's tail is ~1e−17 there) and is found by Newton's method.
    """
    if not (height > 0 and steepness > 0):
        raise ConfigError(f"cliff height and steepness must be positive, got {height!r}, {steepness!r}")
    H, k, e = float(height), float(steepness), float(edge)
    c = onp.asarray(center, dtype=onp.float64)
    if c.shape != (2,):
        raise ConfigError(f"center must be a point (c1, c2) of the plane, got {center!r}")
    if not c[0] > e:
        raise ConfigError(f"the bowl's centre must lie past the edge (center[0] > edge), got {center!r}")

    def f(theta):
        step = 0.5 * (1.0 + np.tanh(0.5 * k * (e - theta[0])))  # σ(k(e − x1)) without overflow
        return 0.5 * ((theta[0] - c[0]) ** 2 + (theta[1] - c[1]) ** 2) + H * step

    def _sigma(x1):
        return 0.5 * (1.0 + onp.tanh(0.5 * k * (e - x1)))

    def gradient(theta):
        x, y = onp.asarray(theta[0]), onp.asarray(theta[1])
        s = _sigma(x)
        return onp.stack([(x - c[0]) - H * k * s * (1 - s), y - c[1]])

    def hessian(theta):
        s = float(_sigma(float(theta[0])))
        return onp.diag([1.0 + H * k * k * s * (1 - s) * (1 - 2 * s), 1.0])

    x1 = c[0]
    for _ in range(50):  # Newton on ∂f/∂x1 = 0 from the bowl's centre
        x1 -= float(gradient((x1, c[1]))[0]) / float(hessian((x1, c[1]))[0, 0])
    return Surface("cliff", "½ ‖θ − c‖² + H σ(k (e − x1))",
                   f"a plateau of height {H:g} ending in a cliff (slope about {H * k / 4:g}) at x1 = {e:g}",
                   f, gradient, hessian, _critical_points(f, hessian, [(x1, c[1])]),
                   _start((e - 1.5, c[1] + 0.5)), ((e - 2.0, c[0] + 3.0), (c[1] - 2.5, c[1] + 2.5)),
                   {"height": H, "steepness": k, "edge": e, "center": tuple(c.tolist())})


SURFACE_FACTORIES: dict[str, Callable[..., Surface]] = {
    "quadratic": quadratic,
    "rosenbrock": rosenbrock,
    "saddle": saddle,
    "plateau": plateau,
    "local_minima": local_minima,
    "cliff": cliff,
}


def surface_names() -> tuple[str, ...]:
    return tuple(SURFACE_FACTORIES)


def get_surface(name: str, **params) -> Surface:
    """The surface called ``name``, built with ``params`` (each factory's keyword arguments)."""
    return build_named(SURFACE_FACTORIES, "surface", name, params)
