"""Mouse strokes for the drawing-pad tests: one stroke per digit, in canvas pixels (the pad is 280x280).

Shared by the unit test (drawn with Pillow) and the browser test (drawn with the mouse), so both read
the same digits.
"""

import math

from PIL import Image, ImageDraw

SIDE = 280
PEN_WIDTH = round(SIDE * 0.07)  # pad.js: STROKE_FRACTION


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


def draw_strokes(strokes, side=SIDE, width=PEN_WIDTH) -> Image.Image:
    """Dark ink on a white RGBA canvas, as the pad's canvas exports it."""
    image = Image.new("RGBA", (side, side), (255, 255, 255, 255))
    pen = ImageDraw.Draw(image)
    for stroke in strokes:
        pen.line(stroke, fill=(17, 17, 17, 255), width=width, joint="curve")
        for x, y in (stroke[0], stroke[-1]):
            pen.ellipse((x - width / 2, y - width / 2, x + width / 2, y + width / 2), fill=(17, 17, 17, 255))
    return image
