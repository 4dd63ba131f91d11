"""``python -m mnist_helpers committee``: several trained models as one that averages their probabilities."""

import keras
import numpy as np
import pytest

from mnist_helpers.__main__ import main
from mnist_helpers._support.artifacts import save_model
from mnist_helpers.config import MODEL_FOLDERS
from mnist_helpers.data import flatten_and_scale
from mnist_helpers.model_files import load_classifier


@pytest.fixture(scope="module")
def members(tiny_model, tmp_path_factory):
    """The tiny model and a copy whose last bias favours 7: two members that answer differently."""
    model, path = tiny_model
    other = keras.models.clone_model(model)
    weights = model.get_weights()
    weights[-1] = weights[-1] + np.eye(10, dtype=np.float32)[7]
    other.set_weights(weights)
    return [path, save_model(other, tmp_path_factory.mktemp("other") / "other.keras")]


def test_the_committee_answers_with_the_mean_of_its_members_and_exports_to_onnx(members, mnist_test, tmp_path, capsys):
    output = tmp_path / "pair.keras"
    assert main(["committee", *map(str, members), "--output", str(output)]) == 0
    printed = capsys.readouterr().out
    assert printed.count("MNIST test accuracy") == 3 and f"wrote {output}" in printed
    digits = flatten_and_scale(mnist_test[0][:500])
    answers = [load_classifier(path).predict(digits, verbose=0) for path in members]
    assert not np.allclose(answers[0], answers[1], atol=1e-3)
    committee = load_classifier(output)
    np.testing.assert_allclose(committee.predict(digits, verbose=0), np.mean(answers, axis=0), atol=1e-6)
    assert main(["export", "--model", str(output)]) == 0
    exported = load_classifier(output.with_suffix(".onnx"))
    np.testing.assert_allclose(exported.predict(digits), np.mean(answers, axis=0), atol=1e-5)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (lambda m, t: [m[0], "--output", t / "c.keras"], "at least 2 different models"),
        (lambda m, t: [m[0], m[0], "--output", t / "c.keras"], "at least 2 different models"),
        (lambda m, t: [m[0], t / "missing.keras", "--output", t / "c.keras"], "missing.keras"),
        (lambda m, t: [m[0], t / "model.onnx", "--output", t / "c.keras"], "(.keras files)"),
        (lambda m, t: [*m, "--output", t / "c.onnx"], "(.keras files)"),
        (lambda m, t: [*m, "--output", MODEL_FOLDERS["robust"] / "c.keras"], "--replace-shipped"),
    ],
    ids=["one member", "one member twice", "missing member", "onnx member", "onnx output", "shipped folder"],
)
def test_bad_arguments_are_one_line_exit_2_and_write_nothing(members, tmp_path, capsys, arguments, message):
    assert main(["committee", *map(str, arguments(members, tmp_path))]) == 2
    error = capsys.readouterr().err
    assert message in error and len(error.strip().splitlines()) == 1
    assert not any(tmp_path.iterdir())
    assert not (MODEL_FOLDERS["robust"] / "c.keras").exists()
