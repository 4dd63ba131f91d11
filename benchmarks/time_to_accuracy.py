"""Time to accuracy: validation accuracy against training seconds, plain and augmented recipes, TensorFlow and JAX.

Run by hand from the repository root (not part of the test suite):

    python benchmarks/time_to_accuracy.py

Each run trains its recipe in full (seed 0) in a fresh process (the Keras backend is fixed at
import), one after another on one machine in one session. Only validation data is scored, so
the figure can be used to choose a schedule. Writes benchmarks/results/time_to_accuracy.json
and docs/time_to_accuracy.png (150 DPI).
"""

import argparse
import dataclasses
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "benchmarks" / "results"
FIGURE = ROOT / "docs" / "time_to_accuracy.png"
RUNS = {  # name -> (backend, augment)
    "plain-tensorflow": ("tensorflow", False),
    "plain-jax": ("jax", False),
    "augmented-tensorflow": ("tensorflow", True),
    "augmented-jax": ("jax", True),
}


def run_worker(name, seed, epochs):
    """Train ``name``'s recipe in this process; print one JSON line with per-epoch seconds and validation figures."""
    os.environ["KERAS_BACKEND"] = RUNS[name][0]
    sys.path.insert(0, str(ROOT))
    import mnist_helpers  # noqa: F401  (quiets TensorFlow before keras is imported)

    # isort: split
    import keras

    from mnist_helpers.data import flatten_and_scale, load_mnist, one_hot
    from mnist_helpers.model import build_model
    from mnist_helpers.recipe import recipe_for
    from mnist_helpers.training import seed_everything, train_model

    class EpochClock(keras.callbacks.Callback):
        """Seconds from the start of training to the end of each epoch (validation included)."""

        def on_train_begin(self, logs=None):
            self.start, self.seconds = time.perf_counter(), []

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.start)

    (x_train, y_train), _ = load_mnist()  # the test set is not used here
    recipe = recipe_for(RUNS[name][1], epochs=epochs)
    seed_everything(seed)
    model = build_model(recipe)
    clock = EpochClock()
    result = train_model(model, flatten_and_scale(x_train), one_hot(y_train), recipe, verbose=0, callbacks=[clock])
    record = {"name": name, "backend": keras.backend.backend(), "recipe": dataclasses.asdict(recipe),
              "seconds": clock.seconds, "val_accuracy": result.history["val_accuracy"],
              "val_loss": result.history["val_loss"], "best_epoch": result.best_epoch}  # fmt: skip
    print("RESULT " + json.dumps(record), flush=True)


def run_in_fresh_process(name, seed, epochs):
    command = [sys.executable, __file__, "--worker", name, "--seed", str(seed)]
    command += ["--epochs", str(epochs)] if epochs else []
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    lines = [line for line in completed.stdout.splitlines() if line.startswith("RESULT ")]
    if completed.returncode != 0 or not lines:
        raise RuntimeError(f"{name} failed:\n{completed.stderr[-3000:]}")
    return json.loads(lines[-1][len("RESULT ") :])


def plot_time_to_accuracy(records):
    """Validation accuracy (best so far) against training seconds, one line per run; returns the Figure."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(7.5, 4.5))
    styles = {"tensorflow": "-", "jax": "--"}
    colours = {False: "tab:blue", True: "tab:orange"}
    for record in records:
        best = [max(record["val_accuracy"][: index + 1]) for index in range(len(record["val_accuracy"]))]
        augment = record["recipe"]["augment"]
        ax.plot(record["seconds"], [100 * value for value in best], styles[record["backend"]], color=colours[augment],
                marker=".", label=f"{'augmented' if augment else 'plain'}, {record['backend']}")  # fmt: skip
    ax.set_xlabel("training seconds (validation passes included)")
    ax.set_ylabel("validation accuracy, best so far (%)")
    ax.set_ylim(98.0, 99.6)
    ax.grid(alpha=0.3)
    ax.legend(loc="lower right")
    ax.set_title("Time to accuracy (seed 0, one machine, one session)")
    return fig


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", nargs="+", default=list(RUNS), choices=list(RUNS))
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--epochs", type=int, help="override the recipes' epoch budget")
    parser.add_argument("--output", type=Path, default=RESULTS_DIR / "time_to_accuracy.json")
    parser.add_argument("--figure", type=Path, default=FIGURE)
    parser.add_argument("--worker", choices=list(RUNS), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return run_worker(args.worker, args.seed, args.epochs)
    records = []
    for name in args.runs:
        records.append(run_in_fresh_process(name, args.seed, args.epochs))
        r = records[-1]
        print(f"{name}: {len(r['seconds'])} epochs in {r['seconds'][-1]:.0f} s, best val. accuracy "
              f"{max(r['val_accuracy']):.2%}, at the restored epoch {r['val_accuracy'][r['best_epoch'] - 1]:.2%}",
              flush=True)  # fmt: skip
    sys.path.insert(0, str(ROOT))
    from mnist_helpers.artifacts import save_json
    from mnist_helpers.plots import save_figure

    command = "python benchmarks/time_to_accuracy.py " + " ".join(argv if argv is not None else sys.argv[1:])
    save_json({"command": command.strip(), "runs": records}, args.output)
    args.figure.parent.mkdir(parents=True, exist_ok=True)
    save_figure(plot_time_to_accuracy(records), args.figure)
    print(f"wrote {args.output}, {args.figure}")


if __name__ == "__main__":
    main()
