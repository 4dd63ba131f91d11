"""The drawing pad's Python side, without a browser: strokes in, the 28x28 input and each model's top 3 out."""

import base64
import io

import keras
import numpy as np
import pytest
from pad_strokes import SIDE, STROKES, flat
from PIL import Image

from mnist_helpers.config import shipped_model
from mnist_helpers.own_digits import drawing, pad
from mnist_helpers.own_digits.mnist_style import prepare_digit
from mnist_helpers.own_digits.pen import canvas_image


@pytest.fixture(scope="module")
def committed_model():
    return keras.saving.load_model(shipped_model("notebook"), safe_mode=True)


class Uniform:
    """A stand-in model: the same probabilities for every input, ten digits from 784 pixels."""

    input_shape = (None, 784)
    output_shape = (None, 10)

    def __init__(self, probabilities):
        self.probabilities = np.asarray(probabilities, dtype=np.float32)
        self.calls = 0

    def predict(self, inputs, verbose=0):
        self.calls += 1
        assert inputs.shape[1:] == (784,) and inputs.dtype == np.float32
        return np.tile(self.probabilities, (len(inputs), 1))


def preview_pixels(result, place=0) -> np.ndarray:
    preview = result["digits"][place]["preview"]
    assert preview.startswith(pad.PNG_PREFIX)
    with Image.open(io.BytesIO(base64.b64decode(preview[len(pad.PNG_PREFIX) :]))) as image:
        return np.asarray(image)


def message(*strokes, request=1):
    return {"request": request, "strokes": [flat(stroke) for stroke in strokes]}


@pytest.mark.parametrize("digit", sorted(STROKES))
def test_a_drawn_digit_gives_the_mnist_input_and_each_models_top_3(committed_model, digit):
    models = {"this run's model": committed_model, "same model again": committed_model}
    widget = pad.DrawingPad(models)
    widget.drawing = message(STROKES[digit], request=5)
    result = widget.result
    assert (result["request"], result["state"], result["message"]) == (5, "ok", "")
    preview = preview_pixels(result)
    assert preview.shape == (28, 28) and preview.dtype == np.uint8
    assert preview.max() == 255 and np.median(preview) == 0  # light ink on black, as in MNIST
    rows, cols = np.indices(preview.shape)
    centre = [(axis * preview).sum() / preview.sum() for axis in (rows, cols)]
    assert centre == pytest.approx([14, 14], abs=1)  # centred by mass, the MNIST way
    assert len(result["digits"]) == 1 and result["digits"][0]["warning"] == ""
    assert [block["name"] for block in result["models"]] == list(models)
    for block in result["models"]:
        top = block["digits"][0]["top"]
        assert block["number"] == str(top[0]["digit"])
        assert len(top) == 3 and len({guess["digit"] for guess in top}) == 3
        probabilities = [guess["probability"] for guess in top]
        assert probabilities == sorted(probabilities, reverse=True) and 0 <= sum(probabilities) <= 1 + 1e-5
        assert top[0]["digit"] == digit  # the committed full-run model reads the test strokes


def test_the_preview_is_the_prepared_digit_the_models_see():
    model = Uniform(np.eye(10)[3])
    result = pad.DrawingPad({"m": model}).read(message(STROKES[7]))
    expected = np.rint(drawing.prepare_drawing(drawing.stroke_paths([flat(STROKES[7])])) * 255)
    np.testing.assert_array_equal(preview_pixels(result), expected)
    assert result["models"] == [
        {"name": "m", "number": "3", "digits": [{"top": [{"digit": 3, "probability": 1.0},
                                                          {"digit": 0, "probability": 0.0},
                                                          {"digit": 1, "probability": 0.0}]}]}
    ]  # fmt: skip


def correlation(a, b):
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


@pytest.mark.parametrize("digit", sorted(STROKES))
def test_a_digit_drawn_small_reaches_the_model_as_if_drawn_large(digit):
    """The canvas pen is 7% of the pad: drawn at a third of the size, its strokes are 3x thicker for the digit."""
    large = np.asarray(STROKES[digit], dtype=float)
    small = (large - large.min(axis=0)) * 0.3 + 20
    read = [drawing.prepare_drawing(drawing.stroke_paths([flat(points)])) for points in (large, small)]
    assert correlation(*read) > 0.97
    canvas = [prepare_digit(canvas_image([points], SIDE, SIDE * drawing.PEN_FRACTION)) for points in (large, small)]
    assert correlation(*canvas) < correlation(*read)  # what the canvas shows: the small one's ink is thicker


def test_an_empty_canvas_asks_for_a_digit_without_calling_the_models():
    model = Uniform(np.full(10, 0.1))
    widget = pad.DrawingPad({"m": model})
    widget.drawing = {"request": 2, "strokes": []}
    assert widget.result == {"request": 2, "state": "empty", "message": "draw a digit", "digits": [], "models": []}
    assert model.calls == 0


def shifted(stroke, dx):
    return [(x + dx, y) for x, y in stroke]


def test_digits_side_by_side_are_read_as_a_number_left_to_right():
    model = Uniform(np.eye(10)[4])
    strokes = message(shifted(STROKES[7], 270), STROKES[1])  # the 7 drawn first, to the right of the 1
    result = pad.DrawingPad({"m": model}).read(strokes)
    assert result["state"] == "ok" and len(result["digits"]) == 2
    assert result["digits"][0]["box"]["left"] < 160 < result["digits"][1]["box"]["left"]
    np.testing.assert_array_equal(
        preview_pixels(result, 1),
        np.rint(drawing.prepare_drawing(drawing.stroke_paths([flat(shifted(STROKES[7], 270))])) * 255),
    )
    assert result["models"][0]["number"] == "44" and model.calls == 1  # every digit in one batch


def test_a_digit_in_two_strokes_stays_one_digit():
    bar = [(150, 150), (200, 150)]  # a 7's crossing bar, drawn as a second stroke
    result = pad.DrawingPad({"m": Uniform(np.full(10, 0.1))}).read(message(STROKES[7], bar))
    assert len(result["digits"]) == 1


def test_each_digit_carries_the_not_a_digit_check_as_predict_prints_it(monkeypatch):
    seen = []
    monkeypatch.setattr(
        pad, "not_a_digit_reasons", lambda digits: [seen.append(d) or f"reason {len(seen)}" for d in digits]
    )
    result = pad.DrawingPad({"m": Uniform(np.full(10, 0.1))}).read(message(STROKES[1], shifted(STROKES[0], 270)))
    assert [digit["warning"] for digit in result["digits"]] == ["reason 1", "reason 2"]
    np.testing.assert_array_equal(np.rint(seen[0] * 255), preview_pixels(result, 0))


def test_points_past_the_edge_are_read_on_the_edge():
    inside = drawing.stroke_paths([[10, 10, 270, 10]])
    outside = drawing.stroke_paths([[-500, 10, 900, 10]])
    np.testing.assert_array_equal(outside[0], [[0, 10], [drawing.CANVAS_WIDTH, 10]])
    assert inside[0].shape == (2, 2)


@pytest.mark.parametrize(
    "drawing, reason",
    [
        ("strokes", "expected a drawing message (got str)"),
        ({"request": "7", "strokes": []}, "the request number must be a whole number (got '7')"),
        ({"request": 1, "strokes": "1,2"}, "strokes must be a list (got str)"),
        ({"request": 1, "strokes": [[1, 2, 3]]}, "stroke 0 must be a non-empty list of x, y pairs"),
        ({"request": 1, "strokes": [[1, 2], []]}, "stroke 1 must be a non-empty list of x, y pairs"),
        ({"request": 1, "strokes": [[1, "2"]]}, "stroke 0 holds something other than numbers"),
        ({"request": 1, "strokes": [[1, True]]}, "stroke 0 holds something other than numbers"),
        ({"request": 1, "strokes": [[1, float("nan")]]}, "stroke 0 has a coordinate that is not a finite number"),
        (
            {"request": 1, "strokes": [[1, 2]] * (drawing.MAX_STROKES + 1)},
            f"{drawing.MAX_STROKES + 1} strokes; at most",
        ),
        ({"request": 1, "strokes": [[1.0, 2.0] * (drawing.MAX_POINTS + 1)]}, "more than 20,000 points"),
        ({"request": 1, "strokes": [[10**400, 2]]}, "stroke 0 has a coordinate that is not a finite number"),
    ],
)
def test_a_malformed_drawing_is_reported_not_raised(drawing, reason):
    model = Uniform(np.full(10, 0.1))
    result = pad.DrawingPad({"m": model}).read(drawing)
    assert result["state"] == "error" and reason in result["message"], result["message"]
    assert model.calls == 0


def test_the_widget_ships_its_front_end_and_needs_a_model():
    widget = pad.DrawingPad({"a": Uniform(np.full(10, 0.1)), "b": Uniform(np.full(10, 0.1))})
    assert widget.model_names == ["a", "b"]
    assert "export default" in str(widget._esm) and ".mnist-pad" in str(widget._css)
    with pytest.raises(ValueError, match="at least one model"):
        pad.DrawingPad({})


@pytest.mark.parametrize(
    "environ, modules, live",
    [
        ({}, {}, False),  # papermill, nbconvert, nbval: a bare kernel
        ({"JPY_SESSION_NAME": "/work/MNIST_Classifier.ipynb"}, {}, True),  # JupyterLab, Notebook 7
        ({"VSCODE_PID": "1234"}, {}, True),
        ({}, {"google.colab": object()}, True),
        ({"JPY_SESSION_NAME": "x.ipynb", "MNIST_PAD": "0"}, {}, False),
        ({"MNIST_PAD": "1"}, {}, True),
    ],
)
def test_front_end_detection(environ, modules, live):
    assert pad.front_end_renders_widgets(environ, modules) is live


def test_headless_runs_get_a_static_note():
    note = pad.drawing_pad({"m": Uniform(np.full(10, 0.1))}, live=False)
    bundle = note._repr_mimebundle_()
    assert "live notebook front end" in bundle["text/plain"] and bundle["text/markdown"].startswith("*")
    assert isinstance(pad.drawing_pad({"m": Uniform(np.full(10, 0.1))}, live=True), pad.DrawingPad)


def test_the_largest_drawing_read_is_answered():
    """The most strokes and points the pad takes (its answer time is measured in benchmarks/numbers.py, not here)."""
    rng = np.random.default_rng(0)
    scribble = [
        rng.uniform(0, drawing.CANVAS_SIDE, 2 * drawing.MAX_POINTS // drawing.MAX_STROKES).tolist()
    ] * drawing.MAX_STROKES
    for strokes in (scribble, [rng.uniform(0, drawing.CANVAS_SIDE, 2 * drawing.MAX_POINTS).tolist()]):
        result = pad.DrawingPad({"m": Uniform(np.full(10, 0.1))}).read({"request": 3, "strokes": strokes})
        assert result["request"] == 3 and result["state"] in ("ok", "empty")


def test_the_handler_answers_an_error_state_even_when_reading_fails_unexpectedly(monkeypatch):
    widget = pad.DrawingPad({"m": Uniform(np.full(10, 0.1))})
    monkeypatch.setattr(pad, "prepare_drawing", lambda paths, pen_width: 1 / 0)
    widget.drawing = {"request": 4, "strokes": [[1, 2, 3, 4]]}
    assert widget.result["state"] == "error" and "ZeroDivisionError: division by zero" in widget.result["message"]
