"""The formats ``export`` offers: where each is written, how Keras writes it, and how it is run again to check it.

Keras 3 writes all three (``model.export``, on the TensorFlow backend); each is read back by the runtime
people deploy it with, so the check runs the file as it will be run elsewhere.
"""

import warnings
from collections.abc import Callable
from dataclasses import dataclass
from importlib.util import find_spec
from pathlib import Path

import numpy as np

from ..config import onnx_model_file


@dataclass(frozen=True)
class ExportFormat:
    """One export format: its Keras name, where it goes beside the model, how it is checked, what it needs."""

    name: str
    keras_format: str  # ``format=`` of Keras's ``model.export``
    runtime: str  # what the check runs it with, as messages and the record name it
    locate: Callable  # (folder, model name) -> the file or folder it is written to
    is_folder: bool
    load: Callable  # path -> an object whose ``predict(inputs)`` returns probabilities
    packages: tuple  # (module, distribution) pairs it needs beyond Keras and TensorFlow

    def write(self, model, path) -> None:
        """Write ``model`` to ``path`` in this format (the model is called once first, as Keras's export needs)."""
        model(np.zeros((1, *model.input_shape[1:]), dtype=np.float32))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # Keras's tf2onnx shim probes the removed np.object
            model.export(str(path), format=self.keras_format, verbose=False)

    def missing_packages(self) -> list:
        """The distributions this format needs that are not installed."""
        return [distribution for module, distribution in self.packages if find_spec(module) is None]


def _load_onnx(path):
    from ..model_files import load_onnx_classifier  # the same code predict runs

    return load_onnx_classifier(path)


class SavedModelRunner:
    """A TensorFlow SavedModel's ``serve`` function, loaded with ``tf.saved_model.load`` (no Keras)."""

    def __init__(self, path):
        import tensorflow as tf

        self._loaded = tf.saved_model.load(str(path))  # kept: ``serve`` only refers to its variables

    def predict(self, inputs) -> np.ndarray:
        return np.asarray(self._loaded.serve(np.asarray(inputs, dtype=np.float32)))


class LiteRTRunner:
    """A ``.tflite`` file in LiteRT's interpreter (``ai-edge-litert``), with its reference kernels."""

    def __init__(self, path):
        from ai_edge_litert.interpreter import Interpreter, OpResolverType

        # Without the default XNNPACK delegate, which also logs a line to stderr when it starts.
        resolver = OpResolverType.BUILTIN_WITHOUT_DEFAULT_DELEGATES
        self._interpreter = Interpreter(model_path=str(path), experimental_op_resolver_type=resolver)

    def predict(self, inputs) -> np.ndarray:
        inputs = np.asarray(inputs, dtype=np.float32)
        interpreter = self._interpreter
        (source,), (result,) = interpreter.get_input_details(), interpreter.get_output_details()
        interpreter.resize_tensor_input(source["index"], inputs.shape)
        interpreter.allocate_tensors()
        interpreter.set_tensor(source["index"], inputs)
        interpreter.invoke()
        return interpreter.get_tensor(result["index"]).copy()


FORMATS = {
    export_format.name: export_format
    for export_format in (
        ExportFormat(
            name="onnx",
            keras_format="onnx",
            runtime="ONNX Runtime",
            locate=onnx_model_file,
            is_folder=False,
            load=_load_onnx,
            packages=(("tf2onnx", "tf2onnx"), ("onnx", "onnx"), ("onnxruntime", "onnxruntime")),
        ),
        ExportFormat(
            name="saved_model",
            keras_format="tf_saved_model",
            runtime="TensorFlow (tf.saved_model.load)",
            locate=lambda folder, name: Path(folder) / f"{name}_saved_model",
            is_folder=True,
            load=SavedModelRunner,
            packages=(),
        ),
        ExportFormat(
            name="litert",
            keras_format="litert",
            runtime="LiteRT (ai-edge-litert)",
            locate=lambda folder, name: Path(folder) / f"{name}.tflite",
            is_folder=False,
            load=LiteRTRunner,
            packages=(("ai_edge_litert", "ai-edge-litert"),),
        ),
    )
}
