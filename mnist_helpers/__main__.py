"""Command line: ``python -m mnist_helpers predict IMAGE [IMAGE ...] [--model PATH] [--json]``.

Prints one line per image to standard output: the path, the predicted digit, its confidence and
the top 3. With ``--json`` each line is instead a JSON object (JSON Lines), failures included as
``{"path": ..., "error": ...}``. Every failure is also one line on standard error, ``PATH: reason``,
without a traceback. Exit status: 0 if every image was classified, 1 if any image failed, 2 for a usage
error or a missing or unreadable model.
"""

import argparse
import json
import sys

from .errors import UserFacingError

EXIT_OK, EXIT_IMAGE_FAILED, EXIT_USAGE = 0, 1, 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, with the ``predict`` subcommand."""
    parser = argparse.ArgumentParser(prog="python -m mnist_helpers", description="MNIST classifier helpers.")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    predict = commands.add_parser(
        "predict",
        help="classify images of handwritten digits",
        description="Classify your own digit images (any size, dark-on-light or light-on-dark, PNG/JPEG/BMP...).",
    )
    predict.add_argument("images", nargs="+", metavar="IMAGE", help="image files, one digit each")
    predict.add_argument("--model", metavar="PATH", help="saved .keras model (default: outputs/mnist_mlp.keras)")
    predict.add_argument("--json", action="store_true", help="print one JSON object per image (JSON Lines)")
    return parser


def run_predict(images, model_path=None, as_json=False) -> int:
    """Classify ``images`` and print the results; return the exit status."""
    from .predict import FailedImage, classify_images, format_prediction, load_classifier, prediction_record

    try:
        model = load_classifier(model_path)
    except UserFacingError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    results = classify_images(model, images)
    for result in results:
        if isinstance(result, FailedImage):
            print(result.message, file=sys.stderr)
        if as_json:
            print(json.dumps(prediction_record(result)), flush=True)
        elif not isinstance(result, FailedImage):
            print(format_prediction(result), flush=True)
    return EXIT_IMAGE_FAILED if any(isinstance(result, FailedImage) for result in results) else EXIT_OK


def main(argv=None) -> int:
    """Parse ``argv`` (default: the command line) and run the chosen command; return the exit status."""
    args = build_parser().parse_args(argv)
    return run_predict(args.images, args.model, args.json)


if __name__ == "__main__":
    sys.exit(main())
