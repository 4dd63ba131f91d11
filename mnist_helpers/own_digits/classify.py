"""Classify image files with a saved model: safe loading, batch prediction, one output line per image."""

from dataclasses import dataclass

import numpy as np

from .._support.errors import bug_line
from ..data import IMAGE_SIDE
from ..model_files import classify_digits
from .image_files import ImageInputError, source_list, source_name
from .mnist_style import prepare_digit
from .not_a_digit import not_a_digit_reasons

TOP_K = 3


def top_k(probabilities, k=TOP_K) -> list:
    """The ``k`` most probable digits of one probability row as ``(digit, probability)``, most probable first."""
    probabilities = np.asarray(probabilities, dtype=np.float64)
    order = np.argsort(-probabilities, kind="stable")[:k]
    return [(int(digit), float(probabilities[digit])) for digit in order]


@dataclass
class DigitPrediction:
    """The model's verdict on one image: its softmax probabilities over the ten digits.

    ``warning`` says why the image probably is not a digit at all (see ``not_a_digit``), else None;
    ``box`` is where the digit is in its image, when it was read as one digit of a number.
    """

    source: str
    probabilities: np.ndarray
    warning: str | None = None
    box: object = None

    @property
    def looks_like_digit(self) -> bool:
        """False when the prepared image's ink does not look like a handwritten digit."""
        return self.warning is None

    @property
    def digit(self) -> int:
        """The predicted digit."""
        return int(np.argmax(self.probabilities))

    @property
    def confidence(self) -> float:
        """The predicted digit's probability."""
        return float(np.max(self.probabilities))

    def top(self, k=TOP_K) -> list:
        """The ``k`` most probable digits as ``(digit, probability)``, most probable first."""
        return top_k(self.probabilities, k)

    def __repr__(self):
        return f"DigitPrediction({self.source!r}, digit={self.digit}, confidence={self.confidence:.3f})"


@dataclass
class FailedImage:
    """An image that could not be classified, with its one-line reason (which names the file)."""

    source: str
    message: str
    bug: bool = False  # it failed on an exception nobody expected (the message says to report it)


def prepared_or_failed(prepare, source, name=None):
    """``prepare(source)``, or a ``FailedImage`` saying why ``source`` (``name`` in messages) could not be prepared.

    Every batch reader prepares each item through this: an image that cannot be read is its one-line reason, and
    an exception nobody expected (a bug in a step) is that image's one-line failure, never the whole batch's.
    """
    name = source_name(source) if name is None else name
    try:
        return prepare(source)
    except ImageInputError as error:
        return FailedImage(name, str(error))
    except Exception as error:  # a bug: this item's failure, reported as one; KeyboardInterrupt still stops
        return FailedImage(name, bug_line(name, error), bug=True)


def classify_images(model, sources) -> list:
    """Prepare and classify each image; return, in input order, a ``DigitPrediction`` or a ``FailedImage`` each.

    An image that cannot be read, is too large or is blank becomes a ``FailedImage``; the others
    are still classified, in one batch, and flagged when they do not look like a digit.
    """
    sources = source_list(sources)
    prepared = [prepared_or_failed(prepare_digit, source) for source in sources]
    digits = [item for item in prepared if not isinstance(item, FailedImage)]
    probabilities = iter(classify_digits(model, np.array(digits, dtype=np.float32).reshape(-1, IMAGE_SIDE, IMAGE_SIDE)))
    reasons = iter(not_a_digit_reasons(digits))
    return [
        item
        if isinstance(item, FailedImage)
        else DigitPrediction(source_name(source), next(probabilities), next(reasons))
        for source, item in zip(sources, prepared)
    ]


def format_prediction(prediction: DigitPrediction) -> str:
    """One human-readable line: ``path: 7 (99.9%)  top 3: 7 99.9%, 9 0.1%, 2 0.0%``, plus any warning."""
    top = ", ".join(f"{digit} {probability:.1%}" for digit, probability in prediction.top())
    line = f"{prediction.source}: {prediction.digit} ({prediction.confidence:.1%})  top {TOP_K}: {top}"
    return line if prediction.looks_like_digit else f"{line}  (does not look like a digit: {prediction.warning})"


def prediction_record(result) -> dict:
    """A JSON-ready dict for a prediction (path, digit, confidence, top 3, looks_like_digit, any warning)
    or a failure (path, error)."""
    if isinstance(result, FailedImage):
        return {"path": result.source, "error": result.message}
    record = {
        "path": result.source,
        "digit": result.digit,
        "confidence": round(result.confidence, 6),
        "top": [{"digit": digit, "probability": round(probability, 6)} for digit, probability in result.top()],
        "looks_like_digit": result.looks_like_digit,
    }
    return record if result.looks_like_digit else {**record, "warning": result.warning}
