"""``predict``'s wall time and peak memory: the ONNX path (the default) against the Keras path, in fresh processes.

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.predict_speed [--repeats 5] [--images 500] [--also MODEL.onnx --output PATH]

Each run is a fresh ``python -m mnist_helpers predict ...`` process, as a user starts it, on the 6 examples and on
``--images`` MNIST test digits written to files (the round-trip test's pages). One untimed warm-up round comes
first; then the runs of both paths on both inputs are interleaved round by round, so machine noise hits them alike;
``--also`` adds a third path, ``predict --model MODEL``, to the rounds. Wall time is taken around the process; peak
memory is its maximum resident set size as GNU time (``/usr/bin/time``, which starts it from a process of its own)
reports it. Without GNU time it is ``os.wait4``'s figure for the child, which on Linux also counts this process's
own peak, as the child was forked from it (the record says which). Prints medians as a markdown table and writes
``benchmarks/results/predict_speed.json``.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from mnist_helpers._support.artifacts import save_json
from mnist_helpers._support.provenance import installed_versions, machine_description
from mnist_helpers.config import DEFAULT_MODEL_ROLE, PROJECT_ROOT, example_images, shipped_model, shown_path
from mnist_helpers.data import load_mnist
from mnist_helpers.model_files import default_model_path
from mnist_helpers.synthetic.pages import write_round_trip_images

RESULTS_PATH = PROJECT_ROOT / "benchmarks" / "results" / "predict_speed.json"
PATHS = {  # name -> (predict's extra arguments, the model file that answers)
    "onnx": ([], default_model_path()),
    "keras": (["--model", str(shipped_model(DEFAULT_MODEL_ROLE))], shipped_model(DEFAULT_MODEL_ROLE)),
}
TARGET = {"inputs": "examples", "path": "onnx", "wall_seconds": 1.0, "peak_rss_mb": 250}  # the acceptance
VERSIONS = ("mnist-classifier", "onnxruntime", "keras", "tensorflow-cpu", "numpy", "scipy", "pillow")
GNU_TIME = Path("/usr/bin/time")


def run_predict(arguments) -> dict:
    """One fresh ``predict`` process: its wall seconds and peak resident memory (MB)."""
    command = [sys.executable, "-m", "mnist_helpers", "predict", *arguments]
    with tempfile.NamedTemporaryFile() as errors, tempfile.NamedTemporaryFile("r") as peak:
        if GNU_TIME.exists():
            command = [str(GNU_TIME), "--format", "%M", "--output", peak.name, *command]
        start = time.perf_counter()
        child = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=subprocess.DEVNULL, stderr=errors)
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
        if os.waitstatus_to_exitcode(status) != 0:
            errors.seek(0)
            message = errors.read().decode()[-2000:]
            raise SystemExit(f"predict {' '.join(arguments[:2])} ... failed: {message}")
        peak_kib = int(peak.read().split()[-1]) if GNU_TIME.exists() else usage.ru_maxrss
    return {"wall_seconds": wall, "peak_rss_mb": peak_kib / 1024}  # both are in KiB on Linux


def measure(inputs: dict, repeats: int, paths=PATHS) -> dict:
    """``repeats`` timed runs of every path on every input, interleaved, after one untimed round."""
    runs = {(path, name): [] for path in paths for name in inputs}
    for round_index in range(repeats + 1):
        for (path, name), results in runs.items():
            result = run_predict([*map(str, inputs[name]), *paths[path][0]])
            if round_index:  # round 0 warms the disk cache
                results.append(result)
        print(f"round {round_index}/{repeats} done", file=sys.stderr, flush=True)
    return runs


def summary(results: list) -> dict:
    """Medians and ranges of a list of runs."""
    walls, memories = [run["wall_seconds"] for run in results], [run["peak_rss_mb"] for run in results]
    return {
        "median_wall_seconds": round(statistics.median(walls), 3),
        "wall_seconds": [round(wall, 3) for wall in walls],
        "median_peak_rss_mb": round(statistics.median(memories), 1),
        "peak_rss_mb": [round(memory, 1) for memory in memories],
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5, help="timed fresh processes per path and input")
    parser.add_argument("--images", type=int, default=500, help="MNIST test digits written to files")
    parser.add_argument("--also", type=Path, metavar="MODEL", help="also time predict --model MODEL (e.g. a committee)")
    parser.add_argument("--output", type=Path, default=RESULTS_PATH, help=f"default {shown_path(RESULTS_PATH)}")
    args = parser.parse_args(argv)
    paths = {**PATHS, "--model": (["--model", str(args.also)], args.also)} if args.also else PATHS
    _, (x_test, _) = load_mnist()
    with tempfile.TemporaryDirectory() as folder:
        pages = write_round_trip_images(x_test[: args.images], Path(folder))
        inputs = {"examples": example_images(), f"{args.images} images": pages}
        runs = measure(inputs, args.repeats, paths)
    results = {
        f"{path} / {name}": {"path": path, "model": str(shown_path(paths[path][1])), "inputs": name,
                             "images": len(inputs[name]), **summary(found)}
        for (path, name), found in runs.items()
    }  # fmt: skip
    print_table(results)
    target = results[f"{TARGET['path']} / {TARGET['inputs']}"]
    met = target["median_wall_seconds"] <= TARGET["wall_seconds"]
    met = met and target["median_peak_rss_mb"] <= TARGET["peak_rss_mb"]
    print(
        f"\nTarget, the default (ONNX) path on the examples: <= {TARGET['wall_seconds']} s and "
        f"<= {TARGET['peak_rss_mb']} MB: {'met' if met else 'NOT met'}"
    )
    record = {
        "command": " ".join(["python -m benchmarks.predict_speed", *(argv if argv is not None else sys.argv[1:])]),
        "repeats": args.repeats,
        "results": results,
        "target": {**TARGET, "met": met},
        "peak_memory_from": str(GNU_TIME) if GNU_TIME.exists() else "os.wait4, with this process's own peak",
        "this_process_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "versions": installed_versions(VERSIONS),
        "machine": machine_description(),
    }
    print(f"wrote {shown_path(save_json(record, args.output))}")


def print_table(results: dict) -> None:
    """The medians as a markdown table, one row per path and input."""
    print("\n| path | model | images | wall, median (s) | wall, range (s) | peak RSS, median (MB) |")
    print("|---|---|--:|--:|--:|--:|")
    for result in results.values():
        walls = result["wall_seconds"]
        print(
            f"| {result['path']} | `{result['model']}` | {result['images']} | {result['median_wall_seconds']:.2f} | "
            f"{min(walls):.2f}-{max(walls):.2f} | {result['median_peak_rss_mb']:.0f} |"
        )


if __name__ == "__main__":
    main()
