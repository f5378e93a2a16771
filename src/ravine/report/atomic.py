"""Atomic file writes: a reader sees the old file or the new one, never half of one.

Each write goes to a temporary file in the destination's own folder (so the final
rename stays on one file system), is flushed to disk, and then replaces the
destination with :func:`os.replace`, which is atomic on POSIX and Windows.  If
anything fails, the temporary file is removed.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from ravine.errors import ConfigError

__all__ = ["atomic_write_bytes", "atomic_write_text", "ensure_folder"]


def ensure_folder(folder: str | os.PathLike) -> Path:
    """Create ``folder`` (and its parents) if needed; a clear error if that is impossible."""
    path = Path(folder)
    try:
        path.mkdir(parents=True, exist_ok=True)
    except (FileExistsError, NotADirectoryError):
        raise ConfigError(
            f"cannot use {str(path)!r} as an output folder: a file of that name is in the way; "
            "choose another folder"
        ) from None
    except PermissionError:
        raise ConfigError(
            f"cannot create the output folder {str(path)!r}: permission denied; choose a folder you can write to"
        ) from None
    return path


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> Path:
    """Write ``data`` to ``path`` atomically (temp file in the same folder, then ``os.replace``)."""
    target = Path(path)
    folder = ensure_folder(target.parent)
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except PermissionError:
        raise ConfigError(
            f"cannot write into {str(folder)!r}: permission denied; choose a folder you can write to"
        ) from None
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp_name, 0o644)  # mkstemp makes 0600 files; outputs are ordinary files
        os.replace(tmp_name, target)
    except BaseException:
        try:
            os.unlink(tmp_name)
        except FileNotFoundError:
            pass
        raise
    return target


def atomic_write_text(path: str | os.PathLike, text: str) -> Path:
    """Write ``text`` as UTF-8 to ``path`` atomically."""
    return atomic_write_bytes(path, text.encode("utf-8"))
