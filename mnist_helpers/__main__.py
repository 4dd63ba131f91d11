"""Command line: ``python -m mnist_helpers COMMAND ...``; ``python -m mnist_helpers COMMAND --help`` for each.

Each command lives in its own module, which provides ``add_parser(subparsers)`` (registering the
subcommand with ``set_defaults(run=run)``) and ``run(args) -> int`` (the exit status). To add a
command, add its module to ``COMMANDS``.
"""

import argparse
import sys

from .cli import export as export_command
from .cli import predict as predict_command
from .cli import train as train_command
from .cli import train_detector as detector_command
from .cli import tune as tune_command

COMMANDS = (predict_command, train_command, export_command, detector_command, tune_command)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, one subcommand per module in ``COMMANDS``."""
    parser = argparse.ArgumentParser(prog="python -m mnist_helpers", description="MNIST classifier helpers.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(subparsers)
    return parser


def main(argv=None) -> int:
    """Parse ``argv`` (default: the command line) and run the chosen command; return the exit status."""
    args = build_parser().parse_args(argv)
    if hasattr(sys.stdout, "reconfigure"):
        sys.stdout.reconfigure(errors="backslashreplace")  # an unencodable character never stops the output
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
