"""``python -m mnist_helpers committee``: several trained models as one that averages their probabilities."""

from pathlib import Path

import keras
import numpy as np
import pytest

from mnist_helpers import committee
from mnist_helpers.__main__ import main
from mnist_helpers._support.artifacts import save_history_csv, save_model, write_json
from mnist_helpers.config import DETECTOR_FILE, MODEL_FOLDERS
from mnist_helpers.data import flatten_and_scale
from mnist_helpers.evaluate import evaluate
from mnist_helpers.model_files import load_classifier
from mnist_helpers.report import read_metrics_record


@pytest.fixture(scope="module")
def members(tiny_model, tmp_path_factory):
    """The tiny model, a copy whose last bias favours 7 (two members that answer differently), and a classifier that
    takes 28x28 digits rather than 784 pixels."""
    model, path = tiny_model
    folder = tmp_path_factory.mktemp("members")
    other = keras.models.clone_model(model)
    weights = model.get_weights()
    weights[-1] = weights[-1] + np.eye(10, dtype=np.float32)[7]
    other.set_weights(weights)
    square_input = keras.Input((28, 28))
    square = keras.Model(square_input, keras.layers.Dense(10, "softmax")(keras.layers.Flatten()(square_input)))
    return [path, save_model(other, folder / "other.keras"), save_model(square, folder / "square.keras")]


def test_the_committee_answers_with_the_mean_of_its_members_and_exports_to_onnx(members, mnist_test, tmp_path, capsys):
    output = tmp_path / "my pair.keras"  # a name that is no Keras scope name
    assert main(["committee", *map(str, members[:2]), "--output", str(output)]) == 0
    printed = capsys.readouterr().out
    assert printed.count("MNIST test accuracy") == 3 and f"wrote {output}" in printed
    digits = flatten_and_scale(mnist_test[0][:500])
    answers = [load_classifier(path).predict(digits, verbose=0) for path in members[:2]]
    assert not np.allclose(answers[0], answers[1], atol=1e-3)
    committee = load_classifier(output)
    np.testing.assert_allclose(committee.predict(digits, verbose=0), np.mean(answers, axis=0), atol=1e-6)
    assert main(["export", "--model", str(output)]) == 0
    exported = load_classifier(output.with_suffix(".onnx"))
    np.testing.assert_allclose(exported.predict(digits), np.mean(answers, axis=0), atol=1e-5)


def _moved(digits, down, right):
    """28x28 digits moved ``down`` and ``right`` pixels, blank paper coming in (numpy, as the reference)."""
    reach = max(abs(down), abs(right))
    padded = np.pad(digits, ((0, 0), (reach, reach), (reach, reach)))
    return padded[:, reach - down : reach - down + 28, reach - right : reach - right + 28]


@pytest.mark.parametrize("reach", [1, 2])
@pytest.mark.parametrize("member", [0, 2], ids=["784 pixels", "28x28 digits"])
def test_a_shifted_reading_is_the_mean_over_every_move_of_up_to_reach_pixels(members, mnist_test, reach, member):
    model = load_classifier(members[member])
    digits = mnist_test[0][:200] / np.float32(255)
    moves = [(down, right) for down in range(-reach, reach + 1) for right in range(-reach, reach + 1)]
    expected = np.mean(
        [
            model.predict(_moved(digits, *move).reshape(len(digits), *model.input_shape[1:]), verbose=0)
            for move in moves
        ],
        axis=0,
    )
    shifted = committee.committee_of([model], shift_reach=reach)
    np.testing.assert_allclose(
        shifted.predict(digits.reshape(len(digits), *model.input_shape[1:]), verbose=0), expected, atol=1e-6
    )
    assert committee.shift_reach_of(shifted) == reach and committee.shift_reach_of(model) == 0
    # the views do move the digit: their mean is not the reading as is
    assert not np.allclose(expected, model.predict(digits.reshape(len(digits), *model.input_shape[1:]), verbose=0))


@pytest.mark.parametrize("reach", ["3", "-1", "1.5"])
def test_a_shift_reach_out_of_range_is_refused_and_nothing_written(members, tmp_path, capsys, reach):
    output = tmp_path / "c.keras"
    with pytest.raises(SystemExit) as stop:
        main(["committee", *map(str, members[:2]), "--shift-reach", reach, "--output", str(output)])
    assert stop.value.code == 2 and "--shift-reach" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


@pytest.mark.parametrize("reach", [3, -1, 1.5, True])
def test_committee_of_refuses_a_reach_that_is_not_0_to_the_maximum(members, reach):
    with pytest.raises(ValueError, match="shift_reach"):
        committee.committee_of([load_classifier(members[0])], shift_reach=reach)


def test_a_shifted_committee_is_saved_exported_and_recorded_with_its_reach(members, mnist_test, tmp_path, capsys):
    output = tmp_path / "shifted.keras"
    assert main(["committee", *map(str, members[:2]), "--shift-reach", "1", "--output", str(output)]) == 0
    digits = flatten_and_scale(mnist_test[0][:300])
    saved = load_classifier(output)
    assert committee.shift_reach_of(saved) == 1
    plain = committee.committee_of([load_classifier(path) for path in members[:2]])
    assert not np.allclose(saved.predict(digits, verbose=0), plain.predict(digits, verbose=0), atol=1e-4)
    assert main(["export", "--model", str(output)]) == 0
    exported = load_classifier(output.with_suffix(".onnx"))
    np.testing.assert_allclose(exported.predict(digits), saved.predict(digits, verbose=0), atol=1e-5)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (lambda m, t: [m[0], "--output", t / "c.keras"], "at least 2 models"),
        (
            lambda m, t: [m[0], m[0].parent / ".." / m[0].parent.name / m[0].name, "--output", t / "c.keras"],
            "named twice",
        ),
        (lambda m, t: [m[0], t / "missing.keras", "--output", t / "c.keras"], "missing.keras"),
        (lambda m, t: [m[0], t / "model.onnx", "--output", t / "c.keras"], "(.keras files)"),
        (lambda m, t: [*m[:2], "--output", t / "c.onnx"], "(.keras files)"),
        (lambda m, t: [*m[:2], "--output", MODEL_FOLDERS["robust"] / "c.keras"], "pass --replace-shipped"),
        (
            lambda m, t: [*m[:2], "--output", MODEL_FOLDERS["robust"] / "c.keras", "--replace-shipped"],
            "the only shipped model a committee replaces is the robust one",
        ),
        (
            lambda m, t: [*m[:2], "--output", MODEL_FOLDERS["notebook"] / "notebook.keras", "--replace-shipped"],
            "the only shipped model a committee replaces is the robust one",
        ),
        (
            lambda m, t: [*m[:2], "--output", DETECTOR_FILE.with_suffix(".keras"), "--replace-shipped"],
            "the only shipped model a committee replaces is the robust one",
        ),
        (lambda m, t: [*m[:2], "--output", m[1]], "is one of the members"),
        (lambda m, t: [*m[:2], "--output", t / "missing" / ".." / "c.keras"], "missing"),
        (lambda m, t: [m[0], m[2], "--output", t / "c.keras"], "takes inputs of shape (28, 28)"),
    ],
    ids=[
        "one member",
        "a member twice",
        "missing member",
        "onnx member",
        "onnx output",
        "shipped folder",
        "shipped folder, another name",
        "the notebook's run",
        "the detector",
        "member",
        "dot-dot after a missing folder",
        "other input shape",
    ],  # fmt: skip
)
def test_bad_arguments_are_one_line_exit_2_and_write_nothing(members, tmp_path, capsys, arguments, message):
    assert main(["committee", *map(str, arguments(members, tmp_path))]) == 2
    error = capsys.readouterr().err
    assert message in error and len(error.strip().splitlines()) == 1
    assert not any(tmp_path.iterdir())
    assert not (MODEL_FOLDERS["robust"] / "c.keras").exists()


def test_nothing_is_written_when_mnist_cannot_be_read(members, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("MNIST_DATA", str(tmp_path / "none.npz"))
    assert main(["committee", *map(str, members[:2]), "--output", str(tmp_path / "c.keras")]) == 2
    assert "none.npz" in capsys.readouterr().err
    assert not any(tmp_path.iterdir())


def _accuracy(path, mnist_test):
    x_test, y_test = mnist_test
    return (load_classifier(path).predict(flatten_and_scale(x_test), verbose=0).argmax(axis=1) == y_test).mean()


def _as_run(path, accuracy, seed, folder):
    """``path``'s model saved as a run in ``folder``: beside it a metrics.json recording ``accuracy``, and a history."""
    folder.mkdir()
    model = folder / path.name
    model.write_bytes(path.read_bytes())
    fields = dict.fromkeys(committee.MEMBER_FIELDS, "as trained")
    write_json({**fields, "mode": "full", "seed": seed, "test_accuracy": accuracy}, folder / "metrics.json")
    save_history_csv({"loss": [0.5, 0.25 + seed], "val_accuracy": [0.9, 0.95]}, folder / "history.csv")
    return model


def _change_record(folder, **changes):
    """Rewrite the member's metrics.json with ``changes`` (a field set to None is taken out)."""
    record = {**read_metrics_record(folder), **changes}
    write_json({field: value for field, value in record.items() if value is not None}, folder / "metrics.json")


@pytest.fixture
def shipped_folder(tmp_path, monkeypatch):
    """A stand-in for models/robust (the real one is never written by a test), holding an old run."""
    folder = tmp_path / "robust"
    folder.mkdir()
    for name in ["robust.keras", "metrics.json", "history.csv"]:
        (folder / name).write_text("the old run")
    monkeypatch.setitem(MODEL_FOLDERS, "robust", folder)
    return folder


def test_replace_shipped_writes_the_committee_s_whole_run_with_its_members_records(
    members, shipped_folder, mnist_test, monkeypatch
):
    x_test, y_test = mnist_test
    monkeypatch.chdir(shipped_folder.parent)  # the shipped model named as the docs name it, from where one stands
    accuracies = [_accuracy(path, mnist_test) for path in members[:2]]
    runs = [_as_run(path, accuracy, seed, shipped_folder.parent / f"seed{seed}")
            for seed, (path, accuracy) in enumerate(zip(members, accuracies))]  # fmt: skip
    output = Path(shipped_folder.name) / "robust.keras"
    assert main(["committee", *map(str, runs), "--output", str(output), "--replace-shipped", "--shift-reach", "1"]) == 0
    assert sorted(path.name for path in shipped_folder.iterdir()) == [
        "history.csv", "metrics.json", "robust.keras", "robust.onnx", "robust.onnx.verification.json",
    ]  # fmt: skip
    record = read_metrics_record(shipped_folder)
    assert [member["seed"] for member in record["members"]] == [0, 1] and record["mode"] == "full"
    assert record["shift_reach"] == committee.shift_reach_of(load_classifier(output)) == 1
    assert [member["test_accuracy"] for member in record["members"]] == accuracies
    result = evaluate(load_classifier(output), flatten_and_scale(x_test), y_test)
    assert record["test_accuracy"] == result.accuracy
    assert (shipped_folder / "history.csv").read_text().splitlines() == [
        "member,epoch,loss,val_accuracy", "0,1,0.5,0.9", "0,2,0.25,0.95", "1,1,0.5,0.9", "1,2,1.25,0.95",
    ]  # fmt: skip


def test_members_whose_histories_record_different_columns_are_refused(members, shipped_folder, mnist_test, capsys):
    runs = [_as_run(path, _accuracy(path, mnist_test), seed, shipped_folder.parent / f"seed{seed}")
            for seed, path in enumerate(members[:2])]  # fmt: skip
    save_history_csv({"loss": [0.5, 0.25]}, runs[1].parent / "history.csv")  # no val_accuracy
    assert (
        main(["committee", *map(str, runs), "--output", str(shipped_folder / "robust.keras"), "--replace-shipped"]) == 2
    )
    assert "the members' runs do not fit together" in capsys.readouterr().err
    assert {path.read_text() for path in shipped_folder.iterdir()} == {"the old run"}


@pytest.mark.parametrize(
    ("spoil", "message"),
    [
        (lambda folder: (folder / "history.csv").unlink(), "history.csv is not beside it"),
        (lambda folder: (folder / "metrics.json").unlink(), "metrics.json is not beside it"),
        (lambda folder: _change_record(folder, test_accuracy=0.5), "records 50.00%"),
        (lambda folder: (folder / "metrics.json").write_text("{"), "cannot be read"),
        (lambda folder: _change_record(folder, recipe=None), "lacks recipe"),
        (lambda folder: _change_record(folder, mode="smoke"), "a smoke run"),
        (lambda folder: (folder / "history.csv").write_text("epoch,loss\n"), "no epochs"),
    ],
    ids=["no history", "no record", "another model's record", "broken record", "no recipe", "smoke", "empty history"],
)
def test_a_member_without_its_own_run_record_is_refused_and_the_shipped_run_kept(
    members, shipped_folder, mnist_test, capsys, spoil, message
):
    runs = [_as_run(path, _accuracy(path, mnist_test), seed, shipped_folder.parent / f"seed{seed}")
            for seed, path in enumerate(members[:2])]  # fmt: skip
    spoil(runs[0].parent)
    assert (
        main(["committee", *map(str, runs), "--output", str(shipped_folder / "robust.keras"), "--replace-shipped"]) == 2
    )
    error = capsys.readouterr().err
    assert message in error and str(runs[0].parent) in error and len(error.strip().splitlines()) == 1
    assert {path.read_text() for path in shipped_folder.iterdir()} == {"the old run"}
