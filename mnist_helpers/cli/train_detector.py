"""``python -m mnist_helpers train-detector``: generate the detector's examples, train it, ship its files."""

from pathlib import Path

from .. import config
from .._support.errors import UserFacingError

EXIT_OK, EXIT_USAGE = 0, 2


def add_parser(subparsers) -> None:
    """Register the ``train-detector`` subcommand."""
    parser = subparsers.add_parser(
        "train-detector",
        help="train the not-a-digit detector and save it (.keras, verified .onnx, .json)",
        description="Generate non-digits and real digits, prepared as predict prepares images, and train the "
        "network that tells them apart.",
    )
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--per-kind", type=int, default=3000, help="images of each non-digit kind (default 3000)")
    parser.add_argument("--per-source", type=int, default=4000, help="images of each real-digit source (default 4000)")
    parser.add_argument(
        "--output", type=Path, default=config.DETECTOR_FILE.parent, help="folder (default: models/detector)"
    )
    parser.set_defaults(run=run)


def run(args) -> int:
    """Train and save; return the exit status."""
    import sys

    from ..detector.training import save_detector, train_detector

    if min(args.per_kind, args.per_source) < 10:
        print(UserFacingError("per-kind and per-source: at least 10 images each"), file=sys.stderr)
        return EXIT_USAGE
    model, record = train_detector(args.seed, args.per_kind, args.per_source)
    for path in save_detector(model, record, args.output):
        print(f"wrote {config.shown_path(path)}")
    print(f"held out: {record['held_out']}")
    return EXIT_OK
