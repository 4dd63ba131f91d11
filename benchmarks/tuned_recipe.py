"""A tuned augmented recipe, measured: ``tune`` workers share one study for a fixed time, then the best recipe and the
shipped augmented recipe each train three seeds (fresh processes, side by side) and are scored on the test set.

Run from the repository root, on the JAX backend (the faster one on a CPU here, and the one a GPU machine has):

    python -m benchmarks.tuned_recipe --workers 2 --seconds 3300    # this 2-core machine: about 20 trials
    python -m benchmarks.tuned_recipe --workers 8 --seconds 280     # a GPU machine (an augmented training there
                                                                    # takes under a minute; wheels as gpu_check's)

The study holds the shipped recipe as a queued trial, so it competes on the same validation loss as the drawn ones.
Workers still training at the deadline are stopped (SIGTERM, then SIGKILL): their trials are lost, the others kept.
The test set is used only after the search, by the seed runs. Writes ``tuned_recipe.json``, the study's record and
its plots into the output folder.
"""

import argparse
import os
import signal
import statistics
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from mnist_helpers._support.artifacts import save_json
from mnist_helpers._support.fresh_process import run_fresh
from mnist_helpers.config import PROJECT_ROOT

from .gpu_check import WHEELS_DIR, keras_environment

STUDY = "augmented-tuned"
SEEDS = (0, 1, 2)
# On a GPU machine many JAX processes share one GPU: each takes memory as it needs it, not 3/4 of the card at once.
JAX_WORKERS = {"KERAS_BACKEND": "jax", "XLA_PYTHON_CLIENT_PREALLOCATE": "false"}


def open_shared_study(url: str, smoke: bool, queue_shipped=False):
    """The study every worker opens (the augmented recipe, every field, seed 42), the shipped recipe queued if asked."""
    from mnist_helpers import studies
    from mnist_helpers.recipe import DEFAULT_SEED, recipe_for
    from mnist_helpers.tuning import Search, searched_fields

    base = recipe_for(True, smoke=smoke)
    study = studies.open_study(STUDY, url, Search(base, searched_fields(base), DEFAULT_SEED, smoke))
    if queue_shipped:
        studies.queue_recipes(study, url, {"shipped": {}})
    return study


def run_workers(url: str, workers: int, seconds: float, log: Path, smoke: bool) -> None:
    """``workers`` processes of ``python -m mnist_helpers tune`` on one study, stopped after ``seconds``."""
    command = [sys.executable, "-m", "mnist_helpers", "tune", "--augment", "--trials", "1000", "--study", STUDY,
               "--storage", url, *(["--smoke"] if smoke else [])]  # fmt: skip
    with log.open("w") as output:
        processes = [subprocess.Popen(command, env={**os.environ, **JAX_WORKERS}, stdout=output,
                                      stderr=subprocess.STDOUT) for _ in range(workers)]  # fmt: skip
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline and any(process.poll() is None for process in processes):
            time.sleep(1)
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        time.sleep(10)
        for process in processes:
            if process.poll() is None:
                process.kill()
            process.wait()


def seed_runs(recipes: dict, environment: dict, smoke: bool) -> dict:
    """Each of ``recipes`` (name -> changes to the augmented recipe) for every seed, all in fresh processes side by
    side; name -> the runs' summaries."""
    kwargs = [{"seed": seed, "augment": True, "smoke": smoke, "test_samples": 2000 if smoke else None, **changes}
              for changes in recipes.values() for seed in SEEDS]  # fmt: skip
    with ThreadPoolExecutor(len(kwargs)) as pool:
        runs = list(pool.map(lambda k: run_fresh("mnist_helpers.train:summary", k, env=environment), kwargs))
    return {name: runs[i * len(SEEDS) : (i + 1) * len(SEEDS)] for i, name in enumerate(recipes)}


def summarise(records: list) -> dict:
    accuracies = [record["test_accuracy"] for record in records]
    return {"test_accuracy": accuracies, "mean": statistics.mean(accuracies), "std": statistics.stdev(accuracies),
            "epochs_run": [record["epochs_run"] for record in records],
            "train_seconds": [round(record["train_seconds"], 1) for record in records]}  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=280, help="how long the workers search")
    parser.add_argument("--output-dir", type=Path, default=PROJECT_ROOT / "runs" / "tuned_recipe")
    parser.add_argument("--wheels", type=Path, default=WHEELS_DIR)
    parser.add_argument("--smoke", action="store_true", help="smoke-size trials and seed runs: a check, no figures")
    args = parser.parse_args(argv)
    smoke = args.smoke or os.environ.get("MNIST_SMOKE") == "1"
    start = time.perf_counter()
    args.output_dir.mkdir(parents=True, exist_ok=True)
    environment = {**keras_environment(args.wheels), **JAX_WORKERS}
    os.environ.update(environment)
    sys.path[:0] = [path for path in environment.get("PYTHONPATH", "").split(os.pathsep) if path]
    from mnist_helpers import studies
    from mnist_helpers._support.errors import UserFacingError
    from mnist_helpers._support.provenance import describe_training_device, machine_description
    from mnist_helpers.recipe import recipe_for

    url = f"sqlite:///{(args.output_dir / 'study.db').resolve()}"
    open_shared_study(url, smoke, queue_shipped=True)
    print(describe_training_device(), flush=True)
    run_workers(url, args.workers, args.seconds, args.output_dir / "workers.log", smoke)
    study = open_shared_study(url, smoke)
    record = studies.study_record(study)
    save_json(record, args.output_dir / "study.json")
    try:
        plots = studies.save_study_plots(study, args.output_dir)
    except UserFacingError as error:
        print(error, flush=True)
        plots = []
    best, shipped = studies.best_recipe(study).as_json(), recipe_for(True, smoke=smoke).as_json()
    changes = {name: value for name, value in best.items() if value != shipped[name]}
    states = [trial["state"] for trial in record["trials"]]
    print(f"{len(states)} trials: " + ", ".join(f"{states.count(s)} {s}" for s in sorted(set(states))), flush=True)
    print(f"best trial {record['best_trial']}: changes {changes}", flush=True)
    runs = seed_runs({"tuned": changes, "shipped": {}}, environment, smoke)
    result = {
        "command": "python -m benchmarks.tuned_recipe " + " ".join(argv if argv is not None else sys.argv[1:]),
        "machine": machine_description(), "device": describe_training_device(), "workers": args.workers,
        "search_seconds": args.seconds, "trial_states": {s: states.count(s) for s in sorted(set(states))},
        "best_changes": changes, **{name: summarise(records) for name, records in runs.items()},
        "plots": [path.name for path in plots], "wall_seconds": round(time.perf_counter() - start, 1),
    }  # fmt: skip
    save_json(result, args.output_dir / "tuned_recipe.json")
    for name in ("tuned", "shipped"):
        row = result[name]
        print(f"{name}: test accuracy {row['mean']:.2%} +- {row['std']:.2%} over seeds {SEEDS}: "
              + ", ".join(f"{a:.2%}" for a in row["test_accuracy"]), flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
