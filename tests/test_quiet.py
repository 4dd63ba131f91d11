"""TensorFlow's start-up log lines are dropped at the level TF_CPP_MIN_LOG_LEVEL asks for; other lines stay."""

import os
import subprocess
import sys

import pytest

from mnist_helpers._support.quiet import filter_log_lines

ONEDNN = (
    "I0000 00:00:1795511894.923395    4301 port.cc:153] oneDNN custom operations are on. You may see slightly "
    "different numerical results due to floating-point round-off errors from different computation orders.\n"
)
PREAMBLE = "WARNING: All log messages before absl::InitializeLog() is called are written to STDERR\n"
ERROR = "E0000 00:00:1795511894.923395    4301 cuda_dnn.cc:8310] Unable to register cuDNN factory\n"
OWN = "my own line: I0000 is just text here\n"


@pytest.mark.parametrize(
    "level, kept",
    [(3, [OWN]), (2, [ERROR, OWN]), (1, [PREAMBLE, ERROR, OWN]), (0, [PREAMBLE, ONEDNN, ERROR, OWN])],
)
def test_log_lines_below_the_level_are_dropped_and_others_kept(level, kept):
    assert filter_log_lines(PREAMBLE + ONEDNN + ERROR + OWN, level) == "".join(kept)


def test_importing_tensorflow_after_the_package_prints_nothing_even_with_onednn_on():
    env = {key: value for key, value in os.environ.items() if key != "TF_CPP_MIN_LOG_LEVEL"}
    env["TF_ENABLE_ONEDNN_OPTS"] = "1"
    script = "import os, mnist_helpers, tensorflow; os.write(2, b'still here\\n')"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=False)
    assert done.returncode == 0
    assert done.stderr == "still here\n"
