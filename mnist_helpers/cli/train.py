"""``python -m mnist_helpers train``: the notebook's training run without the notebook.

Same code path as the notebook (recipe -> build_model -> train_model -> evaluate -> metrics record),
Keras's epoch log on standard output, and the same artifacts: the model (named after the recipe,
``baseline.keras`` or ``augmented.keras``, unless ``--name`` says otherwise) and its verified ONNX export
beside it (on the TensorFlow backend; see :mod:`mnist_helpers.export`), ``metrics.json`` and ``history.csv``,
written as one set (:func:`..run_files.save_run_artifacts`): the output folder holds the previous run or
the new one, never a mix, and is its own (a folder holding other files is refused). Bad parameters, data or output
folders are one line on standard error (exit 2), before anything is trained or written.
"""

import os
import sys
from pathlib import Path

from .. import config
from .._support.errors import UserFacingError

EXIT_OK, EXIT_USAGE = 0, 2
RUNS_DIR = config.PROJECT_ROOT / "runs"


def add_parser(subparsers) -> None:
    """Register the ``train`` subcommand (``--smoke`` or ``MNIST_SMOKE=1`` makes it a quick smoke run)."""
    from ..recipe import DEFAULT_SEED

    parser = subparsers.add_parser(
        "train",
        help="train the network headlessly and save the model (.keras and .onnx), metrics.json and history.csv",
        description="Train the baseline recipe (or the augmented one) on MNIST and evaluate it on the test set.",
    )
    recipes = parser.add_mutually_exclusive_group()
    recipes.add_argument("--augment", action="store_true", help="the augmented (robust) recipe")
    recipes.add_argument(
        "--recipe",
        metavar="FILE",
        help="a recipe file (JSON: its fields over the baseline, or the augmented recipe if it sets augment), "
        "such as tune --write-best writes",
    )
    parser.add_argument("--seed", default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})")
    parser.add_argument("--epochs", help="override the recipe's epoch budget")
    parser.add_argument(
        "--output",
        metavar="DIR",
        help="folder for the artifacts (default: $MNIST_OUTPUTS, else runs/RECIPE-seedN/)",
    )
    parser.add_argument(
        "--name", help="the model's name: NAME.keras, NAME.onnx (default: baseline or augmented; robust.keras: robust)"
    )
    parser.add_argument(
        config.REPLACE_SHIPPED_FLAG,
        action="store_true",
        help="allow --output to be a shipped model's folder (models/robust, outputs/): replace that model",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"a quick check, not a result: {config.SMOKE_TRAIN_SAMPLES:,} images, {config.SMOKE_EPOCHS} epochs "
        f"(as {config.SMOKE_ENV_VAR}=1)",
    )
    parser.set_defaults(run=run)


def _recipe_name(augment: bool) -> str:
    """What the command calls a recipe in folder and file names: ``baseline`` or ``augmented``."""
    return "augmented" if augment else "baseline"


def default_output(augment: bool, seed: int, smoke: bool) -> Path:
    """``$MNIST_OUTPUTS`` if set, else ``runs/<baseline|augmented>-seed<N>[-smoke]/`` (git-ignored)."""
    if os.environ.get(config.OUTPUTS_ENV_VAR) is not None:
        return config.outputs_dir(smoke=False)  # checked there: an empty value is refused
    return RUNS_DIR / f"{_recipe_name(augment)}-seed{seed}{'-smoke' if smoke else ''}"


def run(args) -> int:
    """Train, evaluate and save; return the exit status."""
    try:
        return train(
            args.augment, args.seed, args.epochs, args.output, args.name, smoke=args.smoke, recipe=args.recipe,
            replace_shipped=args.replace_shipped,
        )  # fmt: skip
    except UserFacingError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE


def train(augment, seed, epochs=None, output=None, name=None, smoke=False, recipe=None, replace_shipped=False) -> int:
    """Check everything first, then train with Keras's per-epoch log and write the artifacts.

    A ``smoke`` run (``--smoke``, or ``MNIST_SMOKE=1``) is the notebook's smoke mode: a quick check, not a result.
    ``recipe`` names a recipe file (:func:`..recipe_files.read_recipe`) to train instead of the baseline or augmented
    recipe. A shipped model's folder is written only with ``replace_shipped`` (``--replace-shipped``), and never by a
    smoke run.
    """
    from .._support.file_sets import check_set_folder
    from .._support.provenance import describe_training_device
    from .._support.settings import model_name, output_folder
    from ..data import load_mnist
    from ..recipe import checked_seed, recipe_for
    from ..recipe_files import read_recipe
    from ..report import build_metrics_record
    from ..run_files import check_not_shipped, is_run_file, save_run_artifacts
    from ..train import train_and_evaluate

    smoke = smoke or config.smoke_mode()
    if recipe is None:
        recipe = recipe_for(augment, smoke=smoke, epochs=epochs)
    else:
        recipe = read_recipe(recipe, smoke=smoke, epochs=epochs)
    seed = checked_seed(seed)
    name = model_name("name", _recipe_name(recipe.augment) if name is None else name)
    folder = output_folder("output", output) if output is not None else default_output(recipe.augment, seed, smoke)
    check_not_shipped(folder, replace_shipped, smoke)
    folder = check_set_folder(folder, is_run_file)
    dataset = load_mnist()  # the folder is made only when the run is saved, so bad data leaves none behind
    print(
        f"{'SMOKE' if smoke else 'Full'} run, seed {seed}, writing to {config.shown_path(folder)}",
        describe_training_device(),
        recipe,
        sep="\n",
        flush=True,
    )
    model, training, evaluation = train_and_evaluate(recipe, seed, smoke=smoke, verbose=2, data=dataset)
    record = build_metrics_record(evaluation, training, recipe, seed, smoke)
    paths = save_run_artifacts(model, record, training.history, folder, name)
    print(
        f"Test accuracy {evaluation.accuracy:.4f}, test loss {evaluation.loss:.4f} after {training.epochs_run} epochs "
        f"(best {training.best_epoch}), {training.seconds:.0f} s of training",
        *(f"wrote {config.shown_path(path)}" for path in paths),
        sep="\n",
    )
    if not any(path.suffix == ".onnx" for path in paths):
        export = f"python -m mnist_helpers export --model {config.shown_path(paths[0])}"
        print(f"no ONNX export (Keras writes it on TensorFlow): `{export}`")
    return EXIT_OK
