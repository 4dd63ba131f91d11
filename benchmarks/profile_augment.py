"""Where an augmented epoch's extra time goes: the distortion alone, the Python feed alone, and both in training.

Run by hand from the repository root, once per backend (not part of the test suite):

    python benchmarks/profile_augment.py
    KERAS_BACKEND=jax python benchmarks/profile_augment.py

In one process, interleaved round by round: seconds per epoch of plain ``fit`` on arrays, of
``fit`` on an ``AugmentedBatches`` stream (the project's augmented path), and of ``fit`` on a
PyDataset serving the same batches undistorted (the feed's cost without the distortion); then
the NumPy distortion of 54,000 images on its own, in the chunk sizes it can run in.
"""

import argparse
import math
import statistics
import time

import mnist_helpers  # noqa: F401  (quiets TensorFlow before keras is imported)

# isort: split
import keras
import numpy as np

from mnist_helpers.augment import AugmentedBatches, augment_flat
from mnist_helpers.data import flatten_and_scale, load_mnist, one_hot
from mnist_helpers.model import build_model
from mnist_helpers.recipe import SEED_RECIPE
from mnist_helpers.training import seed_everything, split_validation


class UndistortedBatches(keras.utils.PyDataset):
    """The augmented path's feed (one Python call per batch) without the distortion."""

    def __init__(self, x, y, batch_size):
        super().__init__()
        self.x, self.y, self.batch_size = x, y, batch_size
        self.batches_per_epoch = math.ceil(len(x) / batch_size)

    @property
    def num_batches(self):
        return None

    def __getitem__(self, index):
        start = (index % self.batches_per_epoch) * self.batch_size
        rows = slice(start, start + self.batch_size)
        return self.x[rows], self.y[rows]


class EpochClock(keras.callbacks.Callback):
    def on_epoch_begin(self, epoch, logs=None):
        self.start = (time.perf_counter(), time.process_time())

    def on_epoch_end(self, epoch, logs=None):
        self.wall.append(time.perf_counter() - self.start[0])
        self.cpu.append(time.process_time() - self.start[1])


def timed_epochs(path, fit_data, validation, epochs):
    """Wall and process-CPU seconds of each epoch after the first (tracing) one."""
    seed_everything(0)
    model = build_model(SEED_RECIPE)
    x, y = fit_data
    batch = SEED_RECIPE.batch_size
    if path == "plain":
        data = {"x": x, "y": y, "batch_size": batch}
    elif path == "augmented":
        data = {"x": AugmentedBatches(x, y, batch, seed=1), "shuffle": False}
    else:
        data = {"x": UndistortedBatches(x, y, batch), "shuffle": False}
    if path != "plain":
        data["steps_per_epoch"] = data["x"].batches_per_epoch
    clock = EpochClock()
    clock.wall, clock.cpu = [], []
    model.fit(**data, epochs=epochs + 1, validation_data=validation, callbacks=[clock], verbose=0)
    if path == "augmented":
        data["x"].close()
    return clock.wall[1:], clock.cpu[1:]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--epochs", type=int, default=2, help="timed epochs per run")
    args = parser.parse_args()
    (x_train, y_train), _ = load_mnist()
    fit_data, validation = split_validation(flatten_and_scale(x_train), one_hot(y_train), 0.1)
    paths = ["plain", "augmented", "feed-only"]
    times = {path: ([], []) for path in paths}
    for round_index in range(args.rounds):
        for path in paths[round_index % 3 :] + paths[: round_index % 3]:
            wall, cpu = timed_epochs(path, fit_data, validation, args.epochs)
            times[path][0].extend(wall)
            times[path][1].extend(cpu)
    plain = statistics.median(times["plain"][0])
    print(f"backend {keras.backend.backend()}: seconds per epoch, median (range), process CPU, ratio to plain")
    for path, (wall, cpu) in times.items():
        print(f"  {path:10s} {statistics.median(wall):.2f} ({min(wall):.2f}-{max(wall):.2f})  "
              f"CPU {statistics.median(cpu):.2f}  {statistics.median(wall) / plain:.2f}x")  # fmt: skip
    for chunk in (4096, 128):
        runs = []
        for _ in range(3):
            start = (time.perf_counter(), time.process_time())
            augment_flat(fit_data[0], np.random.default_rng(0), chunk=chunk)
            runs.append((time.perf_counter() - start[0], time.process_time() - start[1]))
        print(f"  distortion alone, 54,000 images, chunk {chunk}: {statistics.median(r[0] for r in runs):.2f} s wall, "
              f"{statistics.median(r[1] for r in runs):.2f} s CPU (one thread, outside training)")  # fmt: skip


if __name__ == "__main__":
    main()
