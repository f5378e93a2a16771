"""Recording hidden-unit pre-activations z and activations h = φ(z), layer by layer.

Lecture 003 diagnoses dead and saturated units from "a histogram of the average
activations"; the doctor (``ravine.diagnose``) reads the arrays recorded here.
Models with hidden layers accept ``record=`` in ``forward``; each hidden layer
calls the recorder once with its name, activation name, z and h.  Values are
stored as plain NumPy copies (never traced), so recording inside a
differentiated function is safe.

>>> layers = record_activations(model, params, X)
>>> layers["hidden1"].post.shape          # (N, units)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as _np

from ravine.autodiff.tracer import getval
from ravine.errors import ConfigError
from ravine.nn.activations import activation_range

__all__ = ["LayerActivations", "ActivationRecorder", "record_activations"]


@dataclass(frozen=True)
class LayerActivations:
    """One hidden layer's record: pre-activations z and activations h (both N×H),
    the activation's name and its dynamic range (low, high)."""

    name: str
    activation: str
    pre: _np.ndarray
    post: _np.ndarray
    low: float
    high: float

    def to_dict(self) -> dict:
        return {"name": self.name, "activation": self.activation, "pre": self.pre, "post": self.post,
                "low": self.low, "high": self.high}


class ActivationRecorder:
    """A callable that collects :class:`LayerActivations` in call order."""

    def __init__(self) -> None:
        self.layers: list[LayerActivations] = []

    def __call__(self, name: str, activation: str, pre: Any, post: Any) -> None:
        low, high = activation_range(activation)
        pre2 = _np.array(getval(pre), dtype=float).reshape(-1, _np.shape(getval(pre))[-1])
        post2 = _np.array(getval(post), dtype=float).reshape(-1, _np.shape(getval(post))[-1])
        self.layers.append(LayerActivations(name, activation, pre2, post2, low, high))


def record_activations(model: Any, params: Any, X: Any) -> dict[str, LayerActivations]:
    """Run ``model.forward(params, X, record=...)`` and return its hidden layers'
    records by name, in order from input to output."""
    forward = getattr(model, "forward", None)
    if forward is None or "record" not in getattr(forward, "__code__").co_varnames:
        raise ConfigError(f"{type(model).__name__} has no hidden layers to record; "
                          "record_activations works on models whose forward() accepts record=.")
    recorder = ActivationRecorder()
    forward(params, X, record=recorder)
    return {layer.name: layer for layer in recorder.layers}
