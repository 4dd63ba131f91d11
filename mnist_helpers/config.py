"""Project paths and environment switches (the hyperparameters live in :mod:`.recipe`; every value from outside
is read and checked by :mod:`._support.settings`)."""

import os
from pathlib import Path

from ._support.settings import output_folder, variable_flag, variable_path, variable_text

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DATA_PATH = PROJECT_ROOT / "data" / "mnist.npz"
OUTPUTS_DIR = PROJECT_ROOT / "outputs"
SMOKE_OUTPUTS_DIR = OUTPUTS_DIR / "smoke"
# The models shipped with the project, by role. Each is saved as <role>.keras, beside the metrics.json and
# history.csv of the run that made it and its verified ONNX export, <role>.onnx (what predict runs). The robust
# model is a committee of the augmented recipe's seeds 0, 1 and 2 (each `python -m mnist_helpers train --augment
# --seed N --output runs/members/seedN --name seedN`), each member also reading every digit moved by up to a pixel
# (benchmarks/shift_averaging.py chose it), made by `python -m mnist_helpers committee
# runs/members/seed0/seed0.keras runs/members/seed1/seed1.keras runs/members/seed2/seed2.keras --shift-reach 1
# --output models/robust/robust.keras --replace-shipped`, which writes its metrics.json (with each member's record)
# and history.csv (each member's epochs) too;
# `python -m mnist_helpers export --shipped` exports every shipped model again.
MODEL_FOLDERS = {
    "notebook": OUTPUTS_DIR,  # the committed notebook run: the baseline recipe, seed 42
    "robust": PROJECT_ROOT / "models" / "robust",
}
# The not-a-digit detector's ONNX export (`python -m mnist_helpers train-detector` makes it; see mnist_helpers.detector)
DETECTOR_FILE = PROJECT_ROOT / "models" / "detector" / "detector.onnx"
DEFAULT_MODEL_ROLE = "robust"  # what predict answers with (its ONNX export) when no --model is given
EXAMPLES_DIR = PROJECT_ROOT / "examples"

DATA_ENV_VAR = "MNIST_DATA"  # path to your own copy of mnist.npz
OUTPUTS_ENV_VAR = "MNIST_OUTPUTS"  # where a run writes its figures and artifacts
SMOKE_ENV_VAR = "MNIST_SMOKE"  # "1" trains on a small subset for a quick check
REPLACE_SHIPPED_FLAG = "--replace-shipped"  # what train, export and train-detector need to write over a shipped model
MAX_SHIFT_REACH = 2  # a committee's largest shift (committee --shift-reach): 25 views; 3 pixels can leave MNIST's box

FIGURE_DPI = 150

SMOKE_TRAIN_SAMPLES = 6000  # a smoke run trains on the first 6,000 images (data.smoke_subset)
SMOKE_EPOCHS = 2  # for at most two epochs (recipe.recipe_for)


def smoke_mode() -> bool:
    """True when ``MNIST_SMOKE`` asks for a quick run (1, true, yes, on); 0, false, no, off or unset: a full run.
    Any other value is refused (``SettingError``), never silently a full run."""
    return bool(variable_flag(SMOKE_ENV_VAR))


def outputs_dir(smoke: bool) -> Path:
    """Where a run writes: $MNIST_OUTPUTS if set (checked), else outputs/ (outputs/smoke/ in smoke mode)."""
    override = variable_text(OUTPUTS_ENV_VAR)
    if override is not None:
        return Path(os.path.realpath(output_folder(OUTPUTS_ENV_VAR, override)))
    return SMOKE_OUTPUTS_DIR if smoke else OUTPUTS_DIR


def data_path_setting():
    """The MNIST file ``MNIST_DATA`` names (checked), or None when it is unset."""
    return variable_path(DATA_ENV_VAR)


def shipped_role(folder):
    """Which shipped model's folder ``folder`` is (a key of ``MODEL_FOLDERS``, or "detector"), else None."""
    folder = Path(os.path.realpath(folder))
    places = {**MODEL_FOLDERS, "detector": DETECTOR_FILE.parent}
    return next((role for role, place in places.items() if folder == Path(os.path.realpath(place))), None)


def model_file(folder, name) -> Path:
    """Where a run saves its model: ``<name>.keras`` in ``folder``."""
    return Path(folder) / f"{name}.keras"


def onnx_model_file(folder, name) -> Path:
    """Where a model's ONNX export is written, beside it: ``<name>.onnx`` in ``folder``."""
    return Path(folder) / f"{name}.onnx"


def shipped_model(role) -> Path:
    """The model shipped for ``role`` (a key of ``MODEL_FOLDERS``), named after it: ``models/robust/robust.keras``."""
    return model_file(MODEL_FOLDERS[role], role)


def shipped_onnx_model(role) -> Path:
    """The ONNX export of the model shipped for ``role``, beside it: ``models/robust/robust.onnx``."""
    return onnx_model_file(MODEL_FOLDERS[role], role)


def shown_path(path) -> Path:
    """``path`` relative to the repository root where it lies inside it, as messages and tables show it."""
    path = Path(path).resolve()
    return path.relative_to(PROJECT_ROOT) if path.is_relative_to(PROJECT_ROOT) else path


def example_images() -> list:
    """The example digit images shipped in examples/ (PNG and JPEG), sorted by name."""
    return sorted(EXAMPLES_DIR.glob("*.[pj][np]g"))
