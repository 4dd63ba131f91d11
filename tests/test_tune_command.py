"""``python -m mnist_helpers tune`` as users run it: two workers sharing one study, and a worker killed mid-trial."""

import contextlib
import json
import os
import re
import signal
import subprocess
import sys
import time

import optuna
import pytest

from mnist_helpers.config import PROJECT_ROOT
from mnist_helpers.recipe import Recipe
from mnist_helpers.recipe_files import read_recipe
from mnist_helpers.studies import _creation_lock

TrialState = optuna.trial.TrialState
# A smoke study, each trial seconds: 6,000 images, one epoch, two fields drawn
SMOKE = ["--smoke", "--epochs", "1", "--search", "learning_rate", "batch_size", "--heartbeat", "1"]


def user_environment():
    """This environment as a user's shell has it: without the TensorFlow log level that JAX, imported by the test
    process, sets to 1."""
    return {key: value for key, value in os.environ.items() if key != "TF_CPP_MIN_LOG_LEVEL"}


def tune(storage, *arguments):
    """A worker: ``python -m mnist_helpers tune`` in its own process, its output piped."""
    command = [sys.executable, "-m", "mnist_helpers", "tune", *SMOKE, "--storage", storage, *arguments]
    return subprocess.Popen(command, cwd=PROJECT_ROOT, env=user_environment(), stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)  # fmt: skip


def trials_reported(output: str) -> list:
    """The trial numbers a worker printed a line for."""
    return [int(number) for number in re.findall(r"^trial (\d+): ", output, flags=re.MULTILINE)]


def stored(storage):
    with _creation_lock(storage):  # as the workers do: opening a file a worker is still making races its tables
        return optuna.load_study(study_name="baseline-smoke", storage=storage).trials


@pytest.mark.slow
def test_two_workers_share_one_study_and_train_loads_the_best_recipe(tmp_path):
    storage, best = f"sqlite:///{tmp_path / 'study.db'}", tmp_path / "best.json"
    workers = [tune(storage, "--trials", "4"), tune(storage, "--trials", "4", "--write-best", str(best))]
    outputs = [worker.communicate(timeout=600) for worker in workers]
    for worker, (_, err) in zip(workers, outputs):
        assert worker.returncode == 0 and err == "", err
    ran = [trials_reported(out) for out, _ in outputs]
    trials = stored(storage)
    assert ran[0] and ran[1], ran  # both workers ran trials
    assert sorted(ran[0] + ran[1]) == [trial.number for trial in trials]  # each trial run by one worker, once
    assert all(trial.state in (TrialState.COMPLETE, TrialState.PRUNED) for trial in trials)
    assert 4 <= len(trials) <= 5  # two workers starting their last trials at one moment may finish a fifth
    assert len({(t.params["learning_rate"], t.params["batch_size"]) for t in trials}) == len(trials)
    best_trial = min((t for t in trials if t.state == TrialState.COMPLETE), key=lambda trial: trial.value)
    assert read_recipe(best) == Recipe(**best_trial.user_attrs["recipe"])
    assert f"Best: trial {best_trial.number}, validation loss {best_trial.value:.4f}" in outputs[1][0]
    command = [sys.executable, "-m", "mnist_helpers", "train", "--recipe", str(best), "--smoke", "--seed", "0",
               "--output", str(tmp_path / "run")]  # fmt: skip
    done = subprocess.run(command, cwd=PROJECT_ROOT, env=user_environment(), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    record = json.loads((tmp_path / "run" / "metrics.json").read_text())
    assert record["recipe"] == json.loads(best.read_text()) and record["epochs_run"] == 1


@pytest.mark.slow
def test_a_worker_killed_mid_trial_loses_that_trial_only_and_the_same_command_continues(tmp_path):
    """Killed once a trial has finished and the next is training (a smoke trial takes seconds, so that may be trial
    2 rather than 1): the finished trials stay as they were, the killed one fails, the same command finishes."""
    storage = f"sqlite:///{tmp_path / 'study.db'}"
    worker = tune(storage, "--trials", "3")
    states = []
    while worker.poll() is None and not (len(states) >= 2 and states[-1] == TrialState.RUNNING):
        time.sleep(0.2)
        with contextlib.suppress(KeyError):  # no study in the file yet
            states = [trial.state for trial in stored(storage)] if (tmp_path / "study.db").exists() else []
    alive = worker.poll() is None
    if alive:
        os.kill(worker.pid, signal.SIGKILL)
    _, err = worker.communicate()
    assert alive, f"the worker finished before it could be killed (trials {states}): {err[-2000:]}"
    killed, finished = len(states) - 1, (TrialState.COMPLETE, TrialState.PRUNED)
    assert all(state in finished for state in states[:killed])
    before = stored(storage)[:killed]
    resumed = tune(storage, "--trials", "3")
    out, err = resumed.communicate(timeout=600)
    assert resumed.returncode == 0 and err == "", err
    assert out.splitlines()[0].endswith(f"{killed} of 3 trials finished; searching learning_rate, batch_size of the "
                                        "baseline recipe, seed 42")  # fmt: skip
    assert f"trial {killed}: failed (its worker went silent); another trial takes its place" in out
    trials = stored(storage)
    assert [trial.state for trial in trials[: killed + 1]] == [*states[:killed], TrialState.FAIL]
    assert len(trials) == 4 and all(trial.state in finished for trial in trials[killed + 1 :])
    for trial, earlier in zip(trials, before):  # the finished trials are kept as they were
        assert trial.value == earlier.value and trial.params == earlier.params
    assert sorted(trials_reported(out)) == list(range(killed, 4))


@pytest.mark.slow
def test_ctrl_c_is_one_line_and_fails_only_the_trial_under_way(tmp_path):
    storage = f"sqlite:///{tmp_path / 'study.db'}"
    command = [sys.executable, "-m", "mnist_helpers", "tune", *SMOKE, "--storage", storage, "--trials", "3"]
    worker = subprocess.Popen(
        command,
        cwd=PROJECT_ROOT,
        env=user_environment(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # as in a terminal
    for line in worker.stdout:
        if line.startswith("trial 0: "):
            time.sleep(1)  # trial 1 is under way
            worker.send_signal(signal.SIGINT)
            break
    _, err = worker.communicate(timeout=600)
    assert worker.returncode == 130
    assert err == "interrupted (a trial under way is marked failed): the same command continues the study\n"
    assert [trial.state for trial in stored(storage)] == [TrialState.COMPLETE, TrialState.FAIL]
