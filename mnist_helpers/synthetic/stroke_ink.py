"""Real digits with strokes of different darkness: a validation family for the ink steps, made from MNIST digits.

A digit's skeleton (``skimage.morphology.skeletonize``) is cut at its junctions into strokes; one stroke keeps full
ink and each other stroke gets a darkness between ``FAINT_STROKES`` of it, spread to the stroke's pixels and
smoothed, like a pen pressed lightly or running dry on part of a digit. Written on a clean page or photographed
(:func:`.renderings.photo_of`). No model here learns from these images; ``benchmarks.faint_ink_validation`` chooses
ink steps on them, made from MNIST's validation digits, so that the held-out sources stay held out.
"""

import numpy as np
from PIL import Image
from scipy import ndimage
from skimage.morphology import skeletonize

SCALE = 4  # MNIST's 28 px enlarged to 112 px before the ink is varied
FAINT_STROKES = (0.15, 0.6)  # darkness of the faint strokes, as a share of the darkest
PAGE_MARGIN = 40


def enlarged(digit: np.ndarray) -> np.ndarray:
    """An MNIST digit (uint8, light ink on black) as ink coverage 0-1, ``SCALE`` times larger (bicubic)."""
    side = digit.shape[0] * SCALE
    big = Image.fromarray(digit).resize((side, side), Image.Resampling.BICUBIC)
    return np.clip(np.asarray(big, dtype=np.float64) / 255, 0.0, 1.0)


def stroke_darkness(coverage: np.ndarray, rng: np.random.Generator, faint=FAINT_STROKES) -> np.ndarray:
    """A darkness field over ``coverage``: full on one stroke, ``faint`` on the others, smooth between them."""
    skeleton = skeletonize(coverage > 0.4)
    neighbours = ndimage.convolve(skeleton.astype(int), np.ones((3, 3), int), mode="constant") - 1
    junctions = ndimage.binary_dilation(skeleton & (neighbours > 2), iterations=2)
    strokes, count = ndimage.label(skeleton & ~junctions, structure=np.ones((3, 3)))
    if count < 2:
        return np.ones_like(coverage)
    darkness = rng.uniform(*faint, count + 1)
    darkness[0] = darkness[rng.integers(1, count + 1)] = 1.0  # 0: pixels no stroke is nearest to (none, in practice)
    _, (rows, columns) = ndimage.distance_transform_edt(strokes == 0, return_indices=True)
    return ndimage.gaussian_filter(darkness[strokes[rows, columns]], SCALE)


def on_page(coverage: np.ndarray) -> Image.Image:
    """Ink ``coverage`` as dark ink on a white page with a margin (grayscale)."""
    page = np.ones([side + 2 * PAGE_MARGIN for side in coverage.shape])
    page[PAGE_MARGIN:-PAGE_MARGIN, PAGE_MARGIN:-PAGE_MARGIN] = 1 - np.clip(coverage, 0.0, 1.0)
    return Image.fromarray(np.rint(255 * page).astype(np.uint8), "L")
