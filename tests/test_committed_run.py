"""The committed outputs/ are one full run, and its metrics.json agrees with its saved model."""

import json

import keras
import numpy as np
import pytest
from PIL import Image

from mnist_helpers import data
from mnist_helpers.config import MODEL_FILENAME, OUTPUTS_DIR
from mnist_helpers.evaluation import evaluate

FIGURES = [
    "mnist_samples", "class_distribution", "training_curves", "confusion_matrix", "per_class_accuracy",
    "predictions_grid", "misclassified", "calibration", "confident_mistakes", "own_digits",
]  # fmt: skip


@pytest.fixture(scope="module")
def record():
    return json.loads((OUTPUTS_DIR / "metrics.json").read_text())


def test_committed_run_is_a_full_run_above_98_percent(record):
    assert record["mode"] == "full"
    assert record["test_accuracy"] >= 0.98
    assert (record["fit_samples"], record["validation_samples"]) == (54000, 6000)


@pytest.mark.parametrize("name", FIGURES)
def test_committed_figure_is_a_150_dpi_png(name):
    with Image.open(OUTPUTS_DIR / f"{name}.png") as image:
        assert image.format == "PNG"
        assert image.info["dpi"] == pytest.approx((150, 150), abs=0.05)


def test_metrics_json_matches_a_recomputation_from_the_saved_model(record, mnist_test):
    model = keras.saving.load_model(OUTPUTS_DIR / MODEL_FILENAME, safe_mode=True)
    x_test, y_test = mnist_test
    result = evaluate(model, data.flatten_and_scale(x_test), y_test)
    np.testing.assert_array_equal(result.confusion_matrix, record["confusion_matrix"])
    assert result.accuracy == pytest.approx(record["test_accuracy"], abs=1e-6)
    assert result.loss == pytest.approx(record["test_loss"], rel=1e-4)
    assert result.calibration_error == pytest.approx(record["expected_calibration_error"], abs=1e-5)
