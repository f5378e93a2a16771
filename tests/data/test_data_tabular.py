"""The scikit-learn tables load offline with the right sizes and seeded, stratified splits."""

import sys

import numpy as np
import pytest

from ravine.data import load_digits, load_table, train_test_split
from ravine.data.requirements import require
from ravine.data.splits import train_test_indices
from ravine.errors import ConfigError, DataError, ShapeError

SIZES = {"digits": (1797, 64, 10), "iris": (150, 4, 3), "breast_cancer": (569, 30, 2),
         "wine": (178, 13, 3), "diabetes": (442, 10, None)}


@pytest.mark.parametrize("name", sorted(SIZES))
def test_table_sizes_and_types(name):
    n, features, classes = SIZES[name]
    d = load_table(name, test_fraction=0.25, seed=0)
    assert len(d.x_train) + len(d.x_test) == n
    assert d.n_features == features and d.x_test.shape[1] == features
    assert d.x_train.dtype == np.float64
    assert d.n_classes == classes
    if classes is None:
        assert d.y_train.dtype == np.float64 and d.info["task"] == "regression"
    else:
        assert d.y_train.dtype == np.int64
        assert set(np.unique(np.concatenate([d.y_train, d.y_test]))) == set(range(classes))


def test_digits_are_the_1797_images_with_grey_levels_0_to_16():
    d = load_digits(seed=0)
    x = np.vstack([d.x_train, d.x_test])
    assert x.shape == (1797, 64)
    assert x.min() == 0.0 and x.max() == 16.0
    assert len(d.info["target_names"]) == 10


def test_split_is_stratified_and_reproducible():
    a, b = load_digits(test_fraction=0.2, seed=3), load_digits(test_fraction=0.2, seed=3)
    np.testing.assert_array_equal(a.x_test, b.x_test)
    counts_all = np.bincount(np.concatenate([a.y_train, a.y_test]), minlength=10)
    counts_test = np.bincount(a.y_test, minlength=10)
    np.testing.assert_allclose(counts_test, np.round(0.2 * counts_all), atol=0.5)
    c = load_digits(test_fraction=0.2, seed=4)
    assert not np.array_equal(a.x_test, c.x_test)


def test_train_and_test_rows_are_disjoint_and_cover_everything():
    train, test = train_test_indices(103, 0.3, seed=1)
    assert len(np.intersect1d(train, test)) == 0
    np.testing.assert_array_equal(np.sort(np.concatenate([train, test])), np.arange(103))
    assert len(test) == 31


def test_loaded_arrays_are_private_copies():
    a = load_digits(seed=0)
    a.x_train[0, 0] = 999.0
    assert load_digits(seed=0).x_train[0, 0] != 999.0


def test_bad_arguments_raise_clear_errors():
    with pytest.raises(ConfigError, match="test_fraction"):
        load_digits(test_fraction=1.5)
    with pytest.raises(ConfigError, match="unknown table 'mnist'"):
        load_table("mnist")
    with pytest.raises(ShapeError, match="rows"):
        train_test_split(np.zeros((4, 2)), np.zeros(3))
    with pytest.raises(ConfigError, match="empty part"):
        train_test_indices(3, 0.1)
    # a scalar y used to be a raw IndexError
    with pytest.raises(ShapeError, match="one row per example"):
        train_test_split(np.zeros((4, 2)), 3)


def test_missing_package_names_the_pip_command():
    with pytest.raises(DataError, match=r"pip install ravine_no_such_package"):
        require("ravine_no_such_package", "a test")


def test_blocked_scikit_learn_gives_a_data_error_not_an_import_error(monkeypatch):
    from ravine.data import tabular

    tabular._read_bundled.cache_clear()
    monkeypatch.setitem(sys.modules, "sklearn", None)  # Python's own way to make an import fail
    try:
        with pytest.raises(DataError, match=r"pip install scikit-learn"):
            load_digits()
    finally:
        tabular._read_bundled.cache_clear()
