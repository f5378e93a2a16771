"""Plain JSON data from numbers, numpy arrays and containers — the one conversion the
report uses for results.json and for the raw ``data`` of a section.

JSON has no NaN or infinity, so non-finite floats become the strings ``"NaN"``,
``"Infinity"`` and ``"-Infinity"`` (the spelling JavaScript's ``Number()`` reads).
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any, Mapping

from ravine.errors import ConfigError

__all__ = ["to_jsonable", "number_from_json"]

_NON_FINITE = {"NaN": math.nan, "Infinity": math.inf, "-Infinity": -math.inf}


def _float_to_json(x: float) -> float | str:
    if math.isnan(x):
        return "NaN"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    return x


def number_from_json(x: Any) -> Any:
    return _NON_FINITE.get(x, x) if isinstance(x, str) else x


def to_jsonable(obj: Any, where: str = "value") -> Any:
    """Plain JSON data from numbers, strings, numpy arrays/scalars, mappings and sequences.

    Anything else raises :class:`ConfigError` naming where it was found, rather than
    being silently turned into its ``repr``.
    """
    if obj is None or isinstance(obj, (bool, str, int)):
        return obj
    if isinstance(obj, float):
        return _float_to_json(obj)
    if hasattr(obj, "tolist") and callable(obj.tolist):  # numpy array or scalar
        return to_jsonable(obj.tolist(), where)
    if isinstance(obj, Mapping):
        return {str(k): to_jsonable(v, f"{where}[{k!r}]") for k, v in obj.items()}
    if isinstance(obj, (list, tuple)):
        return [to_jsonable(v, f"{where}[{i}]") for i, v in enumerate(obj)]
    if hasattr(obj, "to_dict") and callable(obj.to_dict):
        return to_jsonable(obj.to_dict(), where)
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return to_jsonable({f.name: getattr(obj, f.name) for f in dataclasses.fields(obj)}, where)
    raise ConfigError(
        f"{where} of type {type(obj).__name__} cannot be written to JSON; "
        "give numbers, strings, lists, dicts or numpy arrays"
    )
