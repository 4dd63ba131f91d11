"""GPU check: the seed (baseline) and robust (augmented) recipes on this machine's GPU and on its CPU, JAX backend.

Sized for an 8-minute slot on a GPU machine that has Python 3.12, JAX with CUDA, scikit-learn, matplotlib, seaborn
and ONNX Runtime, but no Keras, no TensorFlow and no network. Run from the repository root:

    python -m benchmarks.gpu_check --prepare   # here, with network: Keras, Optuna, their needs, versions installed
                                               # here, as cp312 wheels in benchmarks/gpu_wheels/ (git-ignored)
    python -m benchmarks.gpu_check             # there (carry benchmarks/gpu_wheels/ along): installs the wheels it
                                               # lacks into a temporary folder, writes benchmarks/results/gpu_check.json
    python -m benchmarks.gpu_check --smoke     # anywhere, a CPU will do: the same steps on tiny runs, a check only

Each run is a fresh process on the JAX backend, on the GPU (JAX_PLATFORMS=cuda) or the same machine's CPU
(JAX_PLATFORMS=cpu). Both recipes train a few epochs on each (the recipe's own schedule, stopped early) and their
accuracies are compared; the robust recipe also trains on the GPU until 99.4% validation accuracy (then on the CPU
too if the time left allows). Exit status 1 if the GPU's accuracy differs from the CPU's by more than the noise.
"""

import argparse
import importlib.util
import os
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from importlib import metadata
from pathlib import Path

from mnist_helpers._support.artifacts import save_json
from mnist_helpers._support.fresh_process import run_fresh
from mnist_helpers.config import PROJECT_ROOT

WHEELS_DIR = PROJECT_ROOT / "benchmarks" / "gpu_wheels"
RESULTS_PATH = PROJECT_ROOT / "benchmarks" / "results" / "gpu_check.json"
SMOKE_RESULTS_PATH = PROJECT_ROOT / "runs" / "gpu_check_smoke.json"
# The GPU machine lacks these (Keras, and Optuna for benchmarks.tuned_recipe, with what they need); JAX's own needs
# (numpy, ml_dtypes, scipy, opt_einsum) it has. Only the wheels it lacks are installed there.
CARRIED = ("keras", "optuna")
PROVIDED = {"numpy", "ml-dtypes", "scipy", "opt-einsum"}
PLATFORMS = ("manylinux2014_x86_64", "manylinux_2_17_x86_64", "manylinux_2_27_x86_64", "manylinux_2_28_x86_64")
TARGET = 0.994  # validation accuracy the robust recipe is timed to
EPOCHS_COMPARED = 5  # each recipe on each device; the smoke check trains 1
# Two runs of one recipe on two devices differ as two seeds do (float sums in another order). Three seeds of the
# finished recipes spread 0.06-0.25 points (benchmarks/results/seed_accuracy_*.json); after five epochs the spread
# is wider, so 0.5 points: a GPU run further from the CPU's than that is not noise.
TOLERANCE = 0.005
BUDGET_SECONDS = 420  # the slot is 8 minutes: installing, starting processes and writing results fit in the rest


def _name(text: str) -> str:
    return re.sub(r"[-_.]+", "-", text).lower()


def carried_distributions() -> dict:
    """Keras and everything it needs, as installed here (name -> version), less what a JAX machine has."""
    from packaging.requirements import Requirement

    found, todo = {}, list(CARRIED)
    while todo:
        name = _name(todo.pop())
        if name in found or name in PROVIDED:
            continue
        found[name] = metadata.version(name)
        for line in metadata.requires(name) or ():
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"python_version": "3.12", "extra": ""}):
                todo.append(requirement.name)
    return found


def prepare(folder: Path) -> None:
    """Download the wheels of :func:`carried_distributions` for CPython 3.12 on x86-64 Linux into ``folder``."""
    wanted = [f"{name}=={version}" for name, version in sorted(carried_distributions().items())]
    platforms = [argument for platform in PLATFORMS for argument in ("--platform", platform)]
    subprocess.run([sys.executable, "-m", "pip", "download", "--quiet", "--no-deps", "--only-binary=:all:",
                    "--python-version", "3.12", "--implementation", "cp", *platforms, "-d", str(folder), *wanted],
                   check=True)  # fmt: skip
    print(f"{len(wanted)} wheels in {folder}: {', '.join(wanted)}")


def keras_environment(folder: Path) -> dict:
    """Environment for the runs: where the wheels this machine lacks were installed (a temporary folder), if any."""
    if importlib.util.find_spec("keras") is not None:
        return {}
    missing = []
    for wheel in sorted(folder.glob("*.whl")):
        try:
            metadata.version(_name(wheel.name.split("-")[0]))
        except metadata.PackageNotFoundError:
            missing.append(str(wheel))
    if not any(_name(Path(wheel).name.split("-")[0]) == "keras" for wheel in missing):
        raise SystemExit(
            f"Keras is not installed and {folder} holds no Keras wheel: run --prepare where pip has network"
        )
    target = tempfile.mkdtemp(prefix="gpu-check-site-")
    subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-index", "--no-deps", "--no-compile",
                    "--target", target, *missing], check=True)  # fmt: skip
    print(f"installed {len(missing)} wheels into {target}: {', '.join(Path(wheel).name for wheel in missing)}")
    return {"PYTHONPATH": os.pathsep.join(filter(None, [target, os.environ.get("PYTHONPATH")]))}


def machine():
    """In a fresh process: the device JAX trains on by default, the machine and the library versions."""
    from mnist_helpers._support.provenance import library_versions, machine_description, training_device

    return {"device": training_device()["device"], "machine": machine_description(), "versions": library_versions()}


def worker(augment, stop_after=None, stop_at=None, seconds_left=None, smoke=False, seed=0):
    """In a fresh process: train the recipe (its own schedule), stopped after ``stop_after`` epochs, at validation
    accuracy ``stop_at`` or when ``seconds_left`` run out; return the per-epoch record and the test accuracy."""
    import keras

    from mnist_helpers._support.provenance import training_device
    from mnist_helpers.data import flatten_and_scale, load_mnist, one_hot, smoke_subset
    from mnist_helpers.evaluate import evaluate
    from mnist_helpers.model import build_model
    from mnist_helpers.recipe import recipe_for
    from mnist_helpers.train import seed_everything, train_model

    class Clock(keras.callbacks.Callback):
        def on_train_begin(self, logs=None):
            self.start, self.seconds = time.perf_counter(), []

        def on_epoch_end(self, epoch, logs=None):
            self.seconds.append(time.perf_counter() - self.start)
            done = stop_after is not None and epoch + 1 >= stop_after
            reached = stop_at is not None and logs["val_accuracy"] >= stop_at
            late = seconds_left is not None and self.seconds[-1] * (epoch + 2) / (epoch + 1) > seconds_left
            self.model.stop_training = self.model.stop_training or done or reached or late

    (x_train, y_train), (x_test, y_test) = load_mnist()
    test_samples = 1000 if smoke else None
    recipe = recipe_for(augment, smoke=smoke)
    seed_everything(seed)
    model, clock = build_model(recipe), Clock()
    x, y = smoke_subset(flatten_and_scale(x_train), one_hot(y_train), smoke)
    result = train_model(model, x, y, recipe, verbose=0, callbacks=[clock])
    evaluation = evaluate(model, flatten_and_scale(x_test[:test_samples]), y_test[:test_samples])
    accuracy = result.history["val_accuracy"]
    reached = next((epoch for epoch, value in enumerate(accuracy) if stop_at and value >= stop_at), None)
    epoch_seconds = [b - a for a, b in zip([0.0, *clock.seconds], clock.seconds)]
    return {
        "device": training_device()["device"], "recipe": "robust" if augment else "seed",
        "epochs_run": result.epochs_run, "epoch_seconds": epoch_seconds,
        "seconds_per_epoch": statistics.median(epoch_seconds[1:] or epoch_seconds),  # the first one compiles
        "val_accuracy": accuracy, "val_loss": result.history["val_loss"], "test_accuracy": evaluation.accuracy,
        "target_epoch": None if reached is None else reached + 1,
        "seconds_to_target": None if reached is None else clock.seconds[reached],
        "tensorflow_imported": "tensorflow" in sys.modules,
    }  # fmt: skip


def run_leg(name, device, env, **kwargs):
    """One :func:`worker` run in a fresh process on ``device`` (the GPU: JAX_PLATFORMS=cuda; the CPU: cpu)."""
    leg = run_fresh("benchmarks.gpu_check:worker", kwargs, env={**env, "KERAS_BACKEND": "jax", "JAX_PLATFORMS": device})
    reached = f", {TARGET:.1%} at epoch {leg['target_epoch']}" if leg["target_epoch"] else ""
    print(f"{name}: {leg['device']}, {leg['epochs_run']} epochs, {leg['seconds_per_epoch']:.2f} s/epoch, "
          f"val. accuracy {leg['val_accuracy'][-1]:.2%}{reached}", flush=True)  # fmt: skip
    return leg


def compare(gpu, cpu, key, epochs):
    """The GPU and CPU runs' accuracy (``key``: after ``epochs`` epochs or at the end) and whether they agree."""
    at = (lambda leg: leg[key][epochs - 1]) if key == "val_accuracy" else (lambda leg: leg[key])
    difference = at(gpu) - at(cpu)
    return {"measure": f"{key} after {epochs} epochs", "gpu": at(gpu), "cpu": at(cpu), "difference": difference,
            "tolerance": TOLERANCE, "agree": abs(difference) <= TOLERANCE}  # fmt: skip


def check(smoke=False, budget=BUDGET_SECONDS, wheels=WHEELS_DIR) -> dict:
    """All the runs, within ``budget`` seconds; returns the record (``passed``: every comparison agrees).

    The "gpu" runs use JAX_PLATFORMS=cuda; a smoke check on a machine without a GPU runs them on JAX's CPU instead
    (each run records the device it trained on).
    """
    start = time.perf_counter()
    env = keras_environment(wheels)
    found = run_fresh("benchmarks.gpu_check:machine", env={**env, "KERAS_BACKEND": "jax"})
    gpu = "cpu" if found["device"] == "CPU" else "cuda"
    if gpu == "cpu" and not smoke:
        raise SystemExit("no GPU visible to JAX (install JAX's CUDA wheels: pip install -r requirements-gpu.txt)")
    epochs, to_target = (1, 2) if smoke else (EPOCHS_COMPARED, None)  # to_target: an epoch cap, None: the recipe's
    legs = {
        "seed-gpu": run_leg("seed recipe, gpu run", gpu, env, augment=False, stop_after=epochs, smoke=smoke),
        "seed-cpu": run_leg("seed recipe, cpu run", "cpu", env, augment=False, stop_after=epochs, smoke=smoke),
    }
    left = budget - (time.perf_counter() - start) - 60  # a minute kept for the CPU's few epochs of the robust recipe
    legs["robust-gpu"] = run_leg("robust recipe, gpu run", gpu, env, augment=True, stop_after=to_target,
                                 stop_at=TARGET, seconds_left=left, smoke=smoke)  # fmt: skip
    legs["robust-cpu"] = run_leg("robust recipe, cpu run", "cpu", env, augment=True, stop_after=epochs, smoke=smoke)
    needed = legs["robust-gpu"]["target_epoch"] or legs["robust-gpu"]["epochs_run"]
    estimate, left = legs["robust-cpu"]["seconds_per_epoch"] * needed * 1.2 + 20, budget - (time.perf_counter() - start)
    if estimate < left:
        legs["robust-cpu-to-target"] = run_leg("robust recipe, cpu run", "cpu", env, augment=True, stop_at=TARGET,
                                               stop_after=to_target, seconds_left=left - 20, smoke=smoke)  # fmt: skip
    compared = min(epochs, legs["robust-gpu"]["epochs_run"])
    comparisons = {"seed": compare(legs["seed-gpu"], legs["seed-cpu"], "test_accuracy", epochs),
                   "robust": compare(legs["robust-gpu"], legs["robust-cpu"], "val_accuracy", compared)}  # fmt: skip
    cpu_to_target = legs.get("robust-cpu-to-target", {})
    return {
        "smoke": smoke, "gpu": found["device"], "machine": found["machine"], "versions": found["versions"],
        "comparisons": comparisons, "passed": all(c["agree"] for c in comparisons.values()),
        "seconds_per_epoch": {recipe: {device: legs[f"{recipe}-{device}"]["seconds_per_epoch"]
                                       for device in ("gpu", "cpu")} for recipe in ("seed", "robust")},
        "time_to_target": {"target": TARGET, "gpu": legs["robust-gpu"]["seconds_to_target"],
                           "gpu_epoch": legs["robust-gpu"]["target_epoch"],
                           "cpu": cpu_to_target.get("seconds_to_target"),
                           "cpu_epoch": cpu_to_target.get("target_epoch"),
                           "cpu_skipped": None if cpu_to_target else f"estimated {estimate:.0f} s, {left:.0f} s left"},
        "tensorflow_imported": any(leg["tensorflow_imported"] for leg in legs.values()),
        "legs": legs, "wall_seconds": time.perf_counter() - start,
    }  # fmt: skip


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--prepare", action="store_true", help="download the wheels the GPU machine lacks, and stop")
    parser.add_argument("--smoke", action="store_true", help="one or two epochs of 6,000 images: a check, no figures")
    parser.add_argument("--budget", type=float, default=BUDGET_SECONDS, help="seconds the runs may take in all")
    parser.add_argument("--wheels", type=Path, default=WHEELS_DIR)
    parser.add_argument(
        "--output", type=Path, help="the results (default benchmarks/results/gpu_check.json; smoke: runs/)"
    )
    args = parser.parse_args(argv)
    if args.prepare:
        return prepare(args.wheels)
    record = check(args.smoke, args.budget, args.wheels)
    record["command"] = shlex.join(
        ["python", "-m", "benchmarks.gpu_check", *(argv if argv is not None else sys.argv[1:])]
    )
    output = args.output or (SMOKE_RESULTS_PATH if args.smoke else RESULTS_PATH)
    save_json(record, output)
    for recipe, comparison in record["comparisons"].items():
        print(f"{recipe}: {comparison['measure']}: GPU {comparison['gpu']:.2%}, CPU {comparison['cpu']:.2%}: "
              f"{'agree' if comparison['agree'] else 'DIFFER'} (tolerance {TOLERANCE:.1%})")  # fmt: skip
    print(f"wrote {output}")
    if not record["passed"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
