"""The project's user-facing error: one clear line, no traceback."""

import traceback
from pathlib import Path

PACKAGE = Path(__file__).parents[1].name  # mnist_helpers


def printable(text: str) -> str:
    """``text`` safe to print on one line of any terminal or strict UTF-8 stream.

    Undecodable file-name bytes (held as surrogates by ``os.fsdecode``) become ``\\xff`` escapes and
    control characters (newline, tab, terminal escapes) their backslash form; other text is unchanged.
    """
    text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


class UserFacingError(Exception):
    """An error about the user's input or files, shown as one line: whatever a file or argument name holds
    (a newline, a terminal escape), the message is printed escaped (:func:`printable`).

    IPython calls ``_render_traceback_`` instead of printing a traceback, so a notebook
    cell that raises this shows just the message (and Run All still stops there).
    """

    def __init__(self, message="", *rest):
        super().__init__(printable(str(message)), *rest)

    def _render_traceback_(self):
        return [f"{type(self).__name__}: {self}"]


def first_line(error, limit=160) -> str:
    """The first line of an exception's message, cut to ``limit`` characters (its type's name if it has none)."""
    lines = str(error).strip().splitlines()
    return lines[0][:limit] if lines else type(error).__name__


def bug_line(subject, error) -> str:
    """One line for an exception nobody expected while working on ``subject`` (a file name): where it happened,
    what it says, and that it is a bug to report. The other items of a batch still get their answers."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if PACKAGE in Path(frame.filename).parts] or frames  # our line, not numpy's
    where = f", at {Path(ours[-1].filename).name}:{ours[-1].lineno}" if ours else ""
    return (
        f"{subject}: failed on an unexpected error ({type(error).__name__}: {first_line(error)}{where}); "
        "this is a bug, please report it"
    )
