"""Command line: ``python -m mnist_helpers COMMAND ...``; ``python -m mnist_helpers COMMAND --help`` for each.

Each command lives in its own module, which provides ``add_parser(subparsers)`` (registering the
subcommand with ``set_defaults(run=run)``) and ``run(args) -> int`` (the exit status). To add a
command, add its module to ``COMMANDS``.
"""

import argparse
import sys

from ._support.console import Stopped, command_edges, say
from ._support.errors import UserFacingError, bug_line
from .cli import committee as committee_command
from .cli import export as export_command
from .cli import predict as predict_command
from .cli import train as train_command
from .cli import train_detector as detector_command
from .cli import tune as tune_command

COMMANDS = (predict_command, train_command, export_command, committee_command, detector_command, tune_command)
EXIT_BUG, EXIT_USAGE = 1, 2


def build_parser() -> argparse.ArgumentParser:
    """The argument parser, one subcommand per module in ``COMMANDS``."""
    parser = argparse.ArgumentParser(prog="python -m mnist_helpers", description="MNIST classifier helpers.")
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for command in COMMANDS:
        command.add_parser(subparsers)
    return parser


def main(argv=None) -> int:
    """Parse ``argv`` (default: the command line) and run the chosen command; return the exit status.

    Whatever happens it ends in one line on standard error at most: Ctrl-C and SIGTERM with 130 and 143 (every
    temporary file removed on the way out), standard output that cannot be written or an error about the user's
    input with 2, and an error nobody expected (a bug) with 1.
    """
    command = "python -m mnist_helpers"
    with command_edges():
        try:
            args = build_parser().parse_args(argv)
            command = f"{command} {args.command}"
            if hasattr(sys.stdout, "reconfigure"):
                sys.stdout.reconfigure(errors="backslashreplace")  # an unencodable character never stops the output
            return args.run(args)
        except Stopped as stop:
            say(f"{command}: {stop}, stopped")
            return stop.status
        except UserFacingError as error:
            say(error)
            return EXIT_USAGE
        except Exception as error:
            say(bug_line(command, error))
            return EXIT_BUG


if __name__ == "__main__":
    sys.exit(main())
