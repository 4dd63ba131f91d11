"""Does an export reproduce its Keras model? Both answer the 10,000 MNIST test digits; the record kept beside it.

An export passes when each of its probabilities is within ``TOLERANCE`` of the Keras model's and it picks the
same digit for every test image. Float32 kernels of different runtimes sum in different orders, so the
probabilities agree to about 1e-6, not bit for bit.
"""

import platform
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._support.provenance import installed_versions
from ..data import flatten_and_scale, load_mnist
from ..model_files import ModelFileError, to_model_input

TOLERANCE = 1e-5  # the largest difference in any probability that still counts as the same model
SUM_TOLERANCE = 1e-3  # how far from 1 a row of float32 probabilities may sum
VERIFICATION_SUFFIX = ".verification.json"
BATCH_SIZE = 1000
TOOLCHAIN = ("keras", "tensorflow-cpu", "tensorflow", "numpy")


@dataclass
class Reference:
    """What an export must reproduce: the Keras model's probabilities on the test digits, and its inputs."""

    model: str  # the Keras model, as messages and the record name it
    inputs: np.ndarray
    probabilities: np.ndarray


def reference_answers(model, name, digits=None) -> Reference:
    """The Keras ``model``'s answers on ``digits`` (default: the 10,000 MNIST test digits), checked as probabilities."""
    if digits is None:
        _, (digits, _) = load_mnist()
    inputs = to_model_input(model, flatten_and_scale(np.asarray(digits)))
    probabilities = np.asarray(model.predict(inputs, batch_size=BATCH_SIZE, verbose=0))
    check_probabilities(probabilities, name)
    return Reference(str(name), inputs, probabilities)


def check_probabilities(probabilities, name) -> None:
    """Refuse a model whose outputs are not probabilities: each row at least 0 and summing to 1."""
    sums = probabilities.sum(axis=1)
    if not (np.all(probabilities >= 0) and np.all(np.abs(sums - 1) <= SUM_TOLERANCE)):
        raise ModelFileError(
            f"{name}: not an MNIST classifier: its outputs are not probabilities (rows sum to {sums.min():.3g}"
            f"..{sums.max():.3g}, smallest value {probabilities.min():.3g}); export needs a softmax output"
        )


@dataclass
class Comparison:
    """How closely an export's probabilities match the Keras model's on the same digits."""

    digits_compared: int
    max_abs_difference: float
    answers_that_differ: int

    @property
    def same_answers(self) -> bool:
        """True when the export picks the Keras model's digit for every image."""
        return self.answers_that_differ == 0

    @property
    def passed(self) -> bool:
        """True when every probability is within ``TOLERANCE`` and every answer is the same."""
        return self.same_answers and self.max_abs_difference <= TOLERANCE

    def describe(self) -> str:
        """``largest difference 8.9e-07 on 10,000 test digits, the same answer for every one``."""
        answers = "the same answer for every one" if self.same_answers else f"{self.answers_that_differ:,} differ"
        return f"largest difference {self.max_abs_difference:.2g} on {self.digits_compared:,} test digits, {answers}"


def compare(reference: Reference, probabilities) -> Comparison:
    """Compare an export's ``probabilities`` on ``reference.inputs`` with the Keras model's."""
    expected, probabilities = reference.probabilities, np.asarray(probabilities, dtype=np.float64)
    if probabilities.shape != expected.shape:
        return Comparison(len(expected), float("inf"), len(expected))
    return Comparison(
        digits_compared=len(expected),
        max_abs_difference=float(np.max(np.abs(probabilities - expected))),
        answers_that_differ=int(np.sum(probabilities.argmax(axis=1) != expected.argmax(axis=1))),
    )


def verification_file(path) -> Path:
    """Where an export's verification record is kept, beside it: ``robust.onnx.verification.json``."""
    path = Path(path)
    return path.with_name(path.name + VERIFICATION_SUFFIX)


def verification_record(export_format, path, reference: Reference, comparison: Comparison) -> dict:
    """The JSON-ready record of one verified export."""
    packages = (*TOOLCHAIN, *(distribution for _, distribution in export_format.packages))
    return {
        "format": export_format.name,
        "file": Path(path).name,
        "keras_model": reference.model,
        "runtime": export_format.runtime,
        "digits_compared": comparison.digits_compared,
        "max_abs_difference": comparison.max_abs_difference,
        "same_answers": comparison.same_answers,
        "tolerance": TOLERANCE,
        "versions": {"python": platform.python_version(), **installed_versions(packages)},
    }
