"""The demo's studies: each reproduces one phenomenon of the lectures by computation.

``STUDIES`` is the registry (name → :class:`StudySpec`), in the order the report
shows them; ``ravine list`` and ``ravine demo`` are generated from it.

>>> from ravine.studies import STUDIES, StudyConfig
>>> result = STUDIES["step-size"].run(StudyConfig(quick=True))
>>> sorted(result.numbers)[:2]
"""

from __future__ import annotations

from importlib import import_module

from ravine.errors import ConfigError
from ravine.studies.base import Fact, StudyConfig, StudyResult, StudySpec, Table

__all__ = ["STUDIES", "get_study", "StudyConfig", "StudyResult", "StudySpec", "Table", "Fact"]

# Module names in report order; each module defines ``SPEC``.  They are imported on
# first use of ``STUDIES`` (they pull in matplotlib and the models), so that
# ``ravine.studies.config`` stays light.
_MODULES: tuple[str, ...] = (
    "step_size",
    "ravine_race",
    "saddle",
    "symmetry",
    "dead_units",
    "normalisation",
    "fluctuations",
    "perceptron",
    "cliffs",
    "curvature",
    "grid_search",
    "words",
)


def _build_registry() -> dict[str, StudySpec]:
    registry: dict[str, StudySpec] = {}
    for module in _MODULES:
        spec = import_module(f"ravine.studies.{module}").SPEC
        registry[spec.name] = spec
    return registry


def __getattr__(name: str):
    if name == "STUDIES":
        globals()["STUDIES"] = _build_registry()
        return globals()["STUDIES"]
    raise AttributeError(f"module 'ravine.studies' has no attribute {name!r}")


def get_study(name: str) -> StudySpec:
    """The registered study called ``name``; a ConfigError lists the names otherwise."""
    studies = __getattr__("STUDIES") if "STUDIES" not in globals() else globals()["STUDIES"]
    try:
        return studies[name]
    except KeyError:
        raise ConfigError(f"Unknown study {name!r}; the studies are: {', '.join(studies)}.") from None
