"""A run's files are written as one set: killed at any moment, its folder holds the previous run or the new one."""

import json
import os
import subprocess
import sys

import pytest
from ordinary_user import ordinary_user_prefix

from mnist_helpers._support import file_sets
from mnist_helpers._support.artifacts import OutputWriteError
from mnist_helpers.config import PROJECT_ROOT
from mnist_helpers.run_files import is_run_file

KILL_DURING_SAVE = PROJECT_ROOT / "tests" / "kill_during_save.py"


def writing(text):
    return lambda path: path.write_text(text)


def test_a_set_replaces_the_previous_one_and_keeps_the_other_files_as_links(tmp_path):
    folder = tmp_path / "run"
    (folder / "figures").mkdir(parents=True)
    (folder / "figures" / "curve.png").write_text("figure")
    for name in ("old.keras", "metrics.json", "plot.png"):
        (folder / name).write_text(f"previous {name}")
    folder.chmod(0o750)
    inode = (folder / "plot.png").stat().st_ino
    paths = file_sets.write_file_set(
        folder, {"new.keras": writing("model"), "metrics.json": writing("new")}, is_run_file
    )
    assert paths == [folder / "new.keras", folder / "metrics.json"]
    assert sorted(os.listdir(folder)) == ["figures", "metrics.json", "new.keras", "plot.png"]  # old.keras went too
    assert (folder / "metrics.json").read_text() == "new" and (folder / "plot.png").stat().st_ino == inode
    assert (folder / "figures" / "curve.png").read_text() == "figure"
    assert folder.stat().st_mode & 0o777 == 0o750
    assert os.listdir(tmp_path) == ["run"]  # nothing hidden left beside it


def test_a_first_set_makes_its_folders(tmp_path):
    file_sets.write_file_set(tmp_path / "runs" / "a", {"metrics.json": writing("{}")})
    assert os.listdir(tmp_path / "runs" / "a") == ["metrics.json"] and os.listdir(tmp_path / "runs") == ["a"]


@pytest.mark.parametrize("failure", [OSError(28, "No space left on device"), RuntimeError("the writer broke")])
def test_a_failed_write_keeps_the_previous_set_and_leaves_nothing(failure, tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    (folder / "metrics.json").write_text("previous")

    def fail(path):
        raise failure

    with pytest.raises((OutputWriteError, RuntimeError)) as caught:
        file_sets.write_file_set(folder, {"metrics.json": writing("new"), "history.csv": fail})
    if isinstance(failure, OSError):
        assert str(caught.value) == f"{folder}: cannot write the run there (No space left on device)"
    assert os.listdir(folder) == ["metrics.json"] and (folder / "metrics.json").read_text() == "previous"
    assert os.listdir(tmp_path) == ["run"]


def test_leftovers_of_dead_writers_are_removed_and_a_running_ones_kept(tmp_path):
    folder = tmp_path / "run"
    folder.mkdir()
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    dead_pid = int(dead.stdout)
    for name in (f".run.new-{dead_pid}-ab12", f".run.old-{dead_pid}-cd34", f".run.new-{os.getpid()}-ef56"):
        (tmp_path / name).mkdir()
    (folder / ".metrics-0123456789ab.json").write_text("half")  # an atomic_path temporary of a killed process
    file_sets.write_file_set(folder, {"metrics.json": writing("new")})
    assert sorted(os.listdir(tmp_path)) == [f".run.new-{os.getpid()}-ef56", "run"]
    assert os.listdir(folder) == ["metrics.json"]


def test_a_write_killed_between_two_renames_is_finished_by_the_next(tmp_path):
    folder, dead_pid = tmp_path / "run", 2**22 + 1  # above Linux's largest process id: never running
    (tmp_path / f".run.old-{dead_pid}-ab12").mkdir()
    (tmp_path / f".run.new-{dead_pid}-ab12").mkdir()
    (tmp_path / f".run.new-{dead_pid}-ab12" / "metrics.json").write_text("new")
    file_sets.finish_killed_writes(folder)
    assert os.listdir(tmp_path) == ["run"] and (folder / "metrics.json").read_text() == "new"


def test_a_folder_holding_other_files_or_a_file_is_refused_before_any_work(tmp_path):
    (tmp_path / "project").mkdir()
    for name in ("notes.txt", "metrics.json", "src", "a.py", "b.py"):
        (tmp_path / "project" / name).write_text("")
    with pytest.raises(OutputWriteError) as caught:
        file_sets.check_set_folder(tmp_path / "project", is_run_file)
    assert str(caught.value) == (
        f"{tmp_path / 'project'}: holds files that are not a run's (a.py, b.py, notes.txt and 1 more); "
        "a run replaces its folder's files as one set, so give it a folder of its own"
    )
    (tmp_path / "file").write_text("")
    with pytest.raises(OutputWriteError, match="exists and is not a folder"):
        file_sets.check_set_folder(tmp_path / "file", is_run_file)
    assert file_sets.check_set_folder(tmp_path / "new" / "run", is_run_file) == tmp_path / "new" / "run"
    assert not (tmp_path / "new").exists() and sorted(os.listdir(tmp_path)) == ["file", "project"]


def test_an_output_folder_in_a_locked_folder_is_one_line_for_an_ordinary_user(tmp_path):
    prefix = ordinary_user_prefix()
    (tmp_path / "locked").mkdir(mode=0)
    command = [*prefix, sys.executable, "-m", "mnist_helpers", "train", "--output", str(tmp_path / "locked" / "run")]
    env = {key: value for key, value in os.environ.items() if key != "TF_CPP_MIN_LOG_LEVEL"}  # as a user runs it
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=env, capture_output=True, text=True, timeout=300, check=False)
    (tmp_path / "locked").chmod(0o700)
    assert (
        done.stderr
        == f"{tmp_path / 'locked' / 'run'}: cannot enter the folder {tmp_path / 'locked'} (permission denied)\n"
    )
    assert done.returncode == 2 and done.stdout == ""


def kills(tmp_path, swap) -> list:
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT)}
    done = subprocess.run(
        [sys.executable, str(KILL_DURING_SAVE), str(tmp_path), swap],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in done.stdout.splitlines()]


PREVIOUS = {"names": ["baseline.keras", "figure.png", "history.csv", "metrics.json"], "metrics": "previous",
            "models_whole": True}  # fmt: skip
NEW = {"names": ["figure.png", "history.csv", "metrics.json", "robust.keras"], "metrics": "new", "models_whole": True}


def check_kills(records, states_right_after):
    assert len(records) > 50 and all(record["killed"] for record in records)
    assert {json.dumps(record["after_next_start"]) for record in records} == {json.dumps(PREVIOUS), json.dumps(NEW)}
    for record in records:
        assert record["right_after"] in states_right_after, record
        assert record["after_next_start"] in (PREVIOUS, NEW) and record["leftovers"] == [], record


def test_killed_at_any_moment_of_saving_a_run_the_folder_holds_the_previous_run_or_the_new_one(tmp_path):
    check_kills(kills(tmp_path, "exchange"), (PREVIOUS, NEW))


@pytest.mark.slow
def test_without_a_one_step_swap_a_killed_save_is_finished_by_the_next_run(tmp_path):
    # two renames leave a moment with no folder at all; the next run's start puts the new set in place
    check_kills(kills(tmp_path, "renames"), (PREVIOUS, NEW, {"names": None}))
