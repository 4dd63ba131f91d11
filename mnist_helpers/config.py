"""Project paths and environment switches (the hyperparameters live in :mod:`.training.recipe`)."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_PATH = PROJECT_ROOT / "data" / "mnist.npz"
OUTPUTS_DIR = PROJECT_ROOT / "outputs"
SMOKE_OUTPUTS_DIR = OUTPUTS_DIR / "smoke"
MODEL_FILENAME = "mnist_mlp.keras"
# The robust model shipped with the project: the augmented recipe, trained by
# `python -m mnist_helpers train --augment --seed 0 --output models/robust`.
ROBUST_MODEL_DIR = PROJECT_ROOT / "models" / "robust"
EXAMPLES_DIR = PROJECT_ROOT / "examples"

DATA_ENV_VAR = "MNIST_DATA"  # path to your own copy of mnist.npz
OUTPUTS_ENV_VAR = "MNIST_OUTPUTS"  # where a run writes its figures and artifacts
SMOKE_ENV_VAR = "MNIST_SMOKE"  # "1" trains on a small subset for a quick check

FIGURE_DPI = 150

SMOKE_TRAIN_SAMPLES = 6000
SMOKE_EPOCHS = 2


def smoke_mode() -> bool:
    """True when the smoke-mode environment variable asks for a quick run."""
    return os.environ.get(SMOKE_ENV_VAR, "").strip().lower() in {"1", "true", "yes", "on"}


def outputs_dir(smoke: bool) -> Path:
    """Where a run writes: $MNIST_OUTPUTS if set, else outputs/ (outputs/smoke/ in smoke mode)."""
    override = os.environ.get(OUTPUTS_ENV_VAR)
    if override:
        return Path(override).expanduser().resolve()
    return SMOKE_OUTPUTS_DIR if smoke else OUTPUTS_DIR


def example_images() -> list:
    """The example digit images shipped in examples/ (PNG and JPEG), sorted by name."""
    return sorted(EXAMPLES_DIR.glob("*.[pj][np]g"))
