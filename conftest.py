"""Keep test runs (including the nbval re-execution of the notebook) out of the committed outputs/."""

import os
import tempfile


def pytest_configure(config):
    os.environ.setdefault("MNIST_OUTPUTS", tempfile.mkdtemp(prefix="mnist-test-outputs-"))
