"""The machine and library versions a report was computed on."""

from __future__ import annotations

import os
import platform
import sys
from importlib import metadata

__all__ = ["environment_info"]

_PACKAGES = ("ravine", "numpy", "scipy", "matplotlib", "scikit-learn")


def _version(package: str) -> str:
    try:
        return metadata.version(package)
    except metadata.PackageNotFoundError:
        return "not installed"


def environment_info() -> dict[str, str]:
    """Python, platform, CPU count and the versions of ravine's main dependencies."""
    info = {
        "Python": platform.python_version(),
        "Platform": platform.platform(terse=True),
        "Machine": platform.machine() or "unknown",
        "CPU cores": str(os.cpu_count() or "unknown"),
    }
    for package in _PACKAGES:
        info[package] = _version(package)
    if "ravine" in sys.modules and info["ravine"] == "not installed":
        info["ravine"] = "source checkout"
    return info
