"""A drawing pad for the notebook: draw a digit, see its MNIST-style 28x28 input and each model's top 3.

The front end (``pad.js``, ``pad.css`` beside this file) is an anywidget: a ``<canvas>`` taking pointer
events (mouse, pen and touch) and a Clear button. At the end of each stroke it sends the whole drawing
as a PNG data URL (trait ``drawing``, with a request number). This side runs the project's preprocessing
on it, classifies the result with every model, and answers with trait ``result``: the prepared 28x28
digit as a PNG data URL and, per model, its three most probable digits. An empty or blank drawing gives
the "draw a digit" state, never an error.

Without a front end that renders widgets (papermill, nbconvert, nbval) ``drawing_pad`` shows a short
static note instead; see ``front_end_renders_widgets``.
"""

import base64
import binascii
import io
import os
import sys
from pathlib import Path

import anywidget
import numpy as np
import traitlets
from PIL import Image, UnidentifiedImageError

# The project's preprocessing and classifier.
from ..data import IMAGE_SIDE
from .classify import TOP_K, classify_digits, top_k
from .image_files import ImageInputError
from .mnist_style import prepare_digit

HERE = Path(__file__).parent
CANVAS_SIDE = 280  # CSS pixels; 10x the MNIST field, large enough for a finger
EMPTY_MESSAGE = "draw a digit"
PNG_PREFIX = "data:image/png;base64,"
MAX_DRAWING_BYTES = 4_000_000  # a 280x280 canvas PNG is a few kB; refuse anything absurd
ENV_SWITCH = "MNIST_PAD"  # "1" forces the widget, "0" the static note
STATIC_NOTE = (
    "The drawing pad needs a live notebook front end (JupyterLab, Notebook 7, VS Code or Colab); "
    "this run has none (papermill, nbconvert or nbval), so here is this note instead. "
    "Open the notebook and run this cell to draw digits."
)


def empty_result(request=0, message=EMPTY_MESSAGE) -> dict:
    """The result for an empty canvas (or one with too little ink to read)."""
    return {"request": request, "state": "empty", "message": message, "preview": "", "models": []}


def decode_drawing(data_url: str) -> np.ndarray:
    """The RGBA pixels of a ``data:image/png;base64,...`` URL, as an (H, W, 4) uint8 array."""
    if not data_url.startswith(PNG_PREFIX):
        raise ValueError("expected a PNG data URL")
    try:
        raw = base64.b64decode(data_url[len(PNG_PREFIX) :], validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("the drawing is not valid base64") from None
    if len(raw) > MAX_DRAWING_BYTES:
        raise ValueError(f"the drawing is too large ({len(raw):,} bytes)")
    try:
        with Image.open(io.BytesIO(raw)) as image:
            return np.asarray(image.convert("RGBA"))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValueError("the drawing is not a readable PNG") from None


def digit_to_data_url(digit: np.ndarray) -> str:
    """A (28, 28) digit in [0, 1] as a 28x28 grayscale PNG data URL (white ink on black, as the model sees it).

    The browser scales it up with sharp pixels.
    """
    pixels = np.clip(np.rint(np.asarray(digit, dtype=np.float32) * 255), 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels, "L")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return PNG_PREFIX + base64.b64encode(buffer.getvalue()).decode("ascii")


def top_digits(probabilities, k=TOP_K) -> list:
    """The ``k`` most probable digits as ``{"digit", "probability"}``, most probable first."""
    return [{"digit": digit, "probability": probability} for digit, probability in top_k(probabilities, k)]


def read_drawing(models: dict, pixels, request=0) -> dict:
    """Prepare one drawing (any image ``prepare_digit`` takes) and classify it with every model."""
    try:
        digit = prepare_digit(pixels)
    except ImageInputError:
        return empty_result(request)
    batch = digit.reshape(1, IMAGE_SIDE, IMAGE_SIDE)
    return {
        "request": request,
        "state": "ok",
        "message": "",
        "preview": digit_to_data_url(digit),
        "models": [
            {"name": name, "top": top_digits(classify_digits(model, batch)[0])} for name, model in models.items()
        ],
    }


class DrawingPad(anywidget.AnyWidget):
    """The pad widget. ``models`` maps a display name to a Keras model from 784 pixels to 10 digits."""

    _esm = HERE / "pad.js"
    _css = HERE / "pad.css"

    drawing = traitlets.Dict({"request": 0, "png": ""}).tag(sync=True)  # from the browser
    result = traitlets.Dict(empty_result()).tag(sync=True)  # to the browser
    model_names = traitlets.List(traitlets.Unicode()).tag(sync=True)
    canvas_side = traitlets.Int(CANVAS_SIDE).tag(sync=True)

    def __init__(self, models: dict, **kwargs):
        if not models:
            raise ValueError("drawing_pad needs at least one model")
        self._models = dict(models)
        super().__init__(model_names=list(self._models), **kwargs)

    @traitlets.observe("drawing")
    def _on_drawing(self, change):
        drawing = change["new"] or {}
        self.result = self.read(drawing.get("png", ""), drawing.get("request", 0))

    def read(self, data_url: str, request=0) -> dict:
        """The result for one drawing sent by the front end (a PNG data URL; empty means a cleared canvas)."""
        if not data_url:
            return empty_result(request)
        try:
            pixels = decode_drawing(data_url)
        except ValueError as error:
            return {**empty_result(request, message=f"could not read the drawing: {error}"), "state": "error"}
        return read_drawing(self._models, pixels, request)


class StaticNote:
    """What a headless run shows in place of the pad: plain text and Markdown."""

    def __init__(self, text=STATIC_NOTE):
        self.text = text

    def _repr_mimebundle_(self, include=None, exclude=None):
        return {"text/plain": self.text, "text/markdown": f"*{self.text}*"}

    def __repr__(self):
        return self.text


def front_end_renders_widgets(environ=None, modules=None) -> bool:
    """Whether this kernel's outputs go to a front end that renders widgets.

    A kernel cannot ask its client, so this reads where the kernel was started: ``MNIST_PAD=1``/``0``
    decides outright; a Jupyter server (JupyterLab, Notebook 7, JupyterHub, Voila) gives its kernels
    ``JPY_SESSION_NAME``; VS Code's kernels inherit its ``VSCODE_*`` variables; Colab has ``google.colab``
    loaded. papermill, nbconvert and nbval start kernels with none of these, and get the static note.
    """
    environ = os.environ if environ is None else environ
    modules = sys.modules if modules is None else modules
    switch = environ.get(ENV_SWITCH, "").strip().lower()
    if switch in {"1", "true", "yes", "on"}:
        return True
    if switch in {"0", "false", "no", "off"}:
        return False
    if environ.get("JPY_SESSION_NAME"):
        return True
    if any(name in environ for name in ("VSCODE_PID", "VSCODE_CWD", "VSCODE_IPC_HOOK_CLI")):
        return True
    return "google.colab" in modules


def drawing_pad(models: dict, live=None):
    """The drawing pad for ``models`` (display name -> model), or a static note where no front end can show it.

    ``live`` overrides the detection of ``front_end_renders_widgets``. In a notebook, make this the cell's
    last expression.
    """
    if live is None:
        live = front_end_renders_widgets()
    return DrawingPad(models) if live else StaticNote()
