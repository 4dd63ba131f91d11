import csv
import json
import os
import tempfile

import pytest

from mnist_helpers._support.artifacts import (
    OutputWriteError,
    atomic_path,
    prepare_outputs_dir,
    save_history_csv,
    save_json,
)


def test_failed_write_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "metrics.json"
    target.write_text("old")
    with pytest.raises(RuntimeError), atomic_path(target) as temporary:
        temporary.write_text("half")
        raise RuntimeError("interrupted")
    assert target.read_text() == "old"
    assert list(tmp_path.iterdir()) == [target]


def test_save_json_round_trips(tmp_path):
    path = save_json({"accuracy": 0.98, "pairs": [[4, 9, 12]]}, tmp_path / "sub" / "m.json")
    assert json.loads(path.read_text()) == {"accuracy": 0.98, "pairs": [[4, 9, 12]]}


def test_history_csv_has_one_row_per_epoch(tmp_path):
    path = save_history_csv({"loss": [0.5, 0.25], "val_loss": [0.4, 0.3]}, tmp_path / "history.csv")
    with open(path) as handle:
        rows = list(csv.reader(handle))
    assert rows == [["epoch", "loss", "val_loss"], ["1", "0.5", "0.4"], ["2", "0.25", "0.3"]]


def test_written_files_get_normal_permissions(tmp_path):
    previous = os.umask(0o022)
    try:
        path = save_json({}, tmp_path / "m.json")
    finally:
        os.umask(previous)
    assert path.stat().st_mode & 0o777 == 0o644


def test_outputs_folder_that_is_a_file_is_named_in_one_line(tmp_path):
    not_a_folder = tmp_path / "outputs"
    not_a_folder.write_text("")
    with pytest.raises(OutputWriteError) as caught:
        prepare_outputs_dir(not_a_folder)
    assert str(caught.value) == f"{not_a_folder}: exists and is not a folder (set MNIST_OUTPUTS to a folder)"


def _permission_denied(*args, **kwargs):
    raise PermissionError(13, "Permission denied")


def test_unwritable_outputs_folder_is_named_not_a_temporary_file(tmp_path, monkeypatch):
    # As root a chmod-ed folder stays writable, so the refusal a user gets is simulated where it happens.
    monkeypatch.setattr(tempfile, "TemporaryFile", _permission_denied)
    with pytest.raises(OutputWriteError) as caught:
        prepare_outputs_dir(tmp_path / "run")
    assert str(caught.value) == f"{tmp_path / 'run'}: cannot write to the outputs folder (Permission denied)"


def test_unwritable_artifact_names_the_artifact(tmp_path, monkeypatch):
    monkeypatch.setattr(os, "open", _permission_denied)
    with pytest.raises(OutputWriteError) as caught:
        save_json({"a": 1}, tmp_path / "metrics.json")
    assert str(caught.value) == f"{tmp_path / 'metrics.json'}: cannot write (Permission denied)"
    assert list(tmp_path.iterdir()) == []


def test_a_prepared_outputs_folder_is_created_and_left_empty(tmp_path):
    assert prepare_outputs_dir(tmp_path / "a" / "b") == tmp_path / "a" / "b"
    assert list((tmp_path / "a" / "b").iterdir()) == []
