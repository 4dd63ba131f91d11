"""Read every digit of an image, left to right: one digit reads as before, several as a number.

Each image's ink is over-segmented and every candidate digit prepared (:func:`.segmentation.propose`); the
candidates of a chunk of images are classified and checked in one batch, and each image's digits are the cheapest
path through its candidates (:func:`.segmentation.best_path`). Each image gets a :class:`NumberReading`: its digits
as :class:`~.classify.DigitPrediction` with their boxes. Its text line and JSON record are those of a single digit
when there is one, and give the number and each digit's confidence otherwise.
"""

import itertools
from dataclasses import dataclass

import numpy as np

from .._support.errors import bug_line
from ..data import IMAGE_SIDE
from ..model_files import classify_digits
from .classify import DigitPrediction, FailedImage, format_prediction, prediction_record, prepared_or_failed
from .image_files import ImageInputError, source_list, source_name
from .mnist_style import number_ink, prepare_ink_part
from .not_a_digit import combined_reason, not_a_digit_reason, shipped_detector
from .segmentation import best_path, candidate_costs, candidate_features, propose


@dataclass
class NumberReading:
    """The digits read in one image, left to right (at least one)."""

    source: str
    digits: list
    path_cost: float = 0.0  # the chosen segmentation's cost (:mod:`.segmentation`; lower is likelier)

    @property
    def number(self) -> str:
        """The digits as text, e.g. ``"2025"``."""
        return "".join(str(digit.digit) for digit in self.digits)

    @property
    def looks_like_digit(self) -> bool:
        """False when any digit's ink does not look like a handwritten digit."""
        return all(digit.looks_like_digit for digit in self.digits)

    def __repr__(self):
        return f"NumberReading({self.source!r}, number={self.number!r})"


CHUNK_SIZES = (1, 2, 4, 8, 16, 32, 64)  # images classified together: the first answers at once, then larger batches


def iter_readings(model, sources):
    """A :class:`NumberReading` or a ``FailedImage`` per source, in input order, each as soon as its images are read.

    The images are read in chunks (:data:`CHUNK_SIZES`, then 64 at a time), each chunk's digits classified in one
    batch, so a caller that prints as it goes keeps every answer given before an interrupt. ``sources`` is a list
    of paths, arrays or Pillow images, or one of them (``"seven.png"`` is one file, never seven).
    """
    sources = source_list(sources)
    start = 0
    for size in itertools.chain(CHUNK_SIZES, itertools.repeat(CHUNK_SIZES[-1])):
        if start >= len(sources):
            return
        yield from _read_chunk(model, sources[start : start + size])
        start += size


def read_images(model, sources) -> list:
    """Every reading of :func:`iter_readings`, as a list."""
    return list(iter_readings(model, sources))


@dataclass
class NumberSearch:
    """One image's segmentation search: its proposal, how its boxes scale back to the image as read, and, once
    :func:`answer_searches` ran, each prepared candidate's top probabilities, not-a-digit probability and
    ink-shape verdict."""

    proposal: object
    to_source: float
    probabilities: np.ndarray = None
    not_digit: np.ndarray = None
    shape_fails: np.ndarray = None

    features: np.ndarray = None

    def costs(self, **parameters) -> np.ndarray:
        """Each candidate's cost (:func:`.segmentation.candidate_costs`; ``parameters`` replace the fitted ones)."""
        return candidate_costs(self.proposal, self.features, **parameters)


def search_number(source) -> NumberSearch:
    """The candidates of ``source``'s ink, each prepared (raises ``ImageInputError`` for an unreadable image)."""
    image, ink = number_ink(source)
    return NumberSearch(propose(ink, lambda part: prepare_ink_part(part, source)), image.width / ink.shape[1])


def answer_searches(model, searches) -> None:
    """Classify and check the candidates of every search (``FailedImage`` items are skipped) in one batch."""
    searches = [item for item in searches if isinstance(item, NumberSearch)]
    digits = [digit for item in searches for digit in item.proposal.digits]
    batch = np.array(digits, dtype=np.float32).reshape(-1, IMAGE_SIDE, IMAGE_SIDE)
    probabilities = classify_digits(model, batch)
    not_digit = shipped_detector().not_digit_probability(batch)
    shape_fails = np.array([not_a_digit_reason(digit) is not None for digit in batch], dtype=bool)
    start = 0
    for item in searches:
        stop = start + len(item.proposal.digits)
        item.probabilities, item.not_digit = probabilities[start:stop], not_digit[start:stop]
        item.shape_fails = shape_fails[start:stop]
        item.features = candidate_features(item.proposal, item.probabilities, item.not_digit, item.shape_fails)
        start = stop


def searched_digit_masks(model, ink: np.ndarray, prepare) -> list:
    """``(box, mask)`` of each digit the search reads in ``ink`` (light on dark), left to right, each candidate
    prepared by ``prepare(ink_crop)``; masks are the size of ``ink``. The pad cuts a drawing with this."""
    search = NumberSearch(propose(ink, prepare), 1.0)
    answer_searches(model, [search])
    path, _ = best_path(search.proposal, search.costs())
    masks = []
    for candidate in (search.proposal.candidates[index] for index in path):
        mask = np.zeros(ink.shape, dtype=bool)
        mask[candidate.box.top : candidate.box.bottom, candidate.box.left : candidate.box.right] = candidate.mask
        masks.append((candidate.box, mask))
    return masks


def _read_chunk(model, sources) -> list:
    """The readings of ``sources``: each image searched on its own (a failure is its own), candidates in one batch."""
    searches = [prepared_or_failed(search_number, source) for source in sources]
    answer_searches(model, searches)
    readings = []
    for source, item in zip(sources, searches):
        name = source_name(source)
        try:
            readings.append(item if isinstance(item, FailedImage) else chosen_reading(name, item))
        except ImageInputError as error:
            readings.append(FailedImage(name, str(error)))
        except Exception as error:  # a bug: this image's failure, reported as one
            readings.append(FailedImage(name, bug_line(name, error), bug=True))
    return readings


def chosen_reading(name, search: NumberSearch) -> NumberReading:
    """The reading along the cheapest path of one answered search."""
    proposal = search.proposal
    path, cost = best_path(proposal, search.costs())
    row = np.cumsum([not isinstance(item, Exception) for item in proposal.prepared]) - 1
    predictions = []
    for index in path:
        prepared = proposal.prepared[index]
        if isinstance(prepared, Exception):
            raise prepared
        box = proposal.candidates[index].box.scaled(search.to_source)
        reason = combined_reason(prepared, float(search.not_digit[row[index]]))
        predictions.append(DigitPrediction(name, search.probabilities[row[index]], reason, box))
    return NumberReading(name, predictions, cost)


def format_reading(reading: NumberReading) -> str:
    """One line: a single digit as ``format_prediction`` gives it; a number with each digit's confidence.

    ``photo.jpg: 2025  (2 99.8%, 0 99.9%, 2 97.1%, 5 99.0%)``, plus which digits do not look like one.
    """
    if len(reading.digits) == 1:
        return format_prediction(reading.digits[0])
    confidences = ", ".join(f"{d.digit} {d.confidence:.1%}" for d in reading.digits)
    line = f"{reading.source}: {reading.number}  ({confidences})"
    odd = [f"digit {place} ({d.warning})" for place, d in enumerate(reading.digits, 1) if not d.looks_like_digit]
    return line if not odd else f"{line}  (does not look like a number: {'; '.join(odd)})"


def reading_record(reading) -> dict:
    """A JSON-ready dict: a single digit's record as before plus ``number`` and ``digits`` (each with its box).

    For several digits the top-level ``digit``, ``confidence`` and ``top`` are left out: they belong to each
    entry of ``digits``. A ``FailedImage`` gives ``{"path", "error"}``.
    """
    if isinstance(reading, FailedImage):
        return prediction_record(reading)
    digits = [
        {key: value for key, value in prediction_record(d).items() if key != "path"} | {"box": d.box.as_json()}
        for d in reading.digits
    ]
    record = {"path": reading.source, "number": reading.number, "digits": digits,
              "path_cost": round(reading.path_cost, 6)}  # fmt: skip
    if len(reading.digits) == 1:
        return prediction_record(reading.digits[0]) | {"number": reading.number, "digits": digits,
                                                       "path_cost": round(reading.path_cost, 6)}  # fmt: skip
    return record | {"looks_like_digit": reading.looks_like_digit}
