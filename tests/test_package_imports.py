"""Importing the package, any of its subpackages or its command line loads neither Keras nor TensorFlow, nor the
ONNX converter or runtime, nor Optuna."""

import pkgutil
import subprocess
import sys

import mnist_helpers

SUBPACKAGES = [f"mnist_helpers.{info.name}" for info in pkgutil.iter_modules(mnist_helpers.__path__) if info.ispkg]


def test_subpackages_show_the_architecture():
    assert set(SUBPACKAGES) == {
        f"mnist_helpers.{name}" for name in ("own_digits", "detector", "synthetic", "export", "cli", "_support")
    }


def test_importing_the_packages_and_the_command_line_stays_light():
    modules = ["mnist_helpers", *SUBPACKAGES, "mnist_helpers.__main__"]
    heavy = {"keras", "tensorflow", "jax", "tf2onnx", "onnx", "onnxruntime", "ai_edge_litert", "optuna"}
    script = f"import sys, {', '.join(modules)}; print(sorted({heavy!r} & set(sys.modules)))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout == "[]\n"
