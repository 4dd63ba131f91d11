"""Models side by side on the same digits: readings, the table, and the differences stated from the numbers."""

import numpy as np

from mnist_helpers.own_digits.compare import compare_models, describe_differences, expected_digit, format_comparison


class FixedModel:
    """Answers with fixed probabilities, one row per input, like a Keras model's ``predict``."""

    input_shape = (None, 784)

    def __init__(self, digits, confidence):
        self.rows = np.full((len(digits), 10), (1 - confidence) / 9)
        self.rows[np.arange(len(digits)), digits] = confidence

    def predict(self, x, verbose=0):
        return self.rows[: len(x)]


NAMES = ["drawn_3_pencil.jpg", "mnist_test_0000_digit7.png", "my_scan.png"]
DIGITS = np.zeros((3, 28, 28), np.float32)


def test_expected_digit_comes_from_the_example_names():
    assert [expected_digit(name) for name in NAMES] == [3, 7, None]


def test_rows_hold_each_models_top_3_and_the_differences_are_computed():
    models = {"this run": FixedModel([5, 7, 1], 0.6), "robust": FixedModel([3, 7, 1], 0.9)}
    rows = compare_models(models, DIGITS, NAMES)
    assert rows[0]["readings"]["this run"][0] == (5, 0.6)
    assert rows[0]["readings"]["robust"][0] == (3, 0.9)
    text = describe_differences(rows)
    assert "- **this run**: 1 of 2 read as the digit the file name gives." in text
    assert "- **robust**: 2 of 2 read as the digit the file name gives." in text
    assert "- They differ on `drawn_3_pencil.jpg`: this run says 5 (60%), robust says 3 (90%)." in text
    assert "confidence differs by 30.0% on average (at most 30.0%)" in text
    table = format_comparison(rows).splitlines()
    assert table[1].split()[:4] == ["drawn_3_pencil.jpg", "3", "5", "(60.0%)"]


def test_agreement_everywhere_is_said_plainly():
    models = {"a": FixedModel([3, 7, 1], 0.9), "b": FixedModel([3, 7, 1], 0.9)}
    assert "They give the same digit for all 3 images." in describe_differences(compare_models(models, DIGITS, NAMES))
