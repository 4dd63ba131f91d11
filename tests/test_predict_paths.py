"""``predict`` through ONNX Runtime (the default) and through Keras: the same answers, and the ONNX path loads
neither TensorFlow nor Keras."""

import json
import os
import subprocess
import sys

import numpy as np
import pytest
from handwriting_pages import EXAMPLES

from mnist_helpers.__main__ import main
from mnist_helpers.config import DEFAULT_MODEL_ROLE, PROJECT_ROOT, shipped_model, shipped_onnx_model, shown_path
from mnist_helpers.export.verification import TOLERANCE
from mnist_helpers.model_files import default_model_path, load_classifier
from mnist_helpers.own_digits.classify import DigitPrediction, classify_images
from mnist_helpers.synthetic.pages import write_round_trip_images

KERAS_MODEL, ONNX_MODEL = shipped_model(DEFAULT_MODEL_ROLE), shipped_onnx_model(DEFAULT_MODEL_ROLE)
# Runs predict as `python -m mnist_helpers predict` does, then reports which of these the process imported.
PREDICT_AND_REPORT = """
import json, sys
from mnist_helpers.__main__ import main
status = main(sys.argv[1:])
print(json.dumps({"status": status, "imported": sorted({"tensorflow", "keras"} & set(sys.modules))}))
"""


def test_the_default_model_is_the_shipped_onnx_export():
    assert default_model_path() == ONNX_MODEL


def test_predict_through_the_default_model_imports_neither_tensorflow_nor_keras():
    done = subprocess.run(
        [sys.executable, "-c", PREDICT_AND_REPORT, "predict", *map(str, EXAMPLES)],
        cwd=PROJECT_ROOT,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT)},
        capture_output=True,
        text=True,
    )
    *lines, report = done.stdout.splitlines()
    assert done.stderr == "" and json.loads(report) == {"status": 0, "imported": []}
    assert [line.split(":")[0] for line in lines] == [str(path) for path in EXAMPLES]


@pytest.fixture(scope="module")
def image_files(mnist_test, tmp_path_factory):
    """The examples and 600 MNIST test digits written to files (dark on light, enlarged, off-centre)."""
    return [*EXAMPLES, *write_round_trip_images(mnist_test[0][:600], tmp_path_factory.mktemp("pages"))]


def test_onnx_and_keras_give_the_same_digit_and_probabilities_for_every_image(image_files):
    through_onnx = classify_images(load_classifier(ONNX_MODEL), image_files)
    through_keras = classify_images(load_classifier(KERAS_MODEL), image_files)
    assert len(through_onnx) == 606 and all(isinstance(result, DigitPrediction) for result in through_onnx)
    assert [result.digit for result in through_onnx] == [result.digit for result in through_keras]
    np.testing.assert_allclose(
        [result.probabilities for result in through_onnx],
        [result.probabilities for result in through_keras],
        rtol=0,
        atol=TOLERANCE,
    )


def test_both_paths_print_the_same_records_each_naming_its_model(capsys):
    records = {}
    for model in (ONNX_MODEL, KERAS_MODEL):
        assert main(["predict", *map(str, EXAMPLES), "--model", str(model), "--json"]) == 0
        records[model] = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    for through_onnx, through_keras in zip(records[ONNX_MODEL], records[KERAS_MODEL], strict=True):
        assert (through_onnx["model"], through_keras["model"]) == (
            str(shown_path(ONNX_MODEL)),
            str(shown_path(KERAS_MODEL)),
        )
        assert set(through_onnx) == set(through_keras)
        assert through_onnx["confidence"] == pytest.approx(through_keras["confidence"], abs=TOLERANCE)
        for key in ("path", "digit", "looks_like_digit"):
            assert through_onnx[key] == through_keras[key]
