"""The faint-strokes probe's step: a faint stroke running into a dark one is lifted to full ink up to a pixel from
it, where the shipped step (the brightest ink near each pixel) leaves it faint within its window (half a stroke
width: two pixels before a 5 px stroke)."""

import numpy as np

from benchmarks.faint_strokes_probe import keep_faint_by_own_core
from mnist_helpers.own_digits.ink import keep_faint_strokes


def test_a_faint_stroke_stays_bright_up_to_a_dark_crossing_only_by_its_own_core():
    image = np.zeros((60, 60), np.float32)
    image[:, 28:33] = 1.0  # a dark upright stroke, 5 px wide
    image[28:33, 5:28] = 0.3  # a faint stroke running into it from the left
    near_crossing = (slice(29, 32), slice(26, 27))  # the faint stroke, two pixels before the dark one
    far_from_it = (slice(29, 32), slice(8, 14))
    shipped, own_core = keep_faint_strokes(image), keep_faint_by_own_core(image)
    assert shipped[far_from_it].min() > 0.9 and shipped[near_crossing].max() < 0.5
    assert shipped[29:32, 25].min() > 0.9  # three pixels before it, outside half a stroke width, the stroke is lifted
    assert own_core[far_from_it].min() > 0.9 and own_core[near_crossing].min() > 0.9
    np.testing.assert_allclose(own_core[:, 28:33], 1.0)
