"""Digits drawn on the drawing pad: the stroke templates, slanted and wobbled, at a chosen height on the canvas.

The paths are in the pad's canvas pixels, as its front end records pointer positions, so they can
be drawn the way the canvas draws them (:func:`..own_digits.pen.canvas_image`) or sent to the
pad's reading path as they are.
"""

import numpy as np

from .renderings import place_points
from .stroke_templates import STYLES, stroke_paths


def pad_strokes(digit: int, rng: np.random.Generator, height_share: float, side: float, pen_width: float) -> list:
    """The pen paths of ``digit`` drawn so its ink is ``height_share`` of the canvas tall, somewhere on the canvas.

    Style, wobble, slant, aspect and rotation are drawn from ``rng`` as for the out-of-MNIST set. The
    ink's height is the centre lines' height plus the pen; a digit too wide for the canvas is
    shrunk to fit.
    """
    style = int(rng.integers(len(STYLES[digit])))
    paths, _ = place_points(stroke_paths(digit, style, rng, jitter=rng.uniform(0.01, 0.035)), rng, 1.0)
    points = np.vstack(paths)
    low, extent = points.min(axis=0), np.ptp(points, axis=0)
    room = side - pen_width - 2.0  # a pixel of paper on each side
    scale = min((height_share * side - pen_width) / extent[1], room / extent[0], room / extent[1])
    corner = rng.uniform(1.0 + pen_width / 2, side - 1.0 - pen_width / 2 - extent * scale)
    return [(path - low) * scale + corner for path in paths]
