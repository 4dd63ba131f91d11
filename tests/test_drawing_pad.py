"""The drawing pad's Python side, without a browser: a stroke image in, the 28x28 input and each model's top 3 out."""

import base64
import io

import keras
import numpy as np
import pytest
from pad_strokes import STROKES, draw_strokes
from PIL import Image

from mnist_helpers.config import MODEL_FILENAME, OUTPUTS_DIR
from mnist_helpers.handwriting import pad


@pytest.fixture(scope="module")
def committed_model():
    return keras.saving.load_model(OUTPUTS_DIR / MODEL_FILENAME, safe_mode=True)


class Uniform:
    """A stand-in model: the same probabilities for every input, ten digits from 784 pixels."""

    input_shape = (None, 784)
    output_shape = (None, 10)

    def __init__(self, probabilities):
        self.probabilities = np.asarray(probabilities, dtype=np.float32)
        self.calls = 0

    def predict(self, inputs, verbose=0):
        self.calls += 1
        assert inputs.shape == (1, 784) and inputs.dtype == np.float32
        return np.tile(self.probabilities, (len(inputs), 1))


def data_url(image: Image.Image) -> str:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return pad.PNG_PREFIX + base64.b64encode(buffer.getvalue()).decode("ascii")


def preview_pixels(result) -> np.ndarray:
    assert result["preview"].startswith(pad.PNG_PREFIX)
    with Image.open(io.BytesIO(base64.b64decode(result["preview"][len(pad.PNG_PREFIX) :]))) as image:
        return np.asarray(image)


@pytest.mark.parametrize("digit", sorted(STROKES))
def test_a_drawn_digit_gives_the_mnist_input_and_each_models_top_3(committed_model, digit):
    models = {"this run's model": committed_model, "same model again": committed_model}
    widget = pad.DrawingPad(models)
    widget.drawing = {"request": 5, "png": data_url(draw_strokes([STROKES[digit]]))}
    result = widget.result
    assert (result["request"], result["state"], result["message"]) == (5, "ok", "")
    preview = preview_pixels(result)
    assert preview.shape == (28, 28) and preview.dtype == np.uint8
    assert preview.max() == 255 and np.median(preview) == 0  # light ink on black, as in MNIST
    rows, cols = np.indices(preview.shape)
    centre = [(axis * preview).sum() / preview.sum() for axis in (rows, cols)]
    assert centre == pytest.approx([14, 14], abs=1)  # centred by mass, the MNIST way
    assert [block["name"] for block in result["models"]] == list(models)
    for block in result["models"]:
        top = block["top"]
        assert len(top) == 3 and len({guess["digit"] for guess in top}) == 3
        probabilities = [guess["probability"] for guess in top]
        assert probabilities == sorted(probabilities, reverse=True) and 0 <= sum(probabilities) <= 1 + 1e-5
        assert top[0]["digit"] == digit  # the committed full-run model reads the test strokes


def test_the_preview_is_the_prepared_digit_the_models_see():
    model = Uniform(np.eye(10)[3])
    image = draw_strokes([STROKES[7]])
    result = pad.read_drawing({"m": model}, np.asarray(image))
    expected = np.rint(pad.prepare_digit(np.asarray(image)) * 255)
    np.testing.assert_array_equal(preview_pixels(result), expected)
    assert result["models"] == [
        {"name": "m", "top": [{"digit": 3, "probability": 1.0}, {"digit": 0, "probability": 0.0},
                              {"digit": 1, "probability": 0.0}]}
    ]  # fmt: skip


def test_top_digits_orders_by_probability_and_breaks_ties_by_digit():
    probabilities = [0.1, 0.05, 0.3, 0.05, 0.3, 0.2, 0, 0, 0, 0]
    assert pad.top_digits(probabilities) == [
        {"digit": 2, "probability": 0.3}, {"digit": 4, "probability": 0.3}, {"digit": 5, "probability": 0.2}
    ]  # fmt: skip


@pytest.mark.parametrize("png", ["", "blank"])
def test_an_empty_or_blank_canvas_asks_for_a_digit_without_calling_the_models(png):
    model = Uniform(np.full(10, 0.1))
    widget = pad.DrawingPad({"m": model})
    blank = Image.new("RGBA", (pad.CANVAS_SIDE, pad.CANVAS_SIDE), (255, 255, 255, 255))
    widget.drawing = {"request": 2, "png": data_url(blank) if png else ""}
    assert widget.result == {"request": 2, "state": "empty", "message": "draw a digit", "preview": "", "models": []}
    assert model.calls == 0


def test_a_transparent_canvas_counts_as_blank_paper():
    clear = Image.new("RGBA", (pad.CANVAS_SIDE, pad.CANVAS_SIDE), (0, 0, 0, 0))
    assert pad.DrawingPad({"m": Uniform(np.full(10, 0.1))}).read(data_url(clear), 1)["state"] == "empty"


@pytest.mark.parametrize(
    "png, reason",
    [
        ("data:image/jpeg;base64,AAAA", "expected a PNG data URL"),
        (pad.PNG_PREFIX + "not base64!", "not valid base64"),
        (pad.PNG_PREFIX + base64.b64encode(b"GIF89a....").decode(), "not a readable PNG"),
    ],
)
def test_a_broken_drawing_is_reported_not_raised(png, reason):
    result = pad.DrawingPad({"m": Uniform(np.full(10, 0.1))}).read(png, 9)
    assert result["state"] == "error" and reason in result["message"] and result["request"] == 9


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
        ({"MNIST_PAD": ""}, {}, False),
    ],
)
def test_front_end_detection(environ, modules, live):
    assert pad.front_end_renders_widgets(environ, modules) is live


def test_headless_runs_get_a_static_note():
    note = pad.drawing_pad({"m": Uniform(np.full(10, 0.1))}, live=False)
    bundle = note._repr_mimebundle_()
    assert "live notebook front end" in bundle["text/plain"] and bundle["text/markdown"].startswith("*")
    assert isinstance(pad.drawing_pad({"m": Uniform(np.full(10, 0.1))}, live=True), pad.DrawingPad)
