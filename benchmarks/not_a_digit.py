"""Not a digit, measured: the project's check against the softmax baseline, on images that are not digits.

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.not_a_digit [--model PATH] [--per-set 600] [--seed 0]

Every image is written to a file and read as ``predict`` reads it (split into digits, each prepared and
classified; an image is flagged when any of its digits is). Images that are not digits
(:mod:`mnist_helpers.synthetic.not_digits`): printed letters in the installed fonts, pen-drawn letters,
scribbles, shapes, photographed blank paper, noise. Real digits: MNIST test digits through files, MNIST
digits re-inked with finer and thicker pens (:mod:`mnist_helpers.synthetic.pens`), the out-of-MNIST set.

Scores (higher: less like a digit; an image ``predict`` refuses, e.g. blank paper, scores infinity):
- ``check``: the ink-shape check's margin (:func:`~mnist_helpers.handwriting.digit_check.shape_margin`),
  above 1 where it fires;
- ``softmax``: the baseline of Hendrycks & Gimpel (2017), one minus the top softmax probability;
- ``check or softmax``: the check, or a top probability below a threshold.

Each set is split in two halves (even and odd images). The softmax thresholds are chosen on the first
half: the highest that keeps false flags within 0.5% on MNIST files and 2% on each pen. Everything
printed (AUROC against the MNIST files, the share caught at the operating point, false flags) is
measured on the second half. Writes ``benchmarks/results/not_a_digit.json``.
"""

import argparse
import tempfile
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

from mnist_helpers.artifacts import save_json
from mnist_helpers.config import PROJECT_ROOT, shown_path
from mnist_helpers.data import load_mnist
from mnist_helpers.handwriting.classify import classify_digits, default_model_path, load_classifier
from mnist_helpers.handwriting.digit_check import shape_margin
from mnist_helpers.handwriting.image_files import ImageInputError
from mnist_helpers.handwriting.mnist_style import prepare_number
from mnist_helpers.synthetic import out_of_mnist
from mnist_helpers.synthetic.not_digits import KINDS, is_digit_shaped
from mnist_helpers.synthetic.pages import write_round_trip_images
from mnist_helpers.synthetic.pens import PENS, pen_page

RESULTS_PATH = PROJECT_ROOT / "benchmarks" / "results" / "not_a_digit.json"
FALSE_FLAG_LIMITS = {"MNIST files": 0.005, "pens": 0.02}  # the limits, per real-digit set
FINE_AND_THICK = ("finer", "fine", "thick", "marker")
LETTER_KINDS = ("printed letters", "drawn letters")
REFUSED = np.inf


def read_scores(model, paths) -> dict:
    """Per image: the check's margin and the top probability (of its least sure digit); refused: inf and 0."""
    margins, tops, parts = [], [], []
    digits, owners = [], []
    for index, path in enumerate(paths):
        try:
            prepared = prepare_number(path)
        except ImageInputError:
            margins.append(REFUSED)
            parts.append(0)
            continue
        margins.append(max(shape_margin(each.digit) for each in prepared))
        parts.append(len(prepared))
        digits += [each.digit for each in prepared]
        owners += [index] * len(prepared)
    top = np.ones(len(paths))
    if digits:
        probabilities = classify_digits(model, np.array(digits, dtype=np.float32))
        np.minimum.at(top, np.array(owners), probabilities.max(axis=1))
    tops = np.where(np.array(parts) == 0, 0.0, top)
    return {"margin": np.array(margins), "top": tops, "parts": np.array(parts)}


def written(images, folder: Path, name: str) -> list:
    """Save Pillow ``images`` as PNG files in ``folder``; return their paths."""
    paths = []
    for index, image in enumerate(images):
        path = folder / f"{name.replace(' ', '_')}_{index:04d}.png"
        image.save(path)
        paths.append(path)
    return paths


def real_digit_sets(folder: Path, count: int, rng) -> dict:
    """``name -> paths`` of real digits: MNIST test digits through files, each pen, the out-of-MNIST set."""
    _, (x_test, _) = load_mnist()
    chosen = x_test[rng.choice(len(x_test), count, replace=False)]
    (folder / "mnist").mkdir()
    sets = {"MNIST files": write_round_trip_images(chosen, folder / "mnist", seed=int(rng.integers(1 << 31)))}
    for pen in FINE_AND_THICK:
        sets[f"{pen} pen"] = written((pen_page(d, PENS[pen], rng) for d in chosen), folder, f"pen_{pen}")
    images = [
        out_of_mnist.render(subset, index)[0]
        for subset in out_of_mnist.SUBSETS
        for index in range(out_of_mnist.PER_CLASS[subset] * out_of_mnist.NUM_CLASSES)
    ]
    sets["out-of-MNIST"] = written(images, folder, "out_of_mnist")
    return sets


def non_digit_sets(folder: Path, count: int, rng) -> tuple:
    """``(name -> paths, name -> labels)`` of images that are not digits, ``count`` of each kind."""
    paths, labels = {}, {}
    for kind, make in KINDS.items():
        made = [make(rng) for _ in range(count)]
        paths[kind] = written((image for image, _ in made), folder, kind)
        labels[kind] = [label for _, label in made]
    return paths, labels


def halves(values: np.ndarray) -> tuple:
    """The (choose, report) halves of a set: even and odd images."""
    return values[0::2], values[1::2]


def method_scores(scores: dict, threshold: float) -> dict:
    """Each method's score (flagged above 1 for the thresholded ones) from an image set's margins and top probs."""
    unsure = (1 - scores["top"]) / (1 - threshold)
    return {
        "check": scores["margin"],
        "softmax": np.where(np.isinf(scores["margin"]), REFUSED, 1 - scores["top"]),
        "check or softmax": np.maximum(scores["margin"], unsure),
    }


def highest_threshold(real: dict, limits: dict, with_check: bool) -> float:
    """The highest top-probability threshold whose false flags (first halves) stay within ``limits``."""
    candidates = np.unique(np.concatenate([halves(s["top"])[0] for s in real.values()]))
    best = 0.0
    for threshold in candidates:  # flagged: top < threshold
        within = True
        for name, scores in real.items():
            margin, top = (halves(scores[key])[0] for key in ("margin", "top"))
            flagged = (top < threshold) | ((margin > 1) if with_check else np.isinf(margin))
            within &= flagged.mean() <= limits["MNIST files" if name == "MNIST files" else "pens"]
        if not within:
            break
        best = float(threshold)
    return best


def report_rows(real: dict, others: dict, thresholds: dict) -> dict:
    """Per set (second halves): images, AUROC against the MNIST files and the share flagged, for each method."""
    rows = {}
    for name, scores in {**real, **others}.items():
        row = {"images": len(halves(scores["margin"])[1])}
        for method, threshold in thresholds.items():
            ours = halves(method_scores(scores, threshold)[method])[1]
            base = halves(method_scores(real["MNIST files"], threshold)[method])[1]
            flagged = ours > (1 if method != "softmax" else 1 - threshold)
            row[method] = {"flagged": float(flagged.mean())}
            if name not in real:
                finite = np.nan_to_num(np.concatenate([base, ours]), posinf=1e9)
                truth = np.r_[np.zeros(len(base)), np.ones(len(ours))]
                row[method]["auroc"] = float(roc_auc_score(truth, finite))
        rows[name] = row
    return rows


def split_letters(scores: dict, labels: list) -> dict:
    """A letter set as two: the letters that are not written like a digit, and those that are."""
    shaped = np.array([is_digit_shaped(label) for label in labels])
    return {
        "": {key: value[~shaped] for key, value in scores.items()},
        " (digit-shaped)": {key: value[shaped] for key, value in scores.items()},
    }


def print_table(rows: dict, thresholds: dict) -> None:
    """The report as a markdown table."""
    methods = list(thresholds)
    print("| set | images | " + " | ".join(f"{m}: AUROC | {m}: flagged" for m in methods) + " |")
    print("|---|---:|" + "---:|---:|" * len(methods))
    for name, row in rows.items():
        cells = [
            f"{row[m]['auroc']:.3f} | {row[m]['flagged']:.1%}" if "auroc" in row[m] else f"– | {row[m]['flagged']:.2%}"
            for m in methods
        ]
        print(f"| {name} | {row['images']} | " + " | ".join(cells) + " |")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", type=Path, default=default_model_path(), help="default: predict's")
    parser.add_argument("--per-set", type=int, default=600, help="images of each non-digit kind")
    parser.add_argument("--digits", type=int, default=2000, help="MNIST test digits (and per pen)")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    model = load_classifier(args.model)
    rng = np.random.default_rng(args.seed)
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        real = {name: read_scores(model, paths) for name, paths in real_digit_sets(folder, args.digits, rng).items()}
        paths, labels = non_digit_sets(folder, args.per_set, rng)
        others = {}
        for kind, kind_paths in paths.items():
            scores = read_scores(model, kind_paths)
            if kind in LETTER_KINDS:
                others |= {kind + suffix: part for suffix, part in split_letters(scores, labels[kind]).items()}
            else:
                others[kind] = scores
    limited = {name: scores for name, scores in real.items() if name != "out-of-MNIST"}
    thresholds = {
        "check": 0.0,
        "softmax": highest_threshold(limited, FALSE_FLAG_LIMITS, with_check=False),
        "check or softmax": highest_threshold(limited, FALSE_FLAG_LIMITS, with_check=True),
    }
    rows = report_rows(real, others, thresholds)
    print(f"softmax thresholds (top probability below it is flagged), chosen on the first halves: {thresholds}\n")
    print_table(rows, thresholds)
    split = {name: float(np.mean(halves(s["parts"])[1] > 1)) for name, s in real.items()}
    print(f"\nreal digits split into more than one part: {split}")
    record = {
        "model": str(shown_path(args.model)),
        "seed": args.seed,
        "thresholds": thresholds,
        "false_flag_limits": FALSE_FLAG_LIMITS,
        "sets": rows,
        "real_digits_split": split,
    }
    save_json(record, RESULTS_PATH)
    print(f"\nwrote {shown_path(RESULTS_PATH)}")


if __name__ == "__main__":
    main()
