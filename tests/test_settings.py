"""Every value from outside is checked once (mnist_helpers._support.settings): environment variables and the paths and
names given as arguments end in a value or a one-line refusal, never a default taken silently or a traceback."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mnist_helpers import config
from mnist_helpers._support import settings as checked
from mnist_helpers._support.settings import ENVIRONMENT, SettingError

PROJECT_ROOT = config.PROJECT_ROOT
BOUNDED = settings(max_examples=50, deadline=None)


@pytest.mark.parametrize("value, smoke", [("1", True), ("YES", True), (" on ", True), ("0", False), ("off", False)])
def test_smoke_mode_reads_the_accepted_words(monkeypatch, value, smoke):
    monkeypatch.setenv("MNIST_SMOKE", value)
    assert config.smoke_mode() is smoke


@pytest.mark.parametrize("value", ["y", "2", "", "  ", "smoke", "1.0"])
def test_any_other_smoke_value_is_refused_never_a_silent_full_run(monkeypatch, value):
    monkeypatch.setenv("MNIST_SMOKE", value)
    with pytest.raises(SettingError, match="^MNIST_SMOKE"):
        config.smoke_mode()


@BOUNDED
@given(st.text(max_size=12))
def test_a_flag_variable_is_true_false_or_refused(value):
    """On the code before: MNIST_SMOKE=y or =2 was silently False, a full run."""
    environ = {"MNIST_SMOKE": value}
    try:
        flag = checked.variable_flag("MNIST_SMOKE", environ)
    except SettingError as error:
        assert "\n" not in str(error) and str(error).startswith("MNIST_SMOKE")
        assert value.strip().lower() not in checked.TRUE_WORDS + checked.FALSE_WORDS
    else:
        assert flag is (value.strip().lower() in checked.TRUE_WORDS)
        assert value.strip().lower() in checked.TRUE_WORDS + checked.FALSE_WORDS


@BOUNDED
@given(st.text(max_size=40))
def test_a_path_variable_is_a_path_or_one_line(value):
    """On the code before: MNIST_DATA='~nosuchuser/x.npz' raised RuntimeError from Path.expanduser."""
    try:
        path = checked.variable_path("MNIST_DATA", {"MNIST_DATA": value})
    except SettingError as error:
        assert "\n" not in str(error)
    else:
        assert isinstance(path, Path) and str(path)


@pytest.mark.parametrize("variable", ["MNIST_DATA", "MNIST_OUTPUTS"])
def test_the_home_of_a_user_that_does_not_exist_is_one_line(monkeypatch, variable):
    monkeypatch.setenv(variable, "~nosuchuser/x.npz")
    with pytest.raises(SettingError, match=r"~nosuchuser is no user's home folder"):
        config.data_path_setting() if variable == "MNIST_DATA" else config.outputs_dir(smoke=False)


@pytest.mark.parametrize("variable", ["MNIST_DATA", "MNIST_OUTPUTS", "MNIST_SMOKE", "MNIST_PAD", "KERAS_BACKEND"])
def test_a_variable_set_to_nothing_is_refused(monkeypatch, variable):
    monkeypatch.setenv(variable, "")
    readers = {
        "MNIST_DATA": config.data_path_setting,
        "MNIST_OUTPUTS": lambda: config.outputs_dir(False),
        "MNIST_SMOKE": config.smoke_mode,
        "MNIST_PAD": lambda: checked.variable_flag("MNIST_PAD"),
        "KERAS_BACKEND": checked.keras_backend,
    }
    with pytest.raises(SettingError, match=f"^{variable} is set but empty"):
        readers[variable]()


@pytest.mark.parametrize("value, backend", [("jax", "jax"), ("TensorFlow", "tensorflow"), (" numpy ", "numpy")])
def test_keras_backend_names_are_normalised(value, backend):
    environ = {"KERAS_BACKEND": value}
    assert checked.keras_backend(environ) == backend and environ["KERAS_BACKEND"] == backend


@pytest.mark.parametrize(
    "value, message", [("nonsense", "is not a Keras backend"), ("torch", "torch is not installed")]
)
def test_keras_backend_that_cannot_load_is_one_line_in_every_command(tmp_path, value, message):
    """On the code before: a 34-line ValueError (nonsense) or a 56-line ModuleNotFoundError (torch) traceback."""
    if value == "torch" and checked.importlib.util.find_spec("torch") is not None:
        pytest.skip("PyTorch is installed here")
    env = {**os.environ, "KERAS_BACKEND": value, "PYTHONPATH": str(PROJECT_ROOT)}
    for command in (
        ["predict", "examples/drawn_7_thin_pen.png", "--model", "models/robust/robust.keras"],
        ["train", "--smoke", "--output", str(tmp_path / "run")],
    ):
        done = subprocess.run(
            [sys.executable, "-m", "mnist_helpers", *command], cwd=PROJECT_ROOT, env=env, capture_output=True,
            text=True, timeout=300,
        )  # fmt: skip
        assert done.returncode == 2, done.stderr
        assert done.stderr.startswith("KERAS_BACKEND=") and value in done.stderr and message in done.stderr
        assert len(done.stderr.splitlines()) == 1 and done.stdout == ""
    assert not (tmp_path / "run").exists()


@BOUNDED
@given(st.one_of(st.text(max_size=30), st.binary(max_size=30).map(os.fsdecode)))
def test_a_path_argument_is_a_path_or_one_line(value):
    """On the code before: ``--model ""`` was "not given" (the default model answered) and ``--output ""`` was the
    model's folder; an empty path is now refused."""
    try:
        path = checked.user_path("--model", value)
    except SettingError as error:
        assert "\n" not in str(error) and str(error).startswith("--model")
        assert value == "" or "\0" in value or value.startswith("~")
    else:
        assert value and str(path)


def test_an_output_folder_never_goes_up_out_of_a_missing_folder(tmp_path):
    """``export --output X/missing/../out`` made X/missing before."""
    with pytest.raises(SettingError, match="missing is not an existing folder"):
        checked.output_folder("--output", f"{tmp_path}/missing/../out")
    assert checked.output_folder("--output", f"{tmp_path}/../{tmp_path.name}/out") == Path(
        f"{tmp_path}/../{tmp_path.name}/out"
    )
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("given_name, name", [("robust", "robust"), ("robust.keras", "robust"), ("v1.2", "v1.2"),
                                              ("Robust.ONNX", "Robust")])  # fmt: skip
def test_a_model_name_with_a_model_files_suffix_means_the_name(given_name, name):
    """``train --name robust.keras`` wrote robust.keras.keras before."""
    assert checked.model_name("--name", given_name) == name


@BOUNDED
@given(st.text(max_size=300))
def test_a_model_name_is_a_plain_file_name_or_one_line(value):
    try:
        name = checked.model_name("--name", value)
    except SettingError as error:
        assert "\n" not in str(error)
    else:
        assert "/" not in name and "\0" not in name and not name.startswith(".") and name
        assert len(os.fsencode(name)) < 255


def test_docs_list_every_variable_and_its_accepted_forms():
    text = (PROJECT_ROOT / "docs" / "errors.md").read_text()
    for name, forms in ENVIRONMENT.items():
        assert re.search(rf"\| `{name}` \| {re.escape(forms)} \|", text), name
