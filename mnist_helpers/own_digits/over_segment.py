"""Over-segmentation: the ink of a number cut into more pieces than it has digits, for the recogniser to join.

The connected pieces of ink come first, as they are. A piece much wider than the number is tall may hold touching
digits: it is also cut, top to bottom, at the valleys of its column profile (the columns with the least ink), as in
LeCun, Bottou, Bengio and Haffner (1998), heuristic over-segmentation. Which cuts are real, and which pieces make one
digit (a 5's flag, a 4 in two strokes), is left to :mod:`.segmentation`, which reads every run of adjacent atoms.
"""

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from .digit_split import Box

# A piece is cut only if it is at least this many times as wide as the number's tallest piece is high: MNIST digits
# are at most about as wide as tall (their 99th percentile of width over height is 1.0), two touching digits wider.
# Narrower pieces are mostly one digit or one letter, tick or box, whose parts cut apart read as confident 1s and
# so escape the not-a-digit flag. Chosen with the weights (benchmarks/segmentation_weights.py, objective on the
# search half): 0.5 0.891, 0.8 0.887, 0.9 0.895, 1.0 0.900, 1.2 0.871.
CUT_MIN_WIDTH = 1.0
# Cut points lie at least this share of the number's height apart, and as far from the piece's ends: a "1" squeezed
# between two neighbours is about that wide.
MIN_CUT_SPACING = 0.12
CUTS_PER_HEIGHT = 3  # at most this many cut points per height of a piece's width: a digit is at least a third as wide


@dataclass(frozen=True)
class Atom:
    """One part of the over-segmented ink: its box, its pixels (a boolean mask the size of the box), the piece it
    is part of, and whether its left/right side is a cut through that piece."""

    box: Box
    mask: np.ndarray
    piece: int
    cut_left: bool = False
    cut_right: bool = False

    @property
    def centre(self) -> float:
        return (self.box.left + self.box.right) / 2


def pieces(ink: np.ndarray) -> list:
    """The connected pieces (8-connected) of ``ink`` as atoms, in no order."""
    labels, count = ndimage.label(ink > 0, structure=np.ones((3, 3)))
    atoms = []
    for index, found in enumerate(ndimage.find_objects(labels)):
        rows, columns = found
        box = Box(rows.start, columns.start, rows.stop, columns.stop)
        atoms.append(Atom(box, labels[found] == index + 1, index))
    return atoms


def cut_points(mask: np.ndarray, height: float) -> list:
    """Columns (within ``mask``) where a piece holding touching digits may be cut: the deepest valleys of its profile.

    ``height`` is the number's height. Returns an empty list for a piece narrower than ``CUT_MIN_WIDTH`` heights.
    """
    width = mask.shape[1]
    if width < CUT_MIN_WIDTH * height:
        return []
    from scipy.signal import find_peaks  # here: importing scipy.signal takes 0.6 s, most images never need it

    spacing = max(1, round(MIN_CUT_SPACING * height))
    profile = ndimage.uniform_filter1d(mask.sum(axis=0).astype(np.float64), 3)
    valleys, _ = find_peaks(-profile, distance=spacing)
    valleys = [int(column) for column in valleys if spacing <= column <= width - spacing]
    most = max(1, int(CUTS_PER_HEIGHT * width / height))
    return sorted(sorted(valleys, key=lambda column: profile[column])[:most])


def over_segment(found: list, height: int) -> list:
    """The atoms of the pieces ``found`` by :func:`pieces` (the number ``height`` pixels high), ordered left to
    right by their centres: each piece, or its parts where it is cut. Every ink pixel is in exactly one atom."""
    atoms = []
    for atom in found:
        atoms += _cut(atom, cut_points(atom.mask, height))
    return sorted(atoms, key=lambda atom: (atom.centre, atom.box.top))


def _cut(atom: Atom, cuts: list) -> list:
    """``atom`` cut top to bottom at ``cuts`` (columns within its box), each part trimmed to its own ink."""
    edges = [0, *cuts, atom.box.width]
    parts = []
    for start, stop in zip(edges[:-1], edges[1:]):
        mask = atom.mask[:, start:stop]
        rows = np.flatnonzero(mask.any(axis=1))
        box = Box(atom.box.top + int(rows[0]), atom.box.left + start, atom.box.top + int(rows[-1]) + 1,
                  atom.box.left + stop)  # fmt: skip
        parts.append(Atom(box, mask[rows[0] : rows[-1] + 1], atom.piece, start > 0, stop < atom.box.width))
    return parts


def joined_mask(atoms) -> tuple:
    """``(box, mask)`` of several atoms together: the union of their boxes and of their pixels."""
    box = atoms[0].box
    for atom in atoms[1:]:
        box = box.union(atom.box)
    mask = np.zeros((box.height, box.width), dtype=bool)
    for atom in atoms:
        top, left = atom.box.top - box.top, atom.box.left - box.left
        mask[top : top + atom.box.height, left : left + atom.box.width] |= atom.mask
    return box, mask
