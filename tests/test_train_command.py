"""``python -m mnist_helpers train``: checks first, trains with Keras's log, writes the notebook's artifacts."""

import json
import os
import subprocess
import sys

import pytest

from mnist_helpers.__main__ import main
from mnist_helpers.cli.train import default_output
from mnist_helpers.config import PROJECT_ROOT


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--seed", "-1"], "seed: must be a whole number >= 0 (got -1)"),
        (["--epochs", "0"], "epochs: must be a whole number >= 1 (got 0)"),
        (["--epochs", "many"], "epochs: cannot read 'many' as a value"),
        (["--name", "a/b"], "name: must be a file name without folders, such as robust (got 'a/b')"),
    ],
)
def test_bad_arguments_are_one_line_and_exit_2(arguments, message, capsys, tmp_path):
    assert main(["train", *arguments, "--output", str(tmp_path / "run")]) == 2
    captured = capsys.readouterr()
    assert captured.err == message + "\n" and captured.out == ""
    assert not (tmp_path / "run").exists()


def test_output_that_is_a_file_is_refused_before_training(capsys, tmp_path):
    target = tmp_path / "model.keras"
    target.write_text("")
    assert main(["train", "--output", str(target)]) == 2
    assert capsys.readouterr().err == f"{target}: exists and is not a folder (set MNIST_OUTPUTS to a folder)\n"


def test_default_folder_is_named_by_recipe_and_seed(monkeypatch):
    monkeypatch.delenv("MNIST_OUTPUTS", raising=False)
    monkeypatch.delenv("MNIST_SMOKE", raising=False)
    assert default_output(augment=False, seed=42, smoke=False) == PROJECT_ROOT / "runs" / "baseline-seed42"
    assert default_output(augment=True, seed=0, smoke=False) == PROJECT_ROOT / "runs" / "augmented-seed0"
    assert default_output(augment=True, seed=0, smoke=True) == PROJECT_ROOT / "runs" / "augmented-seed0-smoke"


def test_smoke_is_a_flag_as_well_as_an_environment_variable():
    from mnist_helpers.__main__ import build_parser

    assert build_parser().parse_args(["train", "--smoke"]).smoke is True
    assert build_parser().parse_args(["train"]).smoke is False


@pytest.mark.slow
def test_smoke_training_run_writes_model_metrics_and_history(tmp_path):
    # as a user runs it: no TF_CPP_MIN_LOG_LEVEL (JAX, imported by this test process, sets it to 1), oneDNN on
    env = {key: value for key, value in os.environ.items() if key != "TF_CPP_MIN_LOG_LEVEL"}
    env.update(MNIST_SMOKE="1", TF_ENABLE_ONEDNN_OPTS="1")
    command = [sys.executable, "-m", "mnist_helpers", "train", "--seed", "1", "--output", str(tmp_path)]
    done = subprocess.run(command, capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert "Epoch 1/2" in done.stdout and "Epoch 2/2" in done.stdout  # Keras's progress is visible
    assert sorted(path.name for path in tmp_path.iterdir()) == [
        "baseline.keras", "baseline.onnx", "baseline.onnx.verification.json", "history.csv", "metrics.json",
    ]  # fmt: skip
    record = json.loads((tmp_path / "metrics.json").read_text())
    assert (record["mode"], record["seed"], record["recipe"]["augment"]) == ("smoke", 1, False)
    assert record["fit_samples"] == 5400 and record["test_accuracy"] > 0.85
    assert f"Test accuracy {record['test_accuracy']:.4f}" in done.stdout


def test_bad_mnist_data_is_one_line_and_leaves_no_output_folder(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("MNIST_DATA", str(tmp_path / "nowhere.npz"))
    assert main(["train", "--output", str(tmp_path / "runs" / "run")]) == 2
    assert capsys.readouterr().err == f"{tmp_path / 'nowhere.npz'}: no such file\n"
    assert os.listdir(tmp_path) == []


def test_an_output_folder_holding_other_files_is_refused_before_training(capsys, tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    assert main(["train", "--output", str(tmp_path)]) == 2
    assert capsys.readouterr().err.startswith(f"{tmp_path}: holds files that are not a run's (notes.txt)")
    assert os.listdir(tmp_path) == ["notes.txt"]
