"""What a recipe search tries: the fields' ranges (one table), each trial's recipe, and its score with Optuna.

Each trial trains a recipe drawn from :data:`SEARCH_SPACE` and is scored by its best validation loss (the test set
plays no part); Optuna's median rule stops a trial whose validation loss lags the others' at the same epoch. Where
the trials run and how workers share them is :mod:`.studies`.
"""

import logging
import math
import os
import socket
from dataclasses import dataclass

import keras
import numpy as np
import optuna

from .data import flatten_and_scale, load_mnist, one_hot, smoke_subset
from .model import build_model
from .recipe import ParameterError, Recipe
from .train import seed_everything, train_model


@dataclass(frozen=True)
class Range:
    """Numbers from ``low`` to ``high`` (whole numbers if both are ints), drawn on a log scale if ``log``."""

    low: float
    high: float
    log: bool = False

    def draw(self, trial, name):
        if isinstance(self.low, int) and isinstance(self.high, int):
            return trial.suggest_int(name, self.low, self.high, log=self.log)
        return trial.suggest_float(name, self.low, self.high, log=self.log)

    def ends(self):
        return (self.low, self.high)


@dataclass(frozen=True)
class Choice:
    """One of ``options``; a list is written as text ("512, 256"): Optuna stores plain values, the recipe reads text."""

    options: tuple

    def draw(self, trial, name):
        return trial.suggest_categorical(name, self.options)

    def ends(self):
        return self.options


ANY, AUGMENTED = "any recipe", "the augmented recipe"  # which recipes search a field: the distortions need augment
# Recipe field -> (the values a trial may draw, which recipes search it). Around the shipped recipes and the
# candidates of benchmarks/recipe_search.py; every end is checked by Recipe's own checks (check_search).
SEARCH_SPACE = {
    "learning_rate": (Range(3e-4, 5e-3, log=True), ANY),
    "batch_size": (Choice((64, 128, 256, 512)), ANY),
    "hidden_layers": (Choice(("512, 256, 128", "1024, 512, 256", "800, 800", "1024, 1024", "512, 256")), ANY),
    "dropout_rates": (Choice(("0.1, 0.1", "0.2, 0.1", "0.3, 0.2", "0.4, 0.3")), ANY),
    "lr_schedule": (Choice(("plateau", "cosine")), ANY),
    "max_shift": (Range(0.0, 3.0), AUGMENTED),
    "max_rotation": (Range(0.0, 20.0), AUGMENTED),
    "max_scale": (Range(0.0, 0.2), AUGMENTED),
    "elastic_sigma": (Range(4.0, 7.0), AUGMENTED),
    "elastic_alpha": (Range(0.0, 40.0), AUGMENTED),
    "max_thinning": (Range(0.0, 1.0), AUGMENTED),
    "max_thickening": (Range(0.0, 2.0), AUGMENTED),
    "max_fading": (Range(0.0, 0.9), AUGMENTED),
}
FIXED_CHANGES = "changes"  # a queued trial's user attribute: recipe changes it trains instead of drawing any


@dataclass(frozen=True)
class Search:
    """What a study searches: the recipe its trials start from, the fields they draw, the training seed, smoke data."""

    base: Recipe
    fields: tuple
    seed: int
    smoke: bool = False

    def as_json(self) -> dict:
        return {"base": self.base.as_json(), "fields": list(self.fields), "seed": self.seed, "smoke": self.smoke}


def searched_fields(base: Recipe, fields=None) -> tuple:
    """``fields`` (default: every field ``base`` can search), each checked at both ends of its range by ``Recipe``."""
    fields = tuple(
        dict.fromkeys(fields or (name for name, (_, who) in SEARCH_SPACE.items() if base.augment or who == ANY))
    )
    for name in fields:
        values, who = SEARCH_SPACE[name]
        if who == AUGMENTED and not base.augment:
            raise ParameterError(f"{name}: searched only with --augment (the baseline recipe does not distort)")
        for value in values.ends():
            try:
                base.with_changes(**{name: value})
            except ParameterError as error:
                raise ParameterError(f"search range of {error}") from None
    return fields


def trial_recipe(trial, search: Search) -> Recipe:
    """The recipe ``trial`` trains: its queued changes, or a value drawn for each searched field."""
    fixed = trial.user_attrs.get(FIXED_CHANGES)
    if fixed is not None:
        return search.base.with_changes(**fixed)
    return search.base.with_changes(**{name: SEARCH_SPACE[name][0].draw(trial, name) for name in search.fields})


class _ReportToTrial(keras.callbacks.Callback):
    """Reports each epoch's validation loss to the trial; stops training when Optuna prunes it or the loss diverges."""

    def __init__(self, trial):
        super().__init__()
        self.trial, self.stopped_at = trial, None

    def on_epoch_end(self, epoch, logs=None):
        loss = float(logs["val_loss"])
        if math.isfinite(loss):
            self.trial.report(loss, epoch)
        if not math.isfinite(loss) or self.trial.should_prune():
            self.stopped_at = epoch + 1
            self.model.stop_training = True


def make_objective(search: Search, data=None):
    """The function Optuna calls for each trial: train its recipe on the training images, return the best
    validation loss (raise ``TrialPruned`` once pruned). ``data`` is ``load_mnist()``'s result, loaded if not given."""
    (x_train, y_train), _ = data or load_mnist()  # the test set is never used here
    if keras.backend.backend() == "tensorflow":  # each trial's new model is traced anew by design: no warning
        logging.getLogger("tensorflow").setLevel(logging.ERROR)
    x, y = smoke_subset(flatten_and_scale(x_train), one_hot(y_train), search.smoke)

    def objective(trial):
        recipe = trial_recipe(trial, search)
        trial.set_user_attr("recipe", recipe.as_json())
        trial.set_user_attr("worker", f"{socket.gethostname()}:{os.getpid()}")
        keras.backend.clear_session()  # one process trains many models
        seed_everything(search.seed)
        reporter = _ReportToTrial(trial)
        result = train_model(build_model(recipe), x, y, recipe, verbose=0, callbacks=[reporter])
        best = result.best_epoch - 1
        for name, value in (("val_accuracy", result.history["val_accuracy"][best]), ("best_epoch", result.best_epoch),
                            ("epochs_run", result.epochs_run), ("seconds", round(result.seconds, 2)),
                            ("backend", keras.backend.backend())):  # fmt: skip
            trial.set_user_attr(name, value)
        if reporter.stopped_at is not None:
            raise optuna.TrialPruned(f"stopped after epoch {reporter.stopped_at}")
        return result.history["val_loss"][best]

    return objective


class TrialSeededSampler(optuna.samplers.BaseSampler):
    """Optuna's TPE sampler, its random draws for trial N seeded by (seed, N): a one-worker study repeats, and
    workers sharing a study never draw alike (one seed in every process would draw the same values)."""

    def __init__(self, seed):
        self._seed, self._tpe = seed, optuna.samplers.TPESampler(seed=seed)

    def before_trial(self, study, trial):
        self._tpe = optuna.samplers.TPESampler(seed=int(np.random.SeedSequence([self._seed, trial.number])
                                                        .generate_state(1)[0]))  # fmt: skip
        self._tpe.before_trial(study, trial)

    def infer_relative_search_space(self, study, trial):
        return self._tpe.infer_relative_search_space(study, trial)

    def sample_relative(self, study, trial, search_space):
        return self._tpe.sample_relative(study, trial, search_space)

    def sample_independent(self, study, trial, param_name, param_distribution):
        return self._tpe.sample_independent(study, trial, param_name, param_distribution)

    def after_trial(self, study, trial, state, values):
        self._tpe.after_trial(study, trial, state, values)
