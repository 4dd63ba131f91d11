"""What a run trains on (backend, device, CPU cores), as the notebook's Setup and the commands print it."""

import os
import types

import keras
import pytest

from mnist_helpers import report
from mnist_helpers._support import provenance


def test_without_a_gpu_the_device_is_the_cpu():
    # this machine has no GPU (tensorflow-cpu; JAX's CPU wheels): what every CI run sees
    device = provenance.training_device()
    assert device == {"keras_backend": keras.backend.backend(), "device": "CPU", "cpu_count": os.cpu_count()}
    assert provenance.describe_training_device() == (
        f"Training on CPU with the {keras.backend.backend()} backend ({os.cpu_count()} CPU cores)"
    )


def test_the_notebook_setup_shows_backend_device_and_cores():
    shown = report.environment()
    assert (shown["keras_backend"], shown["device"], shown["cpu_count"]) == (
        keras.backend.backend(),
        "CPU",
        os.cpu_count(),
    )


def test_a_gpu_that_jax_finds_is_named(monkeypatch):
    jax = pytest.importorskip("jax")
    gpu = types.SimpleNamespace(platform="gpu", device_kind="NVIDIA H200")
    monkeypatch.setattr(jax, "devices", lambda: [gpu])
    assert provenance._accelerator_name("jax") == "NVIDIA H200 (GPU)"
    monkeypatch.setattr(jax, "devices", lambda: [types.SimpleNamespace(platform="cpu", device_kind="cpu")])
    assert provenance._accelerator_name("jax") is None
