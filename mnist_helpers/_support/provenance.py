"""What produced a run: library versions, the machine, and the CPU features that change TensorFlow's numerics."""

import os
import platform
from importlib import metadata

LIBRARIES = ("keras", "tensorflow-cpu", "tensorflow", "jax", "torch", "numpy", "scikit-learn", "matplotlib", "seaborn")
PROJECT = "mnist-classifier"

# x86 features that decide which kernels run: TensorFlow turns oneDNN on by default where the
# AVX-512 neural-network extensions (or AMX) exist, and oneDNN sums in another order.
CPU_FLAGS = ("avx2", "fma", "avx512f", "avx512_vnni", "avx512_bf16", "amx_tile")


def library_versions() -> dict:
    """Python, the Keras backend in use, this project and the installed versions of the libraries a run uses."""
    import keras

    return {
        "python": platform.python_version(),
        "keras_backend": keras.backend.backend(),
        **installed_versions((PROJECT, *LIBRARIES)),
    }


def installed_versions(names) -> dict:
    """The installed version of each of the distributions ``names``, leaving out those not installed."""
    versions = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def _cpuinfo_field(name: str):
    try:
        with open("/proc/cpuinfo") as handle:
            return next((line.split(":", 1)[1].strip() for line in handle if line.startswith(name)), None)
    except OSError:
        return None


def cpu_flags() -> list:
    """Which of :data:`CPU_FLAGS` this CPU has (empty where /proc/cpuinfo is not available)."""
    present = set((_cpuinfo_field("flags") or "").split())
    return [flag for flag in CPU_FLAGS if flag in present]


def _onednn_enabled():
    """Whether TensorFlow runs its oneDNN kernels here: True/False, or None off TensorFlow or if it cannot tell."""
    import keras

    if keras.backend.backend() != "tensorflow":
        return None
    try:
        from tensorflow.python.util import _pywrap_util_port  # the switch TensorFlow itself reads

        return bool(_pywrap_util_port.IsMklEnabled())
    except (ImportError, AttributeError):
        return None


def machine_description() -> dict:
    """Where the run happened: OS, CPU model, core count, the CPU features that matter, oneDNN on or off."""
    return {
        "platform": platform.platform(),
        "cpu": _cpuinfo_field("model name") or platform.processor() or "unknown CPU",
        "cpu_count": os.cpu_count(),
        "cpu_flags": cpu_flags(),
        "onednn": _onednn_enabled(),
        "TF_ENABLE_ONEDNN_OPTS": os.environ.get("TF_ENABLE_ONEDNN_OPTS"),
    }
