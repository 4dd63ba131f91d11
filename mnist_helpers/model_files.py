"""Model files: open, check and run a saved classifier, a ``.keras`` model with Keras or an ``.onnx`` export with ONNX
Runtime (what ``predict`` answers with, without TensorFlow or Keras).

Every model is checked before it is trusted: the file (kind, size, archive), its shapes (784 pixels to ten
digits) and its answers on a probe batch. :class:`OnnxClassifier` has the little of a Keras model's interface that
classifying needs (``predict``, ``input_shape``, ``output_shape``), so the rest of the package takes either.
"""

import math
import zipfile
from pathlib import Path

import numpy as np

from ._support.errors import UserFacingError, first_line
from ._support.quiet import quiet_onnxruntime
from ._support.user_files import UnusableFile, open_user_file, zip_archive_problem
from .config import DEFAULT_MODEL_ROLE, shipped_model, shipped_onnx_model, shown_path
from .data import IMAGE_PIXELS, IMAGE_SIDE, NUM_CLASSES

MODEL_SUFFIXES = (".keras", ".h5", ".hdf5")
ONNX_SUFFIX = ".onnx"  # run by ONNX Runtime (see OnnxClassifier), not Keras
# Limits far above the project's 7 MB models: a model file, or its archive unpacked, over 200 MB is refused
# before Keras opens it (Keras's own guard is 4 GiB per archive entry, which takes a minute and gigabytes).
MAX_MODEL_BYTES = 200_000_000
MAX_MODEL_ENTRIES = 100
PROBE_IMAGES = 8
PROBABILITY_TOLERANCE = 1e-3  # float32 softmax rows sum to 1 within about 1e-6
TRAIN_HINT = f"pass --model PATH to a saved .keras model (the notebook saves {shown_path(shipped_model('notebook'))})"
EXPORT_HINT = "export one from its .keras model with `python -m mnist_helpers export --model PATH.keras`"


class ModelFileError(UserFacingError):
    """The model file is missing, unreadable or not a 28x28-digit classifier."""


def default_model_path() -> Path:
    """The model used when none is named: the ONNX export of ``DEFAULT_MODEL_ROLE``'s shipped model (the robust one)."""
    return shipped_onnx_model(DEFAULT_MODEL_ROLE)


def load_classifier(path=None):
    """Load a saved classifier: a ``.onnx`` file with ONNX Runtime (no TensorFlow or Keras imported), any other
    with Keras, safely (``safe_mode=True``, no compile); one-line errors.

    ``path`` defaults to :func:`default_model_path`. The model must map ``IMAGE_PIXELS`` pixels (flat or
    square) to ``NUM_CLASSES`` probabilities: its shapes are checked, then its answers on a probe batch.
    """
    path = Path(path) if path is not None else default_model_path()
    _check_model_file(path)
    if path.suffix == ONNX_SUFFIX:
        model = load_onnx_classifier(path)
    else:
        import keras

        try:
            model = keras.saving.load_model(path, compile=False, safe_mode=True)
        except Exception as error:  # zip, HDF5, JSON and deserialization errors all mean "not loadable"
            raise ModelFileError(f"{path}: {_load_failure_reason(error)}; {TRAIN_HINT}") from None
    _check_classifier_shape(model, path)
    check_probabilities(classify_digits(model, _probe_digits()), path)
    return model


def _check_model_file(path) -> None:
    """Refuse, in one line, what is not a regular model file of a known kind whose archive is bounded."""
    try:
        handle = open_user_file(path, "a model file", MAX_MODEL_BYTES)
    except UnusableFile as problem:
        reason = f"{path}: model file not found" if problem.missing else str(problem)
        raise ModelFileError(f"{reason}; {EXPORT_HINT if path.suffix == ONNX_SUFFIX else TRAIN_HINT}") from None
    with handle:
        if path.suffix not in (*MODEL_SUFFIXES, ONNX_SUFFIX):
            raise ModelFileError(f"{path}: not a model file (expected a .keras or .onnx file); {TRAIN_HINT}")
        problem = None if path.suffix == ONNX_SUFFIX else archive_problem(handle, path.suffix)
    if problem:
        raise ModelFileError(f"{path}: {problem}; {TRAIN_HINT}")


def archive_problem(handle, suffix):
    """Why an open model file is not a bounded archive (a .keras zip, or HDF5), or None."""
    if suffix == ".keras":
        if not zipfile.is_zipfile(handle):
            return "not a readable .keras archive (corrupt or truncated?)"
        return zip_archive_problem(handle, MAX_MODEL_ENTRIES, MAX_MODEL_BYTES)
    import h5py

    sizes = []
    try:
        with h5py.File(handle, "r") as model_file:
            model_file.visititems(lambda _, item: sizes.append(item.nbytes) if isinstance(item, h5py.Dataset) else None)
    except Exception:  # h5py raises OSError, ValueError, KeyError... on what is not HDF5
        return "not a readable HDF5 model file (corrupt or truncated?)"
    unpacked = sum(sizes)
    if unpacked > MAX_MODEL_BYTES:
        return f"its weights unpack to {unpacked:,} bytes; the limit is {MAX_MODEL_BYTES:,}"
    return None


def _load_failure_reason(error) -> str:
    """A short reason for a failed ``load_model``, naming refused unsafe code plainly."""
    if "safe_mode" in str(error):
        return "refused: loading it would run arbitrary Python code (e.g. a Lambda layer), which safe mode forbids"
    lines = str(error).strip().splitlines()
    return f"not a loadable Keras model ({lines[0][:160] if lines else type(error).__name__})"


def _check_classifier_shape(model, path) -> None:
    """Refuse a model whose input is not one 28x28 digit or whose output is not ten classes."""
    try:
        inputs, outputs = tuple(model.input_shape[1:]), tuple(model.output_shape[1:])
    except (AttributeError, ValueError, TypeError):  # a model saved before it was ever built or called
        raise ModelFileError(
            f"{path}: the model was never built (it has no input shape); build or train it before saving"
        ) from None
    if (
        not all(isinstance(size, int) for size in inputs)
        or math.prod(inputs) != IMAGE_PIXELS
        or outputs != (NUM_CLASSES,)
    ):
        raise ModelFileError(
            f"{path}: expected a model from {IMAGE_PIXELS} pixels to {NUM_CLASSES} digits, got {inputs} -> {outputs}"
        )


def _probe_digits(count=PROBE_IMAGES, seed=0) -> np.ndarray:
    """A small batch to ask a model about before trusting it: a blank field, then random MNIST-like scribbles."""
    rng = np.random.default_rng(seed)
    digits = np.zeros((count, IMAGE_SIDE, IMAGE_SIDE), dtype=np.float32)
    digits[1:, 4:24, 4:24] = rng.random((count - 1, 20, 20)) > 0.7
    return digits


def check_probabilities(probabilities, path, tolerance=PROBABILITY_TOLERANCE) -> None:
    """Refuse a model whose answers (one row per probe image) are not probabilities: negative, NaN, or not summing to 1.

    Takes the answers rather than the model, so any kind of model file can be checked the same way.
    """
    probabilities = np.asarray(probabilities, dtype=np.float64)
    hint = "is the last layer a softmax?"
    if not np.all(np.isfinite(probabilities)):
        raise ModelFileError(f"{path}: outputs are not probabilities (NaN or infinite values; {hint})")
    if probabilities.min() < -tolerance:
        raise ModelFileError(
            f"{path}: outputs are not probabilities (negative values, down to {probabilities.min():.3g}; {hint})"
        )
    sums = probabilities.sum(axis=1)
    worst = sums[np.argmax(np.abs(sums - 1))]
    if abs(worst - 1) > tolerance:
        raise ModelFileError(f"{path}: outputs are not probabilities (rows sum to {worst:.3g}, not 1; {hint})")


def to_model_input(model, digits: np.ndarray) -> np.ndarray:
    """Reshape (n, 28, 28) digits in [0, 1] to the model's input shape (flat for the project's MLP)."""
    return np.asarray(digits, dtype=np.float32).reshape((len(digits), *model.input_shape[1:]))


def classify_digits(model, digits: np.ndarray) -> np.ndarray:
    """Softmax probabilities, one row per prepared (28, 28) digit."""
    if len(digits) == 0:
        return np.zeros((0, NUM_CLASSES), dtype=np.float32)
    return np.asarray(model.predict(to_model_input(model, digits), verbose=0))


FLOAT_TENSOR = "tensor(float)"


def _keras_style_shape(dimensions) -> tuple:
    """An ONNX tensor shape as Keras writes it: a named (dynamic) dimension such as the batch becomes None."""
    return tuple(size if isinstance(size, int) else None for size in dimensions)


class OnnxClassifier:
    """An ONNX Runtime session with one float input (a batch of digits) and one output (their probabilities)."""

    def __init__(self, session, path):
        self.session, self.path = session, Path(path)
        (self._input,), (self._output,) = session.get_inputs(), session.get_outputs()
        self.input_shape = _keras_style_shape(self._input.shape)
        self.output_shape = _keras_style_shape(self._output.shape)

    def predict(self, inputs, verbose=0) -> np.ndarray:
        """Probabilities, one row per input; ``verbose`` is taken, as by Keras's ``predict``, and ignored.

        A model exported with a fixed batch size (often 1) is run one such batch at a time, the last one padded.
        """
        inputs, batch = np.asarray(inputs, dtype=np.float32), self.input_shape[0]
        if batch is None:
            return self._run(inputs)
        results = []
        for start in range(0, len(inputs), batch):
            chunk = inputs[start : start + batch]
            padding = np.zeros((batch - len(chunk), *chunk.shape[1:]), dtype=np.float32)
            results.append(self._run(np.concatenate([chunk, padding]))[: len(chunk)])
        return np.concatenate(results) if results else np.zeros((0, NUM_CLASSES), dtype=np.float32)

    def _run(self, inputs) -> np.ndarray:
        return self.session.run([self._output.name], {self._input.name: inputs})[0]

    def __repr__(self):
        return f"OnnxClassifier({str(shown_path(self.path))!r})"


def cpu_session(path):
    """An ONNX Runtime session on the CPU for the model file ``path``, with its own log quiet and no telemetry."""
    onnxruntime = quiet_onnxruntime()
    options = onnxruntime.SessionOptions()
    options.log_severity_level = 4  # fatal only: its own error lines would go to stderr beside the one-line messages
    return onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])


def load_onnx_classifier(path) -> OnnxClassifier:
    """Open an ONNX model file with ONNX Runtime (CPU) and check it maps one 28x28 digit to ten classes."""
    try:
        session = cpu_session(path)
    except Exception as error:  # protobuf, graph and file errors all mean "not loadable"
        raise ModelFileError(f"{path}: not a loadable ONNX model ({first_line(error)}); {EXPORT_HINT}") from None
    inputs, outputs = session.get_inputs(), session.get_outputs()
    if len(inputs) != 1 or len(outputs) != 1 or inputs[0].type != FLOAT_TENSOR:
        found = ", ".join(f"{tensor.name}: {tensor.type}" for tensor in inputs)
        raise ModelFileError(
            f"{path}: expected one float input and one output, got inputs ({found}) and {len(outputs)} output(s)"
        )
    model = OnnxClassifier(session, path)
    _check_classifier_shape(model, path)
    try:  # a first run now, so that a model that cannot run fails here in one line, not mid-batch
        answers = model.predict(to_model_input(model, np.zeros((2, IMAGE_SIDE, IMAGE_SIDE))))
    except Exception as error:
        raise ModelFileError(f"{path}: ONNX Runtime cannot run it ({first_line(error)})") from None
    if np.shape(answers) != (2, NUM_CLASSES):
        raise ModelFileError(f"{path}: expected {NUM_CLASSES} values per digit, got shape {np.shape(answers)}")
    return model
