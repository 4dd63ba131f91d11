"""benchmarks/seed_accuracy.py: a recipe variant by ``--change``, and each seed's model kept by ``--keep``."""

import argparse

import numpy as np
import pytest

from benchmarks import seed_accuracy
from mnist_helpers._support.fresh_process import run_fresh


def test_a_change_is_a_field_and_a_json_value():
    assert seed_accuracy.recipe_change("max_thinning=1.0") == ("max_thinning", 1.0)
    assert seed_accuracy.recipe_change("hidden_layers=[256, 128]") == ("hidden_layers", [256, 128])
    for text in ("max_thinning", "max_thinning=one", "max_thinning="):
        with pytest.raises(argparse.ArgumentTypeError, match="must be JSON"):
            seed_accuracy.recipe_change(text)


@pytest.mark.parametrize(
    ("change", "said"), [("bogus=1", "bogus: not a recipe parameter"), ("max_thinning=3", "max_thinning: must lie")]
)
def test_a_wrong_change_is_refused_before_any_training(capsys, change, said):
    with pytest.raises(SystemExit) as stopped:
        seed_accuracy.main(["--augment", "--smoke", "--change", change])
    assert stopped.value.code == 2
    assert said in capsys.readouterr().err


@pytest.mark.slow
def test_a_kept_model_is_the_model_the_summary_scored(tmp_path):
    import keras

    from mnist_helpers.data import flatten_and_scale, load_mnist

    kept = tmp_path / "seed0.keras"
    summary = run_fresh(
        "mnist_helpers.train:summary",
        {"seed": 0, "augment": True, "smoke": True, "test_samples": 500, "keep": str(kept), "max_thinning": 1.0},
    )
    assert summary["recipe"]["max_thinning"] == 1.0
    _, (x_test, y_test) = load_mnist()
    answers = keras.saving.load_model(kept).predict(flatten_and_scale(x_test[:500]), verbose=0).argmax(axis=1)
    assert np.mean(answers == y_test[:500]) == pytest.approx(summary["test_accuracy"])
