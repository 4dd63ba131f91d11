"""What produced a run: library versions, the machine, the device Keras trains on (a GPU or the CPU), and the CPU
features that change TensorFlow's numerics."""

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


def _accelerator_name(backend: str):
    """The GPU the Keras ``backend`` trains on (its first, which Keras uses), or None when it trains on the CPU."""
    if backend == "jax":
        import jax

        device = jax.devices()[0]  # JAX's default device: a GPU whenever its CUDA wheels find one
        return None if device.platform == "cpu" else f"{device.device_kind} ({device.platform.upper()})"
    if backend == "tensorflow":
        import tensorflow as tf

        gpus = tf.config.list_physical_devices("GPU")  # none with tensorflow-cpu
        return (
            f"{tf.config.experimental.get_device_details(gpus[0]).get('device_name', gpus[0].name)} (GPU)"
            if gpus
            else None
        )
    if backend == "torch":
        import torch

        return f"{torch.cuda.get_device_name(0)} (GPU)" if torch.cuda.is_available() else None
    return None


def training_device() -> dict:
    """What Keras trains on here: its backend, the device (a GPU's name, else ``CPU``) and the CPU cores."""
    import keras

    backend = keras.backend.backend()
    return {"keras_backend": backend, "device": _accelerator_name(backend) or "CPU", "cpu_count": os.cpu_count()}


def describe_training_device() -> str:
    """:func:`training_device` in words, as the commands print it before training."""
    device = training_device()
    return (
        f"Training on {device['device']} with the {device['keras_backend']} backend ({device['cpu_count']} CPU cores)"
    )


def machine_description() -> dict:
    """Where the run happened: OS, CPU model, core count, the device Keras trains on, the CPU features that matter,
    oneDNN on or off."""
    return {
        "platform": platform.platform(),
        "cpu": _cpuinfo_field("model name") or platform.processor() or "unknown CPU",
        "cpu_count": os.cpu_count(),
        "device": training_device()["device"],
        "cpu_flags": cpu_flags(),
        "onednn": _onednn_enabled(),
        "TF_ENABLE_ONEDNN_OPTS": os.environ.get("TF_ENABLE_ONEDNN_OPTS"),
    }
