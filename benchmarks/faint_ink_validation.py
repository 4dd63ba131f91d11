"""Choosing the ink steps on a validation family, so that the held-out sources are not tuned on.

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.faint_ink_validation [--digits 2000] [--models A.onnx B.onnx C.onnx --output PATH]

The images are made from MNIST's validation digits (the last tenth of the training set: the robust recipe holds them
out of every weight update and uses them only to stop early), never from MNIST test, UCI or the pens of
:mod:`benchmarks.held_out`. Five families: each digit on a clean page and phone-photographed
(:func:`mnist_helpers.synthetic.renderings.photo_of`), the same with strokes of different darkness
(:mod:`mnist_helpers.synthetic.stroke_ink`, a generator family made for this choice and used for nothing else), and
a coarse scan (reduced to 10x10 with 17 grey levels, enlarged 8x). Each ink variant is read by the shipped robust
model (or by ``--models``, their probabilities averaged: a committee). The chosen variant is the best on the two
faint-stroke families (their mean) among those that lose at most ``MAX_LOSS`` on every other family against the
shipped steps. Only then are the chosen variant and the shipped steps scored on the held-out sources (MNIST test,
UCI, the pens: ``benchmarks.held_out.unprepared_sources``), once, as the check of the choice, with the digits each
source gains and loses and a two-sided sign test of those changes (``scipy.stats.binomtest``: how often chance alone
would move that many digits that way). Writes benchmarks/results/faint_ink_validation.json (or ``--output``).
"""

import argparse
import functools
import sys
from pathlib import Path

import numpy as np
from PIL import Image
from scipy.stats import binomtest

from benchmarks.faint_strokes_probe import keep_faint_by_own_core
from benchmarks.held_out import averaged, unprepared_sources
from mnist_helpers._support.artifacts import save_json
from mnist_helpers.config import PROJECT_ROOT, shown_path
from mnist_helpers.data import load_mnist
from mnist_helpers.model_files import default_model_path, load_classifier
from mnist_helpers.own_digits import ink, mnist_style
from mnist_helpers.own_digits.image_files import ImageInputError
from mnist_helpers.recipe import AUGMENTED_RECIPE
from mnist_helpers.synthetic.renderings import photo_of
from mnist_helpers.synthetic.stroke_ink import enlarged, on_page, stroke_darkness

RESULTS_PATH = PROJECT_ROOT / "benchmarks" / "results" / "faint_ink_validation.json"
SEED = 5
MAX_LOSS = 0.001  # a tenth of a point
FAINT_FAMILIES = ("faint strokes, page", "faint strokes, photo")
COARSE_CELLS, COARSE_LEVELS, COARSE_SCALE = 10, 16, 8


def _with(steps, function, **changes):
    """``steps`` with ``function``'s step run with ``changes`` (or replaced, when ``changes`` is a function)."""
    return tuple(
        mnist_style.Step(step.name, step.title, changes.get("by") or functools.partial(function, **changes))
        if step.function is function else step for step in steps
    )  # fmt: skip


def _variants() -> dict:
    shipped = mnist_style.STEPS
    narrow = _with(shipped, ink.keep_faint_strokes, widths=0.5)
    return {
        "shipped": shipped,
        "local window 0.5 widths": narrow,
        "own stroke's core": _with(shipped, ink.keep_faint_strokes, by=keep_faint_by_own_core),
        "noise floor 0.08": _with(shipped, ink.stretch_contrast, noise_floor=0.08),
        "noise floor 0.08, window 0.5": _with(narrow, ink.stretch_contrast, noise_floor=0.08),
        "noise floor 0.05, window 0.5": _with(narrow, ink.stretch_contrast, noise_floor=0.05),
    }


def coarse_scan(digit: np.ndarray) -> Image.Image:
    """An MNIST digit reduced to 10x10 cells of 17 grey levels, dark on white, enlarged 8x with a 2-cell margin."""
    cells = Image.fromarray(digit).resize((COARSE_CELLS, COARSE_CELLS), Image.Resampling.BOX)
    level = np.pad(np.round(np.asarray(cells) / 255 * COARSE_LEVELS) / COARSE_LEVELS, 2)
    side = level.shape[0] * COARSE_SCALE
    page = Image.fromarray(np.rint(255 * (1 - level)).astype(np.uint8), "L")
    return page.resize((side, side), Image.Resampling.BICUBIC)


def families(count: int, seed=SEED) -> tuple:
    """``(labels, {family: images})`` for ``count`` MNIST validation digits."""
    (x_train, y_train), _ = load_mnist()
    first_validation = int(len(x_train) * (1 - AUGMENTED_RECIPE.validation_split))
    rng = np.random.default_rng(seed)
    chosen = first_validation + rng.choice(len(x_train) - first_validation, count, replace=False)
    digits = x_train[chosen]
    coverage = [enlarged(digit) for digit in digits]
    faint = [ink_cover * stroke_darkness(ink_cover, rng) for ink_cover in coverage]
    return y_train[chosen], {
        "page": [on_page(ink_cover) for ink_cover in coverage],
        "photo": [photo_of(ink_cover, rng) for ink_cover in coverage],
        FAINT_FAMILIES[0]: [on_page(ink_cover) for ink_cover in faint],
        FAINT_FAMILIES[1]: [photo_of(ink_cover, rng) for ink_cover in faint],
        "coarse scan": [coarse_scan(digit) for digit in digits],
    }


def prepared(images, steps=mnist_style.STEPS) -> tuple:
    """The images prepared by ``steps``, and whether each could be (one with no ink found is a blank digit)."""
    digits, readable = [], []
    for image in images:
        try:
            digits.append(mnist_style.prepare_digit(image, steps))
            readable.append(True)
        except ImageInputError:
            digits.append(np.zeros((28, 28), np.float32))
            readable.append(False)
    return np.stack(digits), np.array(readable)


def read(models, images, steps) -> np.ndarray:
    """The models' answers (their probabilities averaged); an image the steps cannot read (no ink found) answers -1,
    a mistake."""
    digits, readable = prepared(images, steps)
    return np.where(readable, averaged(models, digits).argmax(axis=1), -1)


def chosen_variant(accuracy: dict) -> str:
    """The best mean on ``FAINT_FAMILIES`` among the variants within ``MAX_LOSS`` of the shipped steps elsewhere."""
    shipped = accuracy["shipped"]
    others = [family for family in shipped if family not in FAINT_FAMILIES]
    allowed = [name for name, row in accuracy.items() if all(row[f] >= shipped[f] - MAX_LOSS for f in others)]
    return max(allowed, key=lambda name: np.mean([accuracy[name][family] for family in FAINT_FAMILIES]))


def scored(models, variants: dict, found: dict, labels=None) -> tuple:
    """``({variant: {source: accuracy}}, {variant: {source: right or wrong, per image}})``; ``found``:
    ``{source: images}`` with ``labels``, or ``{source: (images, labels)}``."""
    accuracy, right = {name: {} for name in variants}, {name: {} for name in variants}
    for source, images in found.items():
        images, truth = images if labels is None else (images, labels)
        for name, steps in variants.items():
            right[name][source] = read(models, images, steps) == truth
            accuracy[name][source] = float(np.mean(right[name][source]))
        print(source, " | ".join(f"{name}: {accuracy[name][source]:.2%}" for name in variants), flush=True)
    return accuracy, right


def changes(before: np.ndarray, after: np.ndarray) -> dict:
    """The digits read right only after (gained) and only before (lost), and the sign test's two-sided p-value."""
    gained, lost = int(np.sum(after & ~before)), int(np.sum(before & ~after))
    p_value = binomtest(gained, gained + lost).pvalue if gained + lost else 1.0
    return {"gained": gained, "lost": lost, "sign_test_p": float(p_value)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--digits", type=int, default=2000, help="MNIST validation digits per family")
    parser.add_argument(
        "--models",
        nargs="+",
        type=Path,
        default=[default_model_path()],
        help="the reader: one model, or several whose probabilities are averaged (a committee)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS_PATH, help="JSON path (default: %(default)s)")
    args = parser.parse_args(argv)
    labels, found = families(args.digits)
    models, variants = [load_classifier(path) for path in args.models], _variants()
    accuracy, _ = scored(models, variants, found, labels)
    choice = chosen_variant(accuracy)
    print(f"chosen: {choice}; the held-out check:")
    held_out, right = scored(
        models, {name: variants[name] for name in dict.fromkeys(["shipped", choice])}, unprepared_sources()
    )
    moved = {source: changes(right["shipped"][source], right[choice][source]) for source in right["shipped"]}
    command = " ".join(["python -m benchmarks.faint_ink_validation", *(argv if argv is not None else sys.argv[1:])])
    record = {"command": command, "models": [str(shown_path(path)) for path in args.models], "seed": SEED,
              "digits": args.digits, "max_loss": MAX_LOSS, "accuracy": accuracy, "chosen": choice,
              "held_out_check": held_out, "held_out_changes": moved}  # fmt: skip
    save_json(record, args.output)
    print(f"changes, {choice} against shipped: {moved}")
    print(f"wrote {shown_path(args.output)}")


if __name__ == "__main__":
    main()
