"""Kill (SIGKILL) a process saving a run at many moments, and report what the run's folder held after each kill.

Run as ``python tests/kill_during_save.py FOLDER SWAP`` (SWAP: ``exchange``, or ``renames`` for systems that cannot
swap two folders in one step); prints one JSON line per kill. The model is a tiny Keras model on the NumPy
backend, so this process can fork one writer per kill without TensorFlow's threads.
"""

import json
import os
import shutil
import signal
import sys
import zipfile
from pathlib import Path

os.environ["KERAS_BACKEND"] = "numpy"

import keras  # noqa: E402

from mnist_helpers import (
    report,  # noqa: E402
    run_files,  # noqa: E402
)
from mnist_helpers._support import file_sets  # noqa: E402

TRACED = {Path(file_sets.__file__), Path(report.__file__), Path(report.__file__).parents[1] / "artifacts.py"}
KERAS_SAVING = Path(keras.__file__).parent / "src" / "saving" / "saving_lib.py"
KERAS_POINTS = 12  # kill points spread evenly over Keras's own saving lines (the model file half-written)


MODEL = keras.Sequential([keras.Input((784,)), keras.layers.Dense(10, activation="softmax")])


def save_new_run(folder, kill_at=None, count_into=None):
    """In a forked process: save the new run, killing this process at its ``kill_at``-th traced line."""
    seen = 0

    def tracer(frame, event, arg):  # called for each new frame: follow only the traced files' lines
        path = Path(frame.f_code.co_filename)
        return line_tracer if path in TRACED or path == KERAS_SAVING else None

    def line_tracer(frame, event, arg):
        nonlocal seen
        if event == "line":
            seen += 1
            if count_into is not None:
                count_into.append(Path(frame.f_code.co_filename) in TRACED)
            if seen == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
        return line_tracer

    sys.settrace(tracer)
    run_files.save_run_artifacts(MODEL, {"run": "new"}, {"loss": [0.5]}, folder, "robust")
    sys.settrace(None)


def previous_run(folder: Path, template: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    shutil.copytree(template, folder)


def folder_state(folder: Path) -> dict:
    """What ``folder`` holds: its names, which run its metrics.json describes, whether its model archives are whole."""
    if not folder.exists():
        return {"names": None}
    names = sorted(os.listdir(folder))
    models = [name for name in names if name.endswith(".keras")]
    whole = all(zipfile.ZipFile(folder / name).testzip() is None for name in models)
    metrics = json.loads((folder / "metrics.json").read_text())["run"] if "metrics.json" in names else None
    return {"names": names, "metrics": metrics, "models_whole": whole}


def main(root, swap):
    root = Path(root)
    folder, template = root / "run", root / "template"
    template.mkdir()
    MODEL.save(template / "baseline.keras")  # the previous run's model
    (template / "metrics.json").write_text(json.dumps({"run": "previous"}))
    (template / "history.csv").write_text("epoch,loss\n1,0.4\n")
    (template / "figure.png").write_bytes(b"kept")  # not a run file: carried over
    if swap == "renames":
        file_sets.exchange = lambda first, second: False
    kinds = []
    previous_run(folder, template)
    save_new_run(folder, count_into=kinds)  # once through, to count the traced lines
    in_keras = [index + 1 for index, ours in enumerate(kinds) if not ours]
    spread = in_keras[:: max(1, len(in_keras) // KERAS_POINTS)]
    kill_points = sorted({index + 1 for index, ours in enumerate(kinds) if ours} | set(spread))
    for kill_at in kill_points:
        previous_run(folder, template)
        child = os.fork()
        if child == 0:
            try:
                save_new_run(folder, kill_at=kill_at)
            finally:
                os._exit(0)
        _, status = os.waitpid(child, 0)
        killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
        right_after = folder_state(folder)
        file_sets.finish_killed_writes(folder)  # what the next run does first
        hidden = sorted(name for name in os.listdir(root) if name.startswith("."))
        print(json.dumps({"kill_at": kill_at, "killed": killed, "right_after": right_after,
                          "after_next_start": folder_state(folder), "leftovers": hidden}), flush=True)  # fmt: skip


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
