"""Classify image files with a saved model: safe loading, batch prediction, one output line per image."""

import math
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..config import DEFAULT_MODEL_ROLE, shipped_model, shipped_onnx_model, shown_path
from ..data import IMAGE_PIXELS, IMAGE_SIDE, NUM_CLASSES
from ..errors import UserFacingError
from ..user_files import UnusableFile, open_user_file, zip_archive_problem
from .digit_check import not_a_digit_reasons
from .image_files import ImageInputError, source_name
from .mnist_style import prepare_digit

TOP_K = 3
MODEL_SUFFIXES = (".keras", ".h5", ".hdf5")
ONNX_SUFFIX = ".onnx"  # run by ONNX Runtime (see onnx_model), not Keras
# Limits far above the project's 7 MB models: a model file, or its archive unpacked, over 200 MB is refused
# before Keras opens it (Keras's own guard is 4 GiB per archive entry, which takes a minute and gigabytes).
MAX_MODEL_BYTES = 200_000_000
MAX_MODEL_ENTRIES = 100
PROBE_IMAGES = 8
PROBABILITY_TOLERANCE = 1e-3  # float32 softmax rows sum to 1 within about 1e-6
TRAIN_HINT = f"pass --model PATH to a saved .keras model (the notebook saves {shown_path(shipped_model('notebook'))})"
EXPORT_HINT = "export one from its .keras model with `python -m mnist_helpers export --model PATH.keras`"


def top_k(probabilities, k=TOP_K) -> list:
    """The ``k`` most probable digits of one probability row as ``(digit, probability)``, most probable first."""
    probabilities = np.asarray(probabilities, dtype=np.float64)
    order = np.argsort(-probabilities, kind="stable")[:k]
    return [(int(digit), float(probabilities[digit])) for digit in order]


class ModelFileError(UserFacingError):
    """The model file is missing, unreadable or not a 28x28-digit classifier."""


@dataclass
class DigitPrediction:
    """The model's verdict on one image: its softmax probabilities over the ten digits.

    ``warning`` says why the image probably is not a digit at all (see ``digit_check``), else None;
    ``box`` is where the digit is in its image, when it was read as one digit of a number.
    """

    source: str
    probabilities: np.ndarray
    warning: str | None = None
    box: object = None

    @property
    def looks_like_digit(self) -> bool:
        """False when the prepared image's ink does not look like a handwritten digit."""
        return self.warning is None

    @property
    def digit(self) -> int:
        """The predicted digit."""
        return int(np.argmax(self.probabilities))

    @property
    def confidence(self) -> float:
        """The predicted digit's probability."""
        return float(np.max(self.probabilities))

    def top(self, k=TOP_K) -> list:
        """The ``k`` most probable digits as ``(digit, probability)``, most probable first."""
        return top_k(self.probabilities, k)

    def __repr__(self):
        return f"DigitPrediction({self.source!r}, digit={self.digit}, confidence={self.confidence:.3f})"


@dataclass
class FailedImage:
    """An image that could not be classified, with its one-line reason (which names the file)."""

    source: str
    message: str


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
    check_model_file(path)
    if path.suffix == ONNX_SUFFIX:
        from .onnx_model import load_onnx_classifier

        model = load_onnx_classifier(path)
    else:
        import keras

        try:
            model = keras.saving.load_model(path, compile=False, safe_mode=True)
        except Exception as error:  # zip, HDF5, JSON and deserialization errors all mean "not loadable"
            raise ModelFileError(f"{path}: {load_failure_reason(error)}; {TRAIN_HINT}") from None
    check_classifier_shape(model, path)
    check_probabilities(classify_digits(model, probe_digits()), path)
    return model


def check_model_file(path) -> None:
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


def load_failure_reason(error) -> str:
    """A short reason for a failed ``load_model``, naming refused unsafe code plainly."""
    if "safe_mode" in str(error):
        return "refused: loading it would run arbitrary Python code (e.g. a Lambda layer), which safe mode forbids"
    lines = str(error).strip().splitlines()
    return f"not a loadable Keras model ({lines[0][:160] if lines else type(error).__name__})"


def check_classifier_shape(model, path) -> None:
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


def probe_digits(count=PROBE_IMAGES, seed=0) -> np.ndarray:
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


def prepare_or_fail(source):
    """The prepared (28, 28) digit, or a ``FailedImage`` saying why ``source`` could not be prepared."""
    try:
        return prepare_digit(source)
    except ImageInputError as error:
        return FailedImage(source_name(source), str(error))


def classify_images(model, sources) -> list:
    """Prepare and classify each image; return, in input order, a ``DigitPrediction`` or a ``FailedImage`` each.

    An image that cannot be read, is too large or is blank becomes a ``FailedImage``; the others
    are still classified, in one batch, and flagged when they do not look like a digit.
    """
    sources = list(sources)
    prepared = [prepare_or_fail(source) for source in sources]
    digits = [item for item in prepared if not isinstance(item, FailedImage)]
    probabilities = iter(classify_digits(model, np.array(digits, dtype=np.float32).reshape(-1, IMAGE_SIDE, IMAGE_SIDE)))
    reasons = iter(not_a_digit_reasons(digits))
    return [
        item
        if isinstance(item, FailedImage)
        else DigitPrediction(source_name(source), next(probabilities), next(reasons))
        for source, item in zip(sources, prepared)
    ]


def format_prediction(prediction: DigitPrediction) -> str:
    """One human-readable line: ``path: 7 (99.9%)  top 3: 7 99.9%, 9 0.1%, 2 0.0%``, plus any warning."""
    top = ", ".join(f"{digit} {probability:.1%}" for digit, probability in prediction.top())
    line = f"{prediction.source}: {prediction.digit} ({prediction.confidence:.1%})  top {TOP_K}: {top}"
    return line if prediction.looks_like_digit else f"{line}  (does not look like a digit: {prediction.warning})"


def prediction_record(result) -> dict:
    """A JSON-ready dict for a prediction (path, digit, confidence, top 3, looks_like_digit, any warning)
    or a failure (path, error)."""
    if isinstance(result, FailedImage):
        return {"path": result.source, "error": result.message}
    record = {
        "path": result.source,
        "digit": result.digit,
        "confidence": round(result.confidence, 6),
        "top": [{"digit": digit, "probability": round(probability, 6)} for digit, probability in result.top()],
        "looks_like_digit": result.looks_like_digit,
    }
    return record if result.looks_like_digit else {**record, "warning": result.warning}
