"""The project's user-facing error: one clear line, no traceback."""


class UserFacingError(Exception):
    """An error about the user's input or files, shown as one line.

    IPython calls ``_render_traceback_`` instead of printing a traceback, so a notebook
    cell that raises this shows just the message (and Run All still stops there).
    """

    def _render_traceback_(self):
        return [f"{type(self).__name__}: {self}"]


def first_line(error, limit=160) -> str:
    """The first line of an exception's message, cut to ``limit`` characters (its type's name if it has none)."""
    lines = str(error).strip().splitlines()
    return lines[0][:limit] if lines else type(error).__name__
