"""Open a file a user named, or say in a few words what it is instead: missing, a folder, a pipe, locked, too large.

Every reader of a user's file (images, models, the MNIST data) opens it here. The path is looked at
with ``os.stat`` inside the error handling, anything but a regular file is refused without being
opened (a named pipe would block forever), and the open itself cannot block either (``O_NONBLOCK``)
and is checked again (``fstat``), so a path swapped for a pipe in between is refused too. A name
in ``STANDARD_INPUT_NAMES`` reads standard input when it is a pipe or a file, never a terminal.
"""

import errno
import io
import os
import stat
import sys
import zipfile
from pathlib import Path

from .errors import UserFacingError, printable

STANDARD_INPUT_NAMES = ("-", "/dev/stdin", "/dev/fd/0", "/proc/self/fd/0")
SPECIAL_FILES = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)
OPEN_FLAGS = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class UnusableFile(UserFacingError):
    """A path that cannot be read as the file it should be; the message is ``NAME: reason``."""

    def __init__(self, name, reason, missing=False):
        super().__init__(f"{name}: {reason}")
        self.missing = missing  # nothing at all is there (callers may say how to make one)


def printable_name(name: str) -> str:
    """``name`` safe to print on one line (see :func:`.errors.printable`)."""
    return printable(name)


def _is_standard_input(path) -> bool:
    """Whether ``path`` names standard input (``-`` or ``/dev/stdin``)."""
    return str(path) in STANDARD_INPUT_NAMES


def open_user_file(path, what="a file", max_bytes=None):
    """``path`` opened for binary reading, checked to be a regular file of at most ``max_bytes``; else ``UnusableFile``.

    ``what`` names what the file should be in messages ("is a directory, not an image file").
    Standard input (see ``_is_standard_input``) is read whole, up to ``max_bytes``, into memory.
    """
    if _is_standard_input(path):
        return _read_standard_input(str(path), max_bytes)
    if isinstance(path, str | bytes) and not path:  # Path("") would be the current folder
        raise UnusableFile('""', f"an empty file name, not {what}")
    path, name = Path(path), printable_name(str(path))
    _check_regular_file(os_stat(path, name), name, what, max_bytes)
    try:
        descriptor = os.open(path, OPEN_FLAGS)
    except OSError as error:
        raise UnusableFile(name, _open_failure(error)) from None
    handle = os.fdopen(descriptor, "rb")
    try:
        _check_regular_file(os.fstat(descriptor), name, what, max_bytes)  # the path may have changed since
    except BaseException:
        handle.close()
        raise
    return handle


def check_user_file(path, what="a file", max_bytes=None) -> None:
    """Check that ``path`` can be opened as ``open_user_file`` would, without keeping it open."""
    open_user_file(path, what, max_bytes).close()


def os_stat(path: Path, name: str) -> os.stat_result:
    """``os.stat(path)``, or ``UnusableFile`` saying why there is no file to look at."""
    try:
        return os.stat(path)
    except OSError as error:
        raise UnusableFile(name, stat_failure(path, error), missing=error.errno == errno.ENOENT) from None
    except ValueError:  # an embedded NUL byte
        raise UnusableFile(name, "not a valid file name (it contains a NUL byte)") from None


def _check_regular_file(status: os.stat_result, name, what, max_bytes) -> None:
    """Refuse, by name, a folder, a special file, an empty file or one over ``max_bytes``."""
    if stat.S_ISDIR(status.st_mode):
        raise UnusableFile(name, f"is a directory, not {what}")
    for is_kind, kind in SPECIAL_FILES:
        if is_kind(status.st_mode):
            raise UnusableFile(name, f"not a regular file ({kind})")
    if status.st_size == 0:
        raise UnusableFile(name, "empty file (0 bytes)")
    if max_bytes is not None and status.st_size > max_bytes:
        raise UnusableFile(name, f"file too large ({status.st_size:,} bytes; the limit is {max_bytes:,})")


def stat_failure(path: Path, error: OSError) -> str:
    """Why ``os.stat`` found no file at ``path``, naming the folder or link at fault where there is one."""
    if error.errno == errno.EACCES:
        locked = _first_locked_folder(path)
        return f"cannot enter the folder {printable_name(str(locked))} (permission denied)" if locked else "no access"
    if error.errno == errno.ENOTDIR:
        blocker = _first_non_folder(path)
        return f"{printable_name(str(blocker))} is a file, not a folder" if blocker else "a part of it is not a folder"
    if error.errno == errno.ENOENT and os.path.islink(path):
        return f"a broken symbolic link (to {printable_name(os.readlink(path))}, which does not exist)"
    if error.errno == errno.ENOENT:
        return "no such file"
    if error.errno == errno.ELOOP:
        return "a loop of symbolic links"
    if error.errno == errno.ENAMETOOLONG:
        return "file name too long"
    return f"cannot look at the file ({error.strerror or error})"


def _open_failure(error: OSError) -> str:
    """Why a regular file that exists could not be opened."""
    if error.errno == errno.EACCES:
        return "cannot read the file (permission denied)"
    return f"cannot open the file ({error.strerror or error})"


def _first_locked_folder(path: Path):
    """The outermost folder on ``path`` that cannot be entered (searched), or None."""
    for folder in reversed(path.parents):
        try:
            os.stat(os.path.join(folder, "."))
        except PermissionError:
            return folder
        except OSError:
            return None
    return None


def _first_non_folder(path: Path):
    """The outermost part of ``path`` that exists and is not a folder, or None."""
    for part in reversed(path.parents):
        try:
            if not stat.S_ISDIR(os.stat(part).st_mode):
                return part
        except OSError:
            return None
    return None


def _read_standard_input(name, max_bytes=None) -> io.BytesIO:
    """All of standard input (a pipe or a file, at most ``max_bytes``) as an in-memory binary file."""
    stream = getattr(sys.stdin, "buffer", None)
    try:
        descriptor = stream.fileno()
        status = os.fstat(descriptor)
    except (AttributeError, OSError, ValueError):
        raise UnusableFile(name, "standard input is closed") from None
    if os.isatty(descriptor):
        raise UnusableFile(name, "standard input is a terminal; pipe an image in (cat digit.png | ...)")
    if not (stat.S_ISREG(status.st_mode) or stat.S_ISFIFO(status.st_mode) or stat.S_ISSOCK(status.st_mode)):
        raise UnusableFile(name, "standard input is a device, not a file or a pipe")
    data = stream.read(-1 if max_bytes is None else max_bytes + 1)
    if not data:
        raise UnusableFile(name, "standard input is empty (0 bytes)")
    if max_bytes is not None and len(data) > max_bytes:
        raise UnusableFile(name, f"standard input too large (more than {max_bytes:,} bytes)")
    return io.BytesIO(data)


def zip_archive_problem(handle, max_entries, max_unpacked_bytes):
    """Why the open zip ``handle`` is not a readable, bounded archive (in a few words), or None if it is.

    Read from the archive's directory alone, in milliseconds: a zip bomb declares its huge sizes there,
    and Python's ``zipfile`` never unpacks an entry past its declared size.
    """
    try:
        with zipfile.ZipFile(handle) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return "not a readable zip archive (corrupt or truncated?)"
    unpacked = sum(entry.file_size for entry in entries)
    if len(entries) > max_entries:
        return f"a zip archive of {len(entries):,} files; the limit is {max_entries:,}"
    if unpacked > max_unpacked_bytes:
        return f"unpacks to {unpacked:,} bytes; the limit is {max_unpacked_bytes:,} (a zip bomb?)"
    return None
