"""Pen strokes as ink: what the drawing pad's canvas shows, and the same strokes re-drawn for the model.

A stroke is a path of (x, y) points; the pen is round (round caps and joins, as the pad's canvas
draws it). The pad's pen is a fixed share of the canvas, so a digit drawn small comes out with
strokes far thicker, relative to the digit, than MNIST's, and its loops fill in. The model is
therefore shown the strokes re-drawn at a pen in proportion to the digit (:func:`digit_ink`), the
width MNIST's writers' pens have relative to their digits.
"""

import numpy as np
from PIL import Image, ImageDraw

SUPERSAMPLE = 4  # drawn at 4x, then averaged down: anti-aliased edges like a canvas
MNIST_STROKE_FRACTION = 0.13  # median stroke width of the MNIST digits / the longer side of their ink
DIGIT_FRAME = 112  # px: the longer side of the re-drawn digit's centre lines


def ink_coverage(paths, size, pen_width, supersample=SUPERSAMPLE) -> np.ndarray:
    """Ink coverage (0-1, ``size`` = (width, height)) of round-pen strokes ``pen_width`` wide along ``paths``.

    Each path is an (N, 2) sequence of (x, y) points in pixels; a single point is a dot.
    """
    width, height = size
    big = Image.new("L", (width * supersample, height * supersample), 0)
    pen = ImageDraw.Draw(big)
    thickness = max(1, round(pen_width * supersample))
    for path in paths:
        points = [tuple(point) for point in np.asarray(path, dtype=float).reshape(-1, 2) * supersample]
        pen.line(points, fill=255, width=thickness, joint="curve")
        for x, y in (points[0], points[-1]):
            pen.ellipse([x - thickness / 2, y - thickness / 2, x + thickness / 2, y + thickness / 2], fill=255)
    return np.asarray(big.resize(size, Image.Resampling.BOX), dtype=np.float64) / 255


def canvas_image(paths, side, pen_width) -> Image.Image:
    """The pad's canvas after drawing ``paths``: dark ink (#111111) on white, RGBA, ``side`` px square."""
    coverage = ink_coverage(paths, (side, side), pen_width)
    grey = np.rint(255 - coverage * (255 - 0x11)).astype(np.uint8)
    return Image.fromarray(np.dstack([grey, grey, grey, np.full_like(grey, 255)]), "RGBA")


def digit_ink(paths, stroke_fraction=MNIST_STROKE_FRACTION, frame=DIGIT_FRAME, min_extent=0.0) -> np.ndarray:
    """The strokes re-drawn as light ink on black with a pen ``stroke_fraction`` of the digit's size.

    The centre lines' longer side is scaled to ``frame`` px, and the pen chosen so that it is
    ``stroke_fraction`` of the ink's longer side (centre lines plus the pen). Centre lines shorter than
    ``min_extent`` (the canvas's pen: a tap, a jiggle) are scaled as if they were that long, so they stay the blob
    the canvas shows rather than growing into a stroke; a lone dot is a disc of the pen. The result goes through
    the MNIST-style steps like any drawing.
    """
    points = np.vstack([np.asarray(path, dtype=float).reshape(-1, 2) for path in paths])
    low, extent = points.min(axis=0), np.ptp(points, axis=0)
    longest = max(float(extent.max()), min_extent)
    scale = frame / longest if longest > 0 else 1.0
    pen = stroke_fraction * frame / (1 - stroke_fraction)
    margin = pen
    size = tuple(int(np.ceil(value * scale + 2 * margin)) for value in extent)
    placed = [(np.asarray(path, dtype=float).reshape(-1, 2) - low) * scale + margin for path in paths]
    return ink_coverage(placed, size, pen)
