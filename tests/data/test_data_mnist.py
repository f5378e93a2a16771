"""IDX files round-trip (plain and gzip), and MNIST loads from a folder of small files written here."""

import gzip

import numpy as np
import pytest

from ravine.data import load_mnist, read_idx, write_idx
from ravine.errors import ConfigError, DataError


@pytest.mark.parametrize("dtype", [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64])
@pytest.mark.parametrize("suffix", ["", ".gz"])
def test_idx_round_trip(tmp_path, dtype, suffix):
    rng = np.random.default_rng(0)
    array = (rng.standard_normal((3, 4, 5)) * 50).astype(dtype)
    path = write_idx(tmp_path / f"a.idx{suffix}", array)
    back = read_idx(path)
    assert back.dtype == np.dtype(dtype) and back.shape == (3, 4, 5)
    np.testing.assert_array_equal(back, array)


def test_idx_header_is_big_endian_as_the_format_says(tmp_path):
    write_idx(tmp_path / "labels", np.array([7, 2, 1], dtype=np.uint8))
    raw = (tmp_path / "labels").read_bytes()
    assert raw == bytes([0, 0, 0x08, 1, 0, 0, 0, 3, 7, 2, 1])
    write_idx(tmp_path / "ints.gz", np.array([[1, 256]], dtype=np.int32))
    raw = gzip.decompress((tmp_path / "ints.gz").read_bytes())
    assert raw == bytes([0, 0, 0x0C, 2, 0, 0, 0, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 1, 0])


def test_damaged_idx_files_raise_data_errors(tmp_path):
    (tmp_path / "bad").write_bytes(b"\x01\x02\x03\x04")
    with pytest.raises(DataError, match="not an IDX file"):
        read_idx(tmp_path / "bad")
    write_idx(tmp_path / "ok", np.arange(10, dtype=np.uint8))
    (tmp_path / "short").write_bytes((tmp_path / "ok").read_bytes()[:-2])
    with pytest.raises(DataError, match="truncated"):
        read_idx(tmp_path / "short")
    with pytest.raises(DataError, match="no IDX file"):
        read_idx(tmp_path / "missing")
    with pytest.raises(ConfigError, match="dtype"):
        write_idx(tmp_path / "x", np.zeros(2, dtype=np.complex128))


def _write_mnist(folder, n_train=6, n_test=4, gz=False):
    rng = np.random.default_rng(1)
    suffix = ".gz" if gz else ""
    parts = {}
    for stem_images, stem_labels, n in [("train-images-idx3-ubyte", "train-labels-idx1-ubyte", n_train),
                                        ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte", n_test)]:
        images = rng.integers(0, 256, (n, 28, 28), dtype=np.uint8)
        labels = rng.integers(0, 10, n, dtype=np.uint8)
        write_idx(folder / (stem_images + suffix), images)
        write_idx(folder / (stem_labels + suffix), labels)
        parts[stem_images[:4]] = (images, labels)
    return parts


@pytest.mark.parametrize("gz", [False, True])
def test_load_mnist_from_a_folder(tmp_path, gz):
    parts = _write_mnist(tmp_path, gz=gz)
    d = load_mnist(tmp_path)
    assert d.x_train.shape == (6, 784) and d.x_test.shape == (4, 784)
    np.testing.assert_allclose(d.x_train, parts["trai"][0].reshape(6, -1) / 255.0)
    np.testing.assert_array_equal(d.y_test, parts["t10k"][1])
    assert d.y_train.dtype == np.int64 and d.n_classes == 10
    raw = load_mnist(tmp_path, flatten=False, scale=False, limit=2)
    assert raw.x_train.shape == (2, 28, 28) and raw.x_train.dtype == np.uint8


def test_missing_mnist_says_where_to_point(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        load_mnist(tmp_path / "nowhere")
    with pytest.raises(DataError, match="train-images-idx3-ubyte.*never|does not download"):
        load_mnist(tmp_path)


def test_a_damaged_deflate_stream_in_a_gz_file_is_a_data_error(tmp_path):
    raw = bytearray(gzip.compress(write_idx(tmp_path / "a", np.arange(2000, dtype=np.uint8) % 7).read_bytes()))
    raw[10] ^= 0xFF  # the first byte after the 10-byte gzip header: zlib, not gzip, notices
    (tmp_path / "a.gz").write_bytes(bytes(raw))
    with pytest.raises(DataError, match="damaged"):
        read_idx(tmp_path / "a.gz")


def test_mnist_labels_that_are_not_digits_are_refused(tmp_path):
    _write_mnist(tmp_path)
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.array([0, 1, 2, 3, 4, 200], dtype=np.uint8))
    with pytest.raises(DataError, match="train-labels-idx1-ubyte.*from 0 to 200"):
        load_mnist(tmp_path)
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros((6, 2), dtype=np.uint8))
    with pytest.raises(DataError, match=r"shape \(6, 2\)"):
        load_mnist(tmp_path)
    # images and labels swapped: the image file holds a 1-D array
    write_idx(tmp_path / "train-labels-idx1-ubyte", np.zeros(6, dtype=np.uint8))
    write_idx(tmp_path / "train-images-idx3-ubyte", np.zeros(6, dtype=np.uint8))
    with pytest.raises(DataError, match="N × 28 × 28"):
        load_mnist(tmp_path)


def test_mnist_limit_must_be_a_whole_number(tmp_path):
    _write_mnist(tmp_path)
    with pytest.raises(ConfigError, match="whole number"):
        load_mnist(tmp_path, limit=2.5)
    assert load_mnist(tmp_path, limit=np.int64(3)).x_train.shape == (3, 784)
