"""``ravine.scipy``: differentiable parts of SciPy (special, stats, linalg, signal, integrate).

Import the submodule you need: ``import ravine.scipy.special``, ``from ravine.scipy import stats``.
"""

import importlib

_SUBMODULES = ("special", "stats", "linalg", "signal", "integrate")


def __getattr__(name):
    if name in _SUBMODULES:
        return importlib.import_module(f"ravine.scipy.{name}")
    raise AttributeError(f"module 'ravine.scipy' has no attribute {name!r}")
