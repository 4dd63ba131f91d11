"""The committed runs: the notebook's (outputs/), one full run, and the robust model's (models/robust/), a committee
of full runs. Each metrics.json agrees with its saved model, recomputed here."""

import csv
from collections import Counter

import keras
import numpy as np
import pytest
from PIL import Image

from mnist_helpers import data, plots
from mnist_helpers.committee import shift_reach_of
from mnist_helpers.config import MODEL_FOLDERS, OUTPUTS_DIR, shipped_model
from mnist_helpers.evaluate import evaluate
from mnist_helpers.recipe import AUGMENTED_RECIPE, BASELINE_RECIPE
from mnist_helpers.report import HISTORY_FILE, read_metrics_record

MADE_BY = {  # each shipped model's recipe (of each member, for a committee), and the accuracy it must reach
    "notebook": (BASELINE_RECIPE, 0.98),
    "robust": (AUGMENTED_RECIPE, 0.992),
}


@pytest.mark.parametrize("role", MODEL_FOLDERS)
def test_committed_run_is_a_full_run_of_its_recipe(role):
    """One full run, or a committee of full runs (``members``: the robust model), each of the recipe."""
    recipe, floor = MADE_BY[role]
    record = read_metrics_record(MODEL_FOLDERS[role])
    assert record["mode"] == "full"
    assert record["test_accuracy"] >= floor
    runs = record.get("members", [record])
    for run in runs:
        assert run["mode"] == "full"
        assert (run["fit_samples"], run["validation_samples"]) == (54000, 6000)
        assert run["recipe"] == recipe.as_json()
        assert {"seed", "training_seconds", "versions", "machine"} <= set(run)
    assert len({run["seed"] for run in runs}) == len(runs)
    with open(MODEL_FOLDERS[role] / HISTORY_FILE, newline="") as handle:
        rows = list(csv.DictReader(handle))
    epochs = Counter(row.get("member", "0") for row in rows)  # a committee's history: each member's epochs
    assert [epochs[str(index)] for index in range(len(runs))] == [run["epochs_run"] for run in runs]
    assert sum(epochs.values()) == len(rows)


def test_the_robust_committee_holds_one_network_per_recorded_member_and_its_recorded_shifts():
    model = keras.saving.load_model(shipped_model("robust"), safe_mode=True)
    record = read_metrics_record(MODEL_FOLDERS["robust"])
    members = [layer for layer in model.layers if layer.name.startswith("member_")]
    assert len(members) == len(record["members"]) == 3
    assert shift_reach_of(model) == record["shift_reach"] == 1  # chosen by benchmarks/shift_averaging.py


@pytest.mark.parametrize("name", plots.FIGURES)
def test_committed_figure_is_a_150_dpi_png(name):
    with Image.open(OUTPUTS_DIR / plots.FIGURES[name].file) as image:
        assert image.format == "PNG"
        assert image.info["dpi"] == pytest.approx((150, 150), abs=0.05)


@pytest.mark.parametrize("role", MODEL_FOLDERS)
def test_metrics_json_matches_a_recomputation_from_the_saved_model(role, mnist_test):
    record = read_metrics_record(MODEL_FOLDERS[role])
    model = keras.saving.load_model(shipped_model(role), safe_mode=True)
    x_test, y_test = mnist_test
    result = evaluate(model, data.flatten_and_scale(x_test), y_test)
    np.testing.assert_array_equal(result.confusion_matrix, record["confusion_matrix"])
    assert result.accuracy == pytest.approx(record["test_accuracy"], abs=1e-6)
    assert result.loss == pytest.approx(record["test_loss"], rel=1e-4)
    assert result.calibration_error == pytest.approx(record["expected_calibration_error"], abs=1e-5)
