import numpy as np
import pytest

from mnist_helpers import evaluate
from mnist_helpers.evaluate import Evaluation

Y_TRUE = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2, 3])
Y_PRED = np.array([0, 1, 1, 1, 2, 2, 2, 1, 1, 3])
EVALUATION = Evaluation(np.eye(10)[Y_PRED] * 0.9 + 0.01, Y_TRUE)


def test_confusion_matrix_rows_are_true_digits():
    matrix = EVALUATION.confusion_matrix
    assert matrix.shape == (10, 10)
    assert matrix[0, 0] == 1 and matrix[0, 1] == 1
    assert matrix[2, 1] == 2 and matrix[1, 2] == 1
    assert matrix.sum() == len(Y_TRUE)


def test_per_class_accuracy_by_hand():
    matrix = EVALUATION.confusion_matrix
    accuracy = evaluate.per_class_accuracy(matrix)
    np.testing.assert_allclose(accuracy[:4], [1 / 2, 2 / 3, 2 / 4, 1])
    assert accuracy[5] == 0  # digit absent: no division by zero


def test_most_confused_pairs_sorted_by_count_then_digits():
    matrix = EVALUATION.confusion_matrix
    assert evaluate.most_confused_pairs(matrix, top=5) == [(2, 1, 2), (0, 1, 1), (1, 2, 1)]
    assert evaluate.most_confused_pairs(matrix, top=1) == [(2, 1, 2)]


def test_per_class_report_matches_hand_counts():
    report = EVALUATION.report
    # digit 1: predicted 5 times, 2 of them right; 3 true ones, 2 found
    assert report["1"]["precision"] == pytest.approx(2 / 5)
    assert report["1"]["recall"] == pytest.approx(2 / 3)
    assert report["1"]["support"] == 3


def test_confidence_summary_splits_right_and_wrong():
    probabilities = np.array([[0.9, 0.1], [0.4, 0.6], [0.2, 0.8], [0.7, 0.3]])
    correct = probabilities.argmax(axis=1) == np.array([0, 1, 0, 0])
    summary = evaluate.confidence_summary(probabilities.max(axis=1), correct)
    assert summary["correct"]["count"] == 3
    assert summary["correct"]["mean_confidence"] == pytest.approx((0.9 + 0.6 + 0.7) / 3)
    assert summary["wrong"] == {"count": 1, "mean_confidence": pytest.approx(0.8), "median_confidence": 0.8}
    assert summary["all"]["mean_confidence"] == pytest.approx(0.75)


def test_choose_grid_examples_mixes_wrong_and_right_reproducibly():
    correct = np.ones(200, bool)
    correct[[3, 50, 77]] = False
    picked = evaluate.choose_grid_examples(correct, count=25, wrong=5, seed=1)
    assert len(picked) == 25 and len(set(picked)) == 25
    assert set(picked) >= {3, 50, 77}  # only three mistakes exist, all are used
    np.testing.assert_array_equal(picked, evaluate.choose_grid_examples(correct, count=25, wrong=5, seed=1))


def test_mistake_indices_in_order_or_by_confidence():
    y_true = np.array([1, 2, 3, 4, 5])
    y_pred = np.array([1, 0, 3, 0, 0])
    assert list(evaluate.mistake_indices(y_true, y_pred)) == [1, 3, 4]
    confidence = np.array([0.9, 0.5, 0.9, 0.99, 0.7])
    assert list(evaluate.mistake_indices(y_true, y_pred, confidence=confidence, count=2)) == [3, 4]
