"""Committees of robust models, measured on a GPU: each seed alone and the seeds' averaged probabilities, on MNIST
test and on every held-out source of :mod:`benchmarks.held_out`.

Sized for a short slot on the GPU machine of :mod:`benchmarks.gpu_check` (JAX with CUDA, no Keras, no network):

    python -m benchmarks.gpu_committee --prepare   # here: gpu_check's wheels, and the held-out sources prepared
                                                   # as predict prepares them (benchmarks/gpu_wheels/held_out.npz)
    python -m benchmarks.gpu_committee             # there, carrying benchmarks/gpu_wheels/: the runs, then
                                                   # benchmarks/results/gpu_committee.json
    python -m benchmarks.gpu_committee --smoke     # anywhere: tiny runs, a check only

Every member is one fresh process on the JAX backend training the augmented recipe (``--change FIELD=VALUE`` for a
variant) to its own end; several run at once on the one GPU. A committee of n is the first n seeds' probabilities
averaged (Meier et al. 2011 average 25 MLPs). Reported: test accuracy on the MNIST test arrays (as the notebook
measures it), and accuracy on each held-out source as ``predict`` prepares it.
"""

import argparse
import json
import os
import shlex
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np

from mnist_helpers._support.artifacts import save_json
from mnist_helpers._support.fresh_process import run_fresh
from mnist_helpers.config import PROJECT_ROOT
from mnist_helpers.recipe import ParameterError, recipe_for

from .gpu_check import WHEELS_DIR, keras_environment, prepare
from .seed_accuracy import recipe_change

HELD_OUT_PATH = WHEELS_DIR / "held_out.npz"
RESULTS_PATH = PROJECT_ROOT / "benchmarks" / "results" / "gpu_committee.json"
SMOKE_RESULTS_PATH = PROJECT_ROOT / "runs" / "gpu_committee_smoke.json"
MNIST_ARRAYS = "MNIST test (arrays)"


def prepare_held_out(path: Path) -> None:
    """The held-out sources, prepared here (the GPU machine may lack the preprocessing's libraries)."""
    from benchmarks.held_out import sources

    arrays = {}
    for name, (digits, labels) in sources().items():
        arrays[f"{name}|digits"], arrays[f"{name}|labels"] = digits.astype(np.float32), labels
    path.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(path, **arrays)
    print(f"wrote {path} ({path.stat().st_size / 2**20:.1f} MiB)")


def held_out_sources(path: Path) -> dict:
    """name -> (digits, labels), the MNIST test arrays first."""
    from mnist_helpers.data import flatten_and_scale, load_mnist

    _, (x_test, y_test) = load_mnist()
    found = {MNIST_ARRAYS: (flatten_and_scale(x_test), y_test)}
    with np.load(path) as arrays:
        for key in arrays.files:
            name, part = key.split("|")
            if part == "digits":
                found[name] = (arrays[key], arrays[f"{name}|labels"])
    return found


def member(seed, changes, held_out, probabilities, smoke=False):
    """In a fresh process: train the augmented recipe with ``changes`` for ``seed``; save its probabilities on every
    source to ``probabilities`` (.npz) and return its record."""
    from mnist_helpers._support.provenance import training_device
    from mnist_helpers.recipe import recipe_for
    from mnist_helpers.train import train_and_evaluate

    start = time.perf_counter()
    recipe = recipe_for(True, smoke=smoke, **changes)
    model, training, evaluation = train_and_evaluate(recipe, seed, smoke)
    found = held_out_sources(Path(held_out))
    answers = {name: model.predict(digits.reshape(len(digits), -1), verbose=0, batch_size=2048)
               for name, (digits, _) in found.items()}  # fmt: skip
    np.savez_compressed(probabilities, **answers)
    return {
        "seed": seed, "changes": changes, "device": training_device()["device"],
        "test_accuracy": evaluation.accuracy, "best_epoch": training.best_epoch, "epochs_run": training.epochs_run,
        "train_seconds": training.seconds, "wall_seconds": time.perf_counter() - start,
        "tensorflow_imported": "tensorflow" in sys.modules,
    }  # fmt: skip


def accuracies(probabilities: dict, sources: dict) -> dict:
    return {name: float(np.mean(probabilities[name].argmax(axis=1) == labels)) for name, (_, labels) in sources.items()}


def run(variants: dict, seeds: int, parallel: int, smoke: bool, wheels: Path, first_seed=0) -> dict:
    """Every variant's ``seeds`` members (seeds from ``first_seed``), ``parallel`` at a time; each member's and each
    committee's accuracies."""
    start = time.perf_counter()
    env = {**keras_environment(wheels), "KERAS_BACKEND": "jax", "XLA_PYTHON_CLIENT_PREALLOCATE": "false"}
    folder = Path(tempfile.mkdtemp(prefix="gpu-committee-"))
    numbers = range(first_seed, first_seed + seeds)
    jobs = [(name, seed) for name in variants for seed in numbers]

    def one(job):
        name, seed = job
        kwargs = {"seed": seed, "changes": variants[name], "held_out": str(wheels / HELD_OUT_PATH.name),
                  "probabilities": str(folder / f"{name}-{seed}.npz"), "smoke": smoke}  # fmt: skip
        record = run_fresh("benchmarks.gpu_committee:member", kwargs, env=env)
        print(f"{name} seed {seed}: {record['device']}, test {record['test_accuracy']:.2%}, "
              f"{record['epochs_run']} epochs in {record['train_seconds']:.0f} s", flush=True)  # fmt: skip
        return record

    with ThreadPoolExecutor(parallel) as pool:
        records = list(pool.map(one, jobs))
    sources = held_out_sources(wheels / HELD_OUT_PATH.name)
    results = {}
    for name in variants:
        members = [dict(np.load(folder / f"{name}-{seed}.npz")) for seed in numbers]
        alone = [accuracies(probabilities, sources) for probabilities in members]
        committees = {
            n: accuracies({source: np.mean([m[source] for m in members[:n]], axis=0) for source in sources}, sources)
            for n in range(2, seeds + 1)
        }
        results[name] = {
            "changes": variants[name],
            "members": [record for record in records if record["changes"] == variants[name]],
            "alone": alone,
            "alone_mean": {source: statistics.mean(row[source] for row in alone) for source in sources},
            "committees": committees,
        }
    return {"smoke": smoke, "seeds": seeds, "first_seed": first_seed, "parallel": parallel, "results": results,
            "wall_seconds": time.perf_counter() - start}  # fmt: skip


def pooled(records: list) -> dict:
    """Each variant's members alone over several runs (other seeds): per source, mean and standard deviation."""
    found = {}
    for record in records:
        for name, result in record["results"].items():
            found.setdefault(name, []).extend(result["alone"])
    return {name: {source: {"members": len(alone), "mean": statistics.mean(row[source] for row in alone),
                            "std": statistics.stdev(row[source] for row in alone)} for source in alone[0]}
            for name, alone in found.items()}  # fmt: skip


def pooled_markdown(summary: dict) -> str:
    sources = list(next(iter(summary.values())))
    rows = ["| variant | members | " + " | ".join(sources) + " |", "|---|---:|" + "---:|" * len(sources)]
    for name, by_source in summary.items():
        cells = " | ".join(f"{value['mean']:.2%} ± {value['std']:.2%}" for value in by_source.values())
        rows.append(f"| {name} | {by_source[sources[0]]['members']} | {cells} |")
    return "\n".join(rows)


def markdown(record) -> str:
    rows = []
    for name, result in record["results"].items():
        sources = list(result["alone_mean"])
        if not rows:
            rows += ["| variant | models | " + " | ".join(sources) + " |", "|---|---|" + "---:|" * len(sources)]
        rows.append(f"| {name} | each alone, mean of {record['seeds']} | "
                    + " | ".join(f"{result['alone_mean'][s]:.2%}" for s in sources) + " |")  # fmt: skip
        for n, row in result["committees"].items():
            rows.append(f"| {name} | committee of {n} | " + " | ".join(f"{row[s]:.2%}" for s in sources) + " |")
    return "\n".join(rows)


def recipe_variant(text: str) -> tuple:
    """``NAME:FIELD=VALUE,...`` as ``(name, {field: value})``, each change read as ``seed_accuracy.recipe_change``
    reads one and the variant built on the augmented recipe, so a bad one is refused before any machine starts."""
    name, _, fields = text.partition(":")
    changes = dict(recipe_change(field) for field in fields.split(","))
    try:
        recipe_for(True, **changes)
    except (ParameterError, TypeError) as error:
        raise argparse.ArgumentTypeError(f"{text!r}: {error}") from None
    return name, changes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", action="store_true", help="wheels and held-out arrays for the GPU machine")
    parser.add_argument("--smoke", action="store_true")
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--parallel", type=int, default=5, help="members trained at once")
    parser.add_argument("--variant", type=recipe_variant, action="append", default=[], metavar="NAME:FIELD=VALUE,...",
                        help="a recipe variant besides the shipped one (JSON values)")  # fmt: skip
    parser.add_argument("--wheels", type=Path, default=WHEELS_DIR)
    parser.add_argument("--output", type=Path)
    parser.add_argument("--pool", type=Path, nargs="+", metavar="RESULTS", help="print runs' members pooled, and stop")
    args = parser.parse_args(argv)
    if args.pool:
        return print(pooled_markdown(pooled([json.loads(path.read_text()) for path in args.pool])))
    if args.prepare:
        prepare(args.wheels)
        return prepare_held_out(args.wheels / HELD_OUT_PATH.name)
    variants = {"shipped": {}} | dict(args.variant)
    record = run(variants, args.seeds, args.parallel, args.smoke, args.wheels, args.first_seed)
    record["command"] = shlex.join(["python", "-m", "benchmarks.gpu_committee", *(argv or sys.argv[1:])])
    record["markdown"] = markdown(record)
    print(record["markdown"])
    output = args.output or (SMOKE_RESULTS_PATH if args.smoke else RESULTS_PATH)
    save_json(record, output)
    print(f"wrote {output} ({os.cpu_count()} CPU cores, {record['wall_seconds']:.0f} s)")


if __name__ == "__main__":
    main()
