"""Fixtures shared by the helper tests."""

import pytest

from mnist_helpers.data import load_mnist


@pytest.fixture(scope="session")
def mnist():
    """The bundled MNIST: ``(x_train, y_train), (x_test, y_test)`` as uint8 arrays (loaded once per run)."""
    return load_mnist()


@pytest.fixture(scope="session")
def mnist_test(mnist):
    """The 10,000 test digits and their labels."""
    return mnist[1]
