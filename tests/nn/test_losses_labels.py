"""Losses against scipy.special on extreme logits, and the label checks that keep
a bad label or a mismatched shape from producing a silently wrong number."""

import numpy
import pytest
import scipy.special

from ravine import grad
from ravine.errors import ShapeError
from ravine.nn import labels, losses

rng = numpy.random.default_rng(5)


def test_softmax_cross_entropy_at_logits_of_plus_minus_1000_matches_scipy():
    Z = numpy.array([[1000.0, -1000.0, 0.0], [-1000.0, 1000.0, 999.0], [-1000.0, -1000.0, -1000.0]])
    t = numpy.array([1, 2, 0])
    reference = numpy.mean(-scipy.special.log_softmax(Z, axis=1)[numpy.arange(3), t])
    value = losses.softmax_cross_entropy(Z, t)
    assert numpy.isfinite(value) and numpy.isclose(value, reference, rtol=1e-15)
    g = grad(losses.softmax_cross_entropy)(Z, t)
    assert numpy.all(numpy.isfinite(g))
    # dL/dz = (softmax(z) − onehot(t)) / N
    expected = (scipy.special.softmax(Z, axis=1) - numpy.eye(3)[t]) / 3
    numpy.testing.assert_allclose(g, expected, atol=1e-15)


def test_logistic_cross_entropy_at_logits_of_plus_minus_1000():
    z, t = numpy.array([1000.0, -1000.0, 1000.0, -1000.0]), numpy.array([0.0, 1.0, 1.0, 0.0])
    # log(1 + e^z) − t z: wrong answers cost |z|, right ones e^(−1000) ≈ 0
    assert losses.logistic_cross_entropy(z, t) == pytest.approx(2000.0 / 4, rel=1e-15)
    g = grad(losses.logistic_cross_entropy)(z, t)
    numpy.testing.assert_allclose(g, (scipy.special.expit(z) - t) / 4, atol=1e-300)


def test_one_hot_labels_give_the_same_loss_as_integer_labels():
    # K = N = 3, where a one-hot matrix used as fancy indices broadcasts without complaint
    Z, t = rng.normal(size=(3, 3)) * 3, numpy.array([0, 2, 1])
    reference = numpy.mean(-scipy.special.log_softmax(Z, axis=1)[numpy.arange(3), t])
    for encoded in (t, numpy.eye(3, dtype=int)[t], numpy.eye(3)[t]):
        assert losses.softmax_cross_entropy(Z, encoded) == pytest.approx(reference, rel=1e-14)
    with pytest.raises(ShapeError, match="one-hot"):
        losses.softmax_cross_entropy(Z, numpy.array([[1, 1, 0], [0, 1, 0], [0, 0, 1]]))
    with pytest.raises(ShapeError, match=r"shape \(3, 3\)"):
        losses.softmax_cross_entropy(Z, numpy.eye(4)[:3])


def test_softmax_cross_entropy_needs_two_dimensional_logits():
    with pytest.raises(ShapeError, match=r"logits of shape \(N, K\)"):
        losses.softmax_cross_entropy(numpy.ones(3), [0, 1, 2])


def test_logistic_cross_entropy_refuses_a_column_of_logits_against_a_row_of_targets():
    z, t = numpy.array([1.0, -2.0, 3.0]), numpy.array([1.0, 0.0, 1.0])
    direct = -numpy.mean(t * numpy.log(scipy.special.expit(z)) + (1 - t) * numpy.log(scipy.special.expit(-z)))
    assert losses.logistic_cross_entropy(z, t) == pytest.approx(direct)
    # (3, 1) − (3,) broadcasts to 3×3 pairs: 1.05 instead of 0.163
    with pytest.raises(ShapeError, match=r"logits have shape \(3, 1\) but targets have shape \(3,\)"):
        losses.logistic_cross_entropy(z[:, None], t)


def test_logistic_cross_entropy_targets_must_be_probabilities():
    # t = 2 would make the "loss" negative: log(1 + e^z) − 2z < 0 for z > 0
    with pytest.raises(ShapeError, match=r"\[0, 1\]"):
        losses.logistic_cross_entropy(numpy.array([1.0, 2.0]), [0, 2])
    with pytest.raises(ShapeError, match=r"\[0, 1\]"):
        losses.logistic_cross_entropy(numpy.array([1.0]), [numpy.nan])


@pytest.mark.parametrize("loss, outputs, targets", [
    (losses.softmax_cross_entropy, numpy.zeros((0, 3)), numpy.zeros(0, int)),
    (losses.logistic_cross_entropy, numpy.zeros(0), numpy.zeros(0)),
    (losses.squared_error, numpy.zeros((0, 2)), numpy.zeros((0, 2))),
])
def test_an_empty_batch_is_an_error_not_nan(loss, outputs, targets):
    with pytest.raises(ShapeError, match="empty"):
        loss(outputs, targets)


def test_one_hot_rejects_labels_outside_the_classes():
    numpy.testing.assert_array_equal(labels.one_hot([2, 0], 3), [[0, 0, 1], [1, 0, 0]])
    # −1 would otherwise select the last column
    with pytest.raises(ShapeError, match=r"\[0, 3\)"):
        losses.one_hot([0, -1], 3)
    with pytest.raises(ShapeError, match=r"\[0, 3\)"):
        losses.one_hot([0, 3], 3)
    with pytest.raises(ShapeError, match="integers"):
        losses.one_hot([0.5], 3)
