"""Fixtures shared by the helper tests: MNIST, the shipped robust model, and a tiny trained model saved to a file."""

import keras
import pytest
from handwriting_pages import SAVED_MODEL

from mnist_helpers._support.artifacts import save_model
from mnist_helpers.data import flatten_and_scale, load_mnist, one_hot
from mnist_helpers.model import build_model
from mnist_helpers.model_files import load_classifier
from mnist_helpers.recipe import Recipe
from mnist_helpers.train import train_model


@pytest.fixture(scope="session")
def mnist():
    """The bundled MNIST: ``(x_train, y_train), (x_test, y_test)`` as uint8 arrays (loaded once per run)."""
    return load_mnist()


@pytest.fixture(scope="session")
def mnist_test(mnist):
    """The 10,000 test digits and their labels."""
    return mnist[1]


@pytest.fixture(scope="session")
def robust():
    """The shipped robust model's ONNX export, as ``predict`` runs it (loaded once per run)."""
    return load_classifier()


@pytest.fixture(scope="session")
def tiny_model(mnist, tmp_path_factory):
    """A small MLP trained for a few seconds on 6,000 digits, and the file it was saved to."""
    (x_train, y_train), _ = mnist
    keras.utils.set_random_seed(0)
    recipe = Recipe(hidden_layers=(64,), dropout_rates=(), epochs=3)
    model = build_model(recipe)
    train_model(model, flatten_and_scale(x_train[:6000]), one_hot(y_train[:6000]), recipe, verbose=0)
    return model, save_model(model, tmp_path_factory.mktemp("model") / "tiny.keras")


@pytest.fixture(scope="session")
def model_file(tiny_model):
    """The committed saved model when it exists, else the tiny one."""
    return SAVED_MODEL if SAVED_MODEL.is_file() else tiny_model[1]
