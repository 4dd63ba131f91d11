"""``python -m mnist_helpers train-detector``: generate the detector's examples, train it, ship its files."""

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
    parser.add_argument("--seed", default="0", help="random seed (default 0)")
    parser.add_argument("--per-kind", default="3000", help="images of each non-digit kind (default 3000)")
    parser.add_argument("--per-source", default="4000", help="images of each real-digit source (default 4000)")
    parser.add_argument(
        "--leave-out", nargs="+", default=[], metavar="FAMILY",
        help="train without these families of examples, to measure the detector on one it never saw (a non-digit "
        "kind such as 'scribbles' or a real-digit source such as 'pen'; a wrong name lists them all)",
    )  # fmt: skip
    parser.add_argument(
        "--output", default=str(config.DETECTOR_FILE.parent), help="folder (default: models/detector, the shipped one)"
    )
    parser.add_argument(
        config.REPLACE_SHIPPED_FLAG,
        action="store_true",
        help="allow --output to be the shipped detector's folder (the default): replace the detector predict uses",
    )
    parser.set_defaults(run=run)


def run(args) -> int:
    """Check the arguments, train and save; return the exit status."""
    import sys

    from .._support.settings import output_folder
    from ..recipe import checked_seed, whole
    from ..run_files import check_not_shipped

    try:
        seed, per_kind = checked_seed(args.seed), whole(low=10)("per-kind", args.per_kind)
        per_source = whole(low=10)("per-source", args.per_source)
        folder = output_folder("--output", args.output)
        check_not_shipped(folder, args.replace_shipped)
        left_out = checked_families(args.leave_out)
    except UserFacingError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    from ..detector.training import save_detector, train_detector

    model, record = train_detector(seed, per_kind, per_source, leave_out=left_out)
    for path in save_detector(model, record, folder):
        print(f"wrote {config.shown_path(path)}")
    print(f"held out: {record['held_out']}")
    return EXIT_OK


def checked_families(names) -> list:
    """``names`` as families the detector's examples have, or a one-line error listing them."""
    from ..detector.examples import LEAVABLE

    unknown = [name for name in names if name not in LEAVABLE]
    if unknown:
        raise UserFacingError(
            f"--leave-out: no such family: {', '.join(map(repr, unknown))} (families: {', '.join(map(repr, LEAVABLE))})"
        )
    return list(dict.fromkeys(names))
