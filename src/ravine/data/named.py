"""Building a named problem or surface from its factory table, with errors that
name the allowed choices."""

from __future__ import annotations

from typing import Any, Callable, Mapping

from ravine.errors import ConfigError

__all__ = ["build_named"]


def build_named(factories: Mapping[str, Callable[..., Any]], kind: str, name: str, params: dict) -> Any:
    """``factories[name](**params)``; an unknown name or a bad parameter is a ConfigError."""
    if name not in factories:
        raise ConfigError(f"unknown {kind} {name!r}; choose one of {list(factories)}")
    try:
        return factories[name](**params)
    except TypeError as exc:
        raise ConfigError(f"bad parameters for {kind} {name!r}: {exc}") from None
