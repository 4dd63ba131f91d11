"""Train and evaluate one recipe end to end: the path shared by the training command, benchmarks and tests."""

import sys

from ..data import flatten_and_scale, load_mnist, one_hot
from ..evaluation.evaluation import evaluate
from .model import build_model
from .recipe import checked_seed, recipe_for
from .training import seed_everything, train_model


def train_and_evaluate(recipe, seed, train_samples=None, test_samples=None, verbose=0, data=None):
    """Seed, build, train by ``recipe`` and evaluate on the test set; return ``(model, training, evaluation)``.

    ``train_samples``/``test_samples`` keep only the first so many images (smoke runs). ``data``
    is ``load_mnist()``'s result, loaded here if not given.
    """
    (x_train, y_train), (x_test, y_test) = data or load_mnist()
    x_train, y_train = x_train[:train_samples], y_train[:train_samples]
    x_test, y_test = x_test[:test_samples], y_test[:test_samples]
    seed_everything(checked_seed(seed))
    model = build_model(recipe)
    training = train_model(model, flatten_and_scale(x_train), one_hot(y_train), recipe, verbose=verbose)
    return model, training, evaluate(model, flatten_and_scale(x_test), y_test)


def summary(seed, augment=False, train_samples=None, test_samples=None, verbose=0, **changes) -> dict:
    """:func:`train_and_evaluate` on ``recipe_for(augment, **changes)``, as a JSON-ready dict (for fresh processes)."""
    import keras

    helpers_imported_tensorflow = "tensorflow" in sys.modules  # seeding imports it later on any backend
    recipe = recipe_for(augment, **changes)
    _, training, evaluation = train_and_evaluate(recipe, seed, train_samples, test_samples, verbose)
    best = training.best_epoch - 1
    return {
        "seed": seed,
        "backend": keras.backend.backend(),
        "recipe": recipe.as_json(),
        "test_accuracy": evaluation.accuracy,
        "test_loss": evaluation.loss,
        "confusion_matrix": evaluation.confusion_matrix.tolist(),
        "val_accuracy_at_best": training.history["val_accuracy"][best],
        "val_loss_at_best": training.history["val_loss"][best],
        "best_epoch": training.best_epoch,
        "epochs_run": training.epochs_run,
        "train_seconds": training.seconds,
        "history": training.history,
        "helpers_imported_tensorflow": helpers_imported_tensorflow,
    }
