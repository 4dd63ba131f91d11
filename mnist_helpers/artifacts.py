"""Write run artifacts atomically: a crash mid-write never leaves a half-written file or folder."""

import contextlib
import csv
import json
import os
import secrets
import shutil
import tempfile
from pathlib import Path

from .errors import UserFacingError


class OutputWriteError(UserFacingError):
    """An output folder or file cannot be written; the message names it."""


def prepare_outputs_dir(folder) -> Path:
    """Create ``folder`` if needed and check a file can be written there, before a run trains or writes anything."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise OutputWriteError(f"{folder}: exists and is not a folder (set MNIST_OUTPUTS to a folder)")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise OutputWriteError(f"{folder}: cannot write to the outputs folder ({error.strerror or error})") from None
    return folder


@contextlib.contextmanager
def atomic_path(path):
    """Yield a temporary path next to ``path``; rename it over ``path`` only on success."""
    path = Path(path)
    temporary = path.parent / f".{path.stem}-{secrets.token_hex(6)}{path.suffix}"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
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
    temporary = path.parent / f".{path.name}-{secrets.token_hex(6)}"
    try:
        if path.exists() and not path.is_dir():
            raise OutputWriteError(f"{path}: exists and is not a folder")
        temporary.mkdir(parents=True)
    except OSError as error:
        raise OutputWriteError(f"{path}: cannot write ({error.strerror or error})") from None
    try:
        yield temporary
        replace_folder(temporary, path)
    except BaseException as error:
        shutil.rmtree(temporary, ignore_errors=True)
        if isinstance(error, OSError) and not isinstance(error, UserFacingError):
            raise OutputWriteError(f"{path}: cannot write ({error.strerror or error})") from None
        raise


def replace_folder(source: Path, target: Path) -> None:
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


def save_json(data, path) -> Path:
    """Write ``data`` as indented JSON."""
    with atomic_path(path) as temporary:
        temporary.write_text(json.dumps(data, indent=2) + "\n")
    return Path(path)


def save_history_csv(history: dict, path) -> Path:
    """Write a Keras history dict as CSV, one row per epoch."""
    names = list(history)
    with atomic_path(path) as temporary, open(temporary, "w", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["epoch", *names])
        for epoch, values in enumerate(zip(*history.values()), start=1):
            writer.writerow([epoch, *values])
    return Path(path)


def save_model(model, path) -> Path:
    """Save a Keras model in the ``.keras`` format."""
    with atomic_path(path) as temporary:
        model.save(temporary)
    return Path(path)
