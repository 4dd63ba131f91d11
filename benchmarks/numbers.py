"""Whole numbers: generated numbers of 2-5 digits read by ``predict``'s path, and single digits that must stay whole.

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.numbers [--model PATH] [--numbers 500] [--touching 300]

- Numbers (``mnist_helpers.synthetic.number_pages``): MNIST test digits and stroke-drawn and printed
  out-of-MNIST digits side by side with random gaps, sizes and baselines, written as PNG files and
  read by ``reading.read_images``; a second set has one touching pair in each number. Reported: the
  share of numbers read entirely right, the share split into the right number of digits, and (for
  those) per-digit accuracy against the same digits read one by one, each alone on its own page.
- Single digits (MNIST test digits through files, the out-of-MNIST set, finer and thicker pens):
  how often one digit is split into more than one.

Prints markdown tables; writes benchmarks/results/numbers.json.
"""

import argparse
import sys
import tempfile
from pathlib import Path

import numpy as np

import mnist_helpers  # noqa: F401  (before Keras: quiet TensorFlow start-up)
from mnist_helpers._support.artifacts import save_json
from mnist_helpers._support.provenance import library_versions
from mnist_helpers.config import DEFAULT_MODEL_ROLE, PROJECT_ROOT, shipped_model, shown_path
from mnist_helpers.data import load_mnist
from mnist_helpers.model_files import load_classifier
from mnist_helpers.own_digits.classify import FailedImage, prepared_or_failed
from mnist_helpers.own_digits.mnist_style import prepare_number
from mnist_helpers.own_digits.reading import read_images
from mnist_helpers.synthetic.number_pages import make_number
from mnist_helpers.synthetic.out_of_mnist_set import PER_CLASS, SUBSETS, render
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
    return {"numbers": len(numbers), "read_right": right / len(numbers), "split_right": counted / len(numbers),
            "digits_compared": compared, "digit_accuracy_in_number": in_number / max(1, compared),
            "digit_accuracy_alone": alone / max(1, compared)}  # fmt: skip


def split_rate(sources) -> dict:
    """How many of ``sources`` (one digit each) the splitter cuts into more than one digit (unreadable apart)."""
    parts, unreadable = [], 0
    for source in sources:
        prepared = prepared_or_failed(prepare_number, source)  # a bug on one image counts it unreadable, said
        if isinstance(prepared, FailedImage):
            if prepared.bug:
                print(prepared.message, file=sys.stderr)
            unreadable += 1
        else:
            parts.append(len(prepared))
    split = sum(count > 1 for count in parts)
    return {"images": len(parts), "unreadable": unreadable, "split": split, "split_rate": split / len(parts)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=shipped_model(DEFAULT_MODEL_ROLE))
    parser.add_argument("--numbers", type=int, default=500, help="numbers with gaps")
    parser.add_argument("--touching", type=int, default=300, help="numbers with one touching pair")
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
        for name, count, touching in (("gaps", args.numbers, False), ("touching", args.touching, True)):
            numbers = [make_number(rng, test, touching=touching) for _ in range(count)]
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
        results["single_digits"] = {name: split_rate(sources) for name, sources in singles.items()}
    lines = ["| numbers | count | read entirely right | split into the right count | "
             "digit accuracy in the number | the same digits alone |", "|---|---:|---:|---:|---:|---:|"]  # fmt: skip
    for name in ("gaps", "touching"):
        r = results[name]
        lines.append(f"| {name} | {r['numbers']} | {r['read_right']:.1%} | {r['split_right']:.1%} | "
                     f"{r['digit_accuracy_in_number']:.2%} | {r['digit_accuracy_alone']:.2%} |")  # fmt: skip
    lines += ["", "| single digits | images | split into more than one |", "|---|---:|---:|"]
    for name, r in results["single_digits"].items():
        lines.append(f"| {name} | {r['images']} | {r['split']} ({r['split_rate']:.2%}) |")
    lines.append("")
    lines.append(
        "Images the preprocessing refused as blank are not counted: "
        + ", ".join(f"{name} {r['unreadable']}" for name, r in results["single_digits"].items())
    )
    table = "\n".join(lines)
    print(f"\n{command}\n\nmodel: {shown_path(args.model)}\n\n{table}")
    save_json({"command": command, "model": str(shown_path(args.model)), "seed": args.seed, "markdown": table,
               "results": results, "library_versions": library_versions()}, args.output)  # fmt: skip
    print(f"\nwrote {shown_path(args.output)}")


if __name__ == "__main__":
    main()
