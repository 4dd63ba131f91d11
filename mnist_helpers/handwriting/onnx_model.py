"""A classifier exported to ONNX, run by ONNX Runtime: what ``predict`` answers with, without TensorFlow or Keras.

:class:`OnnxClassifier` has the little of a Keras model's interface that classifying needs (``predict``,
``input_shape``, ``output_shape``), so :mod:`.classify`, :mod:`.compare` and the drawing pad take either.
"""

from pathlib import Path

import numpy as np

from ..config import shown_path
from ..data import IMAGE_SIDE, NUM_CLASSES
from ..errors import first_line
from .classify import EXPORT_HINT, ModelFileError, check_classifier_shape, to_model_input

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
    """An ONNX Runtime session on the CPU for the model file ``path``, with its own log quiet."""
    import onnxruntime

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
    check_classifier_shape(model, path)
    try:  # a first run now, so that a model that cannot run fails here in one line, not mid-batch
        answers = model.predict(to_model_input(model, np.zeros((2, IMAGE_SIDE, IMAGE_SIDE))))
    except Exception as error:
        raise ModelFileError(f"{path}: ONNX Runtime cannot run it ({first_line(error)})") from None
    if np.shape(answers) != (2, NUM_CLASSES):
        raise ModelFileError(f"{path}: expected {NUM_CLASSES} values per digit, got shape {np.shape(answers)}")
    return model
