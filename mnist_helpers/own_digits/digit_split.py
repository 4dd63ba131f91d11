"""Split the ink of an image into the digits of a number, left to right.

The ink (after the contrast and speck steps of the MNIST-style preprocessing) falls into connected
pieces. One digit can be several pieces: the bar of a 5 or a 7 drawn apart, a 4 in two strokes, a
dot of dust beside it. Pieces that overlap horizontally by half the narrower one's width are one
digit, and a piece less than half as tall as the tallest is a fragment of the nearest digit.
Touching digits make one piece much wider than a digit: it is cut at the columns with the least ink,
but only where benchmarks/numbers.py measured that reliable (pieces 1.8 times wider than tall; at
1.4 one single digit in 130 was cut), and never into a part much shorter than the piece.
"""

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

MERGE_OVERLAP = 0.5  # share of the narrower piece's width that two pieces of one digit overlap by
FRAGMENT_HEIGHT = 0.5  # pieces shorter than this share of the tallest belong to a neighbour
DIGIT_ASPECT = 0.8  # a digit's width over its height: MNIST's median is 0.78
TOUCHING_ASPECT = 1.8  # a digit's piece at least this much wider than tall holds touching digits
CUT_SEARCH = 0.25  # a cut is sought within this share of a digit's width around its expected place


@dataclass(frozen=True)
class Box:
    """A rectangle of pixels: rows ``top`` to ``bottom`` and columns ``left`` to ``right`` (ends excluded)."""

    top: int
    left: int
    bottom: int
    right: int

    @property
    def width(self) -> int:
        return self.right - self.left

    @property
    def height(self) -> int:
        return self.bottom - self.top

    def union(self, other: "Box") -> "Box":
        return Box(min(self.top, other.top), min(self.left, other.left),
                   max(self.bottom, other.bottom), max(self.right, other.right))  # fmt: skip

    def horizontal_overlap(self, other: "Box") -> int:
        return min(self.right, other.right) - max(self.left, other.left)

    def horizontal_gap(self, other: "Box") -> int:
        return max(self.left, other.left) - min(self.right, other.right)

    def scaled(self, factor: float) -> "Box":
        """The box in an image ``factor`` times larger."""
        return Box(*(round(value * factor) for value in (self.top, self.left, self.bottom, self.right)))

    def as_json(self) -> dict:
        return {"left": self.left, "top": self.top, "width": self.width, "height": self.height}


def digit_masks(ink: np.ndarray) -> list:
    """``(box, mask)`` for each digit in ``ink`` (light on dark, 0 is paper), left to right.

    ``mask`` is a boolean image the size of ``ink`` marking that digit's pixels.
    """
    labels, count = ndimage.label(ink > 0, structure=np.ones((3, 3)))
    if count == 0:
        return []
    inks = ndimage.sum(ink, labels, np.arange(1, count + 1))
    pieces = [Group({index + 1}, _box(piece), _box(piece), inks[index])
              for index, piece in enumerate(ndimage.find_objects(labels))]  # fmt: skip
    digits = []
    for group in sorted(_merge_fragments(_merge_overlapping(pieces)), key=lambda group: group.box.left):
        digits += _cut_touching(ink, np.isin(labels, list(group.members)), group)
    return digits


@dataclass(frozen=True)
class Group:
    """Pieces taken for one digit: their labels, their box, the box of the inkiest piece, their ink."""

    members: set
    box: Box
    main_box: Box
    ink: float

    def joined(self, other: "Group") -> "Group":
        main = self.main_box if self.ink >= other.ink else other.main_box
        return Group(self.members | other.members, self.box.union(other.box), main, self.ink + other.ink)


def _box(piece) -> Box:
    rows, columns = piece
    return Box(rows.start, columns.start, rows.stop, columns.stop)


def _merge_overlapping(groups: list) -> list:
    """Join groups that overlap horizontally by ``MERGE_OVERLAP`` of the narrower one, until none do."""
    groups = list(groups)
    merged = True
    while merged:
        merged = False
        for i in range(len(groups)):
            for j in range(i + 1, len(groups)):
                first, second = groups[i].box, groups[j].box
                if first.horizontal_overlap(second) > MERGE_OVERLAP * min(first.width, second.width):
                    groups[i] = groups[i].joined(groups.pop(j))
                    merged = True
                    break
            if merged:
                break
    return groups


def _merge_fragments(groups: list) -> list:
    """Give each fragment (a piece much shorter than the tallest) to its nearest digit: a 5's bar, dust."""
    tallest = max(group.box.height for group in groups)
    digits, fragments = [], []
    for group in groups:
        (fragments if group.box.height < FRAGMENT_HEIGHT * tallest else digits).append(group)
    for fragment in fragments:
        nearest = min(range(len(digits)), key=lambda index: digits[index].box.horizontal_gap(fragment.box))
        digits[nearest] = digits[nearest].joined(fragment)
    return digits


def _cut_touching(ink: np.ndarray, mask: np.ndarray, group: Group) -> list:
    """``[(box, mask)]`` for one group, or one per digit if its inkiest piece is a run of touching digits."""
    box, main = group.box, group.main_box
    count = int(main.width / (DIGIT_ASPECT * main.height))  # rounded down: a cut too few, never one too many
    if count < 2 or main.width < TOUCHING_ASPECT * main.height:
        return [(box, mask)]
    profile = np.where(mask, ink, 0)[box.top : box.bottom, box.left : box.right].sum(axis=0)
    step, cuts = box.width / count, [0]
    for index in range(1, count):
        low, high = (round(step * (index + sign * CUT_SEARCH)) for sign in (-1, 1))
        high = max(high, low + 1)  # a piece a pixel or two tall (an underline) has windows under a column wide
        cuts.append(low + int(np.argmin(profile[low:high])))
    cuts.append(box.width)
    parts = []
    for start, stop in zip(cuts[:-1], cuts[1:]):
        part = np.zeros_like(mask)
        part[:, box.left + start : box.left + stop] = mask[:, box.left + start : box.left + stop]
        rows = np.flatnonzero(part.any(axis=1))
        if rows.size == 0:
            return [(box, mask)]
        parts.append((Box(int(rows[0]), box.left + start, int(rows[-1]) + 1, box.left + stop), part))
    if min(part_box.height for part_box, _ in parts) < FRAGMENT_HEIGHT * box.height:
        return [(box, mask)]  # one side of the cut is a bar or a tail, not a digit
    return parts
