"""Whole numbers: generated numbers of 2-5 digits read by ``predict``'s path, and single digits that must stay whole.

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.numbers [--model PATH] [--per-set 100]

- Numbers (``mnist_helpers.synthetic.number_pages``), one set per kind (gaps, one touching pair, all
  touching, one broken digit; 2-5 digits; and gaps with 6-8 digits) and per source family (MNIST test
  digits, stroke-drawn and printed out-of-MNIST digits; the segmentation's weights were chosen on
  MNIST training digits only, ``benchmarks/segmentation_weights.py``), with random gaps, sizes and
  baselines, written as PNG files and read by ``reading.read_images``. Reported: the share of numbers
  read entirely right, the share split into the right number of digits, and (for those) per-digit
  accuracy against the same digits read one by one, each alone on its own page; and, for comparison in the same
  run, the share read entirely right when cut at the gaps alone (``read_images(..., search=False)``, the
  reading before the segmentation search).
- Numbers drawn on the pad (``synthetic.pad_drawings.pad_number``: stroke-template digits, 2-4 of them,
  with gaps or with touching neighbours), read by the pad's reading path, cut by the search and, for
  comparison in the same run, at the gaps alone (``DrawingPad(search=False)``, the pad before the search);
  and the pad's answer time for 4-digit drawings, both ways (median of ``--timing`` drawings).
- Single digits (MNIST test digits through files, the out-of-MNIST set, finer and thicker pens), read
  the same way: how often one digit is read as more than one.

Prints markdown tables; writes benchmarks/results/numbers.json.
"""

import argparse
import itertools
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

import mnist_helpers  # noqa: F401  (before Keras: quiet TensorFlow start-up)
from mnist_helpers._support.artifacts import save_json
from mnist_helpers._support.provenance import library_versions
from mnist_helpers.config import DEFAULT_MODEL_ROLE, PROJECT_ROOT, shipped_model, shown_path
from mnist_helpers.data import load_mnist
from mnist_helpers.model_files import load_classifier
from mnist_helpers.own_digits import drawing, pad
from mnist_helpers.own_digits.classify import FailedImage
from mnist_helpers.own_digits.reading import read_images
from mnist_helpers.synthetic.number_pages import KINDS, SOURCES, make_number
from mnist_helpers.synthetic.out_of_mnist_set import PER_CLASS, SUBSETS, render
from mnist_helpers.synthetic.pad_drawings import pad_number
from mnist_helpers.synthetic.pages import write_round_trip_images
from mnist_helpers.synthetic.pens import PENS, pen_page

RESULTS_PATH = PROJECT_ROOT / "benchmarks" / "results" / "numbers.json"
SEED = 18


def score_numbers(model, numbers, folder: Path) -> dict:
    """Numbers read entirely right, split into the right count, and per-digit accuracy in the number and alone."""
    paths = []
    for index, number in enumerate(numbers):
        paths.append(folder / f"number_{index:04d}.png")
        number.page.save(paths[-1])
    readings = read_images(model, paths)
    gaps_alone = read_images(model, paths, search=False)
    right = counted = 0
    in_number, alone, compared = 0, 0, 0
    for number, reading in zip(numbers, readings):
        if isinstance(reading, FailedImage):
            continue
        right += reading.number == number.text
        if len(reading.digits) != len(number.text):
            continue
        counted += 1
        singles = read_images(model, number.digit_pages())
        for truth, digit, single in zip(number.text, reading.digits, singles):
            compared += 1
            in_number += digit.digit == int(truth)
            alone += not isinstance(single, FailedImage) and single.number == truth
    right_at_gaps = sum(not isinstance(reading, FailedImage) and reading.number == number.text
                        for number, reading in zip(numbers, gaps_alone))  # fmt: skip
    return {"numbers": len(numbers), "read_right": right / len(numbers), "split_right": counted / len(numbers),
            "read_right_cut_at_gaps": right_at_gaps / len(numbers),
            "digits_compared": compared, "digit_accuracy_in_number": in_number / max(1, compared),
            "digit_accuracy_alone": alone / max(1, compared)}  # fmt: skip


def pad_numbers(model, count: int, rng: np.random.Generator, timing: int) -> dict:
    """Numbers drawn on the pad read entirely right, with gaps and touching, cut by the search and at the gaps."""
    size, pen = (drawing.CANVAS_WIDTH, drawing.CANVAS_SIDE), drawing.PEN_FRACTION * drawing.CANVAS_SIDE
    pads = {"search": pad.DrawingPad({"model": model}), "gaps alone": pad.DrawingPad({"model": model}, search=False)}
    results = {}
    for touching in (False, True):
        right = dict.fromkeys(pads, 0)
        for _ in range(count):
            labels = rng.integers(0, 10, int(rng.integers(2, 5)))
            message = {"strokes": [path.ravel().tolist() for path in pad_number(labels, rng, size, pen, touching)]}
            for name, reader in pads.items():
                answer = reader.read(message)
                right[name] += bool(answer.get("models")) and answer["models"][0]["number"] == "".join(map(str, labels))
        results["pad, touching" if touching else "pad, gaps"] = {name: value / count for name, value in right.items()}
    messages = [{"strokes": [p.ravel().tolist() for p in pad_number(rng.integers(0, 10, 4), rng, size, pen)]}
                for _ in range(timing)]  # fmt: skip
    seconds = {}
    for name, reader in pads.items():
        reader.read(messages[0])  # loads the models
        times = []
        for message in messages:
            start = time.perf_counter()
            reader.read(message)
            times.append(time.perf_counter() - start)
        seconds[name] = float(np.median(times))
    results["pad answer seconds, 4 digits (median)"] = seconds
    return results


def split_rate(model, sources) -> dict:
    """How many of ``sources`` (one digit each) are read as more than one digit (unreadable apart)."""
    parts, unreadable = [], 0
    for reading in read_images(model, sources):
        if isinstance(reading, FailedImage):
            if reading.bug:
                print(reading.message, file=sys.stderr)
            unreadable += 1
        else:
            parts.append(len(reading.digits))
    split = sum(count > 1 for count in parts)
    return {"images": len(parts), "unreadable": unreadable, "split": split, "split_rate": split / len(parts)}


SETS = [(kind, (2, 5)) for kind in KINDS] + [("gaps", (6, 8))]


def set_name(kind: str, lengths: tuple, source: str) -> str:
    return f"{kind}, {lengths[0]}-{lengths[1]} digits, {source}"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=shipped_model(DEFAULT_MODEL_ROLE))
    parser.add_argument("--per-set", type=int, default=100, help="numbers per kind and source family")
    parser.add_argument("--pad", type=int, default=200, help="numbers drawn on the pad, per kind")
    parser.add_argument("--timing", type=int, default=30, help="4-digit pad drawings timed")
    parser.add_argument("--singles", type=int, default=2000, help="MNIST test digits through files")
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--output", type=Path, default=RESULTS_PATH)
    args = parser.parse_args(argv)
    command = " ".join(["python -m benchmarks.numbers", *(argv if argv is not None else sys.argv[1:])])
    model = load_classifier(args.model)
    _, test = load_mnist()
    rng = np.random.default_rng(args.seed)
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        for (kind, lengths), source in itertools.product(SETS, SOURCES):
            name = set_name(kind, lengths, source)
            numbers = [make_number(rng, test, kind, lengths, (source,)) for _ in range(args.per_set)]
            (folder / name).mkdir()
            results[name] = score_numbers(model, numbers, folder / name)
            print(f"scored {name}", flush=True)
        (folder / "mnist").mkdir()
        chosen = rng.choice(len(test[0]), args.singles, replace=False)
        singles = {"mnist_files": write_round_trip_images(test[0][chosen], folder / "mnist", args.seed)}
        singles["out_of_mnist"] = [
            render(subset, index)[0] for subset in SUBSETS for index in range(PER_CLASS[subset] * 10)
        ]
        for pen in ("finer", "marker"):
            pen_rng = np.random.default_rng(args.seed)
            singles[f"pen_{pen}"] = [pen_page(digit, PENS[pen], pen_rng) for digit in test[0][chosen[:1000]]]
        results["single_digits"] = {name: split_rate(model, sources) for name, sources in singles.items()}
    if args.pad:
        results["pad"] = pad_numbers(model, args.pad, rng, args.timing)
    lines = ["| numbers | count | read entirely right | cut at the gaps alone | split into the right count | "
             "digit accuracy in the number | the same digits alone |",
             "|---|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    for name, r in results.items():
        if name not in ("single_digits", "pad"):
            lines.append(f"| {name} | {r['numbers']} | {r['read_right']:.1%} | {r['read_right_cut_at_gaps']:.1%} | "
                         f"{r['split_right']:.1%} | "
                         f"{r['digit_accuracy_in_number']:.2%} | {r['digit_accuracy_alone']:.2%} |")  # fmt: skip
    lines += ["", "| single digits | images | split into more than one |", "|---|---:|---:|"]
    for name, r in results["single_digits"].items():
        lines.append(f"| {name} | {r['images']} | {r['split']} ({r['split_rate']:.2%}) |")
    lines.append("")
    lines.append(
        "Images the preprocessing refused as blank are not counted: "
        + ", ".join(f"{name} {r['unreadable']}" for name, r in results["single_digits"].items())
    )
    if args.pad:
        lines += ["", "| drawn on the pad (2-4 digits) | cut by the search | cut at the gaps alone |"]
        lines += ["|---|---:|---:|"]
    for name, r in results.get("pad", {}).items():
        shown = [f"{value:.3f} s" if "seconds" in name else f"{value:.1%}" for value in r.values()]
        lines.append(f"| {name} | {' | '.join(shown)} |")
    table = "\n".join(lines)
    print(f"\n{command}\n\nmodel: {shown_path(args.model)}\n\n{table}")
    save_json({"command": command, "model": str(shown_path(args.model)), "seed": args.seed, "markdown": table,
               "results": results, "library_versions": library_versions()}, args.output)  # fmt: skip
    print(f"\nwrote {shown_path(args.output)}")


if __name__ == "__main__":
    main()
