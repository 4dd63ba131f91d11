"""What every command shares at its edges: standard streams that fail in one line, and Ctrl-C or SIGTERM ending it in
one line with the conventional exit status (130, 143) after every temporary file is removed.

A signal becomes an exception (:class:`Stopped`, a ``KeyboardInterrupt``) raised where the program is, so every
``with`` block that writes a file (``artifacts.atomic_path``, ``file_sets.write_file_set``) removes its temporary
as it unwinds; a second signal while it does is ignored. Standard output is wrapped so that a full disk
(``> /dev/full``) is one line on standard error, and a reader that has gone (``| head -1``) drops the remaining
lines quietly. A closed standard stream (``2>&-``) is reopened on the null device first, so that no message meant
for standard error, and no file the program opens, takes its place.
"""

import contextlib
import fcntl
import os
import signal
import sys

from .errors import UserFacingError

SIGNAL_STATUS = {signal.SIGINT: 130, signal.SIGTERM: 143}  # 128 + the signal's number, as shells report it
SIGNAL_WORDS = {signal.SIGINT: "interrupted (Ctrl-C)", signal.SIGTERM: "terminated (SIGTERM)"}


class Stopped(KeyboardInterrupt):
    """Ctrl-C or SIGTERM, raised where the program was; ``status`` is the exit status to end with."""

    def __init__(self, signum):
        super().__init__(SIGNAL_WORDS[signum])
        self.status = SIGNAL_STATUS[signum]


_HELD = {"holding": 0, "signals": []}  # while a block holds stops (hold_stops), the signals that arrived


class OutputStreamError(UserFacingError):
    """Standard output cannot be written (a full disk, a device error)."""


def reopen_closed_streams() -> None:
    """Point a standard descriptor that is closed, or open the wrong way (``2>&-`` under a shell wrapper can leave
    descriptor 2 on a file opened for reading), at the null device; ``sys.stdout``/``sys.stderr`` likewise where
    Python found them closed (``print(file=None)`` would otherwise write to standard output)."""
    for descriptor, wanted in ((0, os.O_RDONLY), (1, os.O_WRONLY), (2, os.O_WRONLY)):
        try:
            mode = fcntl.fcntl(descriptor, fcntl.F_GETFL) & os.O_ACCMODE
        except OSError:
            mode = None
        if mode not in (wanted, os.O_RDWR):
            opened = os.open(os.devnull, os.O_RDWR)
            if opened != descriptor:
                os.dup2(opened, descriptor)
                os.close(opened)
    for name in ("stdout", "stderr"):
        if getattr(sys, name) is None:
            setattr(sys, name, open(os.devnull, "w"))  # it lives as long as the process


class _CheckedOutput:
    """A standard stream whose write errors are one ``OutputStreamError`` (for standard output; a closed pipe: silence)
    or dropped (standard error: nowhere is left to say so); everything else is delegated."""

    def __init__(self, stream, descriptor):
        self._stream, self._descriptor, self._gone = stream, descriptor, False

    def __getattr__(self, name):
        return getattr(self._stream, name)

    def write(self, text):
        return self._guarded(self._stream.write, text)

    def flush(self):
        return self._guarded(self._stream.flush)

    def _guarded(self, call, *arguments):
        if self._gone:
            return len(arguments[0]) if arguments else None
        try:
            return call(*arguments)
        except OSError as error:
            self._gone = True
            _discard(self._descriptor)
            if self._descriptor == 2 or isinstance(error, BrokenPipeError):  # the reader left, as Python advises
                return len(arguments[0]) if arguments else None
            raise OutputStreamError(f"standard output: cannot write ({error.strerror or error})") from None


def _discard(descriptor) -> None:
    """Point ``descriptor`` at the null device, so that what is still buffered is dropped, not an error at exit."""
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, descriptor)
        os.close(devnull)


@contextlib.contextmanager
def command_edges():
    """Inside the block: standard streams checked (see the module's docstring), Ctrl-C and SIGTERM raise
    :class:`Stopped`. Both are put back as they were afterwards."""
    reopen_closed_streams()
    saved = sys.stdout, sys.stderr
    sys.stdout, sys.stderr = _CheckedOutput(sys.stdout, 1), _CheckedOutput(sys.stderr, 2)
    stopping = []

    def stop(signum, frame):
        if stopping:  # already unwinding: let the clean-up finish
            return
        stopping.append(signum)
        if _HELD["holding"]:  # raised at the block's next safe point (raise_held_stop)
            _HELD["signals"].append(signum)
            return
        raise Stopped(signum)

    try:
        previous = {signum: signal.signal(signum, stop) for signum in SIGNAL_STATUS}
    except ValueError:  # not the main thread, where only Python's own KeyboardInterrupt can arrive
        previous = {}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        sys.stdout, sys.stderr = saved


@contextlib.contextmanager
def hold_stops():
    """Inside the block, Ctrl-C and SIGTERM wait for :func:`raise_held_stop` (or the block's end) instead of raising
    where the program is. Training holds them: raised inside TensorFlow's running step, Ctrl-C could abort the
    process with a corrupted heap (``free(): invalid next size``) before the one-line message."""
    _HELD["holding"] += 1
    try:
        yield
        raise_held_stop()
    finally:
        _HELD["holding"] -= 1


def raise_held_stop() -> None:
    """Raise :class:`Stopped` for a signal that arrived while stops were held (at most once)."""
    if _HELD["signals"]:
        raise Stopped(_HELD["signals"].pop())


def say(line) -> None:
    """Print one line to standard error (never to standard output, whatever happened to the streams)."""
    if sys.stderr is not None:
        with contextlib.suppress(OSError, ValueError):
            print(line, file=sys.stderr, flush=True)
