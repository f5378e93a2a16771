"""Field checks shared by the report's records: each turns a user's value into the
stored form (tuples, plain numbers, read-only dicts) or raises a ConfigError that
names the field, the value and what is allowed."""

from __future__ import annotations

import math
from typing import Any, Iterable, Sequence

from ravine.errors import ConfigError

Cell = Any  # None, bool, int, float or str once normalised


class FrozenDict(dict):
    """A dict that refuses changes, yet pickles (sections cross process boundaries)."""

    def _refuse(self, *args: Any, **kwargs: Any) -> None:
        raise TypeError("a report section's data is read-only; build a new Section instead")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse  # type: ignore[assignment]
    __ior__ = _refuse  # type: ignore[assignment]

    def __reduce__(self) -> tuple:
        return (FrozenDict, (dict(self),))


def set_field(obj: object, name: str, value: object) -> None:
    object.__setattr__(obj, name, value)


def as_tuple(value: Any, what: str) -> tuple:
    if value is None:
        return ()
    if isinstance(value, (str, bytes)) or not isinstance(value, Iterable):
        raise ConfigError(f"{what} must be a sequence (list or tuple); got {type(value).__name__} {value!r:.80}")
    return tuple(value)


def paragraphs(value: str | Sequence[str] | None, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,) if value else ()
    items = as_tuple(value, what)
    for item in items:
        require_str(item, what)
    return items


def require_str(value: Any, what: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"{what} must be a string; got {type(value).__name__} {value!r:.80}")
    return value


def plain_cell(value: Any, what: str) -> Cell:
    """A table cell or key number as a plain Python value (numpy scalars unwrapped)."""
    if hasattr(value, "item") and callable(value.item) and getattr(value, "ndim", 0) == 0:
        value = value.item()  # numpy scalar or 0-d array
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    raise ConfigError(
        f"{what} must be a number, string, bool or None; got {type(value).__name__} {value!r:.80}"
    )


def check_format(spec: str | None, what: str) -> str | None:
    if spec is None:
        return None
    require_str(spec, what)
    for sample in (1.5, 1):
        try:
            format(sample, spec)
            return spec
        except ValueError:
            pass
    raise ConfigError(f"{what} {spec!r} is not a valid number format such as '.3g', '.2%' or 'd'")


def check_formats_fit(spec: str | None, values: Iterable[Cell], what: str) -> None:
    """Every finite number of a column can be written with the column's format."""
    if spec is None:
        return
    for value in values:
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value):
            try:
                format(value, spec)
            except ValueError:
                raise ConfigError(
                    f"{what} {spec!r} cannot format the {type(value).__name__} {value!r}; "
                    "use a float format such as '.3g' for non-integer columns"
                ) from None


def short_text(value: Any) -> str:
    """A measurement as evidence text: floats to 4 significant digits, long lists counted."""
    if isinstance(value, float):
        return f"{value:.4g}"
    if isinstance(value, (list, tuple)) and len(value) > 6:
        return f"[{len(value)} values]"
    return str(value)


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)
