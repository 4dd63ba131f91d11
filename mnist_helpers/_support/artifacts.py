"""Write run artifacts atomically: a crash mid-write never leaves a half-written file or folder."""

import contextlib
import csv
import json
import os
import re
import secrets
import shutil
import stat
import tempfile
from pathlib import Path

from .errors import UserFacingError
from .user_files import stat_failure

# What atomic_path and atomic_folder write into before renaming: ".NAME-PID-HEX.SUFFIX" (".NAME-HEX.SUFFIX" before
# the writer's process id was part of it).
TEMPORARY_NAME = re.compile(r"\..+-(?:\d+-)?[0-9a-f]{12}(\.[^.]*)?")


class OutputWriteError(UserFacingError):
    """An output folder or file cannot be written; the message names it."""


def prepare_outputs_dir(folder) -> Path:
    """Create ``folder`` if needed and check a file can be written there, before a run trains or writes anything."""
    folder = Path(folder)
    try:
        is_folder = stat.S_ISDIR(os.stat(folder).st_mode)
    except FileNotFoundError:
        is_folder = True  # made below
    except OSError as error:
        raise OutputWriteError(f"{folder}: {stat_failure(folder, error)}") from None
    if not is_folder:
        raise OutputWriteError(f"{folder}: exists and is not a folder (set MNIST_OUTPUTS to a folder)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise OutputWriteError(f"{folder}: cannot write to the outputs folder ({error.strerror or error})") from None
    return folder


def is_temporary_name(name: str) -> bool:
    """Whether ``name`` is one of ``atomic_path``'s temporary files (left behind only by a killed process)."""
    return TEMPORARY_NAME.fullmatch(name) is not None


def _temporary_sibling(path: Path, stem: str, suffix: str) -> Path:
    """Where a write of ``path`` goes first: ``.STEM-PID-HEX.SUFFIX`` beside it (the process id tells a killed
    writer's leftover from a running one's)."""
    return path.parent / f".{stem}-{os.getpid()}-{secrets.token_hex(6)}{suffix}"


def clear_killed_writes(path: Path, stem: str, suffix: str) -> None:
    """Remove the temporaries of ``path`` that writers killed outright (``kill -9``, a power cut) left beside it."""
    pattern = re.compile(rf"\.{re.escape(stem)}-(\d+)-[0-9a-f]{{12}}{re.escape(suffix)}")
    with contextlib.suppress(OSError):
        for entry in os.scandir(path.parent):
            match = pattern.fullmatch(entry.name)
            if match and not is_running(int(match[1])):
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.remove(entry.path)


def is_running(pid: int) -> bool:
    """Whether a process ``pid`` exists (it may belong to another user)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path next to ``path``; rename it over ``path`` only on success (an exception, Ctrl-C or
    SIGTERM included, removes it; a writer's killed outright is removed by the next write of ``path``)."""
    path = Path(path)
    temporary = _temporary_sibling(path, path.stem, path.suffix)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        clear_killed_writes(path, path.stem, path.suffix)
        # Created like a plain open() would (mode 0o666 less the umask); mkstemp would make it owner-only.
        os.close(os.open(temporary, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o666))
    except OSError as error:
        raise OutputWriteError(f"{path}: cannot write ({error.strerror or error})") from None
    try:
        yield Path(temporary)
        os.replace(temporary, path)
    except BaseException as error:
        with contextlib.suppress(FileNotFoundError):
            os.remove(temporary)
        if isinstance(error, OSError) and not isinstance(error, UserFacingError):
            raise OutputWriteError(f"{path}: cannot write ({error.strerror or error})") from None
        raise


@contextlib.contextmanager
def atomic_folder(path):
    """Yield a new empty folder next to ``path``; on success it takes the place of ``path`` (and of any folder
    there before), else it is removed."""
    path = Path(path)
    temporary = _temporary_sibling(path, path.name, "")
    try:
        clear_killed_writes(path, path.name, "")
        if path.exists() and not path.is_dir():
            raise OutputWriteError(f"{path}: exists and is not a folder")
        temporary.mkdir(parents=True)
    except OSError as error:
        raise OutputWriteError(f"{path}: cannot write ({error.strerror or error})") from None
    try:
        yield temporary
        _replace_folder(temporary, path)
    except BaseException as error:
        shutil.rmtree(temporary, ignore_errors=True)
        if isinstance(error, OSError) and not isinstance(error, UserFacingError):
            raise OutputWriteError(f"{path}: cannot write ({error.strerror or error})") from None
        raise


def _replace_folder(source: Path, target: Path) -> None:
    """Rename ``source`` to ``target``; a folder already there is moved aside first and removed after."""
    if not target.exists():
        os.rename(source, target)
        return
    old = target.parent / f".{target.name}-old-{secrets.token_hex(6)}"
    os.rename(target, old)
    try:
        os.rename(source, target)
    except OSError:
        os.rename(old, target)
        raise
    shutil.rmtree(old, ignore_errors=True)


def write_json(data, path) -> None:
    """Write ``data`` as indented JSON (in place: see ``save_json`` for an atomic write)."""
    Path(path).write_text(json.dumps(data, indent=2) + "\n")


def write_history_csv(history: dict, path) -> None:
    """Write a Keras history dict as CSV, one row per epoch, numbered from 1 unless it has its own ``epoch`` column
    (in place: see ``save_history_csv``)."""
    if "epoch" not in history:
        history = {"epoch": range(1, 1 + len(next(iter(history.values()), []))), **history}
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(list(history))
        writer.writerows(zip(*history.values()))


def read_history_csv(path) -> dict:
    """A history CSV written by ``write_history_csv``, back as a column -> per-epoch values dict (without ``epoch``)."""
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    names = [name for name in (rows[0] if rows else {}) if name != "epoch"]
    return {name: [float(row[name]) for row in rows] for name in names}


def save_json(data, path) -> Path:
    """Write ``data`` as indented JSON, atomically."""
    with atomic_path(path) as temporary:
        write_json(data, temporary)
    return Path(path)


def save_history_csv(history: dict, path) -> Path:
    """Write a Keras history dict as CSV, one row per epoch, atomically."""
    with atomic_path(path) as temporary:
        write_history_csv(history, temporary)
    return Path(path)


def save_model(model, path) -> Path:
    """Save a Keras model in the ``.keras`` format, atomically."""
    with atomic_path(path) as temporary:
        model.save(temporary)
    return Path(path)
