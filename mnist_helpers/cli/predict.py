"""``python -m mnist_helpers predict IMAGE [IMAGE ...] [--model PATH] [--json]``: read your own digit images.

An IMAGE of ``-`` (or ``/dev/stdin``) is read from standard input, when that is a pipe or a file:
``cat digit.png | python -m mnist_helpers predict -``. Folders, named pipes and devices are refused
without being opened, so nothing ever waits on them.

Prints one line per image to standard output: the path, the predicted digit, its confidence and the
top 3, followed by ``  (does not look like a digit: REASON)`` when the image's ink does not look like
handwriting. An image of several digits (a number) gets the number and each digit's confidence. With
``--json`` each line is instead a JSON object (JSON Lines) with the digits and their boxes, failures
included as ``{"path": ..., "error": ...}``. Every failure is also one line on standard error, ``PATH: reason``,
without a traceback. File names are printed with undecodable bytes and control characters
backslash-escaped, so each result is one printable line, printed as soon as its image is read (an interrupted
run keeps every line printed so far). If the reader of standard output goes away (``| head -1``), the remaining
lines are dropped quietly and the exit status is unchanged; if standard output cannot be written (a full disk),
that is one line on standard error and exit status 2. An error nobody expected on one image (a bug) is that
image's failure, saying so, and every other image is still read.

The model is the shipped robust model's ONNX export unless ``--model`` names another: a ``.onnx`` file runs
through ONNX Runtime, without importing TensorFlow or Keras; a ``.keras`` file through Keras. Both print the
same lines, and ``--json`` names the model file that answered.

Exit status: 0 if every image was classified, 1 if any image failed, 2 for a usage error, a missing
or unreadable model or an unwritable standard output; 130 and 143 after Ctrl-C and SIGTERM.
"""

import json
import sys

from .._support.errors import UserFacingError
from ..config import DEFAULT_MODEL_ROLE, shipped_onnx_model, shown_path

EXIT_OK, EXIT_IMAGE_FAILED, EXIT_USAGE = 0, 1, 2


def add_parser(subparsers) -> None:
    """Add the ``predict`` subcommand to an argparse ``subparsers`` object; it runs :func:`run`."""
    predict = subparsers.add_parser(
        "predict",
        help="classify images of handwritten digits",
        description="Classify your own digit images (any size, dark-on-light or light-on-dark, PNG/JPEG/BMP...).",
    )
    predict.add_argument(
        "images", nargs="+", metavar="IMAGE", help="image files, one digit or number each (-: standard input)"
    )
    default_model = shown_path(shipped_onnx_model(DEFAULT_MODEL_ROLE))
    predict.add_argument(
        "--model",
        metavar="PATH",
        help=f"saved .onnx or .keras model (default: the {DEFAULT_MODEL_ROLE} model, {default_model})",
    )
    predict.add_argument("--json", action="store_true", help="print one JSON object per image (JSON Lines)")
    predict.set_defaults(run=run)


def run(args) -> int:
    """Run ``predict`` with parsed arguments; return the exit status."""
    return run_predict(args.images, args.model, args.json)


def run_predict(images, model_path=None, as_json=False) -> int:
    """Read every digit of ``images``, printing each image's line as soon as it is read; return the exit status.

    ``model_path`` None means the default model; an empty one is refused, as is any path that is not a model.
    """
    from .._support.settings import user_path
    from ..model_files import default_model_path, load_classifier
    from ..own_digits.classify import FailedImage
    from ..own_digits.not_a_digit import shipped_detector
    from ..own_digits.reading import format_reading, iter_readings, reading_record

    try:
        path = default_model_path() if model_path is None else user_path("--model", model_path)
        model = load_classifier(path)
        shipped_detector()  # loaded now, so that a missing detector is one line before any image is read
    except UserFacingError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    status = EXIT_OK
    for result in iter_readings(model, images):
        if isinstance(result, FailedImage):
            print(result.message, file=sys.stderr, flush=True)
            status = EXIT_IMAGE_FAILED
        if as_json:
            print(json.dumps({**reading_record(result), "model": str(shown_path(path))}), flush=True)
        elif not isinstance(result, FailedImage):
            print(format_reading(result), flush=True)
    return status
