"""Where an augmented epoch's extra time goes: the wrapper model, the feed, the distortion, each warp alone.

Run by hand from the repository root, once per backend (not part of the test suite):

    python -m benchmarks.profile_augment
    KERAS_BACKEND=jax python -m benchmarks.profile_augment

In one process, interleaved round by round: seconds per epoch (wall and process CPU) of plain
``fit`` on arrays, of ``fit`` through the wrapper model with an identity layer where the
distortion goes (the wrapper's own cost), of the distorting model fed arrays, and of the
project's augmented path (``with_distortion``; on TensorFlow fed by ``lean_batches``). "Stalls"
counts epochs over 1.4x their path's median. Then each warp alone on the 54,000 training
images, 128 at a time in the backend's compiled ``predict`` loop, against the same loop passing
images through.
"""

import argparse
import statistics
import time

import mnist_helpers  # noqa: F401  (quiets TensorFlow before keras is imported)

# isort: split
import keras

from benchmarks.train_speed import epoch_timer
from mnist_helpers.augment import (
    bilinear_sample,
    in_front,
    library_warp,
    random_affine,
    source_positions,
    with_distortion,
)
from mnist_helpers.data import IMAGE_PIXELS, flatten_and_scale, load_mnist, one_hot
from mnist_helpers.feed import lean_batches
from mnist_helpers.model import build_model
from mnist_helpers.recipe import AUGMENTED_RECIPE, BASELINE_RECIPE
from mnist_helpers.train import seed_everything, split_validation

WARPS = {
    "library": library_warp,
    "gather": lambda images, matrices, offsets: bilinear_sample(images, *source_positions(matrices, offsets)),
}
AFFINE_LIMITS = {name: getattr(AUGMENTED_RECIPE, name) for name in ("max_shift", "max_rotation", "max_scale")}


class WarpOnly(keras.layers.Layer):
    """Random maps drawn and applied by one named warp, in training mode or not (for timing only)."""

    def __init__(self, warp):
        super().__init__()
        self.warp, self.seed_generator = WARPS.get(warp), keras.random.SeedGenerator(0)

    def call(self, images):
        if self.warp is None:
            return images
        matrices, offsets = random_affine(keras.ops.shape(images)[0], self.seed_generator, **AFFINE_LIMITS)
        return self.warp(images, matrices, offsets)


def timed_epochs(path, fit_data, validation, epochs):
    """Wall and process-CPU seconds of each epoch after the first (tracing) one."""
    seed_everything(0)
    model = build_model(BASELINE_RECIPE)
    data = {"x": fit_data[0], "y": fit_data[1], "batch_size": 128}
    if path.startswith("augmented"):
        model = with_distortion(model, 1, AUGMENTED_RECIPE.distortion_limits())
    elif path == "wrapper":
        model = in_front(keras.layers.Identity(), model)
    if path == "augmented" and keras.backend.backend() == "tensorflow":
        data = {"x": lean_batches(*fit_data, batch_size=128, seed=1), "shuffle": False}
    clock = epoch_timer(keras)
    model.fit(**data, epochs=epochs + 1, validation_data=validation, callbacks=[clock], verbose=0)
    return clock.wall[1:], clock.cpu[1:]


def timed_warp(warp, images, repeats=3):
    """Median wall and CPU seconds of one pass of ``warp`` ("none": pass-through) over ``images``."""
    runner = keras.Sequential([keras.Input((IMAGE_PIXELS,)), WarpOnly(warp)])
    runner.predict(images[:1024], batch_size=128, verbose=0)  # trace
    runs = []
    for _ in range(repeats):
        start = (time.perf_counter(), time.process_time())
        runner.predict(images, batch_size=128, verbose=0)
        runs.append((time.perf_counter() - start[0], time.process_time() - start[1]))
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=4, help="timed epochs per run")
    args = parser.parse_args()
    (x_train, y_train), _ = load_mnist()
    fit_data, validation = split_validation(flatten_and_scale(x_train), one_hot(y_train), 0.1)
    paths = ["plain", "wrapper", "augmented"]
    if keras.backend.backend() == "tensorflow":
        paths.insert(2, "augmented-arrays")
    times = {path: ([], []) for path in paths}
    for round_index in range(args.rounds):
        shift = round_index % len(paths)
        for path in paths[shift:] + paths[:shift]:
            wall, cpu = timed_epochs(path, fit_data, validation, args.epochs)
            times[path][0].extend(wall)
            times[path][1].extend(cpu)
    plain_wall, plain_cpu = (statistics.median(values) for values in times["plain"])
    print(f"backend {keras.backend.backend()}: seconds per epoch, median (range), process CPU, ratios to plain")
    for path, (wall, cpu) in times.items():
        median = statistics.median(wall)
        stalls = sum(value > 1.4 * median for value in wall)
        print(f"  {path:16s} {median:.2f} ({min(wall):.2f}-{max(wall):.2f}, mean {statistics.mean(wall):.2f})"
              f"  CPU {statistics.median(cpu):.2f}  wall {median / plain_wall:.2f}x"
              f"  CPU {statistics.median(cpu) / plain_cpu:.2f}x  stalls {stalls}/{len(wall)}")  # fmt: skip
    print("  each warp alone on 54,000 images, 128 at a time (compiled predict loop):")
    for warp in ("none", *WARPS):
        wall, cpu = timed_warp(warp, fit_data[0])
        print(f"    {warp:8s} {wall:.2f} s wall, {cpu:.2f} s CPU")


if __name__ == "__main__":
    main()
