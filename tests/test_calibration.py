import numpy as np
import pytest

from mnist_helpers import evaluate

CONFIDENCE = np.array([0.95, 0.95, 0.55, 0.65, 1.0])
CORRECT = np.array([True, False, True, True, True])


def test_reliability_table_by_hand():
    table = evaluate.reliability_table(CONFIDENCE, CORRECT)
    assert list(table["count"]) == [0, 0, 0, 0, 0, 1, 1, 0, 0, 3]  # 1.0 falls in the last bin
    assert table["accuracy"][9] == pytest.approx(2 / 3)
    assert table["mean_confidence"][9] == pytest.approx((0.95 + 0.95 + 1.0) / 3)
    assert np.isnan(table["accuracy"][0])


def test_expected_calibration_error_by_hand():
    # bins: 0.55 right (gap 0.45), 0.65 right (gap 0.35), {0.95, 0.95, 1.0} 2/3 right (gap 0.3)
    expected = (0.45 + 0.35 + 3 * (2.9 / 3 - 2 / 3)) / 5
    assert evaluate.expected_calibration_error(CONFIDENCE, CORRECT) == pytest.approx(expected)
    assert expected == pytest.approx(0.34)


def test_single_bin_error_is_the_gap_between_accuracy_and_confidence():
    assert evaluate.expected_calibration_error(np.full(4, 0.75), np.array([1, 1, 1, 0])) == 0.0
    assert evaluate.expected_calibration_error(np.full(10, 0.75), np.arange(10) < 8) == pytest.approx(0.05)


def test_format_reliability_table_lists_only_filled_bins():
    text = evaluate.format_reliability_table(evaluate.reliability_table(CONFIDENCE, CORRECT))
    assert text.splitlines() == [
        "confidence 0.5-0.6:     1 predictions, mean confidence 0.550, accuracy 1.000",
        "confidence 0.6-0.7:     1 predictions, mean confidence 0.650, accuracy 1.000",
        "confidence 0.9-1.0:     3 predictions, mean confidence 0.967, accuracy 0.667",
    ]
