"""benchmarks/gpu_check: what it carries to a GPU machine without Keras, and its CPU path (no GPU here)."""

import json
import os
import subprocess
import sys

import pytest

from benchmarks import gpu_check
from mnist_helpers.config import PROJECT_ROOT


def test_it_carries_keras_and_its_needs_but_not_what_jax_brings():
    carried = gpu_check.carried_distributions()
    assert {"keras", "absl-py", "rich", "namex", "optree", "h5py", "markdown-it-py", "pygments"} <= set(carried)
    assert not {"numpy", "ml-dtypes", "scipy", "tensorflow", "jax"} & set(carried)
    assert carried["keras"] == "3.15.1"  # the pinned, tested version (requirements.txt)


def test_nothing_is_installed_where_keras_is(tmp_path):
    assert gpu_check.keras_environment(tmp_path) == {}


@pytest.mark.slow
def test_the_smoke_check_runs_on_jax_without_tensorflow(tmp_path):
    blocker = tmp_path / "site" / "tensorflow"  # as on the GPU machine: no TensorFlow to import
    blocker.mkdir(parents=True)
    (blocker / "__init__.py").write_text('raise ImportError("no TensorFlow on this machine")\n')
    env = {**os.environ, "PYTHONPATH": str(blocker.parent)}
    command = [sys.executable, "-m", "benchmarks.gpu_check", "--smoke", "--output", str(tmp_path / "check.json")]
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    record = json.loads((tmp_path / "check.json").read_text())
    assert record["smoke"] and record["gpu"] == "CPU" and record["passed"]
    assert record["versions"]["keras_backend"] == "jax" and not record["tensorflow_imported"]
    assert {"seed-gpu", "seed-cpu", "robust-gpu", "robust-cpu"} <= set(record["legs"])
    assert all(leg["device"] == "CPU" for leg in record["legs"].values())
    # without a GPU both runs are one computation on one CPU: the comparison must find no difference
    assert record["comparisons"]["seed"]["difference"] == 0.0
    assert "seed: test_accuracy after 1 epochs: GPU" in done.stdout and "wrote" in done.stdout
