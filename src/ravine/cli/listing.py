"""``ravine list``: what is built in, read from the registries (never typed here)."""

from __future__ import annotations

import inspect
from importlib import import_module
from collections.abc import Callable, Mapping
from typing import Any

from ravine.errors import ConfigError

__all__ = ["KINDS", "registry", "describe", "listing_text"]

# kind -> (module, registry attribute, which entries: None or the allowed ``kind`` values of a spec)
KINDS: dict[str, tuple[str, str, tuple[str, ...] | None]] = {
    "studies": ("ravine.studies", "STUDIES", None),
    "problems": ("ravine.data", "REGISTRY", ("problem", "surface")),
    "datasets": ("ravine.data", "REGISTRY", ("table", "images", "text", "analogies")),
    "models": ("ravine.nn.models", "MODELS", None),
    "optimizers": ("ravine.optim", "OPTIMIZERS", None),
    "schedules": ("ravine.optim", "SCHEDULES", None),
}


# Other spellings a person types: British, singular, any case.
_ALIASES = {"optimisers": "optimizers", "study": "studies"}


def canonical_kind(kind: str) -> str:
    """``kind`` as a key of KINDS: "Optimisers", "optimiser" and "optimizer" all name "optimizers"."""
    word = kind.strip().lower()
    for candidate in (word, word + "s", word + "es"):
        candidate = _ALIASES.get(candidate, candidate)
        if candidate in KINDS:
            return candidate
    raise ConfigError(f"Unknown kind {kind!r} for `ravine list`; choose one of {', '.join(KINDS)}.")


def registry(kind: str) -> Mapping[str, Any]:
    """The entries of ``kind`` (name → spec), read from the owning package's registry."""
    module, attribute, kinds = KINDS[canonical_kind(kind)]
    entries = getattr(import_module(module), attribute)
    return {name: spec for name, spec in entries.items() if kinds is None or getattr(spec, "kind", None) in kinds}


def describe(spec: Any) -> str:
    """A one-line description of a registry entry: its summary, description or docstring."""
    lecture = getattr(spec, "lecture", None)
    suffix = f" (lecture {lecture})" if isinstance(lecture, str) and lecture else ""
    for attribute in ("summary", "description", "title", "doc"):
        text = getattr(spec, attribute, None)
        if isinstance(text, str) and text.strip():
            return _first_line(text + suffix)
    target: Callable | Any = spec
    for attribute in ("factory", "fn", "run", "make", "build", "loader", "load"):
        if callable(getattr(spec, attribute, None)):
            target = getattr(spec, attribute)
            break
    return _first_line(inspect.getdoc(target) or "")


def _first_line(text: str) -> str:
    first = " ".join(text.strip().split("\n\n")[0].split())
    return first if len(first) <= 110 else first[:107] + "..."


def listing_text(kinds: list[str]) -> str:
    """The listing of the given kinds as plain text, one block per kind."""
    blocks = []
    for kind in map(canonical_kind, kinds):
        entries = registry(kind)
        width = max((len(name) for name in entries), default=0)
        lines = [f"{kind} ({len(entries)}):"]
        lines += [f"  {name:<{width}}  {describe(spec)}".rstrip() for name, spec in entries.items()]
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks)
