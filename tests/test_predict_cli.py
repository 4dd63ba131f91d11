"""Safe model loading, batch classification and the ``python -m mnist_helpers predict`` command line."""

import json
import os
import re
import subprocess
import sys
import zipfile

import keras
import numpy as np
import pytest
from PIL import Image

from mnist_helpers import predict
from mnist_helpers.__main__ import main
from mnist_helpers.artifacts import save_model
from mnist_helpers.config import PROJECT_ROOT
from mnist_helpers.data import flatten_and_scale, load_mnist, one_hot
from mnist_helpers.model import build_model
from mnist_helpers.recipe import Recipe
from mnist_helpers.training import train_model

EXAMPLES = sorted((PROJECT_ROOT / "examples").glob("*.[pj][np]g"))
LINE = re.compile(r"^(?P<path>.+): (?P<digit>\d) \((?P<conf>[\d.]+)%\)  top 3: (\d [\d.]+%, ){2}\d [\d.]+%$")


@pytest.fixture(scope="module")
def mnist():
    return load_mnist()


@pytest.fixture(scope="module")
def tiny_model(mnist, tmp_path_factory):
    """A small MLP trained for a few seconds on 6,000 digits, and the file it was saved to."""
    (x_train, y_train), _ = mnist
    keras.utils.set_random_seed(0)
    recipe = Recipe(hidden_layers=(64,), dropout_rates=(), epochs=3)
    model = build_model(recipe)
    train_model(model, flatten_and_scale(x_train[:6000]), one_hot(y_train[:6000]), recipe, verbose=0)
    return model, save_model(model, tmp_path_factory.mktemp("model") / "tiny.keras")


@pytest.fixture(scope="module")
def model_file(tiny_model):
    """The notebook's saved model when it exists, else the tiny one."""
    saved = predict.default_model_path()
    return saved if saved.is_file() else tiny_model[1]


def expected_digit(path):
    """The digit an example shows, from its name: mnist_test_0000_digit7.png, drawn_7_thin_pen.png."""
    return int(re.search(r"(?:digit|drawn_)(\d)", path.name).group(1))


# --- loading the model --------------------------------------------------------------------------------


def test_saved_model_reloads_safely_without_retraining(tiny_model, mnist):
    model, path = tiny_model
    _, (x_test, _) = mnist
    reloaded = predict.load_classifier(path)
    sample = flatten_and_scale(x_test[:200])
    np.testing.assert_allclose(reloaded.predict(sample, verbose=0), model.predict(sample, verbose=0), atol=1e-6)


def test_the_default_model_is_the_one_the_notebook_saves():
    assert predict.default_model_path() == PROJECT_ROOT / "outputs" / "mnist_mlp.keras"


def test_missing_model_says_how_to_train_one(tmp_path):
    path = tmp_path / "none.keras"
    with pytest.raises(predict.ModelFileError) as caught:
        predict.load_classifier(path)
    assert str(caught.value).startswith(f"{path}: model file not found; train one by running the notebook")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("garbage.keras", b"not a zip at all", "not a readable .keras archive (corrupt or truncated?)"),
        ("model.txt", b"hello", "not a Keras model file (expected a .keras file)"),
        ("empty.keras", b"", "not a readable .keras archive (corrupt or truncated?)"),
    ],
)
def test_unreadable_model_file_is_one_line(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(predict.ModelFileError) as caught:
        predict.load_classifier(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {reason}; train one by running the notebook")
    assert "\n" not in message


def test_truncated_and_wrong_archives_are_refused(tiny_model, tmp_path):
    truncated, wrong = tmp_path / "cut.keras", tmp_path / "other.keras"
    truncated.write_bytes(tiny_model[1].read_bytes()[:5000])
    with zipfile.ZipFile(wrong, "w") as archive:
        archive.writestr("notes.txt", "a zip file, but not a model")
    with pytest.raises(predict.ModelFileError, match="not a readable .keras archive"):
        predict.load_classifier(truncated)
    with pytest.raises(predict.ModelFileError, match=r"not a loadable Keras model \(.*config\.json"):
        predict.load_classifier(wrong)


def test_a_model_with_python_code_is_refused_by_safe_mode(tmp_path):
    model = keras.Sequential([keras.Input((784,)), keras.layers.Lambda(lambda x: x * 2), keras.layers.Dense(10)])
    path = save_model(model, tmp_path / "lambda.keras")
    with pytest.raises(predict.ModelFileError, match="safe mode forbids"):
        predict.load_classifier(path)


def test_a_model_for_other_inputs_is_refused(tmp_path):
    model = keras.Sequential([keras.Input((100,)), keras.layers.Dense(10, activation="softmax")])
    path = save_model(model, tmp_path / "other.keras")
    with pytest.raises(predict.ModelFileError, match=r"expected a model from 784 pixels to 10 digits, got \(100,\)"):
        predict.load_classifier(path)


# --- classifying a batch --------------------------------------------------------------------------------


def test_a_batch_with_bad_files_still_classifies_the_others(tiny_model, tmp_path):
    blank, text = tmp_path / "blank.png", tmp_path / "notes.jpg"
    Image.new("L", (64, 64), 255).save(blank)
    text.write_text("not an image")
    sources = [EXAMPLES[0], blank, EXAMPLES[1], text, tmp_path / "missing.png"]
    results = predict.classify_images(tiny_model[0], sources)
    assert [type(result).__name__ for result in results] == [
        "DigitPrediction", "FailedImage", "DigitPrediction", "FailedImage", "FailedImage",
    ]  # fmt: skip
    assert results[1].message == f"{blank}: no ink found (blank image?)"
    assert results[4].message == f"{tmp_path / 'missing.png'}: no such file"
    assert results[0].source == str(EXAMPLES[0])
    np.testing.assert_allclose(results[0].probabilities.sum(), 1.0, atol=1e-5)


def test_a_batch_of_only_bad_files_gives_only_failures(tiny_model, tmp_path):
    results = predict.classify_images(tiny_model[0], [tmp_path / "a.png", tmp_path / "b.png"])
    assert all(isinstance(result, predict.FailedImage) for result in results)


def test_in_memory_images_are_named_as_such(tiny_model):
    results = predict.classify_images(tiny_model[0], [np.full((30, 30), 255, dtype=np.uint8), Image.open(EXAMPLES[0])])
    assert results[0].message == "<array>: no ink found (blank image?)"
    assert results[1].source == str(EXAMPLES[0])


def test_examples_are_classified_correctly_by_the_saved_model():
    if not predict.default_model_path().is_file():
        pytest.skip("outputs/mnist_mlp.keras is missing: run the notebook to train and save the model")
    results = predict.classify_images(predict.load_classifier(), EXAMPLES)
    assert {path.name: result.digit for path, result in zip(EXAMPLES, results)} == {
        path.name: expected_digit(path) for path in EXAMPLES
    }


def test_prediction_line_and_record_formats():
    probabilities = np.array([0.0, 0.001, 0.05, 0.0, 0.0, 0.0, 0.0, 0.949, 0.0, 0.0])
    prediction = predict.DigitPrediction("my 7.png", probabilities)
    assert predict.format_prediction(prediction) == "my 7.png: 7 (94.9%)  top 3: 7 94.9%, 2 5.0%, 1 0.1%"
    assert predict.prediction_record(prediction) == {
        "path": "my 7.png",
        "digit": 7,
        "confidence": 0.949,
        "top": [
            {"digit": 7, "probability": 0.949},
            {"digit": 2, "probability": 0.05},
            {"digit": 1, "probability": 0.001},
        ],
    }
    assert predict.prediction_record(predict.FailedImage("x.png", "x.png: no such file")) == {
        "path": "x.png",
        "error": "x.png: no such file",
    }


# --- the command line ----------------------------------------------------------------------------------


def test_cli_prints_one_line_per_image_and_exits_0(model_file, capsys):
    status = main(["predict", *map(str, EXAMPLES), "--model", str(model_file)])
    out, err = capsys.readouterr()
    assert status == 0 and err == ""
    lines = out.splitlines()
    assert [LINE.match(line)["path"] for line in lines] == [str(path) for path in EXAMPLES]


def test_cli_reports_each_bad_file_and_exits_1(model_file, tmp_path, capsys):
    empty = tmp_path / "empty.png"
    empty.write_bytes(b"")
    status = main(["predict", str(EXAMPLES[0]), str(empty), str(EXAMPLES[1]), "--model", str(model_file)])
    out, err = capsys.readouterr()
    assert status == 1
    assert err == f"{empty}: empty file (0 bytes)\n"
    assert len(out.splitlines()) == 2 and all(LINE.match(line) for line in out.splitlines())


def test_cli_json_lines_include_failures(model_file, tmp_path, capsys):
    missing = tmp_path / "missing.png"
    status = main(["predict", str(EXAMPLES[0]), str(missing), "--model", str(model_file), "--json"])
    out, err = capsys.readouterr()
    records = [json.loads(line) for line in out.splitlines()]
    assert status == 1 and err == f"{missing}: no such file\n"
    assert records[0]["path"] == str(EXAMPLES[0]) and len(records[0]["top"]) == 3
    assert records[0]["digit"] == records[0]["top"][0]["digit"]
    assert records[1] == {"path": str(missing), "error": f"{missing}: no such file"}


def test_cli_without_a_model_exits_2_with_the_hint(tmp_path, capsys):
    status = main(["predict", str(EXAMPLES[0]), "--model", str(tmp_path / "none.keras")])
    out, err = capsys.readouterr()
    assert status == 2 and out == ""
    assert err.startswith(f"{tmp_path / 'none.keras'}: model file not found; train one by running the notebook")
    assert len(err.splitlines()) == 1


def test_cli_usage_errors_exit_2(capsys):
    for argv in ([], ["predict"], ["predict", "x.png", "--unknown"]):
        with pytest.raises(SystemExit) as caught:
            main(argv)
        assert caught.value.code == 2
    assert "usage: python -m mnist_helpers" in capsys.readouterr().err


def test_cli_as_a_process_prints_no_traceback_or_tensorflow_noise(model_file, tmp_path):
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    env = {key: value for key, value in os.environ.items() if key != "TF_CPP_MIN_LOG_LEVEL"}
    env["TF_ENABLE_ONEDNN_OPTS"] = "1"  # oneDNN's start-up lines appear on any x86 CPU, as on AVX-512 ones by default
    done = subprocess.run(
        [sys.executable, "-m", "mnist_helpers", "predict", str(EXAMPLES[0]), str(text), "--model", str(model_file)],
        capture_output=True,
        text=True,
        cwd=PROJECT_ROOT,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stderr == f"{text}: not an image file (or a format Pillow cannot read)\n"
    assert LINE.match(done.stdout.strip())
