"""Standardisation (x − μ)/σ: statistics, round trip, constant features, reuse on new data."""

import numpy as np
import pytest

import ravine.numpy as rnp
from ravine import grad
from ravine.data import Standardizer, standardize
from ravine.errors import DataError, ShapeError


def test_transformed_training_data_have_zero_mean_and_unit_variance():
    rng = np.random.default_rng(0)
    x = rng.normal([100.0, -3.0, 0.002], [30.0, 0.5, 0.001], size=(500, 3))
    s = Standardizer.fit(x)
    z = s.transform(x)
    np.testing.assert_allclose(z.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(z.std(axis=0), 1.0, rtol=1e-12)
    np.testing.assert_allclose(s.inverse_transform(z), x, rtol=1e-12)
    np.testing.assert_allclose(s.mean, x.mean(axis=0))


def test_test_data_use_the_training_statistics():
    s, train, test = standardize(np.array([[0.0], [2.0]]), np.array([[4.0]]))
    assert s.mean.tolist() == [1.0] and s.scale.tolist() == [1.0]
    assert test.tolist() == [[3.0]] and train.ravel().tolist() == [-1.0, 1.0]


def test_zero_variance_features_become_zero_not_nan():
    x = np.array([[1.0, 7.0], [3.0, 7.0], [5.0, 7.0]])
    s = Standardizer.fit(x)
    assert s.constant.tolist() == [False, True]
    z = s.transform(x)
    assert np.all(np.isfinite(z)) and np.all(z[:, 1] == 0.0)
    np.testing.assert_allclose(s.inverse_transform(z), x)


def test_round_trip_through_a_dict_and_use_inside_traced_code():
    s = Standardizer.fit(np.array([[1.0, 10.0], [3.0, 30.0]]))
    again = Standardizer.from_dict(s.to_dict())
    np.testing.assert_array_equal(again.scale, s.scale)
    # d/dw Σ (w · x̃) = Σ x̃ over rows, x̃ = (x − μ)/σ
    x = np.array([[2.0, 40.0]])
    g = grad(lambda w: rnp.sum(s.transform(x) * w))(np.ones(2))
    np.testing.assert_allclose(g, s.transform(x)[0])


def test_shape_errors_name_the_problem():
    with pytest.raises(ShapeError, match="reshape"):
        Standardizer.fit(np.arange(4.0))
    s = Standardizer.fit(np.ones((3, 2)))
    with pytest.raises(ShapeError, match="fitted on 2 features"):
        s.transform(np.ones((3, 5)))


@pytest.mark.parametrize("value", [0.1, 0.7, 1.0 / 3.0, 1000.1])
def test_a_column_of_one_repeated_float_is_constant_despite_rounding(value):
    # mean(0.1 × 10) ≠ 0.1 in floating point, so the computed σ is ~1e−17, not 0
    x = np.column_stack([np.full(10, value), np.arange(10.0)])
    s = Standardizer.fit(x)
    assert s.constant.tolist() == [True, False]
    assert np.all(s.transform(x)[:, 0] == 0.0)
    # a test value a hair away stays a hair away instead of becoming ~1e8
    assert abs(s.transform(np.array([[value + 1e-9, 0.0]]))[0, 0]) < 1e-6
    np.testing.assert_array_equal(s.inverse_transform(s.transform(x))[:, 0], x[:, 0])


def test_missing_values_are_refused_not_spread_as_nan():
    with pytest.raises(DataError, match=r"columns \[1\] hold NaN"):
        Standardizer.fit(np.array([[1.0, np.nan], [2.0, 3.0]]))
    with pytest.raises(DataError, match="impute"):
        standardize(np.array([[1.0], [np.inf]]))
