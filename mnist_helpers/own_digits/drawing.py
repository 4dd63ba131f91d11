"""A drawing's strokes: read from the pad's message, split into digits as ``predict`` splits a number, prepared."""

import numpy as np

from .digit_split import digit_masks
from .image_files import ImageInputError
from .mnist_style import prepare_drawn_ink
from .number_search import searched_digit_masks
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

    Each stroke is a flat list ``[x0, y0, x1, y1, ...]`` of finite numbers. Pointer capture reports points past
    the canvas's edge when the pen leaves it, and the canvas shows only what lies on it: each stroke is cut to its
    visible pieces (a stroke that leaves and comes back is two), and a stroke entirely off the canvas is dropped.
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
        paths += _visible_pieces(path, size)
    return paths


def _visible_pieces(path, size) -> list:
    """The pieces of a stroke that lie on a canvas of ``size``: each segment cut at the canvas's edge."""
    points = [tuple(point) for point in path.tolist()]
    if len(points) == 1:
        return [path] if _clip_segment(points[0], points[0], size) else []
    pieces, joined = [], False  # joined: the previous segment was visible, so a piece goes on
    for start, end in zip(points[:-1], points[1:]):
        visible = _clip_segment(start, end, size)
        if visible is not None and joined and pieces[-1][-1] == visible[0]:
            pieces[-1].append(visible[1])
        elif visible is not None:
            pieces.append(list(visible))
        joined = visible is not None and visible[1] == end
    return [np.asarray(piece, dtype=np.float64) for piece in pieces]


def _clip_segment(start, end, size):
    """The part of the segment ``start``-``end`` inside the ``size`` rectangle (Liang-Barsky), or None."""
    (x0, y0), (x1, y1), (width, height) = start, end, size
    dx, dy = x1 - x0, y1 - y0
    low, high = 0.0, 1.0
    for p, q in ((-dx, x0), (dx, width - x0), (-dy, y0), (dy, height - y0)):
        if p == 0:
            if q < 0:
                return None
        elif p < 0:
            low = max(low, q / p)
        else:
            high = min(high, q / p)
    if low > high:
        return None
    entry = start if low == 0 else (x0 + low * dx, y0 + low * dy)  # a point on the canvas is kept exactly
    leave = end if high == 1 else (x0 + high * dx, y0 + high * dy)
    return entry, leave


def drawn_digits(paths, size=(CANVAS_WIDTH, CANVAS_SIDE), pen_fraction=PEN_FRACTION, model=None) -> list:
    """The stroke paths of each digit drawn, left to right: the strokes split as ``predict`` splits a number.

    The strokes are drawn as the canvas shows them (at half size), their ink split into digits by ``model``'s
    segmentation search (:func:`.number_search.searched_digit_masks`; without a model, by the pieces of ink alone,
    :func:`.digit_split.digit_masks`), and each stroke given to the digit holding most of its points. A stroke
    is never cut: a number written in one stroke is read as one digit.
    """
    if not paths:
        return []
    half = [path / 2 for path in paths]
    width, height = (int(np.ceil(side / 2)) for side in size)
    ink = ink_coverage(half, (width, height), pen_fraction * size[1] / 2, supersample=1)
    if model is None:
        masks = digit_masks(ink)
    else:
        masks = searched_digit_masks(model, ink, prepare_drawn_ink)
    if len(masks) < 2:
        return [list(paths)]
    groups = [[] for _ in masks]
    for path, points in zip(paths, half):
        columns = np.clip(points[:, 0].astype(int), 0, width - 1)
        rows = np.clip(points[:, 1].astype(int), 0, height - 1)
        groups[int(np.argmax([mask[rows, columns].sum() for _, mask in masks]))].append(path)
    return [group for group in groups if group]


def prepare_drawing(paths, pen_width=PEN_FRACTION * CANVAS_SIDE) -> np.ndarray:
    """The MNIST-style (28, 28) digit of one digit's stroke paths (``ImageInputError`` if there is nothing to read).

    The strokes are re-drawn with a pen in proportion to the digit (:func:`.pen.digit_ink`; strokes shorter than the
    canvas's pen, ``pen_width``, are the blob the canvas shows, such as a tap) and prepared as a drawing, which has no
    paper to find (:func:`.mnist_style.prepare_drawn_ink`).
    """
    if not paths:
        raise ImageInputError(EMPTY_MESSAGE)
    return prepare_drawn_ink(digit_ink(paths, min_extent=pen_width))


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
