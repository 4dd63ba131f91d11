"""``python -m mnist_helpers export [--model PATH | --shipped] [--formats FORMAT ...] [--output DIR]``: a trained
model in formats that run elsewhere, each verified.

Each export is written beside the model (or into ``--output``) under a temporary name, run there on the
10,000 MNIST test digits with the runtime it is meant for, and kept only if its probabilities match the
Keras model's within the tolerance and every answer is the same; the result is printed and recorded in
``<export>.verification.json`` beside it. ``--shipped`` exports every shipped model (``config.MODEL_FOLDERS``).
Keras runs on the TensorFlow backend here, whatever ``KERAS_BACKEND`` says: ONNX and LiteRT need it.

A shipped model's folder (models/robust, outputs/) is written into only with ``--replace-shipped`` (``--shipped``
implies it): ``export`` alone exports the robust model, so it asks for the flag rather than replace what ``predict``
answers with by default.

Exit status: 0 when every export was written and verified; 1 when one failed or did not reproduce its model
(that one is not written); 2 for bad arguments, an unwritable output, a missing package, or a model that is not an
MNIST classifier (784 pixels in, 10 probabilities out): one line on standard error, and nothing written.
"""

import os
import sys
from pathlib import Path

from .._support.errors import UserFacingError
from .._support.settings import output_folder, user_path
from ..config import DEFAULT_MODEL_ROLE, MODEL_FOLDERS, REPLACE_SHIPPED_FLAG, shipped_model, shown_path

EXIT_OK, EXIT_EXPORT_FAILED, EXIT_USAGE = 0, 1, 2
DEFAULT_FORMATS = ("onnx",)
BACKEND = "tensorflow"


def add_parser(subparsers) -> None:
    """Register the ``export`` subcommand; it runs :func:`run`."""
    from ..export.formats import FORMATS

    parser = subparsers.add_parser(
        "export",
        help="export a model to ONNX (and SavedModel, LiteRT), each verified on the MNIST test digits",
        description="Export a saved .keras model for use elsewhere; each export is checked against the model.",
    )
    source = parser.add_mutually_exclusive_group()
    default_model = shown_path(shipped_model(DEFAULT_MODEL_ROLE))
    source.add_argument(
        "--model", metavar="PATH", help=f"saved .keras model (default: the {DEFAULT_MODEL_ROLE} model, {default_model})"
    )
    source.add_argument("--shipped", action="store_true", help=f"every shipped model ({', '.join(MODEL_FOLDERS)})")
    parser.add_argument(
        "--formats",
        nargs="+",
        metavar="FORMAT",
        default=list(DEFAULT_FORMATS),
        help=f"any of {', '.join(FORMATS)} (default: {' '.join(DEFAULT_FORMATS)})",
    )
    parser.add_argument("--output", metavar="DIR", help="folder to write into (default: each model's own folder)")
    parser.add_argument(
        REPLACE_SHIPPED_FLAG,
        action="store_true",
        help="allow writing into a shipped model's folder (models/robust, outputs/); --shipped implies it",
    )
    parser.set_defaults(run=run)


def run(args) -> int:
    """Run ``export`` with parsed arguments; return the exit status."""
    models = [shipped_model(role) for role in MODEL_FOLDERS] if args.shipped else [args.model]
    try:
        return export(models, args.formats, args.output, replace_shipped=args.shipped or args.replace_shipped)
    except UserFacingError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE


def _checked_formats(names) -> list:
    """The formats named, each once, in the order given; refuse an unknown one or one whose package is missing."""
    from ..export.formats import FORMATS

    chosen = []
    for name in names:
        if name not in FORMATS:
            raise UserFacingError(f"formats: unknown format {name!r} (offered: {', '.join(FORMATS)})")
        missing = FORMATS[name].missing_packages()
        if missing:
            raise UserFacingError(f"formats: {name} needs {', '.join(missing)}: pip install {' '.join(missing)}")
        if FORMATS[name] not in chosen:
            chosen.append(FORMATS[name])
    return chosen


def _checked_keras_path(path) -> Path:
    """``path`` (None: the robust model) if it names a ``.keras`` file; an empty, ONNX or other file is refused."""
    path = user_path("--model", path) if path is not None else shipped_model(DEFAULT_MODEL_ROLE)
    if path.suffix != ".keras":
        raise UserFacingError(f"{path}: export reads a saved Keras model (a .keras file), not {path.suffix or 'this'}")
    return path


def _checked_output(folder) -> Path:
    """``folder``, created if needed, once a file can be written there."""
    from .._support.artifacts import prepare_outputs_dir

    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UserFacingError(f"{folder}: exists and is not a folder (--output names the folder to write into)")
    return prepare_outputs_dir(folder)


def _use_tensorflow_backend() -> None:
    """Run Keras on TensorFlow: set before Keras is imported; refuse if it already runs on another backend."""
    if "keras" not in sys.modules:
        os.environ["KERAS_BACKEND"] = BACKEND
        return
    import keras

    backend = keras.backend.backend()
    if backend != BACKEND:
        raise UserFacingError(f"export needs Keras on the {BACKEND} backend; this process runs {backend}")


def export(model_paths, format_names, output=None, replace_shipped=False) -> int:
    """Check everything first, then write and verify each format of each model; return the exit status.

    A shipped model's folder (``config.MODEL_FOLDERS``) is written into only with ``replace_shipped``.
    """
    from ..run_files import check_not_shipped

    formats = _checked_formats(format_names)
    paths = [_checked_keras_path(path) for path in model_paths]
    output = output_folder("--output", output) if output is not None else None
    for folder in [output] if output else {path.parent for path in paths}:
        check_not_shipped(folder, replace_shipped)
    _use_tensorflow_backend()
    from ..export.verification import reference_answers
    from ..model_files import load_classifier

    loaded = []
    for path in paths:
        model = load_classifier(path)
        loaded.append((path, model, reference_answers(model, shown_path(path))))
    for folder in [output] if output else sorted({path.parent for path in paths}):
        _checked_output(folder)
    return _write_exports(loaded, formats, Path(output) if output else None)


def _write_exports(loaded, formats, folder) -> int:
    """Write and verify every format of every ``(path, model, reference)``; print a line each; return the status."""
    from ..export.verification import verification_file
    from ..export.verified_export import ExportFailedError, write_verified_export

    status = EXIT_OK
    for path, model, reference in loaded:
        for export_format in formats:
            target = export_format.locate(folder or path.parent, path.stem)
            try:
                comparison = write_verified_export(model, export_format, target, reference)
            except ExportFailedError as error:
                print(error, file=sys.stderr, flush=True)
                status = EXIT_EXPORT_FAILED
                continue
            print(
                f"wrote {shown_path(target)} ({export_format.name}, run by {export_format.runtime}): against "
                f"{reference.model}, {comparison.describe()}; recorded in {shown_path(verification_file(target))}",
                flush=True,
            )
    return status
