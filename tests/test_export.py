"""``python -m mnist_helpers export``: each format written, checked and recorded; every kind of failure is one line,
exit status 2 (1 for an export that does not reproduce its model), and nothing written."""

import json
import os
import subprocess
import sys
from dataclasses import replace

import keras
import numpy as np
import pytest

from mnist_helpers.__main__ import main
from mnist_helpers._support.artifacts import save_model
from mnist_helpers.config import PROJECT_ROOT
from mnist_helpers.data import flatten_and_scale
from mnist_helpers.export import formats as export_formats
from mnist_helpers.export.formats import FORMATS
from mnist_helpers.export.verification import TOLERANCE, verification_file

FORMAT_NAMES = list(FORMATS)


@pytest.fixture(scope="module")
def tiny_keras(tiny_model, tmp_path_factory):
    """The tiny model saved alone in a folder of its own, as ``tiny.keras``."""
    return save_model(tiny_model[0], tmp_path_factory.mktemp("export-source") / "tiny.keras")


def export(*arguments) -> int:
    return main(["export", *map(str, arguments)])


def contents(folder) -> list:
    """Every name in ``folder``, hidden temporaries included, sorted."""
    return sorted(path.name for path in folder.iterdir()) if folder.exists() else []


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_each_format_is_written_verified_and_recorded(tiny_model, tiny_keras, mnist_test, tmp_path, capsys, name):
    export_format = FORMATS[name]
    assert export("--model", tiny_keras, "--formats", name, "--output", tmp_path) == 0
    target = export_format.locate(tmp_path, "tiny")
    out, err = capsys.readouterr()
    assert err == "" and out.startswith(f"wrote {target} ({name}, run by {export_format.runtime}): against ")
    assert contents(tmp_path) == sorted([target.name, verification_file(target).name])
    record = json.loads(verification_file(target).read_text())
    assert record["format"] == name and record["file"] == target.name and record["keras_model"] == str(tiny_keras)
    assert record["digits_compared"] == 10_000 and record["same_answers"] is True
    assert 0 <= record["max_abs_difference"] <= record["tolerance"] == TOLERANCE
    assert {"keras", "numpy", *(distribution for _, distribution in export_format.packages)} <= set(record["versions"])
    # the written file, loaded afresh, answers as the Keras model does
    digits = flatten_and_scale(mnist_test[0][:300])
    expected = tiny_model[0].predict(digits, verbose=0)
    np.testing.assert_allclose(export_format.load(target).predict(digits), expected, atol=TOLERANCE)


def test_default_output_is_beside_the_model_and_a_second_export_replaces_the_first(tiny_keras, capsys):
    folder = tiny_keras.parent
    for _ in range(2):
        assert export("--model", tiny_keras, "--formats", "onnx", "saved_model") == 0
    assert contents(folder) == [
        "tiny.keras", "tiny.onnx", "tiny.onnx.verification.json",
        "tiny_saved_model", "tiny_saved_model.verification.json",
    ]  # fmt: skip
    assert sorted(path.name for path in (folder / "tiny_saved_model").iterdir()) == [
        "assets", "fingerprint.pb", "saved_model.pb", "variables",
    ]  # fmt: skip
    assert len(capsys.readouterr().out.splitlines()) == 4


def test_as_a_process_it_runs_keras_on_tensorflow_whatever_keras_backend_says_and_stays_quiet(tiny_keras, tmp_path):
    command = [sys.executable, "-m", "mnist_helpers", "export", "--model", str(tiny_keras), "--output", str(tmp_path)]
    env = {key: value for key, value in os.environ.items() if key != "TF_CPP_MIN_LOG_LEVEL"}
    env.update(KERAS_BACKEND="jax", TF_ENABLE_ONEDNN_OPTS="1", PYTHONPATH=str(PROJECT_ROOT))
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True)
    assert (done.returncode, done.stderr) == (0, "")
    assert done.stdout.startswith(f"wrote {tmp_path / 'tiny.onnx'} (onnx, run by ONNX Runtime): against {tiny_keras}")
    assert contents(tmp_path) == ["tiny.onnx", "tiny.onnx.verification.json"]


# --- bad arguments -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["--formats", "tfjs"], "formats: unknown format 'tfjs' (offered: onnx, saved_model, litert)"),
        (["--model", "{tmp}/tiny.onnx"], "{tmp}/tiny.onnx: export reads a saved Keras model (a .keras file), not"),
        (["--model", "{tmp}/none.keras"], "{tmp}/none.keras: model file not found; pass --model PATH"),
    ],
    ids=["unknown format", "not a .keras file", "missing model"],
)
def test_bad_arguments_are_one_line_exit_2_and_write_nothing(tmp_path, capsys, arguments, message):
    (tmp_path / "tiny.onnx").write_bytes(b"")
    arguments = [argument.replace("{tmp}", str(tmp_path)) for argument in arguments]
    assert export(*arguments, "--output", tmp_path / "out") == 2
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(message.replace("{tmp}", str(tmp_path))) and len(err.splitlines()) == 1
    assert contents(tmp_path) == ["tiny.onnx"]


def test_a_format_whose_package_is_missing_is_refused(tiny_keras, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(export_formats, "find_spec", lambda module: None)
    assert export("--model", tiny_keras, "--formats", "litert", "--output", tmp_path / "out") == 2
    assert capsys.readouterr().err == "formats: litert needs ai-edge-litert: pip install ai-edge-litert\n"
    assert contents(tmp_path) == []


def test_model_and_shipped_exclude_each_other(tiny_keras):
    with pytest.raises(SystemExit) as caught:
        export("--model", tiny_keras, "--shipped")
    assert caught.value.code == 2


# --- a model that is not an MNIST classifier ---------------------------------------------------------------


def not_a_classifier(kind, folder):
    """A saved model that takes other inputs, or gives ten scores that are not probabilities."""
    inputs, activation = (100, "softmax") if kind == "other inputs" else (784, None)
    model = keras.Sequential([keras.Input((inputs,)), keras.layers.Dense(10, activation=activation)])
    return save_model(model, folder / "model.keras")


@pytest.mark.parametrize("name", FORMAT_NAMES)
@pytest.mark.parametrize(
    "kind, message",
    [
        ("other inputs", "expected a model from 784 pixels to 10 digits, got (100,) -> (10,)"),
        ("scores, not probabilities", "outputs are not probabilities (negative values"),
    ],
)
def test_a_model_that_is_not_an_mnist_classifier_is_refused(tmp_path, capsys, name, kind, message):
    path = not_a_classifier(kind, tmp_path)
    assert export("--model", path, "--formats", name, "--output", tmp_path / "out") == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{path}: {message}") and len(err.splitlines()) == 1
    assert contents(tmp_path) == ["model.keras"]


# --- an unwritable output ----------------------------------------------------------------------------------


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_an_output_that_is_a_file_or_inside_one_is_refused(tiny_keras, tmp_path, capsys, name):
    blocker = tmp_path / "a_file"
    blocker.write_text("")
    assert export("--model", tiny_keras, "--formats", name, "--output", blocker) == 2
    err = capsys.readouterr().err
    assert err == f"{blocker}: exists and is not a folder (--output names the folder to write into)\n"
    assert export("--model", tiny_keras, "--formats", name, "--output", blocker / "inside") == 2
    err = capsys.readouterr().err
    assert err == f"{blocker / 'inside'}: {blocker} is a file, not a folder\n"
    assert contents(tmp_path) == ["a_file"]


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_a_failure_while_writing_leaves_nothing_half_written(tiny_keras, tmp_path, capsys, monkeypatch, name):
    def write_half_then_fail(self, model, path):
        (path / "half" if self.is_folder else path).write_bytes(b"half an export")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(export_formats.ExportFormat, "write", write_half_then_fail)
    assert export("--model", tiny_keras, "--formats", name, "--output", tmp_path) == 2
    target = FORMATS[name].locate(tmp_path, "tiny")
    assert capsys.readouterr().err == f"{target}: cannot write (No space left on device)\n"
    assert contents(tmp_path) == []


# --- an export that does not reproduce its model -----------------------------------------------------------


@pytest.mark.parametrize("name", FORMAT_NAMES)
def test_an_export_that_does_not_reproduce_the_model_is_not_kept(tiny_keras, tmp_path, capsys, monkeypatch, name):
    export_format = FORMATS[name]

    class Perturbed:
        def __init__(self, path):
            self.runner = export_format.load(path)

        def predict(self, inputs):
            probabilities = self.runner.predict(inputs)
            return probabilities + np.where(np.arange(10) == 0, 1e-4, 0)  # off by 1e-4 on digit 0

    monkeypatch.setitem(FORMATS, name, replace(export_format, load=Perturbed))
    assert export("--model", tiny_keras, "--formats", name, "--output", tmp_path) == 1
    target = export_format.locate(tmp_path, "tiny")
    err = capsys.readouterr().err
    assert err.startswith(f"{target}: not written: the {name} export does not reproduce {tiny_keras} (largest ")
    assert f"tolerance {TOLERANCE:g})" in err and len(err.splitlines()) == 1
    assert contents(tmp_path) == []
