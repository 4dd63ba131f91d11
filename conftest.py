"""Keep test runs (including the nbval re-execution of the notebook) out of the committed outputs/."""

import os
import shutil
import tempfile

_made_here = []


def pytest_configure(config):
    if "MNIST_OUTPUTS" not in os.environ:
        os.environ["MNIST_OUTPUTS"] = tempfile.mkdtemp(prefix="mnist-test-outputs-")
        _made_here.append(os.environ["MNIST_OUTPUTS"])


def pytest_unconfigure(config):
    for folder in _made_here:
        shutil.rmtree(folder, ignore_errors=True)
