"""Seeding and training with early stopping and learning-rate reduction, optionally on distorted images."""

import math
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import keras
import numpy as np

from ._support.artifacts import save_model
from ._support.console import hold_stops, raise_held_stop
from .data import flatten_and_scale, load_mnist, one_hot, smoke_subset
from .evaluate import evaluate
from .model import build_model
from .recipe import BASELINE_RECIPE, Recipe, checked_seed, recipe_for


@dataclass
class TrainingResult:
    """What a training run produced besides the weights."""

    history: dict  # metric name -> list of per-epoch values
    seconds: float
    epochs_run: int
    best_epoch: int  # 1-based epoch whose weights were restored
    fit_samples: int = 0  # images trained on
    validation_samples: int = 0  # images held out for the training decisions

    def __repr__(self):
        return f"TrainingResult(epochs_run={self.epochs_run}, best_epoch={self.best_epoch}, seconds={self.seconds:.1f})"


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and the backend, and ask TensorFlow for deterministic ops."""
    keras.utils.set_random_seed(seed)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()


def make_callbacks(recipe: Recipe = BASELINE_RECIPE):
    """EarlyStopping on validation loss (best weights restored) and the learning-rate policy ``recipe`` sets."""
    stopping = keras.callbacks.EarlyStopping(monitor="val_loss", patience=recipe.patience, restore_best_weights=True)
    if recipe.lr_schedule == "cosine":
        return [stopping, keras.callbacks.LearningRateScheduler(lambda epoch: cosine_learning_rate(recipe, epoch))]
    return [
        stopping,
        keras.callbacks.ReduceLROnPlateau(
            monitor="val_loss", factor=recipe.lr_factor, patience=recipe.lr_patience, min_lr=recipe.min_lr
        ),
    ]


def cosine_learning_rate(recipe: Recipe, epoch: int) -> float:
    """Learning rate of 0-based ``epoch``: half a cosine from ``learning_rate`` down to ``min_lr`` over ``epochs``."""
    progress = epoch / max(recipe.epochs - 1, 1)
    return recipe.min_lr + (recipe.learning_rate - recipe.min_lr) * 0.5 * (1 + math.cos(math.pi * progress))


def split_validation(x, y, validation_split):
    """Hold out the last ``validation_split`` of the samples, exactly as Keras's ``validation_split`` does."""
    split_at = int(math.floor(len(x) * (1.0 - validation_split)))
    if not 0 < split_at < len(x):
        raise ValueError(f"validation_split={validation_split} leaves no training or no validation data")
    return (x[:split_at], y[:split_at]), (x[split_at:], y[split_at:])


def describe_split(x_train, recipe: Recipe, test_count: int) -> str:
    """Which images train, which validate (:func:`split_validation`'s split) and how many are kept for the test."""
    (x_fit, _), (x_val, _) = split_validation(x_train, x_train, recipe.validation_split)
    return (
        f"Training on {len(x_fit):,} images, validating on the last {len(x_val):,}; "
        f"the {test_count:,} test images are kept for the final evaluation only."
    )


class StopAtBatchEnd(keras.callbacks.Callback):
    """Raises a Ctrl-C or SIGTERM held by :func:`hold_stops` at the end of a training or validation batch."""

    def on_train_batch_end(self, batch, logs=None):
        raise_held_stop()

    def on_test_batch_end(self, batch, logs=None):
        raise_held_stop()


def train_model(
    model, x_train, y_train, recipe: Recipe = BASELINE_RECIPE, *, verbose=2, augment_seed=None, callbacks=()
):
    """Fit ``model`` by ``recipe``, holding out the last ``recipe.validation_split`` of the training data.

    With ``recipe.augment`` every training image is freshly distorted each epoch, inside the training
    step (see :mod:`.augment`; on TensorFlow fed by :mod:`.feed`); the validation images are never
    distorted. ``augment_seed`` defaults to a draw from NumPy's seeded global generator. The test set
    is never seen here. Returns a :class:`TrainingResult`.
    """
    (x_fit, y_fit), validation = split_validation(x_train, y_train, recipe.validation_split)
    fitted, data = model, {"x": x_fit, "y": y_fit, "batch_size": recipe.batch_size}
    if recipe.augment:
        from .augment import with_distortion

        seed = int(np.random.randint(2**31 - 1)) if augment_seed is None else augment_seed
        fitted = with_distortion(model, seed, recipe.distortion_limits())
        if keras.backend.backend() == "tensorflow":
            from .feed import lean_batches

            data = {"x": lean_batches(x_fit, y_fit, recipe.batch_size, seed), "shuffle": False}  # it shuffles
    start = time.perf_counter()
    with hold_stops():  # Ctrl-C stops at the end of a batch, never inside TensorFlow's step
        history = fitted.fit(
            **data,
            epochs=recipe.epochs,
            validation_data=validation,
            validation_batch_size=recipe.batch_size,
            callbacks=[*make_callbacks(recipe), *callbacks, StopAtBatchEnd()],
            verbose=verbose,
        )
    seconds = time.perf_counter() - start
    logs = {name: [float(value) for value in values] for name, values in history.history.items()}
    val_loss = logs["val_loss"]
    best_epoch = 1 + min(range(len(val_loss)), key=val_loss.__getitem__)
    return TrainingResult(
        history=logs,
        seconds=seconds,
        epochs_run=len(val_loss),
        best_epoch=best_epoch,
        fit_samples=len(x_fit),
        validation_samples=len(validation[0]),
    )


def train_and_evaluate(recipe, seed, smoke=False, test_samples=None, verbose=0, data=None):
    """The notebook's run in one call: seed, build, train by ``recipe``, evaluate on the test set.

    Returns ``(model, training, evaluation)``. A ``smoke`` run trains on :func:`data.smoke_subset`;
    ``test_samples`` keeps only the first so many test images. ``data`` is ``load_mnist()``'s result, loaded
    here if not given.
    """
    (x_train, y_train), (x_test, y_test) = data or load_mnist()
    x_train, y_train = smoke_subset(flatten_and_scale(x_train), one_hot(y_train), smoke)
    x_test, y_test = flatten_and_scale(x_test[:test_samples]), y_test[:test_samples]
    seed_everything(checked_seed(seed))
    model = build_model(recipe)
    training = train_model(model, x_train, y_train, recipe, verbose=verbose)
    return model, training, evaluate(model, x_test, y_test)


def summary(seed, augment=False, smoke=False, test_samples=None, verbose=0, keep=None, **changes) -> dict:
    """:func:`train_and_evaluate` on ``recipe_for(augment, **changes)``, as a JSON-ready dict (for fresh processes);
    the trained model saved as ``keep`` (a ``.keras`` path) if given."""
    import keras

    helpers_imported_tensorflow = "tensorflow" in sys.modules  # seeding imports it later on any backend
    recipe = recipe_for(augment, smoke=smoke, **changes)
    model, training, evaluation = train_and_evaluate(recipe, seed, smoke, test_samples, verbose)
    if keep:
        Path(keep).parent.mkdir(parents=True, exist_ok=True)
        save_model(model, keep)
    best = training.best_epoch - 1
    return {
        "seed": seed,
        "backend": keras.backend.backend(),
        "recipe": recipe.as_json(),
        "test_accuracy": evaluation.accuracy,
        "test_loss": evaluation.loss,
        "confusion_matrix": evaluation.confusion_matrix.tolist(),
        "val_accuracy_at_best": training.history["val_accuracy"][best],
        "val_loss_at_best": training.history["val_loss"][best],
        "best_epoch": training.best_epoch,
        "epochs_run": training.epochs_run,
        "train_seconds": training.seconds,
        "history": training.history,
        "helpers_imported_tensorflow": helpers_imported_tensorflow,
    }
