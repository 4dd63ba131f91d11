"""Does a prepared 28x28 image look like a handwritten digit? Two checks, neither a verdict.

The classifier always names a digit, often confidently, even for a letter or noise. Two signals say
when the image is probably not a digit at all (measured in ``benchmarks/not_a_digit.py``):

- the shape of the ink: after ``mnist_style.prepare_digit`` a digit is pen strokes 2-5 px wide in one
  connected piece (rarely two) enclosing at most two loops; noise becomes a solid block or a scatter of
  separate blobs, a drawing of a house with a door three loops or more. The limits
  below were chosen on the 10,000 MNIST test digits, where they fire on about 0.2%;
- the not-a-digit detector (:class:`Detector` below), a small network trained on generated letters,
  scribbles, shapes and noise against real digits, flags an image above ``DETECTOR_THRESHOLD``.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

import numpy as np
from scipy import ndimage

from .._support.errors import first_line
from ..config import DETECTOR_FILE, shown_path
from ..data import IMAGE_PIXELS
from ..model_files import ModelFileError, cpu_session
from .mnist_style import stroke_width

INK_LEVEL = 0.5  # a pixel this bright is ink (as in ``stroke_width``)
PIECE_LEVEL = 0.2  # pieces are connected regions brighter than this
EIGHT = np.ones((3, 3), dtype=bool)  # 8-connectivity
MAX_STROKE_WIDTH = 6.0  # px in the 20 px box; MNIST test digits: median 2.7, max 6.1
MAX_BOX_FILL = 0.8  # ink share of its bounding box, checked when the ink is large (a straight "1" fills its box)
LARGE_INK_PIXELS = 100  # ink pixels in the 28x28 field; MNIST median is 86
MIN_LARGEST_PIECE = 0.6  # the largest connected piece must hold this share of the ink
# A digit encloses at most two loops (an 8); MNIST test digits through files: 5 of 10,000 (all 8s) show a third
# of at least MIN_LOOP_PIXELS, pen pages 2 of 5,000. A house with a door, a tight spiral: three or more.
MAX_LOOPS = 2
MIN_LOOP_PIXELS = 2
# The detector's operating point: chosen by benchmarks/not_a_digit.py on the first half of its sets as the lowest
# threshold keeping false flags within 1% on real handwriting no generator made (MNIST test digits through files,
# the UCI digits): 0.762, rounded up (0.714 before each image was read along the segmentation search's path).
DETECTOR_THRESHOLD = 0.77


@dataclass(frozen=True)
class InkShape:
    """Shape statistics of a prepared digit's ink."""

    stroke_width: float
    ink_pixels: int
    box_fill: float
    largest_piece: float
    pieces: int
    loops: int  # regions of paper the ink encloses (of at least MIN_LOOP_PIXELS)


def ink_shape(digit: np.ndarray) -> InkShape:
    """Stroke width, ink area, bounding-box fill and the largest piece's share of a prepared digit (pieces up to two
    pixels apart count as one)."""
    ink = digit > INK_LEVEL
    rows, columns = np.flatnonzero(ink.any(axis=1)), np.flatnonzero(ink.any(axis=0))
    box_area = (rows[-1] - rows[0] + 1) * (columns[-1] - columns[0] + 1) if rows.size else 1
    faint = digit > PIECE_LEVEL
    # A pen that skips (a felt-tip running dry, a stroke lifted for a moment) leaves gaps of a pixel or two: pieces
    # that touch once each has grown by a pixel are one (held-out felt-tip digits: 2.0% read as scattered before).
    labels, pieces = ndimage.label(ndimage.binary_dilation(faint, structure=EIGHT), structure=EIGHT)
    labels = labels * faint
    piece_ink = ndimage.sum(digit, labels, np.arange(1, pieces + 1)) if pieces else np.zeros(1)
    holes, count = ndimage.label(ndimage.binary_fill_holes(ink) & ~ink)
    hole_sizes = np.bincount(holes.ravel(), minlength=count + 1)[1:]
    return InkShape(
        stroke_width=stroke_width(digit),
        ink_pixels=int(ink.sum()),
        box_fill=float(ink.sum() / box_area),
        largest_piece=float(piece_ink.max() / piece_ink.sum()) if piece_ink.sum() > 0 else 0.0,
        pieces=int(pieces),
        loops=int(np.count_nonzero(hole_sizes >= MIN_LOOP_PIXELS)),
    )


def shape_margin(digit: np.ndarray) -> float:
    """How far a prepared digit's ink is past the check's limits: above 1 exactly when ``not_a_digit_reason`` fires.

    The largest of stroke width / its limit, box fill / its limit (large ink only), the limit / the largest
    piece's share and the loops / (their limit + 1/2); infinite without ink. A score to rank images by, e.g. for a
    ROC curve.
    """
    shape = ink_shape(digit)
    if shape.ink_pixels == 0 or shape.largest_piece == 0:
        return float("inf")
    fill = shape.box_fill / MAX_BOX_FILL if shape.ink_pixels > LARGE_INK_PIXELS else 0.0
    loops = shape.loops / (MAX_LOOPS + 0.5)
    return max(shape.stroke_width / MAX_STROKE_WIDTH, fill, MIN_LARGEST_PIECE / shape.largest_piece, loops)


def not_a_digit_reason(digit: np.ndarray) -> str | None:
    """Why a prepared (28, 28) digit probably is not a digit, or None if its ink looks like pen strokes."""
    shape = ink_shape(digit)
    if shape.ink_pixels == 0:
        return "no ink left after preprocessing"
    if shape.stroke_width > MAX_STROKE_WIDTH:
        return f"a solid blot, not pen strokes (strokes {shape.stroke_width:.0f} px wide; digits' are 2-5)"
    if shape.ink_pixels > LARGE_INK_PIXELS and shape.box_fill > MAX_BOX_FILL:
        return f"ink fills {shape.box_fill:.0%} of its box, like noise (digits' strokes leave gaps)"
    if shape.largest_piece < MIN_LARGEST_PIECE:
        return f"ink scattered in {shape.pieces} separate pieces (largest holds {shape.largest_piece:.0%})"
    if shape.loops > MAX_LOOPS:
        return f"the ink encloses {shape.loops} loops (a digit has at most {MAX_LOOPS})"
    return None


def not_a_digit_reasons(digits) -> list:
    """Why each prepared (28, 28) digit probably is not a digit (ink shape first, then the detector), or None."""

    digits = list(digits)
    detector = shipped_detector().not_digit_probability(digits) if digits else []
    return [combined_reason(digit, probability) for digit, probability in zip(digits, detector)]


def combined_reason(digit: np.ndarray, not_digit_probability: float) -> str | None:
    """The ink-shape rules' reason for one prepared digit, else the detector's if its probability is over the line."""
    reason = not_a_digit_reason(digit)
    if reason is None and not_digit_probability > DETECTOR_THRESHOLD:
        reason = f"the not-a-digit detector rates it {not_digit_probability:.0%} not a digit"
    return reason


TRAIN_DETECTOR_HINT = "`python -m mnist_helpers train-detector --replace-shipped` writes it"


class Detector:
    """An ONNX Runtime session from a batch of flat 784-pixel digits to (digit, not a digit) probabilities."""

    def __init__(self, path):
        self.path = Path(path)
        try:
            self.session = cpu_session(path)
        except Exception as error:  # a missing, truncated or foreign file
            raise ModelFileError(
                f"{shown_path(path)}: the not-a-digit detector cannot be loaded ({first_line(error)}); "
                f"{TRAIN_DETECTOR_HINT}"
            ) from None
        (self._input,), (self._output,) = self.session.get_inputs(), self.session.get_outputs()
        answers = self.predict(np.zeros((1, IMAGE_PIXELS), np.float32))
        if answers.shape != (1, 2):
            raise ModelFileError(f"{shown_path(path)}: not the not-a-digit detector (outputs {answers.shape[1:]})")

    def predict(self, inputs) -> np.ndarray:
        """(n, 2) probabilities of "a digit" and "not a digit" for flat (n, 784) inputs in [0, 1]."""
        return self.session.run([self._output.name], {self._input.name: np.asarray(inputs, dtype=np.float32)})[0]

    def not_digit_probability(self, digits) -> np.ndarray:
        """The probability that each prepared (28, 28) image is not a digit."""
        digits = np.asarray(digits, dtype=np.float32).reshape(-1, IMAGE_PIXELS)
        return self.predict(digits)[:, 1] if len(digits) else np.zeros(0, np.float32)


@cache
def shipped_detector() -> Detector:
    """The detector shipped in ``models/detector/``, loaded once."""
    return Detector(DETECTOR_FILE)
