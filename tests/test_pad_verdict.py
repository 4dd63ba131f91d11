"""The pad and predict give one not-a-digit verdict: what is flagged or refused in a photo of the canvas is flagged or
refused on the pad (a tap, strokes off the canvas, 20,000 random points, a scribble, a spiral, a house with a door),
and a digit drawn on the pad is still read unflagged."""

import math

import numpy as np
import pytest
from pad_strokes import STROKES, flat
from PIL import Image

from mnist_helpers.own_digits import drawing, pad
from mnist_helpers.own_digits.classify import FailedImage
from mnist_helpers.own_digits.pen import ink_coverage
from mnist_helpers.own_digits.reading import read_images

SIZE = (drawing.CANVAS_WIDTH, drawing.CANVAS_SIDE)
RNG = np.random.default_rng(0)
SPIRAL = [v for t in np.linspace(0, 6 * math.pi, 300) for v in (140 + 6 * t * math.cos(t), 140 + 6 * t * math.sin(t))]
HOUSE = [[60, 250, 60, 130, 160, 130, 160, 250, 60, 250], [50, 140, 110, 60, 170, 140],
         [90, 250, 90, 185, 130, 185, 130, 250]]  # fmt: skip
NOT_DIGITS = {
    "a tap": [[200, 100]],
    "a tap that jiggles": [[200, 100, 201, 101, 200, 102]],
    "a 7 off the canvas": [[value + 1000 for value in flat(STROKES[7])]],
    "20,000 random points": [RNG.uniform(0, SIZE, (drawing.MAX_POINTS, 2)).ravel().tolist()],
    "20,000 random points in 200 strokes": RNG.uniform(0, SIZE, (200, 100, 2)).reshape(200, 200).tolist(),
    "a scribble over the canvas": [[v for i in range(60) for v in (SIZE[0] * (i % 2), i * SIZE[1] / 60)]],
    "a spiral": [SPIRAL],
    "a house with a door": HOUSE,
}


def pad_verdict(model, strokes) -> str:
    """The pad's answer: its refusal, or each digit's warning ("" for none)."""
    result = pad.DrawingPad({"m": model}).read({"request": 1, "strokes": strokes})
    return result["message"] if result["state"] != "ok" else "; ".join(d["warning"] for d in result["digits"])


def photo_verdict(model, strokes, folder) -> str:
    """predict's answer on a photo of the canvas (dark ink on white, the canvas's own pen)."""
    paths = [np.asarray(stroke, dtype=float).reshape(-1, 2) for stroke in strokes]
    coverage = ink_coverage(paths, SIZE, drawing.PEN_FRACTION * SIZE[1])
    path = folder / "canvas.png"
    Image.fromarray(np.rint(255 - coverage * 238).astype(np.uint8)).save(path)
    (result,) = read_images(model, [path])
    return result.message if isinstance(result, FailedImage) else "; ".join(d.warning or "" for d in result.digits)


@pytest.mark.parametrize("kind", NOT_DIGITS)
def test_what_is_not_a_digit_is_flagged_or_refused_by_both(robust, tmp_path, kind):
    """Before: the pad read a tap as "0" at 100%, a 7 off the canvas as "1" and 20,000 points as "00", unflagged."""
    assert all(photo_verdict(robust, NOT_DIGITS[kind], tmp_path).split("; ")), kind
    assert all(pad_verdict(robust, NOT_DIGITS[kind]).split("; ")), kind


@pytest.mark.parametrize("digit", sorted(STROKES))
def test_digits_drawn_on_the_pad_are_read_unflagged(robust, digit):
    result = pad.DrawingPad({"m": robust}).read({"request": 1, "strokes": [flat(STROKES[digit])]})
    assert result["models"][0]["number"] == str(digit) and result["digits"][0]["warning"] == ""


def test_a_tap_is_the_blot_the_canvas_shows_as_in_a_photo(robust, tmp_path):
    """The root: the pad scaled a tap up to a digit's size and took its dense ink for paper, leaving a ring."""
    assert pad_verdict(robust, NOT_DIGITS["a tap"]).startswith("a solid blot, not pen strokes")
    assert photo_verdict(robust, NOT_DIGITS["a tap"], tmp_path).startswith("a solid blot, not pen strokes")


def test_a_stroke_is_cut_where_it_leaves_the_canvas():
    (inside,) = drawing.stroke_paths([[10, 10, 100, 10]])
    left, right = drawing.stroke_paths([[10, 10, 1000, 10, 1000, 20, 10, 20]])
    np.testing.assert_array_equal(inside, [[10, 10], [100, 10]])
    np.testing.assert_array_equal(left, [[10, 10], [SIZE[0], 10]])
    np.testing.assert_array_equal(right, [[SIZE[0], 20], [10, 20]])
    assert drawing.stroke_paths([[-5, -5], [600, 10, 700, 300]]) == []
