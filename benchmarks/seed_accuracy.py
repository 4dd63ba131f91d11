"""Seed-to-seed variance: train the recipe once per seed on the full data, evaluate on the test set.

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.seed_accuracy --seeds 0 1 2             # the baseline recipe
    python -m benchmarks.seed_accuracy --seeds 0 1 2 --augment   # the augmented recipe
    python -m benchmarks.seed_accuracy --augment --change max_thinning=0.5 --keep runs/half  # a variant, kept
    KERAS_BACKEND=jax python -m benchmarks.seed_accuracy ...     # on another Keras backend

Each seed trains in a fresh process. Training decisions (early stopping, learning-rate
reduction) see only the validation split; the test set is touched once, after training.
Prints per-seed figures and mean +- standard deviation; writes JSON under benchmarks/results/.
"""

import argparse
import json
import os
import statistics
import sys
from pathlib import Path

from mnist_helpers._support.artifacts import save_json
from mnist_helpers._support.fresh_process import run_fresh
from mnist_helpers._support.provenance import machine_description
from mnist_helpers.config import PROJECT_ROOT
from mnist_helpers.recipe import ParameterError, recipe_for

RESULTS_DIR = PROJECT_ROOT / "benchmarks" / "results"
SMOKE = {"smoke": True, "test_samples": 2000}


def recipe_change(text: str) -> tuple:
    """``FIELD=VALUE`` as ``(field, value)``, the value read as JSON (the recipe checks both when it is built)."""
    field, separator, value = text.partition("=")
    if separator:
        try:
            return field, json.loads(value)
        except json.JSONDecodeError:
            pass
    raise argparse.ArgumentTypeError(f"{text!r}: the value after = must be JSON (a number, true, a list)")


def run_seed(seed, args):
    """Train and evaluate one seed in a fresh process (same backend), echoing its epoch log; return its summary."""
    kwargs = {
        "seed": seed,
        "augment": args.augment,
        "epochs": args.epochs,
        "verbose": 2,
        "keep": str(args.keep / f"seed{seed}.keras") if args.keep else None,
        **(SMOKE if args.smoke else {}),
        **args.change,
    }
    return run_fresh("mnist_helpers.train:summary", kwargs, echo=True)


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
    parser.add_argument("--change", type=recipe_change, action="append", default=[], metavar="FIELD=VALUE",
                        help="a recipe field changed (a JSON value), e.g. max_thinning=1.0")  # fmt: skip
    parser.add_argument("--keep", type=Path, help="save each seed's model in this folder, as seedN.keras")
    parser.add_argument("--output", type=Path, help="JSON path (default: benchmarks/results/seed_accuracy_*.json)")
    args = parser.parse_args(argv)
    args.change = dict(args.change)
    try:
        recipe_for(args.augment, **args.change)
    except (ParameterError, TypeError) as error:
        parser.error(f"--change: {error}")
    records = []
    for seed in args.seeds:
        records.append(run_seed(seed, args))
        r = records[-1]
        print(f"seed {seed}: test accuracy {r['test_accuracy']:.4f}, {r['epochs_run']} epochs, "
              f"{r['train_seconds']:.0f} s", flush=True)  # fmt: skip
    table, mean, spread = report(records)
    backend = records[0]["backend"]
    command = " ".join(["python -m benchmarks.seed_accuracy", *(argv if argv is not None else sys.argv[1:])])
    if backend != "tensorflow":
        command = f"KERAS_BACKEND={backend} {command}"
    if "TF_ENABLE_ONEDNN_OPTS" in os.environ:
        command = f"TF_ENABLE_ONEDNN_OPTS={os.environ['TF_ENABLE_ONEDNN_OPTS']} {command}"
    print(f"\n{command}\n\n{table}")
    name = "seed_accuracy" + ("_augmented" if args.augment else "") + ("" if backend == "tensorflow" else f"_{backend}")
    name += "".join(f"_{field}_{value}" for field, value in args.change.items())  # a variant: its own record
    output = args.output or RESULTS_DIR / f"{name}{'_smoke' if args.smoke else ''}.json"
    summary = {"command": command, "backend": backend, "mean_test_accuracy": mean, "std_test_accuracy": spread,
               "markdown": table, "machine": machine_description(), "seeds": records}  # fmt: skip
    save_json(summary, output)
    print(f"\nwrote {output.relative_to(PROJECT_ROOT) if output.is_relative_to(PROJECT_ROOT) else output}")


if __name__ == "__main__":
    main()
