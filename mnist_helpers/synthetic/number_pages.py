"""Numbers of several digits on one page: MNIST test digits and out-of-MNIST digits side by side.

Each digit is cropped to its ink, scaled to its own height around the number's (sizes vary by
+-15%), shifted up or down (baselines wander by +-10% of the height) and set after the previous one
with a random gap. The kinds (:data:`KINDS`): ``gaps``; ``touching``, where one pair of neighbours
overlaps slightly instead, so their ink meets; ``cursive``, where every pair does; ``broken``, with gaps,
where one digit is broken in two by a thin band of paper across it (a 5's flag drawn apart, a 4 in two
strokes). The page is white; inks combine by keeping the darker pixel.
"""

from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage

from .out_of_mnist_set import render

SOURCES = ("mnist", "stroke-drawn", "printed")  # photographed digits carry their own paper: not pasteable
INK_LEVEL = 30  # darkness (0-255) from which a rendered pixel counts as ink when cropping
KINDS = ("gaps", "touching", "cursive", "broken")
OVERLAP = (0.0, 0.06)  # touching neighbours overlap by this share of the height
BREAK_BAND = 0.06  # a broken digit loses a band of paper this share of its height (at least 2 px) across it
BREAK_TRIES = 20


@dataclass
class Number:
    """A generated number: its page, its digits as text, whether two of them touch, and each digit's ink."""

    page: Image.Image
    text: str
    kind: str
    pieces: list

    def digit_pages(self) -> list:
        """Each digit alone on a white page, as it is drawn in the number."""
        return [_on_page(np.pad(piece, [(side // 2, side // 2) for side in piece.shape])) for piece in self.pieces]


def _on_page(darkness: np.ndarray) -> Image.Image:
    return Image.fromarray(np.rint(255 - np.clip(darkness, 0, 255)).astype(np.uint8), "L")


def _ink_crop(darkness: np.ndarray) -> np.ndarray:
    """``darkness`` (0 paper - 255 ink) cropped to the pixels darker than ``INK_LEVEL``."""
    rows, columns = (
        np.flatnonzero((darkness > INK_LEVEL).any(axis=1)),
        np.flatnonzero((darkness > INK_LEVEL).any(axis=0)),
    )
    return darkness[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]


def _digit_darkness(source: str, label: int, rng: np.random.Generator, mnist_digits) -> np.ndarray:
    """A random ``label`` from ``source`` as darkness cropped to its ink: an MNIST test digit or a rendered one."""
    if source == "mnist":
        images, labels = mnist_digits
        return _ink_crop(images[rng.choice(np.flatnonzero(labels == label))].astype(np.float64))
    index = int(rng.integers(40)) * 10 + label  # the rendered sets cycle through the digits
    image = render(source, index, seed=int(rng.integers(1 << 30)))[0]
    return _ink_crop(255.0 - np.asarray(image.convert("L"), dtype=np.float64))


def scaled(darkness: np.ndarray, height: int) -> np.ndarray:
    width = max(1, round(darkness.shape[1] * height / darkness.shape[0]))
    return np.asarray(
        Image.fromarray(darkness.astype(np.float32), "F").resize((width, height), Image.Resampling.LANCZOS)
    )


def make_number(rng: np.random.Generator, mnist_digits, kind="gaps", lengths=(2, 5), sources=SOURCES) -> Number:
    """One number of ``lengths`` digits (inclusive) of one of :data:`KINDS`, each digit from a random one of
    ``sources`` (MNIST digits from ``mnist_digits``, an ``(images, labels)`` pair)."""
    if kind not in KINDS:
        raise ValueError(f"unknown kind of number {kind!r}; the kinds are {', '.join(KINDS)}")
    count = int(rng.integers(lengths[0], lengths[1] + 1))
    labels = rng.integers(0, 10, count)
    height = int(rng.uniform(60, 120))
    pieces = [scaled(_digit_darkness(sources[rng.integers(len(sources))], label, rng, mnist_digits),
                     max(8, round(height * rng.uniform(0.85, 1.15)))) for label in labels]  # fmt: skip
    gaps = [round(height * rng.uniform(0.1, 0.5)) for _ in range(count - 1)]
    touching = []
    if kind == "touching":
        touching = [int(rng.integers(count - 1))]
    elif kind == "cursive":
        touching = range(count - 1)
    for pair in touching:
        gaps[pair] = -max(1, round(height * rng.uniform(*OVERLAP)))
    if kind == "broken":
        broken = int(rng.integers(count))
        pieces[broken] = _broken(pieces[broken], rng)
    margin = height // 2
    tops = [margin + round(height * rng.uniform(-0.1, 0.1)) + (height - piece.shape[0]) // 2 for piece in pieces]
    width = 2 * margin + sum(piece.shape[1] for piece in pieces) + sum(gaps)
    page = np.zeros((max(tops) + height + margin, width))
    left = margin
    for piece, top, gap in zip(pieces, tops, [*gaps, 0]):
        region = page[top : top + piece.shape[0], left : left + piece.shape[1]]
        np.maximum(region, np.clip(piece, 0, 255), out=region)
        left += piece.shape[1] + gap
    return Number(_on_page(page), "".join(str(label) for label in labels), kind, pieces)


def _broken(darkness: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``darkness`` with a band of paper across it (level or upright, at a random place) that breaks its ink in two
    pieces, each at least a tenth of the ink; unchanged if no band of ``BREAK_TRIES`` does."""
    band = max(2, round(BREAK_BAND * darkness.shape[0]))
    for _ in range(BREAK_TRIES):
        broken = darkness.copy()
        axis = int(rng.integers(2))
        start = int(rng.uniform(0.25, 0.75) * darkness.shape[axis])
        if axis == 0:
            broken[start : start + band] = 0
        else:
            broken[:, start : start + band] = 0
        labels, count = ndimage.label(broken > INK_LEVEL, structure=np.ones((3, 3)))
        sizes = np.bincount(labels.ravel())[1:]
        if count >= 2 and np.sort(sizes)[-2] >= 0.1 * sizes.sum():
            return broken
    return darkness
