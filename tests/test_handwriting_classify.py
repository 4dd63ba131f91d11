"""Safe model loading, batch classification and the output formats."""

import re
import time
import zipfile

import keras
import numpy as np
import pytest
from handwriting_pages import EXAMPLES, SAVED_MODEL
from PIL import Image

from mnist_helpers import model_files
from mnist_helpers._support.artifacts import save_model
from mnist_helpers.config import OUTPUTS_ENV_VAR, PROJECT_ROOT
from mnist_helpers.data import flatten_and_scale
from mnist_helpers.own_digits import classify as predict
from mnist_helpers.own_digits.compare import expected_digit

# --- loading the model --------------------------------------------------------------------------------


def test_saved_model_reloads_safely_without_retraining(tiny_model, mnist):
    model, path = tiny_model
    _, (x_test, _) = mnist
    reloaded = model_files.load_classifier(path)
    sample = flatten_and_scale(x_test[:200])
    np.testing.assert_allclose(reloaded.predict(sample, verbose=0), model.predict(sample, verbose=0), atol=1e-6)


def test_the_default_model_is_the_shipped_robust_models_onnx_export(monkeypatch, tmp_path):
    monkeypatch.setenv(OUTPUTS_ENV_VAR, str(tmp_path))  # the notebook's outputs folder does not matter
    assert model_files.default_model_path() == PROJECT_ROOT / "models" / "robust" / "robust.onnx"
    assert model_files.default_model_path().is_file()


def test_missing_model_says_how_to_train_one(tmp_path):
    path = tmp_path / "none.keras"
    with pytest.raises(model_files.ModelFileError) as caught:
        model_files.load_classifier(path)
    assert str(caught.value).startswith(f"{path}: model file not found; pass --model PATH")


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("garbage.keras", b"not a zip at all", "not a readable .keras archive (corrupt or truncated?)"),
        ("model.txt", b"hello", "not a model file (expected a .keras or .onnx file)"),
        ("empty.keras", b"", "empty file (0 bytes)"),
    ],
)
def test_unreadable_model_file_is_one_line(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(model_files.ModelFileError) as caught:
        model_files.load_classifier(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {reason}; pass --model PATH")
    assert "\n" not in message


def test_truncated_and_wrong_archives_are_refused(tiny_model, tmp_path):
    truncated, wrong = tmp_path / "cut.keras", tmp_path / "other.keras"
    truncated.write_bytes(tiny_model[1].read_bytes()[:5000])
    with zipfile.ZipFile(wrong, "w") as archive:
        archive.writestr("notes.txt", "a zip file, but not a model")
    with pytest.raises(model_files.ModelFileError, match="not a readable .keras archive"):
        model_files.load_classifier(truncated)
    with pytest.raises(model_files.ModelFileError, match=r"not a loadable Keras model \(.*config\.json"):
        model_files.load_classifier(wrong)


def test_a_model_with_python_code_is_refused_by_safe_mode(tmp_path):
    model = keras.Sequential([keras.Input((784,)), keras.layers.Lambda(lambda x: x * 2), keras.layers.Dense(10)])
    path = save_model(model, tmp_path / "lambda.keras")
    with pytest.raises(model_files.ModelFileError, match="safe mode forbids"):
        model_files.load_classifier(path)


def test_a_model_for_other_inputs_is_refused(tmp_path):
    model = keras.Sequential([keras.Input((100,)), keras.layers.Dense(10, activation="softmax")])
    path = save_model(model, tmp_path / "other.keras")
    with pytest.raises(
        model_files.ModelFileError, match=r"expected a model from 784 pixels to 10 digits, got \(100,\)"
    ):
        model_files.load_classifier(path)


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
    if not SAVED_MODEL.is_file():
        pytest.skip(f"{SAVED_MODEL} is missing: run the notebook to train and save the model")
    results = predict.classify_images(model_files.load_classifier(SAVED_MODEL), EXAMPLES)
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
        "looks_like_digit": True,
    }
    assert predict.prediction_record(predict.FailedImage("x.png", "x.png: no such file")) == {
        "path": "x.png",
        "error": "x.png: no such file",
    }


# --- a model file that is not a classifier of probabilities ---------------------------------------------


def digit_model(last_activation):
    return keras.Sequential(
        [
            keras.Input((784,)),
            keras.layers.Dense(16, activation="relu"),
            keras.layers.Dense(10, activation=last_activation),
        ]
    )


@pytest.mark.parametrize(
    ("activation", "reason"),
    [
        (None, r"outputs are not probabilities \(negative values, down to -[\d.]+; is the last layer a softmax\?\)"),
        ("relu", r"outputs are not probabilities \(rows sum to [\d.]+, not 1; is the last layer a softmax\?\)"),
        ("sigmoid", r"outputs are not probabilities \(rows sum to [\d.]+, not 1; is the last layer a softmax\?\)"),
    ],
)
def test_a_model_whose_outputs_are_not_probabilities_is_refused(activation, reason, tmp_path):
    keras.utils.set_random_seed(1)
    path = save_model(digit_model(activation), tmp_path / "head.keras")
    with pytest.raises(model_files.ModelFileError, match=f"^{path}: {reason}$"):
        model_files.load_classifier(path)


def test_the_probability_check_takes_answers_so_any_model_kind_can_use_it():
    model_files.check_probabilities(np.full((3, 10), 0.1), "m.onnx")
    with pytest.raises(model_files.ModelFileError, match=r"^m\.onnx: outputs are not probabilities \(NaN or infinite"):
        model_files.check_probabilities(np.full((3, 10), np.nan), "m.onnx")
    with pytest.raises(model_files.ModelFileError, match=r"rows sum to 4\.58, not 1"):
        model_files.check_probabilities(np.vstack([np.full(10, 0.1), np.full(10, 0.458)]), "m.onnx")


def test_a_model_that_was_never_built_is_one_line(tmp_path):
    path = save_model(keras.Sequential([keras.layers.Dense(10, activation="softmax")]), tmp_path / "unbuilt.keras")
    with pytest.raises(model_files.ModelFileError) as caught:
        model_files.load_classifier(path)
    assert str(caught.value) == (
        f"{path}: the model was never built (it has no input shape); build or train it before saving"
    )


def test_a_zip_bomb_model_is_refused_from_its_directory_in_milliseconds(tmp_path):
    path = tmp_path / "bomb.keras"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("config.json", "{}")
        with archive.open("model.weights.h5", "w", force_zip64=True) as entry:
            for _ in range(210):
                entry.write(bytes(1 << 20))  # 210 MiB of zeros, about 200 kB packed
    started = time.perf_counter()
    with pytest.raises(model_files.ModelFileError) as caught:
        model_files.load_classifier(path)
    assert time.perf_counter() - started < 1
    assert str(caught.value).startswith(
        f"{path}: unpacks to 220,200,962 bytes; the limit is 200,000,000 (a zip bomb?); pass --model PATH"
    )


def test_an_hdf5_model_is_loaded_and_its_unpacked_size_bounded(tiny_model, tmp_path, monkeypatch):
    path = tmp_path / "tiny.h5"
    tiny_model[0].save(path)
    assert model_files.load_classifier(path).output_shape == (None, 10)
    monkeypatch.setattr(model_files, "MAX_MODEL_BYTES", 10_000)
    with open(path, "rb") as handle:
        assert re.fullmatch(
            r"its weights unpack to [\d,]+ bytes; the limit is 10,000", model_files.archive_problem(handle, ".h5")
        )


def test_confidences_of_a_loaded_model_lie_between_0_and_100_percent(tiny_model):
    model = model_files.load_classifier(tiny_model[1])
    noise = np.random.default_rng(3).random((50, 28, 28)).astype("float32")
    probabilities = model_files.classify_digits(model, noise)
    assert probabilities.min() >= 0 and probabilities.max() <= 1
    np.testing.assert_allclose(probabilities.sum(axis=1), 1, atol=1e-5)
