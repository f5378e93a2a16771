"""The small tables bundled with scikit-learn, loaded offline and split with a seed.

=================  ==========  ========  ========  ================================
name               task        examples  features  inputs
=================  ==========  ========  ========  ================================
``digits``         10 classes  1797      64        8×8 grey levels 0..16
``iris``           3 classes   150       4         flower measurements in cm
``breast_cancer``  2 classes   569       30        cell-nucleus statistics
``wine``           3 classes   178       13        chemical analysis
``diabetes``       regression  442       10        patient measurements (already
                                                   centred and scaled by sklearn)
=================  ==========  ========  ========  ================================

scikit-learn ships these files inside its wheel, so nothing is downloaded.  Each
loader returns a :class:`~ravine.data.splits.Split` of ``float64`` inputs; class
targets are ``int64`` indices and the split is stratified by class.  Inputs are
left in their original units — fit a :class:`~ravine.data.standardize.Standardizer`
on ``x_train`` to put them on a common scale.

>>> from ravine.data import load_digits
>>> d = load_digits(test_fraction=0.25, seed=0)
>>> d.x_train.shape, d.x_test.shape
((1347, 64), (450, 64))
"""

from __future__ import annotations

import functools

import numpy as np

from ravine.data.requirements import require
from ravine.data.splits import Split, train_test_split
from ravine.errors import ConfigError

__all__ = ["TABLES", "load_table", "load_digits", "load_iris", "load_breast_cancer",
           "load_wine", "load_diabetes"]

# ravine name -> (sklearn loader name, task)
TABLES = {
    "digits": ("load_digits", "classification"),
    "iris": ("load_iris", "classification"),
    "breast_cancer": ("load_breast_cancer", "classification"),
    "wine": ("load_wine", "classification"),
    "diabetes": ("load_diabetes", "regression"),
}


@functools.lru_cache(maxsize=None)
def _read_bundled(name: str) -> tuple[np.ndarray, np.ndarray, tuple[str, ...], tuple[str, ...]]:
    require("sklearn", f"the {name!r} table (it is bundled with scikit-learn)")
    import sklearn.datasets

    bunch = getattr(sklearn.datasets, TABLES[name][0])()
    x = np.asarray(bunch.data, dtype=np.float64)
    features = tuple(str(f) for f in getattr(bunch, "feature_names", range(x.shape[1])))
    if TABLES[name][1] == "classification":
        y = np.asarray(bunch.target, dtype=np.int64)
        classes = tuple(str(c) for c in bunch.target_names)
    else:
        y = np.asarray(bunch.target, dtype=np.float64)
        classes = ()
    x.setflags(write=False)
    y.setflags(write=False)
    return x, y, features, classes


def load_table(name: str, test_fraction: float = 0.25, seed: int = 0) -> Split:
    """One of :data:`TABLES` as a seeded :class:`Split` (stratified for classification)."""
    if name not in TABLES:
        raise ConfigError(f"unknown table {name!r}; choose one of {sorted(TABLES)}")
    x, y, features, classes = _read_bundled(name)
    task = TABLES[name][1]
    info = {"name": name, "task": task, "feature_names": features, "target_names": classes,
            "n_classes": len(classes) if task == "classification" else None,
            "source": "scikit-learn (bundled)", "seed": seed, "test_fraction": test_fraction}
    return train_test_split(x.copy(), y.copy(), test_fraction, seed,
                            stratify=task == "classification", info=info)


def load_digits(test_fraction: float = 0.25, seed: int = 0) -> Split:
    """The 1797 handwritten digits (8×8 images, grey levels 0..16, 10 classes);
    rows of ``x`` are the 64 pixels in reading order."""
    return load_table("digits", test_fraction, seed)


def load_iris(test_fraction: float = 0.25, seed: int = 0) -> Split:
    """Fisher's iris flowers: 150 examples, 4 measurements, 3 species."""
    return load_table("iris", test_fraction, seed)


def load_breast_cancer(test_fraction: float = 0.25, seed: int = 0) -> Split:
    """Wisconsin diagnostic breast cancer: 569 examples, 30 features, 2 classes."""
    return load_table("breast_cancer", test_fraction, seed)


def load_wine(test_fraction: float = 0.25, seed: int = 0) -> Split:
    """Wine recognition: 178 examples, 13 chemical measurements, 3 cultivars."""
    return load_table("wine", test_fraction, seed)


def load_diabetes(test_fraction: float = 0.25, seed: int = 0) -> Split:
    """Diabetes progression (regression): 442 patients, 10 features, a real target."""
    return load_table("diabetes", test_fraction, seed)
