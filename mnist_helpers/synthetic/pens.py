"""MNIST digits re-inked with a finer or a thicker pen: enlarged, then grey erosion or dilation by a disk.

The pens are disk radii in pixels of the 4x enlargement (112 px, where an MNIST stroke is about
11 px wide): negative erodes (a finer pen), positive dilates (thicker, up to a marker about twice
MNIST's width). They stop there: eroding by 3 breaks 38% of the digits into pieces (no pen does
that), and dilating by 8 fills most loops until the digits are blots a person cannot read either.
The result is written on a page like any photographed digit (:mod:`.pages`).
"""

from pathlib import Path

import numpy as np
from PIL import Image
from scipy import ndimage

SCALE = 4
PENS = {"finer": -2, "fine": -1, "normal": 0, "thick": 3, "marker": 6}  # disk radius at 4x, pixels


def disk(radius: int) -> np.ndarray:
    """A boolean disk footprint of ``radius`` pixels."""
    rows, columns = np.mgrid[-radius : radius + 1, -radius : radius + 1]
    return rows**2 + columns**2 <= radius**2 + radius / 2  # the half-pixel rounds the disk's flat sides


def _re_inked(digit: np.ndarray, radius: int, scale=SCALE) -> np.ndarray:
    """A (28, 28) uint8 MNIST digit enlarged ``scale`` times, re-inked by a disk of ``radius`` (light on dark)."""
    big = np.asarray(Image.fromarray(digit).resize((28 * scale, 28 * scale), Image.Resampling.LANCZOS))
    if radius > 0:
        big = ndimage.grey_dilation(big, footprint=disk(radius))
    elif radius < 0:
        big = ndimage.grey_erosion(big, footprint=disk(-radius))
    return big


def pen_page(digit: np.ndarray, radius: int, rng: np.random.Generator, canvas=(200, 200)) -> Image.Image:
    """The re-inked digit as dark ink on white paper, at a random place on a ``canvas`` page."""
    ink = _re_inked(digit, radius)
    page = Image.new("L", canvas, 255)
    left, top = (int(rng.integers(0, side - ink.shape[0] + 1)) for side in canvas)
    page.paste(Image.fromarray(255 - ink), (left, top))
    return page


def write_pen_pages(digits, radius: int, folder: Path, rng: np.random.Generator) -> list:
    """Write each digit re-inked with the pen of ``radius`` as a PNG page in a new ``folder``; return the paths."""
    folder.mkdir()
    paths = []
    for index, digit in enumerate(digits):
        paths.append(folder / f"{index:04d}.png")
        pen_page(digit, radius, rng).save(paths[-1])
    return paths
