"""Read every digit of an image, left to right: one digit reads as before, several as a number.

Each image's ink is over-segmented and every candidate digit prepared (:func:`.segmentation.propose`); the
candidates of a chunk of images are classified and checked in one batch, and each image's digits are the cheapest
path through its candidates (:func:`.segmentation.best_path`). Each image gets a :class:`NumberReading`: its digits
as :class:`~.classify.DigitPrediction` with their boxes. Its text line and JSON record are those of a single digit
when there is one, and give the number and each digit's confidence otherwise.
"""

import functools
import itertools
from dataclasses import dataclass

from .._support.errors import bug_line
from .classify import DigitPrediction, FailedImage, format_prediction, prediction_record, prepared_or_failed
from .image_files import ImageInputError, source_list, source_name
from .not_a_digit import combined_reason
from .number_search import NumberSearch, answer_searches, search_number


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


def iter_readings(model, sources, search=True):
    """A :class:`NumberReading` or a ``FailedImage`` per source, in input order, each as soon as its images are read.

    The images are read in chunks (:data:`CHUNK_SIZES`, then 64 at a time), each chunk's digits classified in one
    batch, so a caller that prints as it goes keeps every answer given before an interrupt. ``sources`` is a list
    of paths, arrays or Pillow images, or one of them (``"seven.png"`` is one file, never seven). ``search``
    False cuts numbers at the gaps alone (as before the segmentation search; for comparisons).
    """
    sources = source_list(sources)
    start = 0
    for size in itertools.chain(CHUNK_SIZES, itertools.repeat(CHUNK_SIZES[-1])):
        if start >= len(sources):
            return
        yield from _read_chunk(model, sources[start : start + size], search)
        start += size


def read_images(model, sources, search=True) -> list:
    """Every reading of :func:`iter_readings`, as a list."""
    return list(iter_readings(model, sources, search))


def _read_chunk(model, sources, search=True) -> list:
    """The readings of ``sources``: each image searched on its own (a failure is its own), candidates in one batch."""
    searches = [prepared_or_failed(functools.partial(search_number, search=search), source) for source in sources]
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
    path, rows, cost = search.chosen()
    predictions = []
    for index, row in zip(path, rows):
        prepared = search.proposal.prepared[index]
        box = search.proposal.candidates[index].box.scaled(search.to_source)
        reason = combined_reason(prepared, float(search.not_digit[row]))
        predictions.append(DigitPrediction(name, search.probabilities[row], reason, box))
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
