"""Real handwriting that no generator here made, read as ``predict`` reads it: accuracy and not-a-digit flags.

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.held_out [--models PATH ...]

Sources, each held out from every model's training:
- ``MNIST test``: the 10,000 test digits (the classifiers trained on the 60,000 training digits; the detector on
  the training digits too), as 28x28 arrays through the MNIST-style preprocessing.
- ``UCI digits``: scikit-learn's copy of the UCI optical recognition test data (1,797 digits by 43 other writers,
  scanned and block-averaged to 8x8, 17 grey levels), drawn as dark ink on white paper at 8x (64x64 px) with a
  paper margin, so that the preprocessing finds the paper at the border, then read like a photo.
- ``varying pressure, PEN``: digits from the stroke templates written with a fountain pen (hairlines), a pencil
  pressed lightly at the ends, or a felt-tip running dry (:mod:`mnist_helpers.synthetic.pressure_strokes`), a
  generator family that no model here learnt from (the detector neither).
The classifiers never learnt from any generated image; the detector learnt from generated non-digits against MNIST
training digits and generated digits (other seeds). For each source: the accuracy, the share flagged "not a digit"
by the shipped check, and the detector threshold that would flag at most 1% of the source's digits (the ink-shape
rules' own flags stay), and MNIST test as training scores it (the arrays). Writes ``benchmarks/results/held_out.json``.
"""

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np
from PIL import Image
from sklearn.datasets import load_digits

from mnist_helpers._support.artifacts import save_json
from mnist_helpers._support.provenance import library_versions
from mnist_helpers.config import PROJECT_ROOT, shown_path
from mnist_helpers.data import flatten_and_scale, load_mnist
from mnist_helpers.model_files import classify_digits, default_model_path, load_classifier
from mnist_helpers.own_digits.mnist_style import prepare_digit
from mnist_helpers.own_digits.not_a_digit import DETECTOR_THRESHOLD, not_a_digit_reason, shipped_detector
from mnist_helpers.synthetic.pressure_strokes import PENS, pressure_set

RESULTS_PATH = PROJECT_ROOT / "benchmarks" / "results" / "held_out.json"
DEFAULT_MODELS = [str(shown_path(default_model_path())), "outputs/notebook.onnx"]
UCI_SCALE, UCI_MARGIN = 8, 2  # 8x8 digits drawn 8x larger, with a 2-cell paper margin
FLAG_LIMIT = 0.01
PRESSURE_PER_DIGIT, PRESSURE_SEED = 150, 2026  # the varying-pressure images: how many per digit, and their seed


def uci_page(cells: np.ndarray) -> Image.Image:
    """A UCI digit (8x8, ink 0-16) as dark ink on white paper, enlarged smoothly like a scan."""
    ink = np.pad(cells / 16.0, UCI_MARGIN)
    side = ink.shape[0] * UCI_SCALE
    grey = Image.fromarray(np.rint(255 * (1 - ink)).astype(np.uint8), "L")
    return grey.resize((side, side), Image.Resampling.BICUBIC)


def unprepared_sources(pressure_per_digit=PRESSURE_PER_DIGIT, seed=PRESSURE_SEED) -> dict:
    """Each held-out source as (images as read: MNIST's arrays, UCI's pages, the pens' photos; labels)."""
    _, (x_test, y_test) = load_mnist()
    uci = load_digits()
    found = {
        "MNIST test": (list(x_test), y_test),
        "UCI digits": ([uci_page(cells) for cells in uci.images], uci.target),
    }
    images, labels, pens = pressure_set(pressure_per_digit, seed)
    for pen in PENS:
        found[f"varying pressure, {pen}"] = ([images[i] for i in np.flatnonzero(pens == pen)], labels[pens == pen])
    return found


def prepared_sources(found: dict) -> dict:
    """``unprepared_sources``' images as prepared 28x28 digits, with their labels."""
    return {name: (np.stack([prepare_digit(image) for image in images]), labels)
            for name, (images, labels) in found.items()}  # fmt: skip


def sources(pressure_per_digit=PRESSURE_PER_DIGIT, seed=PRESSURE_SEED) -> dict:
    """Each held-out source as (prepared 28x28 digits, labels)."""
    return prepared_sources(unprepared_sources(pressure_per_digit, seed))


def flags(digits) -> dict:
    """The shipped check's flags on prepared digits, and the detector threshold that keeps them within 1%."""
    rules = np.array([not_a_digit_reason(digit) is not None for digit in digits])
    detector = shipped_detector().not_digit_probability(digits)
    shipped = rules | (detector > DETECTOR_THRESHOLD)
    allowed = int(np.floor(FLAG_LIMIT * len(digits))) - int(rules.sum())
    candidates = np.sort(detector[~rules])[::-1]
    needed = float(candidates[allowed]) if 0 <= allowed < len(candidates) else (0.0 if allowed >= 0 else 1.0)
    return {
        "flagged": float(shipped.mean()),
        "flagged_by_ink_shape": float(rules.mean()),
        "detector_threshold_for_1_percent": needed,
    }


def averaged(models, digits) -> np.ndarray:
    """The models' softmax probabilities averaged (one model: its own)."""
    return np.mean([classify_digits(model, digits) for model in models], axis=0)


def top_confusions(labels, answers, count=3) -> list:
    """The most frequent mistakes as "true -> read (n)", most frequent first."""
    pairs = Counter(zip(labels[answers != labels].tolist(), answers[answers != labels].tolist()))
    return [f"{true} -> {read} ({n})" for (true, read), n in pairs.most_common(count)]


def markdown(results, flag_rows) -> str:
    names = list(flag_rows)
    lines = ["| model | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    lines += [f"| `{model}` | " + " | ".join(f"{row[name]:.2%}" for name in names) + " |"
              for model, row in results.items()]  # fmt: skip
    flagged = [f"{flag_rows[name]['flagged']:.2%}" for name in names]
    needed = [f"{flag_rows[name]['detector_threshold_for_1_percent']:.3f}" for name in names]
    lines.append("| flagged not a digit (shipped check) | " + " | ".join(flagged) + " |")
    lines.append("| detector threshold for <= 1% flags | " + " | ".join(needed) + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--models", nargs="+", default=DEFAULT_MODELS)
    parser.add_argument(
        "--pressure-per-digit", type=int, default=PRESSURE_PER_DIGIT, help="varying-pressure images per digit"
    )
    parser.add_argument("--seed", type=int, default=PRESSURE_SEED, help="seed of the varying-pressure images")
    parser.add_argument("--committee", nargs="+", default=[], help="also score these models' averaged probabilities")
    parser.add_argument("--output", type=Path, default=RESULTS_PATH, help="JSON path (default: %(default)s)")
    args = parser.parse_args(argv)
    command = " ".join(["python -m benchmarks.held_out", *(argv if argv is not None else sys.argv[1:])])
    found = unprepared_sources(args.pressure_per_digit, args.seed)
    prepared = prepared_sources(found)
    flag_rows = {name: flags(digits) for name, (digits, _) in prepared.items()}
    results = {}
    models = {path: [load_classifier(path)] for path in args.models}
    if args.committee:
        models[f"committee of {len(args.committee)}: " + ", ".join(args.committee)] = [
            load_classifier(path) for path in args.committee
        ]
    confusions = {}
    for name, members in models.items():
        answers = {source: averaged(members, digits).argmax(axis=1) for source, (digits, _) in prepared.items()}
        results[name] = {source: float(np.mean(answers[source] == labels)) for source, (_, labels) in prepared.items()}
        confusions[name] = {source: top_confusions(labels, answers[source]) for source, (_, labels) in prepared.items()}
    table = markdown(results, flag_rows)
    x_test, y_test = np.stack(found["MNIST test"][0]), found["MNIST test"][1]
    arrays = {name: float(np.mean(averaged(members, flatten_and_scale(x_test)).argmax(axis=1) == y_test))
              for name, members in models.items()}  # fmt: skip
    arrays_line = "MNIST test as training scores it (the arrays, no preprocessing): " + ", ".join(
        f"`{name}` {accuracy:.2%}" for name, accuracy in arrays.items()
    )
    print(f"{command}\n\n{table}\n\n{arrays_line}")
    record = {"command": command, "seed": args.seed, "detector_threshold": DETECTOR_THRESHOLD,
              "accuracy": results, "mnist_test_arrays": arrays, "confusions": confusions, "flags": flag_rows,
              "images": {name: len(labels) for name, (_, labels) in prepared.items()}, "markdown": table,
              "library_versions": library_versions()}  # fmt: skip
    save_json(record, args.output)
    print(f"\nwrote {shown_path(args.output)}")


if __name__ == "__main__":
    main()
