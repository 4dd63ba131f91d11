import csv
import json
import os

import pytest

from mnist_helpers.artifacts import atomic_path, save_history_csv, save_json


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
