"""Seed-to-seed variance: train the recipe once per seed on the full data, evaluate on the test set.

Run by hand from the repository root (not part of the test suite):

    python benchmarks/seed_accuracy.py --seeds 0 1 2             # the default recipe
    python benchmarks/seed_accuracy.py --seeds 0 1 2 --augment   # the augmented recipe
    KERAS_BACKEND=jax python benchmarks/seed_accuracy.py ...     # on another Keras backend

Each seed trains in a fresh process. Training decisions (early stopping, learning-rate
reduction) see only the validation split; the test set is touched once, after training.
Prints per-seed figures and mean +- standard deviation; writes JSON under benchmarks/results/.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RESULTS_DIR = ROOT / "benchmarks" / "results"


def run_seed(seed, augment, epochs, smoke):
    """Train and evaluate one seed in this process; return its record."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    sys.path.insert(0, str(ROOT))
    import keras

    from mnist_helpers.config import DEFAULTS
    from mnist_helpers.data import flatten_and_scale, load_mnist, one_hot
    from mnist_helpers.metrics import digit_confusion_matrix, predict_probabilities
    from mnist_helpers.model import build_model
    from mnist_helpers.training import AUGMENTED_RECIPE, seed_everything, train_model

    (x_train, y_train), (x_test, y_test) = load_mnist()
    if smoke:
        x_train, y_train, x_test, y_test = x_train[:4000], y_train[:4000], x_test[:2000], y_test[:2000]
    recipe = dict(AUGMENTED_RECIPE) if augment else {"epochs": DEFAULTS["epochs"]}  # train_model's own patience
    if epochs:
        recipe["epochs"] = epochs
    seed_everything(seed)
    model = build_model()
    result = train_model(model, flatten_and_scale(x_train), one_hot(y_train), augment=augment, **recipe)
    predicted = predict_probabilities(model, flatten_and_scale(x_test)).argmax(axis=1)
    best = result.best_epoch - 1
    return {
        "seed": seed,
        "backend": keras.backend.backend(),
        "augment": augment,
        "recipe": recipe,
        "test_accuracy": float((predicted == y_test).mean()),
        "val_accuracy_at_best": result.history["val_accuracy"][best],
        "val_loss_at_best": result.history["val_loss"][best],
        "best_epoch": result.best_epoch,
        "epochs_run": result.epochs_run,
        "train_seconds": result.seconds,
        "confusion_matrix": digit_confusion_matrix(y_test, predicted).tolist(),
        "history": result.history,
    }


def run_in_fresh_process(seed, args):
    """Run one seed as a subprocess (same backend); return its record."""
    command = [sys.executable, __file__, "--worker", str(seed)]
    command += ["--augment"] if args.augment else []
    command += ["--smoke"] if args.smoke else []
    command += ["--epochs", str(args.epochs)] if args.epochs else []
    result = None
    with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, text=True) as worker:
        for line in worker.stdout:  # pass the epoch log through, keep the result line
            if line.startswith("RESULT "):
                result = json.loads(line[len("RESULT ") :])
            else:
                print(line, end="", flush=True)
    if worker.returncode != 0 or result is None:
        raise RuntimeError(f"seed {seed} failed (exit {worker.returncode})")
    return result


def report(records):
    """Markdown table of the seeds and their mean +- sample standard deviation."""
    lines = [
        "| seed | test accuracy | val. accuracy (best epoch) | best / run epochs | training time |",
        "|---:|---:|---:|---:|---:|",
    ]
    for r in records:
        lines.append(
            f"| {r['seed']} | {r['test_accuracy']:.2%} | {r['val_accuracy_at_best']:.2%} "
            f"| {r['best_epoch']} / {r['epochs_run']} | {r['train_seconds'] / 60:.1f} min |"
        )
    accuracies = [r["test_accuracy"] for r in records]
    spread = statistics.stdev(accuracies) if len(accuracies) > 1 else 0.0
    minutes = [r["train_seconds"] / 60 for r in records]
    lines.append(
        f"| **mean +- std** | **{statistics.mean(accuracies):.2%} +- {spread:.2%}** | | "
        f"| {statistics.mean(minutes):.1f} min |"
    )
    return "\n".join(lines), statistics.mean(accuracies), spread


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--augment", action="store_true", help="the augmented recipe (training images distorted)")
    parser.add_argument("--epochs", type=int, help="override the recipe's epoch budget")
    parser.add_argument("--smoke", action="store_true", help="4,000 training and 2,000 test images, for a quick check")
    parser.add_argument("--output", type=Path, help="JSON path (default: benchmarks/results/seed_accuracy_*.json)")
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker is not None:
        record = run_seed(args.worker, args.augment, args.epochs, args.smoke)
        print("RESULT " + json.dumps(record), flush=True)
        return
    records = []
    for seed in args.seeds:
        records.append(run_in_fresh_process(seed, args))
        r = records[-1]
        print(f"seed {seed}: test accuracy {r['test_accuracy']:.4f}, {r['epochs_run']} epochs, "
              f"{r['train_seconds']:.0f} s", flush=True)  # fmt: skip
    table, mean, spread = report(records)
    backend = records[0]["backend"]
    command = " ".join(["python benchmarks/seed_accuracy.py", *(argv if argv is not None else sys.argv[1:])])
    if backend != "tensorflow":
        command = f"KERAS_BACKEND={backend} {command}"
    print(f"\n{command}\n\n{table}")
    name = "seed_accuracy" + ("_augmented" if args.augment else "") + ("" if backend == "tensorflow" else f"_{backend}")
    output = args.output or RESULTS_DIR / f"{name}{'_smoke' if args.smoke else ''}.json"
    summary = {"command": command, "backend": backend, "mean_test_accuracy": mean, "std_test_accuracy": spread,
               "markdown": table, "seeds": records}  # fmt: skip
    sys.path.insert(0, str(ROOT))
    from mnist_helpers.artifacts import save_json

    save_json(summary, output)
    print(f"\nwrote {output.relative_to(ROOT) if output.is_relative_to(ROOT) else output}")


if __name__ == "__main__":
    main()
