import json

import numpy as np

from mnist_helpers import report, run_files
from mnist_helpers.evaluate import Evaluation
from mnist_helpers.recipe import Recipe
from mnist_helpers.train import TrainingResult

Y_TRUE = np.array([0, 0, 1, 1, 1, 2, 2, 2, 2, 3])
Y_PRED = np.array([0, 1, 1, 1, 2, 2, 2, 1, 1, 3])
PROBABILITIES = np.eye(10)[Y_PRED] * 0.9 + 0.01


def make_record():
    evaluation = Evaluation(PROBABILITIES, Y_TRUE)
    training = TrainingResult(
        history={}, seconds=12.345, epochs_run=7, best_epoch=3, fit_samples=9, validation_samples=1
    )
    record = report.build_metrics_record(evaluation, training, Recipe(hidden_layers=(8, 4)), seed=3, smoke=True)
    record["expected_calibration_error"] = 0.31  # a round figure for the text below
    return record


def test_metrics_record_is_plain_json():
    record = make_record()
    assert json.loads(json.dumps(record)) == record
    assert record["mode"] == "smoke" and record["test_errors"] == 4
    assert record["top_confused_pairs"][0] == {"true": 2, "predicted": 1, "count": 2}
    assert record["recipe"]["hidden_layers"] == [8, 4] and record["seed"] == 3
    assert record["test_accuracy"] == 0.6 and record["fit_samples"] == 9
    assert record["training_seconds"] == 12.35
    assert "keras" in record["versions"] and record["machine"]["cpu_count"] >= 1
    assert set(record["machine"]) >= {"cpu_flags", "onednn", "TF_ENABLE_ONEDNN_OPTS", "device"}


def test_findings_state_the_computed_numbers():
    text = report.describe_findings(make_record())
    assert "**Test accuracy 60.00%** (4 of 10 test digits wrong), after 7 epochs" in text
    assert "(weights restored from epoch 3)" in text
    # digits 0 and 2 are both 50% right (the first is named); digits 4-9 are absent and ignored
    assert "Hardest digit: **0** (50.00% correct); easiest: **3** (100.00%)" in text
    assert "2 read as 1 (2×), 0 read as 1 (1×), 1 read as 2 (1×); these 3 account for 100% of all errors" in text
    assert "Expected calibration error 0.3100" in text
    assert "overconfident" in text  # mean confidence 0.91 > accuracy 0.6


def test_findings_name_the_right_number_of_pairs():
    record = make_record()
    record["top_confused_pairs"] = record["top_confused_pairs"][:1]
    record["test_errors"] = 2
    assert "2 read as 1 (2×); this accounts for 100% of all errors" in report.describe_findings(record)


def test_accuracy_floor_applies_to_the_canonical_mnist_only():
    assert report.accuracy_floor(smoke=False, canonical=True) == 0.98
    assert report.accuracy_floor(smoke=True, canonical=True) == 0.85
    assert report.accuracy_floor(smoke=False, canonical=False) is None


def test_run_artifacts_are_the_named_model_its_record_and_its_history(tiny_model, tmp_path):
    record = make_record()
    paths = run_files.save_run_artifacts(tiny_model[0], record, {"loss": [0.3, 0.2]}, tmp_path, model_name="notebook")
    assert [path.name for path in paths] == [
        "notebook.keras", "notebook.onnx", "notebook.onnx.verification.json", "metrics.json", "history.csv",
    ]  # fmt: skip
    verification = json.loads((tmp_path / "notebook.onnx.verification.json").read_text())
    assert verification["keras_model"] == str(
        (tmp_path / "notebook.keras").resolve()
    )  # where it lies, not its temporary name
    assert verification["same_answers"] is True
    assert report.read_metrics_record(tmp_path) == record
    assert (tmp_path / "history.csv").read_text().splitlines() == ["epoch,loss", "1,0.3", "2,0.2"]


def test_on_a_backend_that_cannot_write_onnx_the_other_artifacts_are_still_written(tiny_model, tmp_path, monkeypatch):
    import keras

    monkeypatch.setattr(keras.backend, "backend", lambda: "jax")
    paths = run_files.save_run_artifacts(tiny_model[0], make_record(), {"loss": [0.3]}, tmp_path, model_name="notebook")
    assert [path.name for path in paths] == ["notebook.keras", "metrics.json", "history.csv"]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["history.csv", "metrics.json", "notebook.keras"]
