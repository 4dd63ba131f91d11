"""Every command's edges: Ctrl-C and SIGTERM end it in one line with 130 and 143 and no temporary file left (the
next write clears what ``kill -9`` left), standard streams that cannot be written are one line at most and never
mix into the results, and ONNX Runtime writes nothing into the user's home and no colour codes."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest
from handwriting_pages import EXAMPLES

from mnist_helpers._support.artifacts import atomic_path
from mnist_helpers.config import PROJECT_ROOT

SEVEN = str(EXAMPLES[1])


def command(*arguments):
    return [sys.executable, "-m", "mnist_helpers", *map(str, arguments)]


def environment(**extra):
    """As a user runs it: TensorFlow's log level unset (JAX, imported by the test process, sets it)."""
    env = {key: value for key, value in os.environ.items() if key != "TF_CPP_MIN_LOG_LEVEL"}
    return {**env, "PYTHONPATH": str(PROJECT_ROOT), **extra}


def hidden(folder) -> list:
    return sorted(name for name in os.listdir(folder) if name.startswith(".")) if os.path.isdir(folder) else []


@pytest.mark.parametrize("signum, status", [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["Ctrl-C", "SIGTERM"])
def test_predict_stops_in_one_line_keeping_every_line_printed(signum, status):
    """Before: 33-75 lines of traceback, and nothing printed (predict printed only at the end)."""
    with subprocess.Popen(
        command("predict", *[SEVEN] * 3000), cwd=PROJECT_ROOT, env=environment(), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    ) as process:  # fmt: skip
        first = process.stdout.readline()
        process.send_signal(signum)
        rest, err = process.communicate(timeout=120)
    assert first.startswith(f"{SEVEN}: 7 ") and process.returncode == status
    assert all(line.startswith(f"{SEVEN}: 7 ") for line in rest.splitlines())
    assert len(rest.splitlines()) < 2999
    assert err.startswith("python -m mnist_helpers predict: ") and len(err.splitlines()) == 1, err


def wait_for_temporary(folder, process, seconds=300):
    deadline = time.monotonic() + seconds
    while not hidden(folder):
        assert process.poll() is None and time.monotonic() < deadline, "no temporary file appeared"
        time.sleep(0.05)


def test_sigterm_mid_export_leaves_no_temporary_and_kill_9_leftovers_are_cleared(tiny_model, tmp_path):
    """Before: SIGTERM left .robust-<hex>.onnx and an empty .verification-<hex>.json, which the next export kept."""
    model = tiny_model[1]
    out = tmp_path / "out"
    with subprocess.Popen(
        command("export", "--model", model, "--output", out), env=environment(), stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, text=True,
    ) as process:  # fmt: skip
        wait_for_temporary(out, process)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=120)
    assert (
        process.returncode == 143 and err.strip().endswith("terminated (SIGTERM), stopped") and "\n" not in err.strip()
    )
    assert os.listdir(out) == []
    with subprocess.Popen(
        command("export", "--model", model, "--output", out), env=environment(), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    ) as process:  # fmt: skip
        wait_for_temporary(out, process)
        process.kill()  # kill -9: no clean-up is possible
    left = hidden(out)
    assert left and all(f"-{process.pid}-" in name for name in left)
    for name in left:  # the next write of the same file clears its killed predecessor's temporary
        target = out / (name[1:].split(f"-{process.pid}-")[0] + name.rsplit("-", 1)[1][12:])
        with atomic_path(target) as temporary:
            temporary.write_text("{}")
    assert hidden(out) == []


@pytest.mark.slow
@pytest.mark.parametrize(
    "arguments", [("train", "--smoke"), ("train-detector", "--per-kind", "12", "--per-source", "12")],
    ids=["train", "train-detector"],
)  # fmt: skip
def test_ctrl_c_mid_training_is_one_line_and_writes_nothing(tmp_path, arguments):
    """Raised inside TensorFlow's step with oneDNN, Ctrl-C aborted about 1 run in 4 ('free(): invalid next size')."""
    run = tmp_path / "run"
    with subprocess.Popen(
        command(*arguments, "--output", run), env=environment(), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    ) as process:  # fmt: skip
        for line in process.stdout:
            if line.startswith("Epoch 1/"):
                break
        process.send_signal(signal.SIGINT)
        _, err = process.communicate(timeout=300)
    assert process.returncode == 130 and err.strip().endswith("interrupted (Ctrl-C), stopped"), err
    assert "Traceback" not in err and os.listdir(tmp_path) == []


def test_a_full_standard_output_is_one_line_on_standard_error():
    """Before: ``predict a.png > /dev/full`` was a 17-line OSError traceback."""
    with open("/dev/full", "w") as full:
        done = subprocess.run(
            command("predict", SEVEN), env=environment(), stdout=full, stderr=subprocess.PIPE, text=True, timeout=120
        )
    assert done.returncode == 2 and done.stderr == "standard output: cannot write (No space left on device)\n"


def test_with_standard_error_closed_no_message_lands_between_the_json_lines(tmp_path):
    """Before: ``predict --json a.png missing.png 2>&-`` wrote the missing file's line into standard output."""
    done = subprocess.run(
        command("predict", "--json", SEVEN, tmp_path / "missing.png", SEVEN), env=environment(),
        stdout=subprocess.PIPE, preexec_fn=lambda: os.close(2), text=True, timeout=120,
    )  # fmt: skip
    records = [json.loads(line) for line in done.stdout.splitlines()]
    assert done.returncode == 1 and ["error" in record for record in records] == [False, True, False]


def test_onnxruntime_writes_nothing_into_home_and_no_colour(tmp_path):
    """Before: predict wrote ~/.cache/Microsoft/DeveloperTools/.onnxruntime/{deviceid,onnxruntime.db}, and with a
    home it could not write printed a warning in ANSI colour despite NO_COLOR."""
    home = tmp_path / "home"
    home.mkdir()
    done = subprocess.run(
        command("predict", SEVEN), env=environment(HOME=str(home)), capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0 and done.stderr == "" and list(home.iterdir()) == []
    unwritable = tmp_path / "a-file-not-a-folder"
    unwritable.write_text("")
    done = subprocess.run(
        command("predict", SEVEN), env=environment(HOME=str(unwritable), NO_COLOR="1"), capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert done.returncode == 0 and "\x1b[" not in done.stderr + done.stdout and done.stderr == ""
