"""Nothing the user owns is overwritten by surprise: the shipped models and the committed run are replaced only with
``--replace-shipped`` (never by a default, an empty string or a smoke run), and an output folder that is the
project, holds it, or holds anything but a run's files is refused before anything is trained or written."""

import hashlib

import pytest

from mnist_helpers import config, run_files
from mnist_helpers.__main__ import main
from mnist_helpers._support.errors import UserFacingError

SHIPPED = [config.shipped_model(role) for role in config.MODEL_FOLDERS] + [config.DETECTOR_FILE]


def fingerprints() -> dict:
    folders = {*config.MODEL_FOLDERS.values(), config.DETECTOR_FILE.parent}
    return {
        path: hashlib.sha256(path.read_bytes()).hexdigest() for f in folders for path in f.iterdir() if path.is_file()
    }


@pytest.fixture
def shipped_untouched():
    before = fingerprints()
    yield
    assert fingerprints() == before


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["train", "--smoke", "--output", "models/robust", "--name", "robust"], "a smoke run never replaces it"),
        (["train", "--smoke", "--output", "models/robust", "--replace-shipped"], "a smoke run never replaces it"),
        (["train", "--output", "outputs"], "pass --replace-shipped to replace it"),
        (["export"], "holds the shipped robust model (what predict answers with); pass --replace-shipped"),
        (["export", "--output", ""], "--output: an empty path"),
        (["export", "--model", ""], "--model: an empty path"),
        (["export", "--model", "outputs/notebook.keras", "--output", "models/robust"], "pass --replace-shipped"),
        (["train-detector"], "holds the shipped detector model; pass --replace-shipped"),
        (["train-detector", "--output", ""], "--output: an empty path"),
        (["train", "--output", ""], "output: an empty path"),
    ],
)
def test_shipped_files_are_replaced_only_on_request(monkeypatch, capsys, shipped_untouched, arguments, message):
    """Before: a smoke run replaced models/robust (0.9937 -> 0.9111), and ``export --output ""`` robust.onnx."""
    monkeypatch.chdir(config.PROJECT_ROOT)
    monkeypatch.delenv("MNIST_OUTPUTS", raising=False)
    assert main(arguments) == 2
    out, err = capsys.readouterr()
    assert message in err and len(err.splitlines()) == 1 and "Traceback" not in out + err


def test_export_never_makes_the_missing_folder_a_path_goes_up_from(tmp_path, capsys):
    """Before: ``export --output X/missing/../out`` made X/missing."""
    assert main(["export", "--model", str(config.shipped_model("robust")), "--output", f"{tmp_path}/missing/../o"]) == 2
    assert "missing is not an existing folder" in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "outputs, smoke, message",
    [
        (config.PROJECT_ROOT, False, "holds files that are not a run's"),
        (config.PROJECT_ROOT.parent, False, "holds files that are not a run's"),
        (config.MODEL_FOLDERS["robust"], False, "holds the shipped robust model"),
        (config.OUTPUTS_DIR, True, "holds the committed notebook run; a smoke run never replaces it"),
        ("", False, "MNIST_OUTPUTS is set but empty"),
    ],
)
def test_the_notebook_refuses_an_output_folder_that_is_not_its_own(monkeypatch, shipped_untouched, outputs, smoke,
                                                                   message):  # fmt: skip
    """Before: MNIST_OUTPUTS set to the project wrote 12 files into its root, then swapped the project folder."""
    monkeypatch.setenv("MNIST_OUTPUTS", str(outputs))
    with pytest.raises(UserFacingError, match=message) as refused:
        run_files.run_folder(smoke)
    assert "\n" not in str(refused.value)


def test_the_notebook_writes_its_own_folders(monkeypatch, tmp_path):
    monkeypatch.setenv("MNIST_OUTPUTS", str(tmp_path / "new"))
    assert run_files.run_folder(smoke=True) == tmp_path / "new"
    monkeypatch.delenv("MNIST_OUTPUTS")
    assert run_files.run_folder(smoke=False) == config.OUTPUTS_DIR  # the committed run is the full run's own
