"""Save and read a run as one set of files: the model (.keras and its verified .onnx), metrics.json, history.csv."""

import fnmatch

from . import config
from ._support.artifacts import prepare_outputs_dir, write_history_csv, write_json
from ._support.file_sets import write_file_set
from .config import model_file, onnx_model_file, shown_path
from .export.verification import verification_file
from .export.verified_export import save_verified_onnx
from .report import HISTORY_FILE, METRICS_FILE

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
    """Where the notebook's run writes (:func:`config.outputs_dir`), checked writable before anything trains."""
    return prepare_outputs_dir(config.outputs_dir(smoke))


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
