"""Save and read a run as one set of files: the model (.keras and its verified .onnx), metrics.json, history.csv."""

import fnmatch

from . import config
from ._support.artifacts import OutputWriteError, prepare_outputs_dir, write_history_csv, write_json
from ._support.file_sets import check_set_folder, write_file_set
from .config import model_file, onnx_model_file, shown_path
from .export.verification import verification_file
from .export.verified_export import save_verified_onnx
from .report import HISTORY_FILE, METRICS_FILE

SMOKE_FOLDER = config.SMOKE_OUTPUTS_DIR.name  # outputs/smoke/, inside the committed run's folder

# The files of one run, written as one set: name ("{name}": the model's name) -> what writes it to a path
# (a temporary one: ``keras_model`` is where the set's .keras model will lie, as messages show it).
RUN_FILES = {
    model_file("", "{name}").name: lambda model, record, history, path, keras_model: model.save(path),
    # with its verification record beside it (see is_run_file)
    onnx_model_file("", "{name}").name: lambda model, record, history, path, keras_model: save_verified_onnx(
        model, path, keras_model
    ),
    METRICS_FILE: lambda model, record, history, path, keras_model: write_json(record, path),
    HISTORY_FILE: lambda model, record, history, path, keras_model: write_history_csv(history, path),
}


def run_folder(smoke: bool):
    """Where the notebook's run writes (:func:`config.outputs_dir`), checked before anything trains: writable, and
    its own: it holds nothing but the notebook's files (so never the project, a folder holding it or a home folder),
    and it is no shipped model's folder. A full run writes its own committed run, outputs/; a smoke run never does.
    """
    folder = config.outputs_dir(smoke)
    is_own = not smoke and config.shipped_role(folder) == "notebook"
    check_not_shipped(folder, is_own, smoke, how=f"set {config.OUTPUTS_ENV_VAR} to another folder")
    check_set_folder(folder, _is_notebook_file)
    return prepare_outputs_dir(folder)


def _is_notebook_file(name: str) -> bool:
    """Whether the notebook writes a file of this name: a run's file, a figure, or the smoke runs' folder."""
    from .plots import FIGURES

    return is_run_file(name) or name in {figure.file for figure in FIGURES.values()} or name == SMOKE_FOLDER


def check_not_shipped(folder, replace_shipped=False, smoke=False, how=None) -> None:
    """Refuse to write into a shipped model's folder (``config.MODEL_FOLDERS``, the detector's) unless the user said
    so (``replace_shipped``: ``--replace-shipped``), and always for a smoke run: nothing the user owns is replaced
    by a default, an empty string or a quick check."""
    role = config.shipped_role(folder)
    if role is None or (replace_shipped and not smoke):
        return
    what = "the committed notebook run" if role == "notebook" else f"the shipped {role} model"
    if role == config.DEFAULT_MODEL_ROLE:
        what += " (what predict answers with)"
    if smoke:
        how = "a smoke run never replaces it (choose another folder)"
    how = how or f"pass {config.REPLACE_SHIPPED_FLAG} to replace it, or choose another folder"
    raise OutputWriteError(f"{shown_path(folder)}: holds {what}; {how}")


def is_run_file(name: str) -> bool:
    """Whether a file named ``name`` belongs to a saved run (of any model name): a new run replaces it."""
    patterns = [pattern.format(name="*") for pattern in RUN_FILES]
    patterns += [verification_file(pattern).name for pattern in patterns]
    return any(fnmatch.fnmatchcase(name, pattern) for pattern in patterns)


def save_run_artifacts(model, record: dict, history: dict, outputs_dir, model_name) -> list:
    """Write the files of ``RUN_FILES`` into ``outputs_dir`` as one set; return the paths written.

    A write killed at any moment leaves the previous run's files or the new ones, never a mix, and
    the previous run's files are all replaced (a model of another name too); other files (the notebook's
    figures) are kept. See :mod:`mnist_helpers._support.file_sets`. The ONNX export (with its verification record)
    is written on the TensorFlow backend only.
    """
    keras_model = str(shown_path(model_file(outputs_dir, model_name)))
    writers = {
        pattern.format(name=model_name): lambda path, write=write: write(model, record, history, path, keras_model)
        for pattern, write in RUN_FILES.items()
    }
    written = write_file_set(outputs_dir, writers, replaces=is_run_file)
    return [each for path in written for each in (path, verification_file(path)) if each.exists()]
