"""Mouse strokes for the drawing-pad tests: one stroke per digit, in canvas pixels (the pad is 560x280).

Shared by the unit test (sent as the front end sends them) and the browser test (drawn with the mouse),
so both read the same digits.
"""

import math

from mnist_helpers.own_digits.drawing import CANVAS_SIDE, CANVAS_WIDTH

SIDE, WIDTH = CANVAS_SIDE, CANVAS_WIDTH  # the canvas's height and width


def _ellipse(cx, cy, rx, ry, points=40):
    return [
        (cx + rx * math.sin(2 * math.pi * i / points), cy - ry * math.cos(2 * math.pi * i / points))
        for i in range(points + 1)
    ]


STROKES = {
    1: [(150, 45), (145, 100), (138, 170), (132, 235)],
    0: _ellipse(140, 140, 62, 92),
    7: [(75, 55), (205, 55), (170, 120), (140, 180), (118, 235)],
}


def flat(stroke) -> list:
    """A stroke as the front end sends it: ``[x0, y0, x1, y1, ...]``."""
    return [value for point in stroke for value in point]
