"""The pad's answer time for a 4-digit drawing, cut by the search and at the gaps alone, in fresh processes.

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.pad_timing [--processes 5] [--drawings 30]

Each process loads the shipped models and times ``--drawings`` 4-digit drawings both ways
(:func:`benchmarks.numbers.pad_numbers`, medians); the figures are the medians over the processes, and the
ratio is taken within each process, so that a busy moment slows both sides alike. Prints one markdown line.
"""

import argparse
import statistics
import subprocess
import sys

import numpy as np

from benchmarks.numbers import SEED


def one_process(drawings: int) -> None:
    from benchmarks.numbers import pad_numbers
    from mnist_helpers.config import DEFAULT_MODEL_ROLE, shipped_model
    from mnist_helpers.model_files import load_classifier

    timings = pad_numbers(load_classifier(shipped_model(DEFAULT_MODEL_ROLE)), 1, np.random.default_rng(SEED), drawings)
    seconds = timings["pad answer seconds, 4 digits (median)"]
    print(seconds["search"], seconds["gaps alone"])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--processes", type=int, default=5)
    parser.add_argument("--drawings", type=int, default=30)
    parser.add_argument("--one", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:
        return one_process(args.drawings)
    runs = []
    for _ in range(args.processes):
        command = [sys.executable, "-m", "benchmarks.pad_timing", "--one", "--drawings", str(args.drawings)]
        output = subprocess.run(command, capture_output=True, text=True, check=True).stdout.split()
        runs.append((float(output[-2]), float(output[-1])))
    search, gaps = (statistics.median(side) for side in zip(*runs))
    ratio = statistics.median(s / g for s, g in runs)
    print(f"| pad answer, 4 digits, median of {args.processes} processes | search {search:.3f} s | "
          f"gaps alone {gaps:.3f} s | ratio {ratio:.2f} |")  # fmt: skip


if __name__ == "__main__":
    main()
