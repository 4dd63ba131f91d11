"""Time to accuracy: validation accuracy against training seconds, plain and augmented recipes, TensorFlow and JAX.

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.time_to_accuracy

Each run trains its recipe in full (seed 0) in a fresh process (the Keras backend is fixed at
import), one after another on one machine in one session. Only validation data is scored, so
the figure can be used to choose a schedule. Writes benchmarks/results/time_to_accuracy.json
and docs/time_to_accuracy.png (150 DPI).
"""

import argparse
import dataclasses
import sys
import time
from pathlib import Path

from mnist_helpers._support.artifacts import save_json
from mnist_helpers._support.fresh_process import run_fresh
from mnist_helpers.config import PROJECT_ROOT
from mnist_helpers.plots import save_figure

RESULTS_DIR = PROJECT_ROOT / "benchmarks" / "results"
FIGURE = PROJECT_ROOT / "docs" / "time_to_accuracy.png"
RUNS = {  # name -> (backend, augment)
    "plain-tensorflow": ("tensorflow", False),
    "plain-jax": ("jax", False),
    "augmented-tensorflow": ("tensorflow", True),
    "augmented-jax": ("jax", True),
}


def worker(name, seed, epochs=None):
    """Train ``name``'s recipe in this (fresh) process; return per-epoch seconds and validation figures."""
    import keras

    from mnist_helpers.data import flatten_and_scale, load_mnist, one_hot
    from mnist_helpers.model import build_model
    from mnist_helpers.recipe import recipe_for
    from mnist_helpers.train import seed_everything, train_model

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
    return {"name": name, "backend": keras.backend.backend(), "recipe": dataclasses.asdict(recipe),
            "seconds": clock.seconds, "val_accuracy": result.history["val_accuracy"],
            "val_loss": result.history["val_loss"], "best_epoch": result.best_epoch}  # fmt: skip


def run_in_fresh_process(name, seed, epochs):
    """One run of ``name`` in a new interpreter with its Keras backend; returns its record."""
    kwargs = {"name": name, "seed": seed, "epochs": epochs}
    return run_fresh("benchmarks.time_to_accuracy:worker", kwargs, env={"KERAS_BACKEND": RUNS[name][0]})


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
    args = parser.parse_args(argv)
    records = []
    for name in args.runs:
        records.append(run_in_fresh_process(name, args.seed, args.epochs))
        r = records[-1]
        print(f"{name}: {len(r['seconds'])} epochs in {r['seconds'][-1]:.0f} s, best val. accuracy "
              f"{max(r['val_accuracy']):.2%}, at the restored epoch {r['val_accuracy'][r['best_epoch'] - 1]:.2%}",
              flush=True)  # fmt: skip
    command = "python -m benchmarks.time_to_accuracy " + " ".join(argv if argv is not None else sys.argv[1:])
    save_json({"command": command.strip(), "runs": records}, args.output)
    args.figure.parent.mkdir(parents=True, exist_ok=True)
    save_figure(plot_time_to_accuracy(records), args.figure)
    print(f"wrote {args.output}, {args.figure}")


if __name__ == "__main__":
    main()
