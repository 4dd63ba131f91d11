"""The not-a-digit detector at run time: its ONNX export, run by ONNX Runtime (no TensorFlow or Keras).

The network (trained by :mod:`mnist_helpers.detector`) maps a prepared 28x28 image to the probabilities
of "a digit" and "not a digit"; :mod:`.digit_check` flags a digit whose "not a digit" probability is
above its threshold.
"""

from functools import cache
from pathlib import Path

import numpy as np

from ..config import DETECTOR_FILE, shown_path
from ..data import IMAGE_PIXELS
from ..errors import first_line
from .classify import ModelFileError
from .onnx_model import cpu_session

TRAIN_DETECTOR_HINT = "`python -m mnist_helpers train-detector` writes it"


class Detector:
    """An ONNX Runtime session from a batch of flat 784-pixel digits to (digit, not a digit) probabilities."""

    def __init__(self, path):
        self.path = Path(path)
        try:
            self.session = cpu_session(path)
        except Exception as error:  # a missing, truncated or foreign file
            raise ModelFileError(
                f"{shown_path(path)}: the not-a-digit detector cannot be loaded ({first_line(error)}); "
                f"{TRAIN_DETECTOR_HINT}"
            ) from None
        (self._input,), (self._output,) = self.session.get_inputs(), self.session.get_outputs()
        answers = self.predict(np.zeros((1, IMAGE_PIXELS), np.float32))
        if answers.shape != (1, 2):
            raise ModelFileError(f"{shown_path(path)}: not the not-a-digit detector (outputs {answers.shape[1:]})")

    def predict(self, inputs) -> np.ndarray:
        """(n, 2) probabilities of "a digit" and "not a digit" for flat (n, 784) inputs in [0, 1]."""
        return self.session.run([self._output.name], {self._input.name: np.asarray(inputs, dtype=np.float32)})[0]

    def not_digit_probability(self, digits) -> np.ndarray:
        """The probability that each prepared (28, 28) image is not a digit."""
        digits = np.asarray(digits, dtype=np.float32).reshape(-1, IMAGE_PIXELS)
        return self.predict(digits)[:, 1] if len(digits) else np.zeros(0, np.float32)


@cache
def shipped_detector() -> Detector:
    """The detector shipped in ``models/detector/``, loaded once."""
    return Detector(DETECTOR_FILE)
