"""Numbers of several digits on one page: MNIST test digits and out-of-MNIST digits side by side.

Each digit is cropped to its ink, scaled to its own height around the number's (sizes vary by
+-15%), shifted up or down (baselines wander by +-10% of the height) and set after the previous one
with a random gap; in a "touching" number one pair of neighbours overlaps slightly instead, so their
ink meets. The page is white; inks combine by keeping the darker pixel.
"""

from dataclasses import dataclass

import numpy as np
from PIL import Image

from .out_of_mnist_set import render

SOURCES = ("mnist", "stroke-drawn", "printed")  # photographed digits carry their own paper: not pasteable
INK_LEVEL = 30  # darkness (0-255) from which a rendered pixel counts as ink when cropping


@dataclass
class Number:
    """A generated number: its page, its digits as text, whether two of them touch, and each digit's ink."""

    page: Image.Image
    text: str
    touching: bool
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


def make_number(rng: np.random.Generator, mnist_digits, touching=False, lengths=(2, 5)) -> Number:
    """One number of ``lengths`` digits (inclusive), each from a random source of :data:`SOURCES`."""
    count = int(rng.integers(lengths[0], lengths[1] + 1))
    labels = rng.integers(0, 10, count)
    height = int(rng.uniform(60, 120))
    pieces = [scaled(_digit_darkness(SOURCES[rng.integers(len(SOURCES))], label, rng, mnist_digits),
                     max(8, round(height * rng.uniform(0.85, 1.15)))) for label in labels]  # fmt: skip
    gaps = [round(height * rng.uniform(0.1, 0.5)) for _ in range(count - 1)]
    if touching:
        pair = int(rng.integers(count - 1))
        gaps[pair] = -max(1, round(height * rng.uniform(0.0, 0.06)))
    margin = height // 2
    tops = [margin + round(height * rng.uniform(-0.1, 0.1)) + (height - piece.shape[0]) // 2 for piece in pieces]
    width = 2 * margin + sum(piece.shape[1] for piece in pieces) + sum(gaps)
    page = np.zeros((max(tops) + height + margin, width))
    left = margin
    for piece, top, gap in zip(pieces, tops, [*gaps, 0]):
        region = page[top : top + piece.shape[0], left : left + piece.shape[1]]
        np.maximum(region, np.clip(piece, 0, 255), out=region)
        left += piece.shape[1] + gap
    return Number(_on_page(page), "".join(str(label) for label in labels), touching, pieces)
