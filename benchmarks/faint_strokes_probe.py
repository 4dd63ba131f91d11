"""A probe, not shipped: should a faint stroke's ink be lifted relative to its own stroke's core?

Run by hand from the repository root (not part of the test suite):

    python -m benchmarks.faint_strokes_probe

The faint-strokes step (``ink.keep_faint_strokes``) divides each ink pixel by the brightest ink within 0.75 stroke
widths. Where a faint stroke meets a dark one, that is the dark stroke, so the faint stroke stays faint there: the
felt-tip's 8s whose left half fades lose their strokes at the crossing and are read as 3. This probe tries the other
reading of "local": each ink pixel over its own stroke's core, the brightest ink in the 3x3 around the nearest
skeleton pixel (``skimage.morphology.skeletonize``, ``scipy.ndimage.distance_transform_edt``'s indices), the rest of
the preprocessing as shipped. It reads the held-out sources of :mod:`benchmarks.held_out` (the pens, UCI, the first
``--mnist`` MNIST test digits) with the shipped robust model both ways, and draws the felt-tip 8s that the shipped
step lets be misread. Writes benchmarks/results/faint_strokes_probe.json and docs/faint_strokes_probe.png.
"""

import argparse
import sys

import numpy as np
from scipy import ndimage
from skimage.filters import apply_hysteresis_threshold
from skimage.morphology import skeletonize

from benchmarks.held_out import top_confusions, unprepared_sources
from mnist_helpers._support.artifacts import save_json
from mnist_helpers.config import PROJECT_ROOT, shown_path
from mnist_helpers.model_files import classify_digits, default_model_path, load_classifier
from mnist_helpers.own_digits import ink, mnist_style
from mnist_helpers.own_digits.image_files import load_image
from mnist_helpers.own_digits.mnist_style import prepare_digit

RESULTS_PATH = PROJECT_ROOT / "benchmarks" / "results" / "faint_strokes_probe.json"
FIGURE_PATH = PROJECT_ROOT / "docs" / "faint_strokes_probe.png"
FELT_TIP = "varying pressure, felt-tip"


def keep_faint_by_own_core(image, strong=ink.STRONG_INK, faint=ink.FAINT_INK, min_level=ink.MIN_LOCAL_LEVEL):
    """``ink.keep_faint_strokes`` with each ink pixel divided by its own stroke's core: the brightest ink in the 3x3
    around its nearest skeleton pixel, instead of the brightest ink near it."""
    mask = apply_hysteresis_threshold(image, faint, strong)
    if not mask.any():
        return image
    kept = np.where(mask, image, 0.0).astype(np.float32)
    _, (rows, columns) = ndimage.distance_transform_edt(~skeletonize(mask), return_indices=True)
    level = ndimage.maximum_filter(kept, size=3)[rows, columns]
    return np.where(mask, np.clip(kept / np.maximum(level, min_level), 0.0, 1.0), 0.0).astype(np.float32)


VARIANTS = {
    "shipped (brightest ink near it)": mnist_style.STEPS,
    "own stroke's core (skeleton)": tuple(
        mnist_style.Step(step.name, step.title, keep_faint_by_own_core) if step.function is ink.keep_faint_strokes
        else step for step in mnist_style.STEPS
    ),
}  # fmt: skip


def sources(mnist_count):
    """``held_out``'s sources as read, MNIST test cut to its first ``mnist_count`` digits."""
    found = unprepared_sources()
    images, labels = found.pop("MNIST test")
    found[f"MNIST test, first {mnist_count}"] = (images[:mnist_count], labels[:mnist_count])
    return found


def draw_felt_tip_eights(images, digits, answers, path):
    """The felt-tip 8s the shipped step lets be misread: the image, then each variant's prepared digit (``digits``)
    and answer."""
    import matplotlib.pyplot as plt

    wrong = [i for i, answer in enumerate(answers[next(iter(VARIANTS))]) if answer != 8]
    if not wrong:
        return
    figure, axes = plt.subplots(len(VARIANTS) + 1, len(wrong), figsize=(1.3 * len(wrong), 4.2), squeeze=False)
    for column, index in enumerate(wrong):
        axes[0, column].imshow(np.asarray(load_image(images[index]).convert("L")), cmap="gray")
        for row, name in enumerate(VARIANTS, start=1):
            axes[row, column].imshow(digits[name][index], cmap="gray")
            axes[row, column].set_title(f"read {answers[name][index]}", fontsize=8)
    for row, name in enumerate(["felt-tip 8", *VARIANTS]):
        axes[row, 0].set_ylabel(name.split(" (")[0], fontsize=8)
    for axis in axes.flat:
        axis.set_xticks([]), axis.set_yticks([])
    figure.tight_layout()
    figure.savefig(path, dpi=150)
    plt.close(figure)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mnist", type=int, default=2000, help="how many MNIST test digits (from the first)")
    args = parser.parse_args(argv)
    model = load_classifier()
    accuracy, confusions = {name: {} for name in VARIANTS}, {name: {} for name in VARIANTS}
    felt_tip_eights, felt_tip_digits = {}, {}
    found = sources(args.mnist)
    for source, (images, labels) in found.items():
        for name, steps in VARIANTS.items():
            digits = np.stack([prepare_digit(image, steps) for image in images])
            answers = classify_digits(model, digits).argmax(axis=1)
            accuracy[name][source] = float(np.mean(answers == labels))
            confusions[name][source] = top_confusions(labels, answers)
            if source == FELT_TIP:
                felt_tip_eights[name], felt_tip_digits[name] = answers[labels == 8].tolist(), digits[labels == 8]
        print(source, " | ".join(f"{name}: {accuracy[name][source]:.2%}" for name in VARIANTS), flush=True)
    images, labels = found[FELT_TIP]
    eights = [image for image, label in zip(images, labels) if label == 8]
    draw_felt_tip_eights(eights, felt_tip_digits, felt_tip_eights, FIGURE_PATH)
    command = " ".join(["python -m benchmarks.faint_strokes_probe", *(argv if argv is not None else sys.argv[1:])])
    record = {"command": command, "model": str(shown_path(default_model_path())), "accuracy": accuracy,
              "confusions": confusions, "felt_tip_eights_read": felt_tip_eights}  # fmt: skip
    save_json(record, RESULTS_PATH)
    print(f"wrote {shown_path(RESULTS_PATH)} and {shown_path(FIGURE_PATH)}")


if __name__ == "__main__":
    main()
