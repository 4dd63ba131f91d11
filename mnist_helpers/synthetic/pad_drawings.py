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


def pad_number(labels, rng: np.random.Generator, size: tuple, pen_width: float, touching=False) -> list:
    """The pen paths of a number drawn on a canvas of ``size`` (width, height): its digits side by side, left to right.

    Each digit is drawn as :func:`pad_strokes` draws it (its ink half the canvas tall, +-10%), then moved to sit
    after the previous one with a gap of 10-40% of the digit height, or, if ``touching``, with their inks overlapping
    by 0-6% of it. Digits are shrunk together if the number would not fit the canvas's width.
    """
    width, side = size
    digits = []
    for label in labels:
        paths = pad_strokes(int(label), rng, rng.uniform(0.45, 0.55), side, pen_width)
        points = np.vstack(paths)
        digits.append([path - [points[:, 0].min(), 0.0] for path in paths])
    height = 0.5 * side
    steps = [height * (rng.uniform(-0.06, 0.0) if touching else rng.uniform(0.1, 0.4)) for _ in labels[1:]]
    extents = [np.ptp(np.vstack(paths)[:, 0]) + pen_width for paths in digits]
    total = sum(extents) + sum(steps)
    shrink = min(1.0, (width - 2 * pen_width) / total)
    left = (width - total * shrink) / 2
    placed = []
    for paths, extent, step in zip(digits, extents, [*steps, 0.0]):
        placed += [np.column_stack([left + path[:, 0] * shrink, side / 2 + (path[:, 1] - side / 2) * shrink])
                   for path in paths]  # fmt: skip
        left += (extent + step) * shrink
    return placed
