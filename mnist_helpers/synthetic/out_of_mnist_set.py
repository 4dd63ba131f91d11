"""The out-of-MNIST evaluation set: generated digit images, each run through the MNIST-style preprocessing.

Every image has its own random generator, seeded by ``(seed, subset, index)``: a seed gives the same
set on every run, and any one image can be re-rendered alone (for the contact sheet). The set is for
evaluation only: never train on it or choose a setting with it.
"""

from dataclasses import dataclass, field

import numpy as np

from .._support.errors import UserFacingError
from ..evaluate import most_confused_pairs
from ..own_digits.mnist_style import prepare_digit
from .renderings import draw_stroke_digit, photograph, print_digit

SEED = 2024
SUBSETS = ("stroke-drawn", "printed", "photographed")
PER_CLASS = {"stroke-drawn": 60, "printed": 40, "photographed": 60}
NUM_CLASSES = 10
TOP_CONFUSIONS = 3


@dataclass
class DigitSet:
    """Preprocessed digits (N x 28 x 28 float32 in [0, 1]), labels, subsets, which the preprocessing could read, fonts.

    An image the preprocessing refuses (e.g. faint pencil in a dim photo) stays in the set as a blank
    digit with ``readable`` False: it counts as a mistake for every model.
    """

    digits: np.ndarray
    labels: np.ndarray
    subsets: np.ndarray
    readable: np.ndarray
    fonts: dict = field(default_factory=dict)

    def __repr__(self):
        sizes = ", ".join(f"{name} {int((self.subsets == name).sum())}" for name in SUBSETS)
        return f"DigitSet({len(self.labels)} digits: {sizes}; {int((~self.readable).sum())} unreadable)"


def _image_rng(seed: int, subset: str, index: int) -> np.random.Generator:
    """The random generator of image ``index`` of ``subset``."""
    return np.random.default_rng([seed, SUBSETS.index(subset), index])


def _label_of(index: int) -> int:
    """Images cycle through the digits 0-9, so every subset is balanced."""
    return index % NUM_CLASSES


def render(subset: str, index: int, seed=SEED) -> tuple:
    """``(RGB image, label, font file or None)`` of image ``index`` of ``subset``."""
    digit, rng = _label_of(index), _image_rng(seed, subset, index)
    if subset == "printed":
        image, font = print_digit(digit, rng)
        return image, digit, font
    draw = draw_stroke_digit if subset == "stroke-drawn" else photograph
    return draw(digit, rng), digit, None


def generate_set(seed=SEED, per_class=None) -> DigitSet:
    """The set, preprocessed: ``per_class[subset]`` images of each digit per subset (default :data:`PER_CLASS`)."""
    per_class = per_class or PER_CLASS
    digits, labels, subsets, readable, fonts = [], [], [], [], {}
    for subset in SUBSETS:
        for index in range(per_class.get(subset, 0) * NUM_CLASSES):
            image, label, font = render(subset, index, seed)
            try:
                digits.append(prepare_digit(image))
                readable.append(True)
            except UserFacingError:
                digits.append(np.zeros((28, 28), np.float32))
                readable.append(False)
            labels.append(label)
            subsets.append(subset)
            if font:
                fonts[font] = fonts.get(font, 0) + 1
    arrays = (
        np.stack(digits).astype(np.float32),
        np.array(labels, dtype=np.int64),
        np.array(subsets),
        np.array(readable),
    )
    return DigitSet(*arrays, dict(sorted(fonts.items())))


def score(labels: np.ndarray, predicted: np.ndarray, subsets: np.ndarray) -> dict:
    """Accuracy (with counts) per subset and overall, and the most frequent confusions (true, predicted, count).

    A prediction of -1 (an image the preprocessing could not read) counts as wrong and as ``unreadable``.
    """
    result = {}
    for name in (*SUBSETS, "overall"):
        mask = np.ones(len(labels), bool) if name == "overall" else subsets == name
        if not mask.any():
            continue
        read = mask & (predicted >= 0)
        matrix = np.zeros((NUM_CLASSES, NUM_CLASSES), dtype=np.int64)
        np.add.at(matrix, (labels[read], predicted[read]), 1)
        correct, count = int(np.trace(matrix)), int(mask.sum())
        result[name] = {"accuracy": correct / count, "correct": correct, "count": count,
                        "unreadable": count - int(read.sum()),
                        "top_confusions": most_confused_pairs(matrix, TOP_CONFUSIONS)}  # fmt: skip
    return result
