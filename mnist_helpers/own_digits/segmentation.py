"""Recognition-driven segmentation: the recogniser chooses which runs of atoms are the digits of a number.

:func:`.over_segment.over_segment` cuts the ink into atoms, left to right; every run of 1 to ``MAX_ATOMS_PER_DIGIT``
adjacent atoms is a candidate digit, prepared exactly as a single digit is prepared and read by the classifier and the
not-a-digit check. A candidate costs the classifier's surprise (``-log`` of its top probability), the share the detector
holds not a digit weighed apart (``flagged_surprise``, 0.5: a tick read whole is flagged whatever the classifier says,
so its surprise should not make two confident 1s cut from it cheaper), plus penalties: the detector's not-a-digit
probability, a failed ink-shape check, each cut through a piece of ink it is bounded by, a shape no digit has (much
wider or much shorter than the number's height), and a fixed cost per digit. The cheapest left-to-right path through the
atoms (dynamic programming, as in LeCun, Bottou, Bengio and Haffner 1998) is the reading. Every atom is in exactly one
digit of every path, so no ink is left unread. The weights were chosen by ``benchmarks/segmentation_weights.py`` on
numbers made of MNIST *training* digits only.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .digit_split import Box, digit_masks
from .over_segment import joined_mask, over_segment, pieces

MAX_ATOMS_PER_DIGIT = 8  # the width limit below binds first; this bounds the work on a tangle of tiny pieces
MAX_PIECES = 40  # more pieces of ink than this (noise, a page of scribbles) are not searched: they are read as today
MAX_ATOMS = 80  # nor are more atoms than this
MAX_DIGIT_WIDTH = 1.6  # atoms of several pieces spanning more than this many heights of the number are not one digit
# Median width over height of each digit's ink in the MNIST training set: a candidate much wider than the digit it
# is read as holds more than that digit (a 7 with a neighbour's 1 attached still reads as a confident 7).
MEDIAN_ASPECT = (0.9, 0.4, 0.95, 0.8, 0.8, 0.95, 0.75, 0.8, 0.8, 0.7)
WIDE_FROM = 1.0  # widths (in heights of the number) from which a candidate is too wide for any digit
SHORT_FROM = 0.5  # heights (share of the number's) below which a candidate is too short for a digit
# What a candidate's cost weighs (all "more is worse"), and the weights, chosen by benchmarks/segmentation_weights.py
# (Optuna; flagged_surprise swept alone) on numbers of MNIST training digits only. The classifier's surprise (-log of
# its top probability, times the detector's digit probability) counts 1.
FEATURES = ("surprise", "flagged_surprise", "not_digit", "shape_fails", "cuts", "wide", "short", "extra_width",
            "extra_pieces")  # fmt: skip
WEIGHTS = {
    "surprise": 1.0,
    "flagged_surprise": 0.5,  # the surprise times the not-a-digit probability (swept alone: --sweep flagged_surprise)
    "not_digit": 1.598,  # the detector's not-a-digit probability
    "shape_fails": 0.122,  # the ink-shape rules say it is no digit (a blot, scattered pieces, three loops)
    "cuts": 0.286,  # per side that is a cut through a piece of ink
    "wide": 0.814,  # per height of width beyond WIDE_FROM
    "short": 0.852,  # per height of height below SHORT_FROM
    "extra_width": 2.666,  # per height of width beyond the median width of the digit it is read as
    "extra_pieces": 1.156,  # per piece of ink beyond the first
}
DIGIT_COST = 1.625  # per digit: without it, cutting a confident digit into two confident halves would cost nothing
FAILED_COST = 100.0  # a candidate whose preparation fails: only ever chosen when every path has one
SURPRISE_FLOOR = 1e-6  # the smallest top probability counted (a log of zero would be infinite)


@dataclass(frozen=True)
class Candidate:
    """Atoms ``start`` to ``stop`` (end excluded) read as one digit: their box, their pixels, cut sides."""

    start: int
    stop: int
    box: Box
    mask: np.ndarray
    cuts: int
    pieces: int = 1  # how many pieces of ink it takes parts of


@dataclass
class Proposal:
    """Everything one image's search reads: its candidates, each prepared (a 28x28 digit, or the exception its
    preparation raised), the number of atoms and the number's height (its tallest piece's, in pixels)."""

    candidates: list
    prepared: list
    atoms: int
    height: int
    cuts: tuple = ()  # the columns (in the ink) where a piece of ink was cut

    @property
    def digits(self) -> list:
        """The prepared candidates that could be prepared, in order (the classifier's batch)."""
        return [item for item in self.prepared if not isinstance(item, Exception)]


def propose(ink: np.ndarray, prepare: Callable, search=True) -> Proposal:
    """The candidates of ``ink`` (light on dark, 0 is paper), each prepared by ``prepare(ink_crop)``.

    With more than ``MAX_PIECES`` pieces or ``MAX_ATOMS`` atoms, or ``search`` False, the search is skipped: the
    only candidates are the digits of :func:`.digit_split.digit_masks` (cut at the gaps), one fixed path.
    """
    found = pieces(ink)
    height = max((atom.box.height for atom in found), default=0)
    atoms = over_segment(found, height) if search and len(found) <= MAX_PIECES else []
    searched = 0 < len(atoms) <= MAX_ATOMS
    if searched:
        candidates = _runs(atoms, height)
    else:
        candidates = [_fixed(index, box, mask) for index, (box, mask) in enumerate(digit_masks(ink))]
    prepared = [_prepared_or_error(prepare, ink, candidate) for candidate in candidates]
    if not searched:
        return Proposal(candidates, prepared, len(candidates), height)
    cuts = tuple(sorted(atom.box.left for atom in atoms if atom.cut_left))
    return Proposal(candidates, prepared, len(atoms), height, cuts)


def _runs(atoms: list, height: int) -> list:
    candidates = []
    for start in range(len(atoms)):
        for stop in range(start + 1, min(start + MAX_ATOMS_PER_DIGIT, len(atoms)) + 1):
            run = atoms[start:stop]
            box, mask = joined_mask(run)
            if box.width > MAX_DIGIT_WIDTH * height and len({atom.piece for atom in run}) > 1:
                break  # too wide for a digit, and wider with every atom; a piece of ink whole is always a candidate
            cuts = int(run[0].cut_left) + int(run[-1].cut_right)
            candidates.append(Candidate(start, stop, box, mask, cuts, len({atom.piece for atom in run})))
    return candidates


def _fixed(index: int, box: Box, mask: np.ndarray) -> Candidate:
    """One digit of the fixed path, its mask cut to its box."""
    return Candidate(index, index + 1, box, mask[box.top : box.bottom, box.left : box.right], 0)


def _prepared_or_error(prepare: Callable, ink: np.ndarray, candidate: Candidate):
    box = candidate.box
    crop = np.where(candidate.mask, ink[box.top : box.bottom, box.left : box.right], 0.0).astype(np.float32)
    try:
        return prepare(crop)
    except Exception as error:  # this candidate's failure; the path search avoids it, the reading reports it
        return error


def candidate_features(proposal: Proposal, probabilities, not_digit, shape_fails) -> np.ndarray:
    """(candidates read, len(FEATURES)) array of what the cost weighs, for the candidates that could be prepared,
    from the classifier's ``probabilities``, the detector's ``not_digit`` probability and ``shape_fails`` (the
    ink-shape rules fired), each in the order of :attr:`Proposal.digits`."""
    read = [candidate for candidate, item in zip(proposal.candidates, proposal.prepared)
            if not isinstance(item, Exception)]  # fmt: skip
    if not read:
        return np.zeros((0, len(FEATURES)))
    height = max(proposal.height, 1)
    probabilities = np.asarray(probabilities, dtype=np.float64)
    not_digit = np.asarray(not_digit, dtype=np.float64)
    surprise = -np.log(np.maximum(probabilities.max(axis=1), SURPRISE_FLOOR))
    widths = np.array([candidate.box.width for candidate in read]) / height
    heights = np.array([candidate.box.height for candidate in read]) / height
    columns = {
        "surprise": surprise * (1.0 - not_digit),
        "flagged_surprise": surprise * not_digit,
        "not_digit": not_digit,
        "shape_fails": np.asarray(shape_fails, dtype=np.float64),
        "cuts": np.array([candidate.cuts for candidate in read], dtype=np.float64),
        "wide": np.maximum(0.0, widths - WIDE_FROM),
        "short": np.maximum(0.0, SHORT_FROM - heights),
        "extra_width": np.maximum(0.0, widths - np.take(MEDIAN_ASPECT, probabilities.argmax(axis=1))),
        "extra_pieces": np.array([candidate.pieces - 1 for candidate in read], dtype=np.float64),
    }
    return np.column_stack([columns[name] for name in FEATURES])


def candidate_costs(proposal: Proposal, features, weights=None, digit_cost=None) -> np.ndarray:
    """Each candidate's cost (lower is likelier one whole digit): its :func:`candidate_features` weighed by
    ``weights``, plus ``digit_cost``; ``FAILED_COST`` where preparing it failed."""
    weights = WEIGHTS if weights is None else weights
    digit_cost = DIGIT_COST if digit_cost is None else digit_cost
    costs = np.full(len(proposal.candidates), FAILED_COST)
    read = [index for index, item in enumerate(proposal.prepared) if not isinstance(item, Exception)]
    if read:
        costs[read] = np.asarray(features) @ np.array([weights[name] for name in FEATURES]) + digit_cost
    return costs


def best_path(proposal: Proposal, costs) -> tuple:
    """``(candidate indices, total cost)`` of the cheapest left-to-right path covering every atom once."""
    best = np.full(proposal.atoms + 1, np.inf)
    best[0] = 0.0
    back = [None] * (proposal.atoms + 1)
    ending = sorted(range(len(proposal.candidates)), key=lambda index: proposal.candidates[index].stop)
    for index in ending:
        candidate = proposal.candidates[index]
        total = best[candidate.start] + costs[index]
        if total < best[candidate.stop]:
            best[candidate.stop], back[candidate.stop] = total, index
    path, stop = [], proposal.atoms
    while stop > 0:
        path.append(back[stop])
        stop = proposal.candidates[back[stop]].start
    return path[::-1], float(best[-1])
