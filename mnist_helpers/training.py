"""Seeding and training with early stopping and learning-rate reduction."""

import time
from dataclasses import dataclass

import keras


@dataclass
class TrainingResult:
    """What a training run produced besides the weights."""

    history: dict  # metric name -> list of per-epoch values
    seconds: float
    epochs_run: int
    best_epoch: int  # 1-based epoch whose weights were restored

    def __repr__(self):
        return f"TrainingResult(epochs_run={self.epochs_run}, best_epoch={self.best_epoch}, seconds={self.seconds:.1f})"


def seed_everything(seed: int) -> None:
    """Seed Python, NumPy and the backend, and ask TensorFlow for deterministic ops."""
    keras.utils.set_random_seed(seed)
    if keras.backend.backend() == "tensorflow":
        import tensorflow as tf

        tf.config.experimental.enable_op_determinism()


def make_callbacks(patience=4, lr_factor=0.5, lr_patience=2, min_lr=1e-5):
    """EarlyStopping on validation loss (best weights restored) and ReduceLROnPlateau."""
    return [
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=patience, restore_best_weights=True),
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=lr_factor, patience=lr_patience, min_lr=min_lr),
    ]


def train_model(model, x_train, y_train, batch_size=128, epochs=25, validation_split=0.1, verbose=2):
    """Fit ``model`` holding out the last ``validation_split`` of the training data.

    The test set is never seen here. Returns a :class:`TrainingResult`.
    """
    start = time.perf_counter()
    history = model.fit(
        x_train,
        y_train,
        batch_size=batch_size,
        epochs=epochs,
        validation_split=validation_split,
        callbacks=make_callbacks(),
        verbose=verbose,
    )
    seconds = time.perf_counter() - start
    logs = {name: [float(value) for value in values] for name, values in history.history.items()}
    val_loss = logs["val_loss"]
    best_epoch = 1 + min(range(len(val_loss)), key=val_loss.__getitem__)
    return TrainingResult(history=logs, seconds=seconds, epochs_run=len(val_loss), best_epoch=best_epoch)
