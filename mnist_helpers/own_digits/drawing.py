"""A drawing's strokes: read from the pad's message, split into digits as ``predict`` splits a number, prepared."""

import numpy as np

from .digit_split import digit_masks
from .image_files import ImageInputError
from .mnist_style import prepare_digit
from .pen import digit_ink, ink_coverage

CANVAS_SIDE = 280  # CSS pixels: the canvas's height, 10x the MNIST field, large enough for a finger
CANVAS_WIDTH = 2 * CANVAS_SIDE  # wide enough for a few digits: a number
PEN_FRACTION = 0.07  # the canvas pen's width as a share of its height (what the user sees)
EMPTY_MESSAGE = "draw a digit"
MAX_STROKES = 200  # more strokes or points than a hand draws on one pad are refused
MAX_POINTS = 20_000


class DrawingError(ValueError):
    """A drawing message that is not a list of strokes on the canvas; the message says what is wrong."""


def stroke_paths(strokes, size=(CANVAS_WIDTH, CANVAS_SIDE)) -> list:
    """The strokes of a drawing message as (N, 2) arrays of canvas points; ``DrawingError`` if malformed.

    Each stroke is a flat list ``[x0, y0, x1, y1, ...]`` of finite numbers. Points past the canvas's edge
    (pointer capture reports them when the pen leaves it) are moved onto the edge, where the canvas stops
    drawing.
    """
    if not isinstance(strokes, list | tuple):
        raise DrawingError(f"strokes must be a list (got {type(strokes).__name__})")
    if len(strokes) > MAX_STROKES:
        raise DrawingError(f"{len(strokes)} strokes; at most {MAX_STROKES} are read")
    paths, points = [], 0
    for index, stroke in enumerate(strokes):
        if not isinstance(stroke, list | tuple) or not stroke or len(stroke) % 2:
            raise DrawingError(f"stroke {index} must be a non-empty list of x, y pairs")
        points += len(stroke) // 2
        if points > MAX_POINTS:
            raise DrawingError(f"more than {MAX_POINTS:,} points")
        if not all(isinstance(value, int | float) and not isinstance(value, bool) for value in stroke):
            raise DrawingError(f"stroke {index} holds something other than numbers")
        try:
            path = np.asarray(stroke, dtype=np.float64).reshape(-1, 2)
        except OverflowError:  # a whole number past float range, such as 10**400
            path = np.full((1, 2), np.inf)
        if not np.all(np.isfinite(path)):
            raise DrawingError(f"stroke {index} has a coordinate that is not a finite number")
        paths.append(np.clip(path, 0.0, size))
    return paths


def drawn_digits(paths, size=(CANVAS_WIDTH, CANVAS_SIDE), pen_fraction=PEN_FRACTION) -> list:
    """The stroke paths of each digit drawn, left to right: the strokes split as ``predict`` splits a number.

    The strokes are drawn as the canvas shows them (at half size), their ink split into digits
    (:func:`.digit_split.digit_masks`), and each stroke given to the digit holding most of its points.
    """
    if not paths:
        return []
    half = [path / 2 for path in paths]
    width, height = (int(np.ceil(side / 2)) for side in size)
    masks = digit_masks(ink_coverage(half, (width, height), pen_fraction * size[1] / 2, supersample=1))
    if len(masks) < 2:
        return [list(paths)]
    groups = [[] for _ in masks]
    for path, points in zip(paths, half):
        columns = np.clip(points[:, 0].astype(int), 0, width - 1)
        rows = np.clip(points[:, 1].astype(int), 0, height - 1)
        groups[int(np.argmax([mask[rows, columns].sum() for _, mask in masks]))].append(path)
    return [group for group in groups if group]


def prepare_drawing(paths) -> np.ndarray:
    """The MNIST-style (28, 28) digit of one digit's stroke paths (``ImageInputError`` if there is nothing to read)."""
    if not paths:
        raise ImageInputError(EMPTY_MESSAGE)
    return prepare_digit(digit_ink(paths))


def stroke_box(paths) -> dict:
    """Where a digit's strokes lie on the canvas (centre lines), in canvas pixels."""
    points = np.vstack(paths)
    low, high = points.min(axis=0), points.max(axis=0)
    return {
        "left": float(low[0]),
        "top": float(low[1]),
        "width": float(high[0] - low[0]),
        "height": float(high[1] - low[1]),
    }
