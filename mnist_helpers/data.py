"""Load, validate and preprocess MNIST."""

import hashlib
import zipfile
from pathlib import Path

import numpy as np

from ._support.errors import UserFacingError
from ._support.settings import user_path
from ._support.user_files import UnusableFile, open_user_file, zip_archive_problem
from .config import DATA_ENV_VAR, DATA_PATH, PROJECT_ROOT, SMOKE_TRAIN_SAMPLES, data_path_setting

IMAGE_SIDE = 28
IMAGE_PIXELS = IMAGE_SIDE * IMAGE_SIDE
NUM_CLASSES = 10

EXPECTED_ARRAYS = {
    "x_train": (60000, IMAGE_SIDE, IMAGE_SIDE),
    "y_train": (60000,),
    "x_test": (10000, IMAGE_SIDE, IMAGE_SIDE),
    "y_test": (10000,),
}

# SHA-256 of each array's raw bytes, as published with the canonical copy the bundled file was taken from.
FINGERPRINTS = {
    "x_train": "741c988805d008ac6e4c904b69001ba184c24b2c540a4ef403f4c71b676cf757",
    "y_train": "1feba77c54802fa5339a11837ea4b2866434b83314ec45192930f1df69120c13",
    "x_test": "6d87418db22cc8025d05968bec9bd5c3932904b23485740db143a061a2c9d161",
    "y_test": "ddeff807876a9661a1110d45c266c86239a3a1b7d37da0c3716a7a683c852ff5",
}


# MNIST unpacks to 55 MB; a file (or its arrays, unpacked) far larger is not MNIST, or is a zip bomb.
MAX_DATA_BYTES = 500_000_000
MAX_DATA_ENTRIES = 100

BUNDLED_RELATIVE = DATA_PATH.relative_to(PROJECT_ROOT).as_posix()


class MnistDataError(UserFacingError):
    """The MNIST file is missing, unreadable or not what it should be."""


def _array_fingerprint(array: np.ndarray) -> str:
    """SHA-256 of an array's raw bytes, as the data README computes it."""
    return hashlib.sha256(np.ascontiguousarray(array).tobytes()).hexdigest()


def _resolve_data_source(path=None):
    """Pick the file to load: explicit path, then $MNIST_DATA, then the bundled copy.

    Returns ``(path, is_bundled)``, or ``(None, False)`` when no local file exists.
    """
    explicit = data_path_setting() if path is None else user_path("path", path)
    if explicit is not None:
        return explicit, False
    if DATA_PATH.exists():
        return DATA_PATH, True
    return None, False


def _open_npz_file(path: Path):
    """``path`` opened, once checked to be a bounded zip archive; else one line naming what it is instead."""
    try:
        handle = open_user_file(path, "an .npz file", MAX_DATA_BYTES)
    except UnusableFile as problem:
        raise MnistDataError(str(problem)) from None
    if not zipfile.is_zipfile(handle):
        handle.seek(0)
        cut_off = handle.read(4) == b"PK\x03\x04"  # a zip's first entry, but no readable end
        handle.close()
        if cut_off:
            raise MnistDataError(f"{path}: not a readable MNIST .npz file (truncated or damaged zip archive)")
        raise MnistDataError(f"{path}: not an .npz archive (expected a zip of x_train, y_train, x_test, y_test arrays)")
    problem = zip_archive_problem(handle, MAX_DATA_ENTRIES, MAX_DATA_BYTES)
    if problem:
        handle.close()
        raise MnistDataError(f"{path}: {problem}")
    handle.seek(0)
    return handle


def _read_npz(path) -> dict:
    """Read the four MNIST arrays from an .npz file, refusing pickled objects."""
    path = Path(path)
    try:
        with _open_npz_file(path) as handle, np.load(handle, allow_pickle=False) as archive:
            missing = [key for key in EXPECTED_ARRAYS if key not in archive.files]
            if missing:
                raise MnistDataError(
                    f"{path}: missing array(s) {', '.join(missing)} (found: {', '.join(archive.files) or 'none'})"
                )
            return {key: archive[key] for key in EXPECTED_ARRAYS}
    except MnistDataError:
        raise
    except Exception as error:  # zipfile, zlib, numpy format and OS errors all mean "unreadable"
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise MnistDataError(f"{path}: not a readable MNIST .npz file ({reason})") from None


def _validate_arrays(arrays: dict, source, check_fingerprints: bool) -> None:
    """Check shapes, dtypes, pixel and label ranges, and optionally the canonical fingerprints."""
    for key, shape in EXPECTED_ARRAYS.items():
        array = arrays[key]
        if array.dtype != np.uint8:
            raise MnistDataError(f"{source}: {key} has dtype {array.dtype}, expected uint8")
        if array.shape != shape:
            raise MnistDataError(f"{source}: {key} has shape {array.shape}, expected {shape}")
    for key in ("y_train", "y_test"):
        if arrays[key].max() >= NUM_CLASSES:
            raise MnistDataError(f"{source}: {key} has label {arrays[key].max()}, expected 0-9")
    if check_fingerprints:
        changed = _fingerprint_mismatches(arrays)
        if changed:
            raise MnistDataError(
                f"{source}: {', '.join(changed)} do not match the canonical MNIST fingerprints "
                f"(file corrupted or replaced; restore it with `git checkout -- {BUNDLED_RELATIVE}`)"
            )


def is_canonical_mnist(x_train, y_train, x_test, y_test) -> bool:
    """True if the four arrays are exactly the canonical MNIST (all fingerprints match)."""
    return not _fingerprint_mismatches({"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test})


def _fingerprint_mismatches(arrays: dict) -> list:
    """The names of the arrays whose SHA-256 differs from the canonical MNIST's."""
    return [key for key, digest in FINGERPRINTS.items() if _array_fingerprint(arrays[key]) != digest]


def load_mnist(path=None):
    """Return ``(x_train, y_train), (x_test, y_test)`` as uint8 arrays, like Keras's loader.

    Source order: ``path``, then ``$MNIST_DATA``, then the bundled ``data/mnist.npz`` (which
    must match the canonical fingerprints), then Keras's own cache or download.
    """
    source, is_bundled = _resolve_data_source(path)
    if source is None:
        arrays = _load_from_keras()
        source = "keras.datasets.mnist"
    else:
        arrays = _read_npz(source)
    _validate_arrays(arrays, source, check_fingerprints=is_bundled)
    return (arrays["x_train"], arrays["y_train"]), (arrays["x_test"], arrays["y_test"])


def _load_from_keras() -> dict:
    import keras

    try:
        (x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
    except Exception as error:
        raise MnistDataError(
            f"{DATA_PATH}: missing, and Keras could not fetch MNIST either ({type(error).__name__}); "
            f"copy mnist.npz there or set {DATA_ENV_VAR}"
        ) from None
    return {"x_train": x_train, "y_train": y_train, "x_test": x_test, "y_test": y_test}


def flatten_and_scale(images: np.ndarray) -> np.ndarray:
    """Flatten 28x28 uint8 images to 784 float32 values in [0, 1]."""
    return images.reshape(len(images), -1).astype("float32") / 255.0


def one_hot(labels: np.ndarray, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """One-hot encode integer labels as float32 rows."""
    import keras

    return keras.utils.to_categorical(labels, num_classes).astype("float32")


def class_counts(labels: np.ndarray, num_classes: int = NUM_CLASSES) -> np.ndarray:
    """Number of examples of each class."""
    return np.bincount(labels, minlength=num_classes)


def smoke_subset(x, y, smoke: bool):
    """The first ``SMOKE_TRAIN_SAMPLES`` images and labels in a ``smoke`` run (a quick check), else all of them."""
    return (x[:SMOKE_TRAIN_SAMPLES], y[:SMOKE_TRAIN_SAMPLES]) if smoke else (x, y)
