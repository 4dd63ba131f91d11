"""A drawing pad for the notebook: draw a digit, see its MNIST-style 28x28 input and each model's top 3.

The front end (``pad.js``, ``pad.css`` beside this file) is an anywidget: a ``<canvas>`` taking pointer
events (mouse, pen and touch) and a Clear button. At the end of each stroke it sends every stroke drawn
so far as a list of canvas points (trait ``drawing``: ``{"request": n, "strokes": [[x0, y0, x1, y1, ...],
...]}``). This side re-draws the strokes with a pen in proportion to the digit (:mod:`.strokes`: the
canvas's pen is a fixed share of the pad, far too thick for a digit drawn small), runs the project's
MNIST-style preprocessing, classifies the result with every model, and answers with trait ``result``:
the prepared 28x28 digit as a PNG data URL and, per model, its three most probable digits. An empty
drawing gives the "draw a digit" state; a malformed message an "error" state, never an exception.

Without a front end that renders widgets (papermill, nbconvert, nbval) ``drawing_pad`` shows a short
static note instead; see ``front_end_renders_widgets``.
"""

import base64
import io
import os
import sys
from pathlib import Path

import anywidget
import numpy as np
import traitlets
from PIL import Image

# The MNIST-style preprocessing and the classifier.
from ..data import IMAGE_SIDE
from .classify import TOP_K, classify_digits, top_k
from .image_files import ImageInputError
from .mnist_style import prepare_digit
from .strokes import digit_ink

HERE = Path(__file__).parent
CANVAS_SIDE = 280  # CSS pixels; 10x the MNIST field, large enough for a finger
PEN_FRACTION = 0.07  # the canvas pen's width as a share of its side (what the user sees)
EMPTY_MESSAGE = "draw a digit"
PNG_PREFIX = "data:image/png;base64,"
MAX_STROKES = 200  # more strokes or points than a hand draws on one pad are refused
MAX_POINTS = 20_000
ENV_SWITCH = "MNIST_PAD"  # "1" forces the widget, "0" the static note
STATIC_NOTE = (
    "The drawing pad needs a live notebook front end (JupyterLab, Notebook 7, VS Code or Colab); "
    "this run has none (papermill, nbconvert or nbval), so here is this note instead. "
    "Open the notebook and run this cell to draw digits."
)


class DrawingError(ValueError):
    """A drawing message that is not a list of strokes on the canvas; the message says what is wrong."""


def empty_result(request=0, message=EMPTY_MESSAGE) -> dict:
    """The result for an empty canvas (or one with too little ink to read)."""
    return {"request": request, "state": "empty", "message": message, "preview": "", "models": []}


def error_result(request, message) -> dict:
    """The result for a drawing message that could not be read."""
    return {**empty_result(request, message=f"could not read the drawing: {message}"), "state": "error"}


def stroke_paths(strokes, side=CANVAS_SIDE) -> list:
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
        paths.append(np.clip(path, 0.0, side))
    return paths


def prepare_drawing(paths) -> np.ndarray:
    """The MNIST-style (28, 28) digit of a drawing's stroke paths (``ImageInputError`` if there is nothing to read)."""
    if not paths:
        raise ImageInputError(EMPTY_MESSAGE)
    return prepare_digit(digit_ink(paths))


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


def read_digit(models: dict, digit: np.ndarray, request=0) -> dict:
    """The result for one prepared (28, 28) digit: its preview and every model's top 3."""
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

    drawing = traitlets.Dict({"request": 0, "strokes": []}).tag(sync=True)  # from the browser
    result = traitlets.Dict(empty_result()).tag(sync=True)  # to the browser
    model_names = traitlets.List(traitlets.Unicode()).tag(sync=True)
    canvas_side = traitlets.Int(CANVAS_SIDE).tag(sync=True)
    pen_fraction = traitlets.Float(PEN_FRACTION).tag(sync=True)

    def __init__(self, models: dict, **kwargs):
        if not models:
            raise ValueError("drawing_pad needs at least one model")
        self._models = dict(models)
        super().__init__(model_names=list(self._models), **kwargs)

    @traitlets.observe("drawing")
    def _on_drawing(self, change):
        try:
            self.result = self.read(change["new"])
        except Exception as error:  # a bug here must still answer the pad, which would otherwise wait forever
            self.result = error_result(0, f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}")

    def read(self, drawing) -> dict:
        """The result for one drawing message from the front end; every failure is a result, never an exception."""
        request = drawing.get("request", 0) if isinstance(drawing, dict) else 0
        if not isinstance(request, int) or isinstance(request, bool) or not 0 <= request < 2**53:
            return error_result(0, f"the request number must be a whole number (got {request!r})")
        if not isinstance(drawing, dict):
            return error_result(request, f"expected a drawing message (got {type(drawing).__name__})")
        try:
            paths = stroke_paths(drawing.get("strokes", []), self.canvas_side)
            digit = prepare_drawing(paths)
        except DrawingError as error:
            return error_result(request, str(error))
        except ImageInputError:
            return empty_result(request)
        return read_digit(self._models, digit, request)


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
