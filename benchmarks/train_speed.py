"""Training speed: the project's path on each Keras backend against a plain Keras script and the compute bound.

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.train_speed --repeats 5 --epochs 3

Each run trains in a fresh process (the Keras backend is fixed at import); runs of the paths
are interleaved round by round, so machine noise hits all of them alike, and every figure is a
median over all timed epochs (the first epoch of each run, with tracing and compilation, is a
warm-up and not timed). Prints a markdown table and writes JSON under benchmarks/results/.
"""

import argparse
import resource
import statistics
import sys
import time
from importlib.util import find_spec
from pathlib import Path

import numpy as np

from mnist_helpers._support.artifacts import save_json
from mnist_helpers._support.fresh_process import run_fresh
from mnist_helpers._support.provenance import library_versions, machine_description
from mnist_helpers.config import PROJECT_ROOT
from mnist_helpers.data import IMAGE_PIXELS, NUM_CLASSES
from mnist_helpers.recipe import BASELINE_RECIPE

RESULTS_DIR = PROJECT_ROOT / "benchmarks" / "results"
LAYERS = (IMAGE_PIXELS, *BASELINE_RECIPE.hidden_layers, NUM_CLASSES)  # the baseline network's Dense layers
BATCH_SIZE = BASELINE_RECIPE.batch_size
VALIDATION_SPLIT = BASELINE_RECIPE.validation_split

PATHS = {
    "keras-script": ("tensorflow", "plain Keras script: `model.fit` on NumPy arrays, default settings"),
    "project-tensorflow": ("tensorflow", "project default: `build_model()` + `train_model()`"),
    "project-jax": ("jax", "project on JAX: `KERAS_BACKEND=jax`"),
    "project-torch": ("torch", "project on PyTorch: `KERAS_BACKEND=torch`"),
    "augmented-tensorflow": ("tensorflow", "project default + `augment=True`"),
    "augmented-jax": ("jax", "project on JAX + `augment=True`"),
    "tensorflow-spe64": ("tensorflow", "project default, `steps_per_execution=64` (same numerics)"),
    "tensorflow-xla": ("tensorflow", "project default, `jit_compile=True` (XLA: other numerics)"),
    "tensorflow-no-onednn": ("tensorflow", "project default, `TF_ENABLE_ONEDNN_OPTS=0` (other numerics)"),
}
# PyTorch is optional (not in requirements.txt): time it only where it is installed.
DEFAULT_PATHS = ["keras-script", "project-tensorflow", "project-jax", "augmented-tensorflow", "augmented-jax"]
DEFAULT_PATHS += ["project-torch"] if find_spec("torch") else []
BUILD_OPTIONS = {"tensorflow-spe64": {"steps_per_execution": 64}, "tensorflow-xla": {"jit_compile": True}}


# ---------------------------------------------------------------- worker: one training run


def epoch_timer(keras):
    class EpochTimer(keras.callbacks.Callback):
        """Wall and CPU seconds of each epoch, validation included."""

        def __init__(self):
            super().__init__()
            self.wall, self.cpu = [], []

        def on_epoch_begin(self, epoch, logs=None):
            self._start = (time.perf_counter(), time.process_time())

        def on_epoch_end(self, epoch, logs=None):
            self.wall.append(time.perf_counter() - self._start[0])
            self.cpu.append(time.process_time() - self._start[1])

    return EpochTimer()


def _keras_script_fit(keras, x, y, epochs, timer):
    """The baseline recipe written the obvious way, independent of the helper package."""
    import tensorflow as tf

    keras.utils.set_random_seed(42)
    tf.config.experimental.enable_op_determinism()
    model = keras.Sequential(
        [
            keras.Input(shape=(784,)),
            keras.layers.Dense(512),
            keras.layers.BatchNormalization(),
            keras.layers.Activation("relu"),
            keras.layers.Dropout(0.3),
            keras.layers.Dense(256),
            keras.layers.BatchNormalization(),
            keras.layers.Activation("relu"),
            keras.layers.Dropout(0.2),
            keras.layers.Dense(128, activation="relu"),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(optimizer=keras.optimizers.Adam(0.001), loss="categorical_crossentropy", metrics=["accuracy"])
    callbacks = [
        keras.callbacks.EarlyStopping(monitor="val_loss", patience=4, restore_best_weights=True),
        keras.callbacks.ReduceLROnPlateau(monitor="val_loss", factor=0.5, patience=2, min_lr=1e-5),
        timer,
    ]
    history = model.fit(x, y, batch_size=BATCH_SIZE, epochs=epochs, validation_split=VALIDATION_SPLIT,
                        callbacks=callbacks, verbose=2)  # fmt: skip
    return history.history


def _project_fit(x, y, epochs, timer, augment, build_options):
    from mnist_helpers.model import build_model
    from mnist_helpers.recipe import DEFAULT_SEED, recipe_for
    from mnist_helpers.train import seed_everything, train_model

    seed_everything(DEFAULT_SEED)
    recipe = recipe_for(augment, epochs=epochs)
    model = build_model(recipe, **build_options)
    return train_model(model, x, y, recipe, callbacks=[timer]).history


def worker(path, epochs):
    """Train ``epochs`` epochs along ``path`` in this (fresh) process; return its timings."""
    import keras

    from mnist_helpers.data import flatten_and_scale, load_mnist, one_hot

    (x_train, y_train), _ = load_mnist()
    x, y = flatten_and_scale(x_train), one_hot(y_train)
    timer = epoch_timer(keras)
    if path == "keras-script":
        history = _keras_script_fit(keras, x, y, epochs, timer)
    else:
        history = _project_fit(x, y, epochs, timer, path.startswith("augmented"), BUILD_OPTIONS.get(path, {}))
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"path": path, "backend": keras.backend.backend(), "wall": timer.wall, "cpu": timer.cpu,
            "peak_rss_mb": peak_mb, "val_accuracy": history["val_accuracy"]}  # fmt: skip


# ---------------------------------------------------------------- the compute bound


def network_flops_per_epoch(samples=60000, layers=LAYERS, validation_split=VALIDATION_SPLIT):
    """Matrix-multiply FLOPs of one epoch: forward and backward on training data, forward on validation.

    Forward is 2*n_in*n_out per sample and layer; backward is the same again for the weight
    gradients and for the input gradients (none needed for the first layer's input).
    """
    train = int(samples * (1 - validation_split))
    dense = [2 * n_in * n_out for n_in, n_out in zip(layers[:-1], layers[1:])]
    forward = sum(dense)
    backward = sum(dense) + sum(dense[1:])
    return train * (forward + backward) + (samples - train) * forward


def matmul_gflops(size=2048, repeats=5):
    """Best single-precision matrix-multiply rate of NumPy's BLAS on all cores, in GFLOP/s."""
    rng = np.random.default_rng(0)
    a, b = rng.random((size, size), dtype=np.float32), rng.random((size, size), dtype=np.float32)
    a @ b
    best = min(_timed(lambda: a @ b) for _ in range(repeats))
    return 2 * size**3 / best / 1e9


def _timed(function):
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


# ---------------------------------------------------------------- orchestration and report


def run_path(path, epochs):
    """One fresh-process run of ``path``; returns its parsed record."""
    env = {"KERAS_BACKEND": PATHS[path][0]}
    if path == "tensorflow-no-onednn":
        env["TF_ENABLE_ONEDNN_OPTS"] = "0"
    return run_fresh("benchmarks.train_speed:worker", {"path": path, "epochs": epochs}, env=env)


def run_all(paths, repeats, epochs, warmup):
    """Interleave the paths round by round (order rotated each round); time the matmul rate between rounds."""
    runs = {path: [] for path in paths}
    rates = [matmul_gflops()]
    for round_index in range(repeats):
        shift = round_index % len(paths)
        for path in paths[shift:] + paths[:shift]:
            record = run_path(path, warmup + epochs)
            runs[path].append(record)
            print(f"round {round_index + 1}/{repeats} {path}: {[round(t, 2) for t in record['wall']]}", flush=True)
        rates.append(matmul_gflops())
    return runs, rates


def summarise(runs, rates, warmup, samples=60000):
    """Per path: median seconds per epoch, samples/s, ratios to the Keras script and to the bound, peak memory."""
    gflops = statistics.median(rates)
    bound = network_flops_per_epoch(samples) / (gflops * 1e9)
    train_samples = int(samples * (1 - VALIDATION_SPLIT))
    script = None
    rows = []
    for path, records in runs.items():
        wall = [t for record in records for t in record["wall"][warmup:]]
        cpu = [t for record in records for t in record["cpu"][warmup:]]
        median = statistics.median(wall)
        if path == "keras-script":
            script = median
        rows.append({
            "path": path, "backend": records[0]["backend"], "what": PATHS[path][1],
            "seconds_per_epoch": median, "min": min(wall), "max": max(wall), "epochs_timed": len(wall),
            "cpu_seconds_per_epoch": statistics.median(cpu), "samples_per_second": train_samples / median,
            "time_over_bound": median / bound,
            "peak_rss_mb": max(record["peak_rss_mb"] for record in records),
        })  # fmt: skip
    plain = {row["backend"]: row["seconds_per_epoch"] for row in rows if row["path"] == f"project-{row['backend']}"}
    for row in rows:
        row["speedup_over_keras_script"] = script / row["seconds_per_epoch"] if script else None
        row["ratio_to_plain"] = row["seconds_per_epoch"] / plain[row["backend"]] if row["backend"] in plain else None
    return {"matmul_gflops": gflops, "matmul_gflops_rounds": rates, "flops_per_epoch": network_flops_per_epoch(samples),
            "bound_seconds_per_epoch": bound, "rows": rows}  # fmt: skip


def machine_info():
    """CPU, cores, memory and library versions, as the package records them for a run."""
    with open("/proc/meminfo") as handle:
        memory_gib = int(handle.readline().split()[1]) / 2**20
    return {**machine_description(), "memory_gib": round(memory_gib, 1), "versions": library_versions()}


def markdown(summary, machine, command):
    """The report: machine, command, the table and the bound."""
    versions = ", ".join(f"{name} {value}" for name, value in machine["versions"].items())
    lines = [
        f"Machine: {machine['cpu']}, {machine['cpu_count']} cores, {machine['memory_gib']} GiB; {versions}",
        f"Command: `{command}`",
        "",
        "| path | backend | s/epoch (median) | range | vs plain (same backend) | CPU s/epoch | samples/s "
        "| speed-up vs Keras script | time / bound | peak RSS |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for row in summary["rows"]:
        speedup = f"{row['speedup_over_keras_script']:.2f}x" if row["speedup_over_keras_script"] else "n/a"
        to_plain = f"{row['ratio_to_plain']:.2f}x" if row["ratio_to_plain"] else "n/a"
        lines.append(
            f"| {row['path']} | {row['backend']} | {row['seconds_per_epoch']:.2f} | {row['min']:.2f}-{row['max']:.2f} "
            f"| {to_plain} | {row['cpu_seconds_per_epoch']:.2f} | {row['samples_per_second']:,.0f} "
            f"| {speedup} | {row['time_over_bound']:.1f}x | {row['peak_rss_mb']:,.0f} MB |"
        )
    lines += [
        "",
        f"Compute bound: {summary['flops_per_epoch'] / 1e9:.1f} GFLOP per epoch (forward + backward on 54,000 "
        f"training images, forward on 6,000 validation images) / {summary['matmul_gflops']:.0f} GFLOP/s "
        f"(NumPy float32 2048x2048 matmul, median of rounds) = {summary['bound_seconds_per_epoch']:.2f} s per epoch.",
        "s/epoch includes the validation pass; samples/s counts the 54,000 training images.",
        "Speed-up vs Keras script = script s/epoch / path s/epoch; time / bound = path s/epoch / bound;",
        "vs plain = path s/epoch / the project's plain path on the same backend, in the same session.",
    ]
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=3, help="timed epochs per run (after the warm-up)")
    parser.add_argument("--warmup", type=int, default=1, help="untimed epochs at the start of each run")
    parser.add_argument("--repeats", type=int, default=5, help="runs of each path, interleaved")
    parser.add_argument("--paths", nargs="+", default=DEFAULT_PATHS, choices=list(PATHS))
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "train_speed.json")
    args = parser.parse_args(argv)
    command = "python -m benchmarks.train_speed " + " ".join(argv if argv is not None else sys.argv[1:])
    machine = machine_info()
    runs, rates = run_all(args.paths, args.repeats, args.epochs, args.warmup)
    summary = summarise(runs, rates, args.warmup)
    report = markdown(summary, machine, command.strip())
    print("\n" + report)
    save_json(
        {"machine": machine, "command": command.strip(), **summary, "runs": runs, "markdown": report}, args.output
    )


if __name__ == "__main__":
    main()
