"""A classifier exported to ONNX, run by ONNX Runtime: what ``predict`` answers with, without TensorFlow or Keras.

:class:`OnnxClassifier` has the little of a Keras model's interface that classifying needs (``predict``,
``input_shape``, ``output_shape``), so :mod:`.classify`, :mod:`.compare` and the drawing pad take either.
"""

from pathlib import Path

import numpy as np

from ..config import shown_path
from .classify import EXPORT_HINT, ModelFileError, check_classifier_shape

FLOAT_TENSOR = "tensor(float)"


def keras_style_shape(dimensions) -> tuple:
    """An ONNX tensor shape as Keras writes it: a named (dynamic) dimension such as the batch becomes None."""
    return tuple(size if isinstance(size, int) else None for size in dimensions)


class OnnxClassifier:
    """An ONNX Runtime session with one float input (a batch of digits) and one output (their probabilities)."""

    def __init__(self, session, path):
        self.session, self.path = session, Path(path)
        (self._input,), (self._output,) = session.get_inputs(), session.get_outputs()
        self.input_shape = keras_style_shape(self._input.shape)
        self.output_shape = keras_style_shape(self._output.shape)

    def predict(self, inputs, verbose=0) -> np.ndarray:
        """Probabilities, one row per input; ``verbose`` is taken, as by Keras's ``predict``, and ignored."""
        feed = {self._input.name: np.asarray(inputs, dtype=np.float32)}
        return self.session.run([self._output.name], feed)[0]

    def __repr__(self):
        return f"OnnxClassifier({str(shown_path(self.path))!r})"


def load_onnx_classifier(path) -> OnnxClassifier:
    """Open an ONNX model file with ONNX Runtime (CPU) and check it maps one 28x28 digit to ten classes."""
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.log_severity_level = 3  # errors only: its warnings would go to stderr, past the one-line messages
    try:
        session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    except Exception as error:  # protobuf, graph and file errors all mean "not loadable"
        lines = str(error).strip().splitlines()
        reason = lines[0][:160] if lines else type(error).__name__
        raise ModelFileError(f"{path}: not a loadable ONNX model ({reason}); {EXPORT_HINT}") from None
    inputs, outputs = session.get_inputs(), session.get_outputs()
    if len(inputs) != 1 or len(outputs) != 1 or inputs[0].type != FLOAT_TENSOR:
        found = ", ".join(f"{tensor.name}: {tensor.type}" for tensor in inputs)
        raise ModelFileError(
            f"{path}: expected one float input and one output, got inputs ({found}) and {len(outputs)} output(s)"
        )
    model = OnnxClassifier(session, path)
    check_classifier_shape(model, path)
    return model
