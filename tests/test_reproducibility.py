"""Two seeded smoke trainings, each in a fresh process, give identical metrics; so does the JAX backend's."""

import pytest

from mnist_helpers._support.fresh_process import run_fresh

SMOKE = {"smoke": True, "test_samples": 2000}


def smoke_run(seed=0, backend="tensorflow"):
    """A smoke run (2 epochs on 6,000 images) in a fresh Python process; return its summary."""
    summary = "mnist_helpers.train:summary"
    return run_fresh(summary, {"seed": seed, **SMOKE}, env={"KERAS_BACKEND": backend})


@pytest.mark.slow
def test_same_seed_same_metrics_in_fresh_processes():
    first, second = smoke_run(seed=0), smoke_run(seed=0)
    assert first["backend"] == "tensorflow"
    assert first["test_accuracy"] > 0.85
    assert first["test_accuracy"] == second["test_accuracy"]
    assert first["confusion_matrix"] == second["confusion_matrix"]
    assert first["history"]["val_loss"] == second["history"]["val_loss"]


@pytest.mark.slow
def test_jax_backend_trains_and_helpers_do_not_import_tensorflow():
    metrics = smoke_run(seed=0, backend="jax")
    assert metrics["backend"] == "jax"
    assert metrics["test_accuracy"] > 0.85
    assert sum(map(sum, metrics["confusion_matrix"])) == 2000
    assert not metrics["helpers_imported_tensorflow"]
