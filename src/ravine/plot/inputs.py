"""Checking and normalising what the plot functions receive.

Plot functions take plain arrays, mappings of name → array for several series,
and optimisation histories read as plain data: any object with array attributes
(or any mapping with keys) ``step``, ``loss``, ``grad_norm`` and optionally
``val_loss`` and ``params`` — the optim History contract — without importing
ravine.optim.  Bad shapes raise :class:`ravine.errors.ShapeError` naming the
argument, the shape received and the shape expected.
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

import numpy

from ravine.errors import ConfigError, ShapeError

__all__ = [
    "as_vector",
    "as_series",
    "series_over",
    "as_grid",
    "as_trajectory",
    "history_field",
]


def as_vector(values: Any, name: str, *, min_length: int = 1) -> numpy.ndarray:
    """``values`` as a 1-D float array of at least ``min_length`` entries."""
    try:
        array = numpy.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ShapeError(f"{name} must be a 1-D array of numbers; got {type(values).__name__}") from None
    if array.ndim != 1:
        raise ShapeError(f"{name} must be 1-D; got shape {array.shape}")
    if array.size < min_length:
        raise ShapeError(f"{name} needs at least {min_length} values; got {array.size}")
    return array


def as_series(values: Any, name: str, default_label: str = "") -> dict[str, numpy.ndarray]:
    """One array or a mapping label → array, as a dict of 1-D float arrays."""
    if isinstance(values, Mapping):
        if not values:
            raise ConfigError(f"{name} is an empty mapping; give at least one series")
        return {str(k): as_vector(v, f"{name}[{k!r}]") for k, v in values.items()}
    return {default_label: as_vector(values, name)}


def series_over(x: numpy.ndarray, values: Any, x_name: str, values_name: str) -> dict[str, numpy.ndarray]:
    """:func:`as_series`, each series checked to have one value per entry of ``x``."""
    series = as_series(values, values_name)
    for label, ys in series.items():
        if ys.shape != x.shape:
            raise ShapeError(
                f"{values_name} {label!r} has {ys.size} values but {x_name} has {x.size}; give one value per {x_name}"
            )
    return series


def as_grid(x: Any, y: Any, z: Any) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray]:
    """Grid coordinates and values, ``z[i, j]`` being the value at ``(x[i], y[j])``.

    This is ``numpy.meshgrid(x, y, indexing="ij")`` order, the order of a double loop
    ``for i, xi in enumerate(x): for j, yj in enumerate(y)``.
    """
    xs = as_vector(x, "x", min_length=2)
    ys = as_vector(y, "y", min_length=2)
    zs = numpy.asarray(z, dtype=float)
    if zs.shape != (xs.size, ys.size):
        hint = " (it looks transposed: pass z.T)" if zs.shape == (ys.size, xs.size) else ""
        raise ShapeError(
            f"grid values must have shape (len(x), len(y)) = {(xs.size, ys.size)} with z[i, j] at "
            f"(x[i], y[j]); got {zs.shape}{hint}"
        )
    return xs, ys, zs


def history_field(history: Any, key: str, *, required: bool = True) -> numpy.ndarray | None:
    """The array ``key`` of a History-like object (attribute) or mapping (key)."""
    if isinstance(history, Mapping):
        value = history.get(key)
    else:
        value = getattr(history, key, None)
    if value is None:
        if required:
            raise ConfigError(
                f"the run history has no {key!r}; give an object or dict with numpy arrays "
                "'step', 'loss' and 'grad_norm' (the ravine.optim History contract)"
            )
        return None
    return numpy.asarray(value, dtype=float)


def as_trajectory(path: Any, name: str) -> numpy.ndarray:
    """A 2-D optimisation path as a (steps, 2) array.

    Accepts an array-like of points, or a History-like object / mapping whose
    ``params`` field holds the (steps, 2) parameter trajectory.
    """
    if isinstance(path, Mapping) or hasattr(path, "params"):
        points = history_field(path, "params")
    else:
        points = numpy.asarray(path, dtype=float)
    if points.ndim != 2 or points.shape[1] != 2 or points.shape[0] < 1:
        raise ShapeError(f"trajectory {name!r} must have shape (steps, 2); got {points.shape}")
    return points


def labelled(items: Mapping[str, Any] | Sequence[Any], name: str) -> dict[str, Any]:
    """A mapping as it is, or a sequence as {"1": ..., "2": ...} for unnamed series."""
    if isinstance(items, Mapping):
        return {str(k): v for k, v in items.items()}
    if isinstance(items, (str, bytes)):
        raise ConfigError(f"{name} must be a mapping name → data or a list; got a string")
    return {str(i + 1): v for i, v in enumerate(items)}
