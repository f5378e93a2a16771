"""Cross-sections of a loss J(θ), returned as arrays for ``ravine.plot`` to draw.

* 1-D, along a direction d:        f(α) = J(θ + α d)
* 1-D, between two solutions:      f(α) = J((1 − α) θ_a + α θ_b)    (α = 0 at θ_a, 1 at θ_b)
* 2-D, along two directions:       f(α, β) = J(θ + α d₁ + β d₂)

``losses`` of a 2-D slice has shape (len(alphas), len(betas)): entry [i, j]
is at (α_i, β_j), the convention of ``ravine.plot`` (``slice_plot(alphas, betas,
losses)``; matplotlib's own ``contour`` wants the transpose).  :func:`project_trajectory` gives an optimiser's iterates
as (α, β) coordinates in the plane of a 2-D slice (least squares onto d₁, d₂),
so trajectories can be drawn over its contours.

Every value is a direct evaluation of ``loss`` at the stated point.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as _np

from ravine.autodiff.tracer import getval
from ravine.errors import ConfigError, ShapeError
from ravine.landscape.directions import direction_between
from ravine.misc.flatten import flatten, tree_structure_equal

__all__ = ["Slice1D", "Slice2D", "interpolation_slice", "line_slice", "plane_slice", "project_trajectory"]


@dataclass(frozen=True)
class Slice1D:
    """f(α) at the given α: ``alphas`` and ``losses`` of equal length."""

    alphas: _np.ndarray
    losses: _np.ndarray
    kind: str = "direction"

    def to_dict(self) -> dict:
        return {"alphas": self.alphas, "losses": self.losses, "kind": self.kind}


@dataclass(frozen=True)
class Slice2D:
    """f(α, β) on a grid: ``losses[i, j] = J(θ + alphas[i] d₁ + betas[j] d₂)``."""

    alphas: _np.ndarray
    betas: _np.ndarray
    losses: _np.ndarray

    def to_dict(self) -> dict:
        return {"alphas": self.alphas, "betas": self.betas, "losses": self.losses}


def _coefficients(values: Any, name: str) -> _np.ndarray:
    values = _np.asarray(values, dtype=float)
    if values.ndim != 1 or values.size == 0 or not _np.all(_np.isfinite(values)):
        raise ConfigError(f"{name} must be a non-empty 1-D array of finite numbers; received shape "
                          f"{values.shape}. Use e.g. numpy.linspace(-1, 1, 41).")
    return values


def _flat(params: Any, direction: Any, what: str) -> tuple[_np.ndarray, _np.ndarray, Callable]:
    if not tree_structure_equal(params, direction):
        raise ShapeError(f"{what}: the direction's keys or leaf shapes differ from the parameters'; build it "
                         "with ravine.landscape.random_direction(params) or direction_between(a, b).")
    vec, unflatten = flatten(params)
    return _np.asarray(getval(vec), dtype=float), _np.asarray(getval(flatten(direction)[0]), dtype=float), unflatten


def _evaluate(loss: Callable, unflatten: Callable, point: _np.ndarray) -> float:
    value = getval(loss(unflatten(point)))
    if _np.size(value) != 1:
        raise ShapeError(f"loss must return a scalar; it returned shape {_np.shape(value)}. Reduce it, e.g. "
                         "with np.mean over the examples.")
    return float(_np.real(_np.ravel(value)[0]))


def line_slice(loss: Callable[[Any], Any], params: Any, direction: Any,
               alphas: Sequence[float] = tuple(_np.linspace(-1.0, 1.0, 41))) -> Slice1D:
    """f(α) = J(θ + α d) for each α."""
    alphas = _coefficients(alphas, "alphas")
    theta, d, unflatten = _flat(params, direction, "line_slice")
    losses = _np.array([_evaluate(loss, unflatten, theta + a * d) for a in alphas])
    return Slice1D(alphas, losses, "direction")


def interpolation_slice(loss: Callable[[Any], Any], params_a: Any, params_b: Any,
                        alphas: Sequence[float] = tuple(_np.linspace(-0.5, 1.5, 41))) -> Slice1D:
    """f(α) = J((1 − α) θ_a + α θ_b): the segment between two solutions and beyond."""
    s = line_slice(loss, params_a, direction_between(params_a, params_b), alphas)
    return Slice1D(s.alphas, s.losses, "interpolation")


def plane_slice(loss: Callable[[Any], Any], params: Any, direction1: Any, direction2: Any,
                alphas: Sequence[float] = tuple(_np.linspace(-1.0, 1.0, 21)),
                betas: Sequence[float] | None = None) -> Slice2D:
    """f(α, β) = J(θ + α d₁ + β d₂) on the grid alphas × betas (betas default to alphas)."""
    alphas = _coefficients(alphas, "alphas")
    betas = alphas if betas is None else _coefficients(betas, "betas")
    theta, d1, unflatten = _flat(params, direction1, "plane_slice")
    _, d2, _ = _flat(params, direction2, "plane_slice")
    losses = _np.empty((alphas.size, betas.size))
    for i, a in enumerate(alphas):
        for j, b in enumerate(betas):
            losses[i, j] = _evaluate(loss, unflatten, theta + a * d1 + b * d2)
    return Slice2D(alphas, betas, losses)


def project_trajectory(trajectory: Any, params: Any, direction1: Any, direction2: Any) -> _np.ndarray:
    """(α_k, β_k) minimising ‖θ_k − θ − α d₁ − β d₂‖ for each iterate θ_k.

    ``trajectory`` is a sequence of parameter pytrees or a (steps, dim) array of
    flattened parameters (``History.params``)."""
    theta, d1, _ = _flat(params, direction1, "project_trajectory")
    _, d2, _ = _flat(params, direction2, "project_trajectory")
    if isinstance(trajectory, _np.ndarray) and trajectory.ndim == 2:
        iterates = list(trajectory.astype(float))
    else:
        iterates = [_np.asarray(getval(flatten(p)[0]), dtype=float) for p in trajectory]
    sizes = sorted({it.size for it in iterates})
    if not iterates or sizes != [theta.size]:
        raise ShapeError(f"project_trajectory: iterates have {sizes} coordinates but the parameters have "
                         f"{theta.size}; pass a sequence of parameter pytrees or a (steps, {theta.size}) array.")
    points = _np.stack(iterates)
    basis = _np.stack([d1, d2], axis=1)
    if _np.linalg.matrix_rank(basis) < 2:
        raise ConfigError("project_trajectory: the two directions are parallel (or one is zero), so (α, β) "
                          "are not unique; make the second orthogonal with ravine.landscape.orthogonalize.")
    coords, *_ = _np.linalg.lstsq(basis, (points - theta).T, rcond=None)
    return coords.T
