"""The local-contrast ink step (``ink.keep_faint_strokes``): against scikit-image, and a faint hairline kept."""

import numpy as np
from scipy import ndimage
from skimage.filters import apply_hysteresis_threshold

from mnist_helpers.own_digits import ink
from mnist_helpers.own_digits import mnist_style as di

PAPER_LEFT, PAPER_RIGHT = 245, 190  # paper lit unevenly: lighter on the left
DARK_INK, FAINT_CONTRAST = 20, 50  # the bar's ink; the hairline is only this much darker than its paper


def stroke_image():
    """A stretched-looking image: a strong stroke, a faint one joined to it, a faint one alone, uneven paper."""
    image = np.tile(np.linspace(0.0, 0.015, 60, dtype=np.float32), (60, 1))  # paper below FAINT_INK
    image[10:16, 10:50] = 1.0  # strong bar, soft edges below
    image[16, 10:50] = 0.4
    image[17:50, 44:46] = 0.15  # a faint stroke joined to the bar
    image[17:50, 46] = 0.05
    image[30:40, 10:12] = 0.2  # a faint stroke alone: paper's mark, not ink
    return image


def test_ink_is_the_hysteresis_of_scikit_image_and_each_pixel_is_relative_to_its_local_ink():
    image = stroke_image()
    kept = ink.keep_faint_strokes(image)
    reference = apply_hysteresis_threshold(image, ink.FAINT_INK, ink.STRONG_INK)
    np.testing.assert_array_equal(kept > 0, reference)
    assert kept[35, 10] == 0.0 and kept[5, 55] == 0.0  # the lone faint stroke and the paper are gone
    width = ink._mask_width(reference)
    side = 2 * max(1, round(ink.LOCAL_WIDTHS * width)) + 1
    level = ndimage.maximum_filter(np.where(reference, image, 0.0), size=side, mode="constant")
    expected = np.where(reference, image / np.maximum(level, ink.MIN_LOCAL_LEVEL), 0.0)
    np.testing.assert_allclose(kept, expected, atol=1e-6)
    assert kept[40, 44] == 1.0 and 0 < kept[40, 46] < 1  # the faint stroke as bright as ink, its edge soft
    assert kept.dtype == np.float32 and kept.min() >= 0.0 and kept.max() <= 1.0


def test_without_a_stroke_core_the_image_is_left_as_it_is():
    faint = np.full((30, 30), 0.1, dtype=np.float32)
    assert ink.keep_faint_strokes(faint) is faint


def hairline_seven():
    """A 7 on unevenly lit paper: a dark bar, and a faint hairline down from its end (a pen running dry)."""
    paper = np.tile(np.linspace(PAPER_LEFT, PAPER_RIGHT, 200), (200, 1))
    page = paper.copy()
    page[40:52, 50:150] = DARK_INK
    rows = np.arange(52, 170)
    for row in rows:  # slanting down to the left, 3 px wide
        column = int(round(146 - 0.4 * (row - 52)))
        page[row, column - 1 : column + 2] = paper[row, column] - FAINT_CONTRAST
    return np.clip(page, 0, 255).astype(np.uint8)


def test_a_faint_hairline_joined_to_a_dark_stroke_survives_the_whole_preprocessing():
    digit = di.prepare_digit(hairline_seven())
    strokes = digit > 0.3
    labels, count = ndimage.label(strokes, structure=np.ones((3, 3)))
    rows = np.flatnonzero(strokes.any(axis=1))
    assert count == 1, "the hairline is cut off from the bar"
    assert rows[-1] - rows[0] + 1 >= 18, "the hairline is lost: only the bar is left"
