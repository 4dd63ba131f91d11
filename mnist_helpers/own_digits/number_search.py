"""One image's segmentation search, answered: its candidates classified and checked, their costs, the path chosen.

:func:`search_number` prepares an image's candidates (:func:`.segmentation.propose`), :func:`answer_searches` reads
the candidates of many searches in one batch (the classifier, the not-a-digit detector, the ink-shape rules), and
each :class:`NumberSearch` then gives its candidates' costs and its cheapest path.
"""

from dataclasses import dataclass

import numpy as np

from ..data import IMAGE_SIDE
from ..model_files import classify_digits
from .mnist_style import number_ink, prepare_ink_part
from .not_a_digit import not_a_digit_reason, shipped_detector
from .segmentation import best_path, candidate_costs, candidate_features, propose


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

    def chosen(self, **parameters) -> tuple:
        """``(candidate indices, their rows in the answers, total cost)`` of the cheapest path; raises what a chosen
        candidate's preparation raised (only chosen when every path has such a candidate)."""
        path, cost = best_path(self.proposal, self.costs(**parameters))
        rows = np.cumsum([not isinstance(item, Exception) for item in self.proposal.prepared]) - 1
        for index in path:
            if isinstance(self.proposal.prepared[index], Exception):
                raise self.proposal.prepared[index]
        return path, [int(rows[index]) for index in path], cost


def search_number(source, search=True) -> NumberSearch:
    """The candidates of ``source``'s ink, each prepared (raises ``ImageInputError`` for an unreadable image);
    ``search`` False: only the cut at the gaps (:func:`.segmentation.propose`)."""
    image, ink = number_ink(source)
    proposal = propose(ink, lambda part: prepare_ink_part(part, source), search)
    return NumberSearch(proposal, image.width / ink.shape[1])


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
    path, _ = best_path(search.proposal, search.costs())  # a part too faint to prepare still holds strokes
    masks = []
    for candidate in (search.proposal.candidates[index] for index in path):
        mask = np.zeros(ink.shape, dtype=bool)
        mask[candidate.box.top : candidate.box.bottom, candidate.box.left : candidate.box.right] = candidate.mask
        masks.append((candidate.box, mask))
    return masks
