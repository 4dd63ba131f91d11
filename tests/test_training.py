"""Training on a smoke-sized subset: the result, the validation split, augmentation on training data only."""

import keras
import numpy as np
import pytest

from mnist_helpers.data import flatten_and_scale, one_hot
from mnist_helpers.model import build_model
from mnist_helpers.recipe import BASELINE_RECIPE
from mnist_helpers.train import TrainingResult, cosine_learning_rate, make_callbacks, seed_everything, train_model

SAMPLES = 3000


@pytest.fixture(scope="module")
def subset(mnist):
    (x_train, y_train), _ = mnist
    return flatten_and_scale(x_train[:SAMPLES]), one_hot(y_train[:SAMPLES])


def _trained(x, y, augment=False, **kwargs):
    keras.backend.clear_session()
    seed_everything(0)
    model = build_model()
    recipe = BASELINE_RECIPE.with_changes(epochs=1, augment=augment)
    return model, train_model(model, x, y, recipe, verbose=0, **kwargs)


@pytest.fixture(scope="module")
def plain(subset):
    return _trained(*subset)


@pytest.fixture(scope="module")
def augmented(subset):
    return _trained(*subset, augment=True, augment_seed=1)


def test_train_model_returns_history_and_timing(plain):
    model, result = plain
    assert isinstance(result, TrainingResult)
    assert result.epochs_run == 1 and result.best_epoch == 1 and result.seconds > 0
    assert set(result.history) >= {"loss", "accuracy", "val_loss", "val_accuracy", "learning_rate"}
    assert model.count_params() == 570_506
    assert (result.fit_samples, result.validation_samples) == (2700, 300)


@pytest.mark.parametrize("run", ["plain", "augmented"])
def test_validation_is_the_last_tenth_undistorted(subset, run, request):
    x, y = subset
    model, result = request.getfixturevalue(run)
    val_loss, _ = model.evaluate(x[2700:], y[2700:], batch_size=128, verbose=0)
    assert result.history["val_loss"][-1] == pytest.approx(val_loss, rel=1e-4)


def test_same_updates_as_the_seeds_plain_fit(subset, plain):
    x, y = subset
    keras.backend.clear_session()
    seed_everything(0)
    reference = build_model(steps_per_execution=1)  # a plain model.fit of the baseline recipe
    reference.fit(x, y, batch_size=128, epochs=1, validation_split=0.1, verbose=0)
    for ours, theirs in zip(plain[0].get_weights(), reference.get_weights()):
        np.testing.assert_array_equal(ours, theirs)


def test_augmented_training_learns(augmented):
    assert augmented[1].history["val_accuracy"][-1] > 0.5


def test_augmented_training_is_repeatable_and_differs_from_plain(subset, plain, augmented):
    again, _ = _trained(*subset, augment=True, augment_seed=1)
    for first, second in zip(augmented[0].get_weights(), again.get_weights()):
        np.testing.assert_array_equal(first, second)
    assert augmented[1].history["loss"] != plain[1].history["loss"]


def test_cosine_schedule_runs_from_learning_rate_to_min_lr():
    recipe = BASELINE_RECIPE.with_changes(epochs=5, learning_rate=0.01, min_lr=0.001, lr_schedule="cosine")
    rates = [cosine_learning_rate(recipe, epoch) for epoch in range(5)]
    assert rates[0] == pytest.approx(0.01) and rates[-1] == pytest.approx(0.001)
    assert rates[2] == pytest.approx(0.0055)  # half way: the mean of the two
    assert all(a > b for a, b in zip(rates, rates[1:]))
    kinds = {type(callback).__name__ for callback in make_callbacks(recipe)}
    assert kinds == {"EarlyStopping", "LearningRateScheduler"}


def test_baseline_recipe_keeps_reduce_on_plateau():
    kinds = {type(callback).__name__ for callback in make_callbacks(BASELINE_RECIPE)}
    assert kinds == {"EarlyStopping", "ReduceLROnPlateau"}
