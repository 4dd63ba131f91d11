"""Every value from outside the program, read and checked here once: the environment variables of :data:`ENVIRONMENT`
and the command-line strings that name files, folders and model names (run parameters: ``recipe``'s checks).

An empty string is never "not given": a variable set to nothing, ``--model ""`` or ``--output ""`` is refused in
one line, as is any value outside the accepted forms, which ``docs/errors.md`` lists (a test keeps the two equal).
"""

import importlib.util
import os
import sys
from pathlib import Path

from .errors import UserFacingError

TRUE_WORDS, FALSE_WORDS = ("1", "true", "yes", "on"), ("0", "false", "no", "off")
# Keras's backends and the module each needs (KERAS_BACKEND names one; Keras itself reads it on import).
KERAS_BACKENDS = {"tensorflow": "tensorflow", "jax": "jax", "torch": "torch", "numpy": "numpy", "openvino": "openvino"}
MODEL_NAME_SUFFIXES = (".keras", ".onnx", ".h5", ".hdf5")

# Each environment variable the project reads and its accepted forms (docs/errors.md shows this table).
ENVIRONMENT = {
    "MNIST_DATA": "a path to an .npz file (`~` and `~user` expand); unset: the bundled data/mnist.npz",
    "MNIST_OUTPUTS": "a folder holding nothing but the notebook's files (figures and run files); unset: outputs/, "
    "or outputs/smoke/ in a smoke run",
    "MNIST_SMOKE": f"{', '.join(TRUE_WORDS)}: a smoke run; {', '.join(FALSE_WORDS)} or unset: a full run (any case)",
    "MNIST_PAD": f"{', '.join(TRUE_WORDS)}: show the drawing pad; {', '.join(FALSE_WORDS)}: the static note; "
    "unset: ask the front end",
    "KERAS_BACKEND": f"{', '.join(KERAS_BACKENDS)} (any case), installed; unset: Keras's own default (tensorflow)",
}


class SettingError(UserFacingError):
    """An environment variable or an argument outside its accepted forms; the message names it."""


def variable_text(name, environ=None):
    """The value of environment variable ``name``, stripped; None when unset; an empty value is refused."""
    value = (os.environ if environ is None else environ).get(name)
    if value is None:
        return None
    if not value.strip():
        raise SettingError(f"{name} is set but empty; unset it (unset {name}) or give {ENVIRONMENT[name]}")
    return value.strip()


def variable_flag(name, environ=None):
    """Environment variable ``name`` as True or False (see :data:`TRUE_WORDS`), None when unset; else refused."""
    value = variable_text(name, environ)
    if value is None:
        return None
    if value.lower() in TRUE_WORDS + FALSE_WORDS:
        return value.lower() in TRUE_WORDS
    raise SettingError(f"{name}={value!r} is not one of the accepted values: {ENVIRONMENT[name]}")


def variable_path(name, environ=None):
    """Environment variable ``name`` as a path (:func:`user_path`), None when unset."""
    value = variable_text(name, environ)
    return None if value is None else user_path(name, value)


def user_path(what, value) -> Path:
    """``value`` (an argument or a variable named ``what``) as a path, with ``~`` expanded; refuse an empty value, a
    NUL byte or the home of a user that does not exist."""
    text = os.fsdecode(value) if isinstance(value, bytes | os.PathLike) else value
    if not isinstance(text, str) or not text:
        raise SettingError(f"{what}: an empty path; name a file or folder (or leave {what} out for the default)")
    if "\0" in text:
        raise SettingError(f"{what}: {text!r} is not a valid path (it contains a NUL byte)")
    if text.startswith("~"):
        expanded = os.path.expanduser(text)
        if expanded.startswith("~"):
            user = text[1:].split(os.sep, 1)[0]
            raise SettingError(f"{what}: {text}: ~{user} is no user's home folder here (no user {user!r})")
        text = expanded
    return Path(text)


def output_folder(what, value) -> Path:
    """``value`` as an output folder (:func:`user_path`); a ``..`` may only follow an existing folder, so that making
    ``out/missing/../run`` never makes ``out/missing``."""
    path = user_path(what, value)
    parts = path.parts
    for index, part in enumerate(parts):
        above = os.path.join(*parts[:index]) if index else ""
        if part == ".." and above and not os.path.isdir(above):
            raise SettingError(f"{what}: {path}: {above} is not an existing folder, so {above}/.. leads nowhere")
    return path


def model_name(what, value) -> str:
    """A model's name (its files are ``NAME.keras``, ``NAME.onnx``...): a model file's suffix, ``robust.keras``,
    means the name ``robust``; folders, NUL bytes, hidden or over-long names are refused."""
    name = value if isinstance(value, str) else ""
    for suffix in MODEL_NAME_SUFFIXES:
        if name.lower().endswith(suffix) and len(name) > len(suffix):
            name = name[: -len(suffix)]
            break
    if not name or name.startswith(".") or "\0" in name or Path(name).name != name:
        raise SettingError(f"{what}: must be a file name without folders, such as robust (got {value!r})")
    if len(os.fsencode(f"{name}.onnx.verification.json")) > 255:
        raise SettingError(f"{what}: too long for a file name ({len(name)} characters)")
    return name


def keras_backend(environ=None):
    """The Keras backend ``KERAS_BACKEND`` names, normalised in ``environ`` (so Keras reads it), or None when unset;
    a backend Keras does not have, or whose package is not installed, is refused in one line."""
    environ = os.environ if environ is None else environ
    value = variable_text("KERAS_BACKEND", environ)
    if value is None:
        return None
    backend = value.lower()
    if backend not in KERAS_BACKENDS:
        raise SettingError(f"KERAS_BACKEND={value!r} is not a Keras backend: give {ENVIRONMENT['KERAS_BACKEND']}")
    package = KERAS_BACKENDS[backend]
    if importlib.util.find_spec(package) is None:
        raise SettingError(
            f"KERAS_BACKEND={value}: {package} is not installed (pip install {package}), or unset KERAS_BACKEND"
        )
    environ["KERAS_BACKEND"] = backend
    return backend


class _CheckBeforeImport:
    """A one-shot import hook: the first ``import MODULE`` runs ``check`` first (its error is the import's)."""

    def __init__(self, module, check):
        self.module, self.check = module, check

    def find_spec(self, fullname, path=None, target=None):
        if fullname == self.module:
            self.check()  # raises: this import fails, and the next one checks again
            sys.meta_path.remove(self)
        return None


def check_before_import(module, check) -> None:
    """Run ``check()`` when ``module`` is first imported from now on (no-op if it is already imported)."""
    if module in sys.modules or any(isinstance(f, _CheckBeforeImport) and f.module == module for f in sys.meta_path):
        return
    sys.meta_path.insert(0, _CheckBeforeImport(module, check))
