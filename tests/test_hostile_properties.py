"""Property tests of the input paths (Hypothesis, bounded): image sizes and bytes, stroke messages, argument strings,
environment values. Any input ends in an answer or a one-line refusal, never a traceback, a hang or a silent default.

Each test fails on the code before issue 25 for one kind at least (named in its docstring; the ``@example`` cases
are those kinds, so they are tried first on every run).
"""

import io
import os
import tempfile
from pathlib import Path
from unittest import mock

import numpy as np
import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image, ImageDraw

from mnist_helpers import config
from mnist_helpers.__main__ import main
from mnist_helpers._support.errors import UserFacingError
from mnist_helpers.data import load_mnist
from mnist_helpers.own_digits import drawing, pad
from mnist_helpers.own_digits.classify import FailedImage
from mnist_helpers.own_digits.reading import read_images
from mnist_helpers.recipe import Recipe, checked_seed

BOUNDED = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
EXAMPLE = config.EXAMPLES_DIR / "drawn_7_thin_pen.png"


def one_line(text) -> bool:
    return bool(text) and "\n" not in text.strip()


def seven(width, height) -> Image.Image:
    """A dark 7 drawn across a white image of any size (a single row or column included)."""
    image = Image.new("L", (width, height), 255)
    w, h = width - 1, height - 1
    ImageDraw.Draw(image).line([(0.2 * w, 0.1 * h), (0.8 * w, 0.1 * h), (0.45 * w, 0.9 * h)], fill=0,
                               width=max(1, min(width, height) // 12))  # fmt: skip
    return image


def assert_answer_or_one_line(result, name):
    if isinstance(result, FailedImage):
        assert one_line(result.message) and result.message.startswith(f"{name}: "), result.message
    else:
        assert result.source == name and result.number.isdigit()


@BOUNDED
@given(width=st.integers(1, 5000), height=st.integers(1, 400))
@example(width=5000, height=1)  # issue 25: digit_split._cut_touching raised for a 5000x1 PNG, and the batch was lost
@example(width=1, height=400)
def test_any_image_size_ends_in_an_answer_or_one_line_and_the_batch_goes_on(robust, width, height):
    """Fails before: the 5000x1 PNG raised ValueError out of read_images, and every image of the batch was lost."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "odd.png"
        seven(width, height).save(path)
        results = read_images(robust, [str(path), str(EXAMPLE)])
    assert_answer_or_one_line(results[0], str(path))
    assert results[1].number == "7"


@pytest.fixture(scope="module")
def seven_jpeg():
    buffer = io.BytesIO()
    seven(200, 200).convert("RGB").save(buffer, "JPEG", quality=90)
    return buffer.getvalue()


@BOUNDED
@given(cut=st.integers(0, 400), flips=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=3))
@example(cut=2, flips=[])  # only the 2-byte end marker missing: the pixels are all there
def test_any_damage_to_a_jpeg_ends_in_an_answer_or_one_line(robust, seven_jpeg, cut, flips):
    """Fails before: a JPEG missing only its end marker (cut=2) was refused as truncated; it must read as the whole."""
    data = bytearray(seven_jpeg[: len(seven_jpeg) - cut])
    for place, value in flips:
        data[place % len(data)] = value
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "photo.jpg"
        path.write_bytes(bytes(data))
        result = read_images(robust, str(path))[0]
    assert_answer_or_one_line(result, str(path))
    if cut == 2 and not flips:
        assert not isinstance(result, FailedImage) and result.number == "7"


coordinates = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-(10**400), 10**400), st.text(max_size=3), st.none()
)
strokes = st.one_of(st.lists(st.lists(coordinates, max_size=9), max_size=6), st.text(max_size=5), st.integers())


@BOUNDED
@given(message=st.one_of(st.fixed_dictionaries({"request": st.integers(-3, 2**60), "strokes": strokes}), strokes))
def test_any_stroke_message_is_answered(robust, message):
    result = pad.DrawingPad({"m": robust}).read(message)
    assert result["state"] in ("ok", "empty", "error") and "\n" not in result["message"]


off_canvas_points = st.tuples(
    st.floats(drawing.CANVAS_WIDTH + 1, 1e6), st.floats(-1e6, 1e6)
)  # every point right of the canvas


@BOUNDED
@given(paths=st.lists(st.lists(off_canvas_points, min_size=1, max_size=30), min_size=1, max_size=4))
@example(paths=[[(x + 1000, y) for x, y in [(75, 55), (205, 55), (170, 120), (140, 180), (118, 235)]]])
def test_strokes_entirely_off_the_canvas_are_never_read_as_a_digit(robust, paths):
    """Fails before: points were moved onto the canvas's edge, and a 7 drawn off the canvas read "1" unflagged."""
    message = {"request": 1, "strokes": [[value for point in path for value in point] for path in paths]}
    result = pad.DrawingPad({"m": robust}).read(message)
    assert result["state"] == "empty" and result["digits"] == []


@BOUNDED
@given(value=st.text(max_size=20))
@example(value="")  # was "not given": the default model answered
def test_any_model_argument_that_names_no_model_is_one_line_exit_2(capsys, value):
    """Fails before: ``--model ""`` ran the default model (exit 0)."""
    status = main(["predict", str(EXAMPLE), f"--model={value}"])
    out, err = capsys.readouterr()
    assert status == 2 and out == "" and one_line(err), (value, err)


@BOUNDED
@given(
    number=st.integers(1, 10**6),
    zeros=st.integers(0, 3),
    sign=st.sampled_from(["", "+"]),
    pad_=st.text(" ", max_size=2),
)
@example(number=5, zeros=1, sign="", pad_="")  # train --epochs 05
def test_whole_numbers_are_read_as_written_on_a_command_line(number, zeros, sign, pad_):
    """Fails before: ``--epochs 05`` was refused ("cannot read '05' as a value")."""
    text = f"{pad_}{sign}{'0' * zeros}{number}{pad_}"
    assert Recipe(epochs=text).epochs == number and checked_seed(text) == number


@BOUNDED
@given(value=st.text(max_size=12).filter(lambda text: "\0" not in text))  # an environment cannot hold NUL
@example(value="y")
@example(value="2")
def test_any_smoke_value_is_a_clear_yes_a_clear_no_or_one_line(value):
    """Fails before: MNIST_SMOKE=y or =2 was silently a full run."""
    with mock.patch.dict(os.environ, {"MNIST_SMOKE": value}):
        try:
            smoke = config.smoke_mode()
        except UserFacingError as error:
            assert one_line(str(error)) and value.strip().lower() not in {"1", "true", "yes", "on", "0", "false", "no"}
        else:
            assert value.strip().lower() in ({"1", "true", "yes", "on"} if smoke else {"0", "false", "no", "off"})


@BOUNDED
@given(value=st.text(max_size=30).filter(lambda text: "\0" not in text))
@example(value="~nosuchuser/x.npz")
def test_any_data_path_is_loaded_or_one_line(value):
    """Fails before: MNIST_DATA='~nosuchuser/x.npz' raised RuntimeError, a 24-line traceback."""
    with mock.patch.dict(os.environ, {"MNIST_DATA": value}):
        try:
            arrays = load_mnist()
        except UserFacingError as error:
            assert one_line(str(error))
        else:
            assert np.asarray(arrays[0][0]).shape == (60000, 28, 28)


@settings(max_examples=60, deadline=None)
@given(thickness=st.integers(1, 4), length=st.integers(5, 600), ink=st.integers(0, 120))
@example(thickness=1, length=300, ink=0)  # an underline: a noise image's line once crashed the touching-digit cuts
def test_a_thin_line_of_any_length_is_split_without_an_error(thickness, length, ink):
    from mnist_helpers.own_digits.mnist_style import prepare_number

    page = np.full((60, length + 40), 255, np.uint8)
    page[30 : 30 + thickness, 20 : 20 + length] = ink
    parts = prepare_number(page)
    assert parts and all(part.digit.shape == (28, 28) for part in parts)
