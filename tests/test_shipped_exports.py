"""Each shipped model carries its ONNX export, and the export still answers as the ``.keras`` model does."""

import json

import numpy as np
import pytest

from mnist_helpers.config import MODEL_FOLDERS, shipped_model, shipped_onnx_model, shown_path
from mnist_helpers.export.verification import TOLERANCE, verification_file
from mnist_helpers.model_files import OnnxClassifier, classify_digits, load_classifier

DIGITS = 2000  # of the 10,000 test digits, evenly spread; `export` compared all of them


@pytest.mark.parametrize("role", MODEL_FOLDERS)
def test_the_shipped_onnx_export_matches_its_keras_model(role, mnist_test):
    keras_model, onnx_model = load_classifier(shipped_model(role)), load_classifier(shipped_onnx_model(role))
    assert isinstance(onnx_model, OnnxClassifier)
    digits = mnist_test[0][:: len(mnist_test[0]) // DIGITS] / 255.0
    expected, exported = classify_digits(keras_model, digits), classify_digits(onnx_model, digits)
    assert len(digits) == DIGITS
    np.testing.assert_allclose(exported, expected, rtol=0, atol=TOLERANCE)
    assert np.array_equal(exported.argmax(axis=1), expected.argmax(axis=1))


@pytest.mark.parametrize("role", MODEL_FOLDERS)
def test_the_shipped_onnx_export_records_its_verification(role):
    record = json.loads(verification_file(shipped_onnx_model(role)).read_text())
    assert record["file"] == shipped_onnx_model(role).name
    assert record["keras_model"] == str(shown_path(shipped_model(role)))
    assert record["digits_compared"] == 10_000 and record["same_answers"] is True
    assert record["max_abs_difference"] <= TOLERANCE
