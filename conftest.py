"""Keep test runs (including the nbval re-execution of the notebook) out of the committed outputs/;
mark the notebook's re-execution slow, so ``python -m pytest -m "not slow"`` is a quick loop."""

import os
import shutil
import tempfile

import pytest

_made_here = []


def pytest_configure(config):
    if "MNIST_OUTPUTS" not in os.environ:
        os.environ["MNIST_OUTPUTS"] = tempfile.mkdtemp(prefix="mnist-test-outputs-")
        _made_here.append(os.environ["MNIST_OUTPUTS"])


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.suffix == ".ipynb":
            item.add_marker(pytest.mark.slow)


def pytest_unconfigure(config):
    for folder in _made_here:
        shutil.rmtree(folder, ignore_errors=True)
