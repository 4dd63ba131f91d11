"""A drawing pad for the notebook: draw a digit or a number, see each MNIST-style 28x28 input and each model's reading.

The front end (``pad.js``, ``pad.css`` beside this file) is an anywidget: a wide ``<canvas>`` taking
pointer events (mouse, pen and touch), Undo (the last stroke) and Clear. At the end of each stroke it
sends every stroke on the canvas as a list of canvas points (trait ``drawing``: ``{"request": n,
"strokes": [[x0, y0, x1, y1, ...], ...]}``). This side splits the strokes into digits as ``predict``
splits a number, re-draws each digit's strokes with a pen in proportion to the digit (:mod:`.pen`:
the canvas's pen is a fixed share of the pad, far too thick for a digit drawn small), runs the rest of
the MNIST-style preprocessing, classifies every digit with every model, and answers with trait
``result``: per digit its prepared 28x28 input (a PNG data URL) and whether its ink looks like a digit
at all (the ``not_a_digit`` flag, as ``predict`` prints it), and per model the number with each digit's
three most probable readings. An empty drawing gives the "draw a digit" state; a malformed message an
"error" state, never an exception.

Without a front end that renders widgets (papermill, nbconvert, nbval) ``drawing_pad`` shows a short
static note instead; see ``front_end_renders_widgets``.
"""

import base64
import io
import os
import sys
from functools import cache
from pathlib import Path

import anywidget
import numpy as np
import traitlets
from PIL import Image

# The MNIST-style preprocessing and the classifier.
from .._support.settings import variable_flag
from ..data import IMAGE_SIDE
from ..model_files import classify_digits, load_classifier
from .classify import TOP_K, FailedImage, prepared_or_failed, top_k
from .drawing import (
    CANVAS_SIDE,
    CANVAS_WIDTH,
    EMPTY_MESSAGE,
    PEN_FRACTION,
    DrawingError,
    drawn_digits,
    prepare_drawing,
    stroke_box,
    stroke_paths,
)
from .not_a_digit import not_a_digit_reasons

HERE = Path(__file__).parent
PNG_PREFIX = "data:image/png;base64,"
ENV_SWITCH = "MNIST_PAD"  # "1" forces the widget, "0" the static note
OFF_CANVAS_MESSAGE = "nothing is on the canvas (the strokes lie outside it): draw a digit on it"
STATIC_NOTE = (
    "The drawing pad needs a live notebook front end (JupyterLab, Notebook 7, VS Code or Colab); "
    "this run has none (papermill, nbconvert or nbval), so here is this note instead. "
    "Open the notebook and run this cell to draw digits."
)


def _failed(item) -> bool:
    return isinstance(item, FailedImage)


def _empty_result(request=0, message=EMPTY_MESSAGE) -> dict:
    """The result for an empty canvas (or one with too little ink to read)."""
    return {"request": request, "state": "empty", "message": message, "digits": [], "models": []}


def _error_result(request, message) -> dict:
    """The result for a drawing message that could not be read."""
    return {**_empty_result(request, message=f"could not read the drawing: {message}"), "state": "error"}


def _digit_to_data_url(digit: np.ndarray) -> str:
    """A (28, 28) digit in [0, 1] as a 28x28 grayscale PNG data URL (white ink on black, as the model sees it).

    The browser scales it up with sharp pixels.
    """
    pixels = np.clip(np.rint(np.asarray(digit, dtype=np.float32) * 255), 0, 255).astype(np.uint8)
    image = Image.fromarray(pixels, "L")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return PNG_PREFIX + base64.b64encode(buffer.getvalue()).decode("ascii")


def _top_digits(probabilities, k=TOP_K) -> list:
    """The ``k`` most probable digits as ``{"digit", "probability"}``, most probable first."""
    return [{"digit": digit, "probability": probability} for digit, probability in top_k(probabilities, k)]


def _read_digits(models: dict, digits: list, boxes: list, request=0) -> dict:
    """The result for the prepared (28, 28) digits of one drawing: their previews and flags, each model's reading.

    Per model: the number, and for each digit its three most probable digits.
    """
    batch = np.array(digits, dtype=np.float32).reshape(-1, IMAGE_SIDE, IMAGE_SIDE)
    readings = []
    for name, model in models.items():
        tops = [_top_digits(probabilities) for probabilities in classify_digits(model, batch)]
        readings.append({"name": name, "number": "".join(str(top[0]["digit"]) for top in tops),
                         "digits": [{"top": top} for top in tops]})  # fmt: skip
    shown = [
        {"preview": _digit_to_data_url(digit), "box": box, "warning": reason or ""}
        for digit, box, reason in zip(digits, boxes, not_a_digit_reasons(digits))
    ]
    return {"request": request, "state": "ok", "message": "", "digits": shown, "models": readings}


class DrawingPad(anywidget.AnyWidget):
    """The pad widget. ``models`` maps a display name to a Keras model from 784 pixels to 10 digits."""

    _esm = HERE / "pad.js"
    _css = HERE / "pad.css"

    drawing = traitlets.Dict({"request": 0, "strokes": []}).tag(sync=True)  # from the browser
    result = traitlets.Dict(_empty_result()).tag(sync=True)  # to the browser
    model_names = traitlets.List(traitlets.Unicode()).tag(sync=True)
    canvas_side = traitlets.Int(CANVAS_SIDE).tag(sync=True)  # the height
    canvas_width = traitlets.Int(CANVAS_WIDTH).tag(sync=True)
    pen_fraction = traitlets.Float(PEN_FRACTION).tag(sync=True)

    def __init__(self, models: dict, search=True, **kwargs):
        """``search``: cut a number where the segmentation search reads it best (False: at the gaps alone)."""
        if not models:
            raise ValueError("drawing_pad needs at least one model")
        self._models = dict(models)
        self._search = search
        super().__init__(model_names=list(self._models), **kwargs)

    @traitlets.observe("drawing")
    def _on_drawing(self, change):
        try:
            self.result = self.read(change["new"])
        except Exception as error:  # a bug here must still answer the pad, which would otherwise wait forever
            self.result = _error_result(
                0, f"{type(error).__name__}: {str(error).splitlines()[0] if str(error) else ''}"
            )

    def read(self, drawing) -> dict:
        """The result for one drawing message from the front end; every failure is a result, never an exception.

        Each digit is prepared on its own: one that fails on an unexpected error (a bug) is named in the message,
        and the other digits are still read.
        """
        request = drawing.get("request", 0) if isinstance(drawing, dict) else 0
        if not isinstance(request, int) or isinstance(request, bool) or not 0 <= request < 2**53:
            return _error_result(0, f"the request number must be a whole number (got {request!r})")
        if not isinstance(drawing, dict):
            return _error_result(request, f"expected a drawing message (got {type(drawing).__name__})")
        try:
            size = (self.canvas_width, self.canvas_side)
            strokes = drawing.get("strokes", [])
            paths = stroke_paths(strokes, size)
            groups = drawn_digits(paths, size, self.pen_fraction, predict_model() if self._search else None)
        except DrawingError as error:
            return _error_result(request, str(error))
        if strokes and not paths:
            return _empty_result(request, OFF_CANVAS_MESSAGE)
        pen = self.pen_fraction * self.canvas_side
        prepared = [
            prepared_or_failed(lambda group: prepare_drawing(group, pen), group, f"digit {place}")
            for place, group in enumerate(groups, 1)
        ]
        read = [(digit, stroke_box(group)) for digit, group in zip(prepared, groups) if not _failed(digit)]
        bugs = [item.message for item in prepared if _failed(item) and item.bug]
        if not read:
            return _error_result(request, "; ".join(bugs)) if bugs else _empty_result(request)
        result = _read_digits(self._models, *map(list, zip(*read)), request)
        return {**result, "message": "; ".join(bugs)}


@cache
def predict_model():
    """The shipped robust model, loaded once: the pad cuts a number with the model ``predict`` cuts with."""
    return load_classifier()


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
    switch = variable_flag(ENV_SWITCH, environ)  # a value outside 1/0, true/false, yes/no, on/off is refused
    if switch is not None:
        return switch
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
