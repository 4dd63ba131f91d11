"""evaluate(): one forward pass, and every figure derived from it agrees with an independent computation."""

import keras
import numpy as np
import pytest
from sklearn.metrics import accuracy_score, classification_report

from mnist_helpers.evaluate import Evaluation, evaluate

RNG = np.random.default_rng(0)
LOGITS = RNG.normal(size=(200, 10)) * 3
PROBABILITIES = np.exp(LOGITS) / np.exp(LOGITS).sum(axis=1, keepdims=True)
Y_TRUE = np.where(RNG.random(200) < 0.7, PROBABILITIES.argmax(axis=1), RNG.integers(0, 10, 200))


def test_figures_agree_with_scikit_learn_and_by_hand():
    result = Evaluation(PROBABILITIES, Y_TRUE)
    assert result.accuracy == pytest.approx(accuracy_score(Y_TRUE, PROBABILITIES.argmax(axis=1)))
    assert result.errors == int((PROBABILITIES.argmax(axis=1) != Y_TRUE).sum())
    by_hand = -np.mean(np.log(PROBABILITIES[np.arange(200), Y_TRUE]))
    assert result.loss == pytest.approx(by_hand, rel=1e-6)
    assert result.confusion_matrix.sum() == 200 and np.trace(result.confusion_matrix) == 200 - result.errors
    assert result.report["3"] == classification_report(Y_TRUE, result.predictions, output_dict=True)["3"]
    assert result.confidence_summary["all"]["count"] == 200
    np.testing.assert_array_equal(result.confidence, PROBABILITIES.max(axis=1))


def test_report_text_lists_every_digit_with_four_decimals():
    text = Evaluation(PROBABILITIES, Y_TRUE).report_text()
    lines = text.splitlines()
    assert lines[0].split() == ["precision", "recall", "f1-score", "support"]
    assert [line.split()[0] for line in lines[1:11]] == [str(digit) for digit in range(10)]
    report = Evaluation(PROBABILITIES, Y_TRUE).report
    assert f"{report['7']['recall']:.4f}" in lines[8]


def test_evaluate_predicts_once_and_matches_keras_evaluate():
    keras.utils.set_random_seed(0)
    model = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="softmax")])
    model.compile(loss="categorical_crossentropy", metrics=["accuracy"])
    x = RNG.random((300, 784)).astype("float32")
    y = RNG.integers(0, 10, 300)
    result = evaluate(model, x, y)
    loss, accuracy = model.evaluate(x, keras.utils.to_categorical(y, 10), verbose=0)
    assert result.loss == pytest.approx(loss, rel=1e-4)
    assert result.accuracy == pytest.approx(accuracy, abs=1e-6)
