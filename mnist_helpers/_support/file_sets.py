"""Write a set of files into a folder as one: a write killed at any moment leaves the previous set or the new one.

Each file on its own can be replaced atomically, a set of them cannot: killed between two files, a folder
would hold a new model beside the previous run's metrics. So the set is written into a fresh hidden folder
beside the target, ``.NAME.new-PID-HEX``, with whatever else the target holds (files the set does not
replace) hard-linked in, and that folder then takes the target's place in one step: Linux's
``renameat2(RENAME_EXCHANGE)`` swaps the two, and the previous content, now under the hidden name, is
removed. Where the system cannot swap, two renames do it (the previous content first moves to
``.NAME.old-PID-HEX``), and a write killed between them is finished by the next write.

The next write also removes the leftovers of killed ones: hidden folders of processes no longer running.
"""

import contextlib
import ctypes
import errno
import os
import re
import secrets
import shutil
from pathlib import Path

from .artifacts import OutputWriteError, is_running, is_temporary_name
from .user_files import stat_failure

AT_FDCWD, RENAME_EXCHANGE = -100, 2  # from Linux's <fcntl.h> and <linux/fs.h>
CANNOT_EXCHANGE = {errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV}


def write_file_set(folder, writers: dict, replaces=None) -> list:
    """Write ``writers`` (file name -> function writing that file to a path) into ``folder`` as one set.

    Files already in ``folder`` are kept unless ``replaces(name)`` says the set replaces them (default: the
    names in ``writers``). Returns the written paths; an ``OSError`` is an ``OutputWriteError`` naming the folder.
    """
    folder = Path(os.path.realpath(folder))
    replaces = replaces or writers.__contains__
    tag = f"{os.getpid()}-{secrets.token_hex(4)}"
    fresh = _hidden_sibling(folder, "new", tag)
    try:
        finish_killed_writes(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        os.mkdir(fresh, 0o777)  # the umask applies, as to any new folder
        if folder.is_dir():
            shutil.copymode(folder, fresh)
            for entry in os.scandir(folder):
                if not replaces(entry.name) and not is_temporary_name(entry.name):
                    _carry_over(entry, fresh / entry.name)
        for name, write in writers.items():
            write(fresh / name)
        _take_place(fresh, folder, _hidden_sibling(folder, "old", tag))
    except BaseException as error:
        shutil.rmtree(fresh, ignore_errors=True)
        if isinstance(error, OSError) and not isinstance(error, OutputWriteError):
            raise OutputWriteError(f"{folder}: cannot write the run there ({error.strerror or error})") from None
        raise
    return [folder / name for name in writers]


def _hidden_sibling(folder: Path, role: str, tag: str) -> Path:
    """The hidden name beside ``folder`` of one write's ``role`` (new, old, probe): ``.NAME.ROLE-PID-HEX``."""
    return folder.parent / f".{folder.name}.{role}-{tag}"


def leftovers(folder: Path) -> list:
    """The hidden siblings of ``folder`` left by writes whose process is no longer running, as (path, role, tag)."""
    pattern = re.compile(rf"\.{re.escape(folder.name)}\.(new|old|probe)-((\d+)-[0-9a-f]+)")
    found = []
    with contextlib.suppress(FileNotFoundError, NotADirectoryError):
        for entry in os.scandir(folder.parent):
            match = pattern.fullmatch(entry.name)
            if match and not is_running(int(match[3])):
                found.append((Path(entry.path), match[1], match[2]))
    return found


def finish_killed_writes(folder: Path) -> None:
    """Put a set back in place if a write was killed between its two renames, then remove every leftover."""
    found = leftovers(folder)
    by_role = {(role, tag): path for path, role, tag in found}
    begun = [tag for role, tag in by_role if role == "old"]  # the swap had begun, so its new set was complete
    if begun and not os.path.lexists(folder):
        os.rename(by_role.get(("new", begun[0])) or by_role["old", begun[0]], folder)
    for path, _, _ in found:
        if os.path.lexists(path):
            shutil.rmtree(path)


def _carry_over(entry: os.DirEntry, target: Path) -> None:
    """A file or folder the set does not replace, hard-linked into the new folder (copied where links are refused)."""
    if entry.is_symlink():
        os.symlink(os.readlink(entry.path), target)
    elif entry.is_dir():
        shutil.copytree(entry.path, target, symlinks=True, copy_function=_link_or_copy)
    else:
        _link_or_copy(entry.path, target)


def _link_or_copy(source, target) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system, protected hard links, or no hard links at all
        shutil.copy2(source, target)


def _take_place(fresh: Path, folder: Path, previous: Path) -> None:
    """Move the complete ``fresh`` folder to ``folder``: in one step where the system can swap, else by two renames."""
    if not os.path.lexists(folder):
        os.rename(fresh, folder)
    elif exchange(fresh, folder):
        shutil.rmtree(fresh)  # now the previous content
    else:
        os.rename(folder, previous)
        os.rename(fresh, folder)
        shutil.rmtree(previous)


def exchange(first: Path, second: Path) -> bool:
    """Swap two paths in one step (Linux ``renameat2``); False where the system or file system cannot."""
    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in CANNOT_EXCHANGE:
        return False
    raise OSError(code, os.strerror(code), str(second))


def check_set_folder(folder, replaces) -> Path:
    """Check, before any work and without creating anything, that a set can be written into ``folder``.

    ``folder`` must be missing, or a folder holding nothing but files the set replaces (``replaces(name)``):
    swapping a folder that holds anything else (a project, a home folder) is not a run's business. Its
    parent, or the nearest folder that exists above it, must let a folder be created. Leftovers of killed
    writes are removed. Returns ``folder``; refusals are an ``OutputWriteError`` naming it.
    """
    folder = Path(folder)
    try:
        status = os.stat(folder)
    except FileNotFoundError:
        status = None
    except OSError as error:
        raise OutputWriteError(f"{folder}: {stat_failure(folder, error)}") from None
    if status is not None and not folder.is_dir():
        raise OutputWriteError(f"{folder}: exists and is not a folder (set MNIST_OUTPUTS to a folder)")
    try:
        finish_killed_writes(Path(os.path.realpath(folder)))
        others = sorted(name for name in os.listdir(folder) if not replaces(name)) if status else []
        _probe_folder_creation(Path(os.path.realpath(folder)))
    except OSError as error:
        raise OutputWriteError(f"{folder}: cannot write the run there ({error.strerror or error})") from None
    if others:
        shown = ", ".join(others[:3]) + (f" and {len(others) - 3} more" if len(others) > 3 else "")
        raise OutputWriteError(
            f"{folder}: holds files that are not a run's ({shown}); a run replaces its folder's files as one set, "
            "so give it a folder of its own"
        )
    return folder


def _probe_folder_creation(folder: Path) -> None:
    """Create and remove a hidden folder where ``write_file_set`` would create its own; ``OSError`` if it cannot."""
    above = folder.parent
    while not above.exists():
        above = above.parent
    probe = _hidden_sibling(above / folder.name, "probe", f"{os.getpid()}-{secrets.token_hex(4)}")
    os.mkdir(probe)
    os.rmdir(probe)
