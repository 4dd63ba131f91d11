"""The pad's answer time for a 4-digit drawing, cut by the search and at the gaps alone, in fresh processes.

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.pad_timing [--processes 5] [--drawings 30] [--also MODEL]

Each process loads the shipped models and times ``--drawings`` 4-digit drawings both ways
(:func:`benchmarks.numbers.pad_numbers`, medians); the figures are the medians over the processes, and the
ratio is taken within each process, so that a busy moment slows both sides alike. ``--also MODEL`` times the same
drawings read with MODEL in the same process (before the shipped model in every other process), and gives the
shipped model's search time as a ratio of MODEL's. Prints markdown lines.
"""

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np

from benchmarks.numbers import SEED


def one_process(drawings: int, also=None, also_first=False) -> None:
    """Time the drawings with the shipped model (and ``also``, first when ``also_first``): a line per model."""
    from benchmarks.numbers import pad_numbers
    from mnist_helpers.config import DEFAULT_MODEL_ROLE, shipped_model
    from mnist_helpers.model_files import load_classifier

    models = {"shipped": shipped_model(DEFAULT_MODEL_ROLE), **({"also": also} if also else {})}
    order = ["also", "shipped"] if also_first else ["shipped", "also"]
    for name in [name for name in order if name in models]:
        timings = pad_numbers(load_classifier(models[name]), 1, np.random.default_rng(SEED), drawings)
        seconds = timings["pad answer seconds, 4 digits (median)"]
        print(name, seconds["search"], seconds["gaps alone"])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--drawings", type=int, default=30)
    parser.add_argument("--also", metavar="MODEL", help="also time the same drawings read with this model")
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--also-first", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        return one_process(args.drawings, args.also, args.also_first)
    if args.also and not Path(args.also).is_file():
        sys.exit(f"{args.also}: no such model file")
    runs = []
    for index in range(args.processes):  # with --also, every other process times it first
        command = [sys.executable, "-m", "benchmarks.pad_timing", "--one", "--drawings", str(args.drawings)]
        command += ["--also", args.also, *(["--also-first"] if index % 2 else [])] if args.also else []
        result = subprocess.run(command, capture_output=True, text=True)
        if result.returncode:
            sys.exit(f"a timing process failed: {(result.stderr.strip().splitlines() or ['no message'])[-1]}")
        lines = [line.split() for line in result.stdout.splitlines()]
        runs.append(
            {line[0]: (float(line[1]), float(line[2])) for line in lines if line[:1] in (["shipped"], ["also"])}
        )
    for key, name in [("shipped", "the shipped model"), *([("also", args.also)] if args.also else [])]:
        side = [run[key] for run in runs]
        search, gaps = (statistics.median(times) for times in zip(*side))
        ratio = statistics.median(s / g for s, g in side)
        print(f"| pad answer, 4 digits, {name}, median of {args.processes} processes | search {search:.3f} s | "
              f"gaps alone {gaps:.3f} s | ratio {ratio:.2f} |")  # fmt: skip
    if args.also:
        ratio = statistics.median(run["shipped"][0] / run["also"][0] for run in runs)
        print(f"search time, the shipped model against {args.also}: {ratio:.2f} (median of the per-process ratios)")


if __name__ == "__main__":
    main()
