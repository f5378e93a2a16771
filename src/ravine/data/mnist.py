"""MNIST (and any other array) in the IDX format, read from files the user points to.

IDX layout (big-endian): two zero bytes, one byte naming the element type, one
byte with the number of dimensions ``d``, then ``d`` unsigned 32-bit sizes, then
the elements in C order.  Type bytes: ``0x08`` uint8, ``0x09`` int8, ``0x0B``
int16, ``0x0C`` int32, ``0x0D`` float32, ``0x0E`` float64.  Files ending in
``.gz`` are read (and written) through gzip.

ravine never downloads MNIST.  Get the four files once (for example from a copy
of Yann LeCun's MNIST page) and pass their folder to :func:`load_mnist`::

    train-images-idx3-ubyte[.gz]  train-labels-idx1-ubyte[.gz]
    t10k-images-idx3-ubyte[.gz]   t10k-labels-idx1-ubyte[.gz]
"""

from __future__ import annotations

import gzip
import os
import struct
import zlib
from pathlib import Path

import numpy as np

from ravine.data.splits import Split
from ravine.errors import ConfigError, DataError

__all__ = ["IDX_TYPES", "read_idx", "write_idx", "load_mnist", "MNIST_FILES"]

# type byte -> big-endian NumPy dtype
IDX_TYPES = {0x08: ">u1", 0x09: ">i1", 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}
_TYPE_BYTE = {np.dtype(v).newbyteorder("=").str: k for k, v in IDX_TYPES.items()}

# part -> (images file stem, labels file stem)
MNIST_FILES = {
    "train": ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    "test": ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}


def _open(path: Path, mode: str):
    return gzip.open(path, mode) if path.suffix == ".gz" else open(path, mode)


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """The array stored in the IDX file at ``path`` (plain or ``.gz``), in native byte order."""
    path = Path(path)
    if not path.is_file():
        raise DataError(f"no IDX file at {str(path)!r}; check the path")
    try:
        with _open(path, "rb") as f:
            raw = f.read()
    except (OSError, EOFError, zlib.error) as exc:  # zlib.error: a damaged deflate stream inside a .gz
        raise DataError(f"cannot read {str(path)!r}: {exc}; the file is damaged, fetch it again") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in IDX_TYPES:
        raise DataError(f"{str(path)!r} is not an IDX file (bad magic number {raw[:4].hex()!r}); "
                        "IDX files start with two zero bytes, a type byte and a dimension count")
    dtype, ndim = np.dtype(IDX_TYPES[raw[2]]), raw[3]
    header = 4 + 4 * ndim
    if len(raw) < header:
        raise DataError(f"{str(path)!r} is truncated: its header promises {ndim} dimensions")
    shape = struct.unpack(f">{ndim}I", raw[4:header])
    expected = int(np.prod(shape, dtype=np.int64)) * dtype.itemsize
    if len(raw) - header != expected:
        raise DataError(f"{str(path)!r} holds {len(raw) - header} data bytes but its header "
                        f"{shape} of {dtype.name} needs {expected}; the file is damaged or truncated")
    data = np.frombuffer(raw, dtype=dtype, offset=header).reshape(shape)
    return data.astype(dtype.newbyteorder("="))


def write_idx(path: str | os.PathLike, array: np.ndarray) -> Path:
    """Write ``array`` as an IDX file (gzipped when ``path`` ends in ``.gz``); returns the path."""
    array = np.asarray(array)
    code = _TYPE_BYTE.get(array.dtype.newbyteorder("=").str)
    if code is None:
        raise ConfigError(f"IDX cannot store dtype {array.dtype}; use one of "
                          "uint8, int8, int16, int32, float32, float64")
    if array.ndim > 255:
        raise ConfigError(f"IDX stores at most 255 dimensions, got {array.ndim}")
    path = Path(path)
    header = bytes([0, 0, code, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    with _open(path, "wb") as f:
        f.write(header + np.ascontiguousarray(array, dtype=IDX_TYPES[code]).tobytes())
    return path


def _find(folder: Path, stem: str) -> Path:
    for name in (stem, stem + ".gz", stem.replace("-idx", ".idx"), stem.replace("-idx", ".idx") + ".gz"):
        if (folder / name).is_file():
            return folder / name
    raise DataError(f"MNIST file {stem!r} (or {stem + '.gz'!r}) not found in {str(folder)!r}; "
                    "ravine does not download data: put the four MNIST IDX files "
                    f"({', '.join(s for pair in MNIST_FILES.values() for s in pair)}) in one folder "
                    "and pass that folder")


def _checked_part(images: np.ndarray, labels: np.ndarray, images_path: Path, labels_path: Path,
                  limit: int | None) -> tuple[np.ndarray, np.ndarray]:
    """One part's first ``limit`` images (N × rows × cols) and labels (N digits 0..9, as ``int64``),
    or a DataError naming the file that does not fit: a label file of the wrong
    shape or with values past 9 would otherwise train on wrong classes."""
    if images.ndim != 3:
        raise DataError(f"{str(images_path)!r} holds an array of shape {images.shape}; MNIST images "
                        "are N × 28 × 28: is it a labels file under an images file's name?")
    if labels.ndim != 1 or labels.dtype.kind not in "iu":
        raise DataError(f"{str(labels_path)!r} holds an array of shape {labels.shape} and dtype "
                        f"{labels.dtype}; MNIST labels are N unsigned bytes")
    images, labels = images[:limit], labels[:limit]
    if images.shape[0] != labels.shape[0]:
        raise DataError(f"{str(images_path)!r} has {images.shape[0]} images but {str(labels_path)!r} "
                        f"has {labels.shape[0]} labels; the two files must belong together")
    if labels.size and (labels.min() < 0 or labels.max() > 9):
        raise DataError(f"{str(labels_path)!r} holds labels from {labels.min()} to {labels.max()}; "
                        "MNIST labels are the digits 0..9, so the file is damaged or is not MNIST")
    return images, labels.astype(np.int64)


def load_mnist(folder: str | os.PathLike, flatten: bool = True, scale: bool = True,
               limit: int | None = None) -> Split:
    """MNIST from the IDX files in ``folder`` as a :class:`Split` (the official train/test split).

    ``flatten`` turns each 28×28 image into a row of 784 pixels; ``scale`` maps
    grey levels 0..255 to ``float64`` values in [0, 1]; ``limit`` keeps only the
    first ``limit`` examples of each part (for quick runs).
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(f"MNIST folder {str(folder)!r} does not exist; pass the folder that holds "
                        "the four IDX files (ravine never downloads them)")
    if limit is not None and (isinstance(limit, bool) or not isinstance(limit, (int, np.integer)) or limit < 1):
        raise ConfigError(f"limit must be a positive whole number of examples, got {limit!r}")
    parts = {}
    for part, (images_stem, labels_stem) in MNIST_FILES.items():
        images_path, labels_path = _find(folder, images_stem), _find(folder, labels_stem)
        images, labels = _checked_part(read_idx(images_path), read_idx(labels_path),
                                       images_path, labels_path, limit)
        x = images.astype(np.float64) / 255.0 if scale else images
        parts[part] = (x.reshape(len(x), -1) if flatten else x, labels)
    info = {"name": "mnist", "task": "classification", "n_classes": 10,
            "target_names": tuple(str(d) for d in range(10)), "source": str(folder)}
    return Split(parts["train"][0], parts["train"][1], parts["test"][0], parts["test"][1], info)
