"""The training recipe: every hyperparameter of a run in one frozen value, checked when it is made."""

import ast
import math
from dataclasses import dataclass, fields, replace

from .errors import UserFacingError

DEFAULT_SEED = 42


class ParameterError(UserFacingError):
    """A run parameter has the wrong type or an out-of-range value; the message names it."""


@dataclass(frozen=True)
class Recipe:
    """Network shape, optimiser and schedule of one training run (the defaults are the seed recipe).

    Values are checked and normalised on creation, so papermill's strings ("[512, 256]", "0.002")
    are accepted and a bad value fails at once with a ``ParameterError`` naming the field.
    """

    hidden_layers: tuple = (512, 256, 128)
    dropout_rates: tuple = (0.3, 0.2)  # for the first hidden layers, each with batch normalisation
    learning_rate: float = 0.001  # Adam
    batch_size: int = 128
    epochs: int = 25  # upper limit; early stopping usually ends training sooner
    validation_split: float = 0.1  # the last tenth of the training images
    patience: int = 4  # EarlyStopping: epochs without a better validation loss
    lr_patience: int = 2  # ReduceLROnPlateau: epochs without a better validation loss
    lr_factor: float = 0.5
    min_lr: float = 1e-5
    augment: bool = False  # train on randomly shifted, rotated and scaled images
    lr_schedule: str = "plateau"  # "plateau": ReduceLROnPlateau; "cosine": from learning_rate to min_lr over epochs

    def __post_init__(self):
        for name, check in CHECKS.items():
            object.__setattr__(self, name, check(name, getattr(self, name)))
        if len(self.dropout_rates) > len(self.hidden_layers):
            raise ParameterError(
                f"dropout_rates: {len(self.dropout_rates)} rates for only {len(self.hidden_layers)} hidden layers"
            )

    def as_json(self) -> dict:
        """The fields as JSON-ready values (tuples as lists), as ``metrics.json`` records them."""
        return {field.name: _json_ready(getattr(self, field.name)) for field in fields(self)}

    def with_changes(self, **changes) -> "Recipe":
        """A copy with some fields changed; ``None`` values keep the field as it is."""
        unknown = sorted(set(changes) - {field.name for field in fields(self)})
        if unknown:
            raise ParameterError(f"{unknown[0]}: not a recipe parameter")
        return replace(self, **{name: value for name, value in changes.items() if value is not None})


def _json_ready(value):
    return list(value) if isinstance(value, tuple) else value


def _parsed(name, value):
    if isinstance(value, str):
        try:
            return ast.literal_eval(value.strip())
        except (ValueError, SyntaxError):
            raise ParameterError(f"{name}: cannot read {value!r} as a value") from None
    return value


def _whole(name, value, low=1):
    value = _parsed(name, value)
    if isinstance(value, bool) or not isinstance(value, int) or value < low:
        raise ParameterError(f"{name}: must be a whole number >= {low} (got {value!r})")
    return value


def _fraction(name, value, low_open=True):
    value = _parsed(name, value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ParameterError(f"{name}: must be a number (got {value!r})")
    if not (0 < value < 1 if low_open else 0 <= value < 1):
        raise ParameterError(f"{name}: must lie in {'(0' if low_open else '[0'}, 1) (got {value!r})")
    return float(value)


def _positive(name, value):
    value = _parsed(name, value)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value) or value <= 0:
        raise ParameterError(f"{name}: must be a number > 0 (got {value!r})")
    return float(value)


def _sequence(name, value, item_check, allow_empty):
    value = _parsed(name, value)
    if isinstance(value, int | float) and not isinstance(value, bool):
        value = (value,)
    if not isinstance(value, list | tuple) or (not value and not allow_empty):
        what = "a list" if allow_empty else "a non-empty list"
        raise ParameterError(
            f"{name}: must be {what} such as {Recipe.__dataclass_fields__[name].default} (got {value!r})"
        )
    return tuple(item_check(f"{name}[{index}]", item) for index, item in enumerate(value))


def _choice(name, value, choices=("plateau", "cosine")):
    if not isinstance(value, str) or value.strip().lower() not in choices:
        raise ParameterError(f"{name}: must be one of {', '.join(choices)} (got {value!r})")
    return value.strip().lower()


def _flag(name, value):
    if isinstance(value, str) and value.strip().lower() in {"true", "false"}:
        return value.strip().lower() == "true"
    if not isinstance(value, bool):
        raise ParameterError(f"{name}: must be True or False (got {value!r})")
    return value


CHECKS = {
    "hidden_layers": lambda name, value: _sequence(name, value, _whole, allow_empty=False),
    "dropout_rates": lambda name, value: _sequence(name, value, lambda n, v: _fraction(n, v, False), True),
    "learning_rate": _positive,
    "batch_size": _whole,
    "epochs": _whole,
    "validation_split": _fraction,
    "patience": _whole,
    "lr_patience": _whole,
    "lr_factor": _fraction,
    "min_lr": _positive,
    "augment": _flag,
    "lr_schedule": _choice,
}

SEED_RECIPE = Recipe()

# Distorted images keep improving the validation loss for many more epochs. Rather than waiting
# for plateaus (50-74 epochs), a fixed budget with a cosine decay of the learning rate gets there
# in 45; the patience only lets a stalled run stop (chosen on validation data only: README,
# "Data augmentation").
AUGMENTED_RECIPE = SEED_RECIPE.with_changes(augment=True, epochs=45, patience=15, lr_schedule="cosine")


def recipe_for(augment=False, **changes) -> Recipe:
    """The seed recipe, or the whole augmented recipe if ``augment``, with ``changes`` (None: keep) applied."""
    return (AUGMENTED_RECIPE if _flag("augment", augment) else SEED_RECIPE).with_changes(**changes)


def checked_seed(seed) -> int:
    """``seed`` as an int that NumPy, Python and the Keras backends all accept."""
    seed = _whole("seed", seed, low=0)
    if seed >= 2**32:
        raise ParameterError(f"seed: must be below 2**32 (got {seed})")
    return seed
