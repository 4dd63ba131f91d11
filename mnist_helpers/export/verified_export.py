"""Write an export under a temporary name, check it there, and keep it, with its record beside it, only if it passes."""

import json
from pathlib import Path

from .._support.artifacts import atomic_folder, atomic_path
from .._support.errors import UserFacingError, first_line
from .formats import FORMATS
from .verification import (
    TOLERANCE,
    Comparison,
    Reference,
    compare,
    reference_answers,
    verification_file,
    verification_record,
)


class ExportFailedError(UserFacingError):
    """An export could not be written or run, or does not reproduce its Keras model; it was not kept."""


def write_verified_export(model, export_format, path, reference: Reference) -> Comparison:
    """Write ``model`` to ``path`` as ``export_format`` and its verification record beside it; return how it compared.

    The export is run on ``reference.inputs`` before it takes its place; if it does not reproduce
    ``reference.probabilities``, or Keras or the runtime fail on it, neither it nor the record is written
    (:class:`ExportFailedError`).
    """
    path = Path(path)
    staged = atomic_folder if export_format.is_folder else atomic_path
    with atomic_path(verification_file(path)) as record_file, staged(path) as temporary:
        try:
            export_format.write(model, temporary)
            probabilities = export_format.load(temporary).predict(reference.inputs)
        except OSError:
            raise  # a write that failed: atomic_path reports it as an unwritable output
        except Exception as error:  # Keras's converters and the runtimes raise many kinds
            raise ExportFailedError(
                f"{path}: not written: the {export_format.name} export or its check failed ({first_line(error)})"
            ) from None
        comparison = compare(reference, probabilities)
        if not comparison.passed:
            raise ExportFailedError(
                f"{path}: not written: the {export_format.name} export does not reproduce {reference.model} "
                f"({comparison.describe()}; tolerance {TOLERANCE:g})"
            )
        record = verification_record(export_format, path, reference, comparison)
        record_file.write_text(json.dumps(record, indent=2) + "\n")
    return comparison


def save_verified_onnx(model, path, name) -> list:
    """Export a trained ``model`` (``name`` in the record) to ONNX at ``path``, verified; return the paths written.

    Keras writes ONNX on the TensorFlow backend only (JAX would need jax2onnx): on another backend nothing is
    written and the list is empty; ``python -m mnist_helpers export`` exports the saved model later.
    """
    import keras

    if keras.backend.backend() != "tensorflow":
        return []
    write_verified_export(model, FORMATS["onnx"], path, reference_answers(model, name))
    return [Path(path), verification_file(path)]
