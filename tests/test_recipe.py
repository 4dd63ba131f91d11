"""The recipe: one home for every hyperparameter, papermill's strings read, bad values refused by name."""

from dataclasses import fields

import pytest

from mnist_helpers.recipe import AUGMENTED_RECIPE, BASELINE_RECIPE, ParameterError, Recipe, checked_seed, recipe_for


def test_baseline_recipe_is_the_original_one():
    assert (BASELINE_RECIPE.batch_size, BASELINE_RECIPE.epochs, BASELINE_RECIPE.validation_split) == (128, 25, 0.1)
    assert (BASELINE_RECIPE.hidden_layers, BASELINE_RECIPE.dropout_rates) == ((512, 256, 128), (0.3, 0.2))
    assert (BASELINE_RECIPE.learning_rate, BASELINE_RECIPE.augment) == (0.001, False)


def test_augment_alone_means_the_whole_augmented_recipe():
    assert recipe_for(augment=True) == AUGMENTED_RECIPE
    assert AUGMENTED_RECIPE.augment and AUGMENTED_RECIPE.epochs > BASELINE_RECIPE.epochs
    assert AUGMENTED_RECIPE.hidden_layers == BASELINE_RECIPE.hidden_layers  # the same network


def test_none_keeps_a_field_and_overrides_apply_on_either_recipe():
    assert recipe_for(augment=False, epochs=None, batch_size=None) == BASELINE_RECIPE
    assert recipe_for(augment="True", epochs=10).epochs == 10
    assert recipe_for(augment=True, epochs=10).patience == AUGMENTED_RECIPE.patience


@pytest.mark.parametrize(
    "field, text, value",
    [
        ("hidden_layers", "[64, 32]", (64, 32)),
        ("hidden_layers", "(256, 128)", (256, 128)),
        ("dropout_rates", "[]", ()),
        ("learning_rate", "0.002", 0.002),
        ("epochs", "10", 10),
        ("augment", "false", False),
        ("lr_schedule", "Cosine", "cosine"),
    ],
)
def test_papermill_strings_are_read(field, text, value):
    assert getattr(Recipe(**{field: text}), field) == value


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"epochs": 0}, "epochs: must be a whole number >= 1 (got 0)"),
        ({"epochs": 2.5}, "epochs: must be a whole number >= 1 (got 2.5)"),
        ({"batch_size": -5}, "batch_size: must be a whole number >= 1 (got -5)"),
        ({"batch_size": True}, "batch_size: must be a whole number >= 1 (got True)"),
        ({"hidden_layers": "[]"}, "hidden_layers: must be a non-empty list such as (512, 256, 128) (got [])"),
        ({"hidden_layers": "[64, 0]"}, "hidden_layers[1]: must be a whole number >= 1 (got 0)"),
        ({"hidden_layers": "512 256"}, "hidden_layers: cannot read '512 256' as a value"),
        ({"dropout_rates": "[0.3, 1.5]"}, r"dropout_rates[1]: must lie in [0, 1) (got 1.5)"),
        ({"dropout_rates": (0.1, 0.1, 0.1, 0.1)}, "dropout_rates: 4 rates for only 3 hidden layers"),
        ({"learning_rate": 0}, "learning_rate: must be a number > 0 (got 0)"),
        ({"learning_rate": "fast"}, "learning_rate: cannot read 'fast' as a value"),
        ({"validation_split": 1.0}, "validation_split: must lie in (0, 1) (got 1.0)"),
        ({"augment": "maybe"}, "augment: must be True or False (got 'maybe')"),
        ({"augment": 1}, "augment: must be True or False (got 1)"),
        ({"lr_schedule": "linear"}, "lr_schedule: must be one of plateau, cosine (got 'linear')"),
        ({"epoch": 3}, "epoch: not a recipe parameter"),
    ],
)
def test_bad_values_are_one_line_naming_the_parameter(changes, message):
    with pytest.raises(ParameterError) as caught:
        BASELINE_RECIPE.with_changes(**changes)
    assert str(caught.value) == message


@pytest.mark.parametrize("seed, message", [(-1, "seed: must be a whole number >= 0 (got -1)"),
                                           (2**32, "seed: must be below 2**32 (got 4294967296)"),
                                           ("seven", "seed: cannot read 'seven' as a value")])  # fmt: skip
def test_bad_seed_is_refused(seed, message):
    with pytest.raises(ParameterError, match=message.replace("(", r"\(").replace(")", r"\)").replace("*", r"\*")):
        checked_seed(seed)
    assert checked_seed("7") == 7


@pytest.mark.parametrize("name", [each.name for each in fields(Recipe)])
def test_every_field_declares_a_check_that_refuses_a_bad_value(name):
    assert callable(Recipe.__dataclass_fields__[name].metadata.get("check")), f"{name} has no check"
    with pytest.raises(ParameterError) as caught:
        Recipe(**{name: object()})
    assert str(caught.value).startswith(f"{name}: ")


def test_distortion_limits_are_recipe_fields_recorded_with_the_rest():
    limits = AUGMENTED_RECIPE.distortion_limits()
    assert set(limits) <= set(AUGMENTED_RECIPE.as_json())
    assert AUGMENTED_RECIPE.with_changes(max_rotation="8").distortion_limits()["max_rotation"] == 8.0
    with pytest.raises(ParameterError, match=r"max_thickening: must lie in \[0, 2\] \(got 3\)"):
        AUGMENTED_RECIPE.with_changes(max_thickening=3)
    with pytest.raises(ParameterError, match="elastic_sigma: must be > 0 when elastic_alpha is"):
        Recipe(elastic_alpha=10.0, elastic_sigma=0.0)


def test_the_network_size_is_limited_per_layer_and_in_parameters():
    with pytest.raises(ParameterError, match=r"^hidden_layers\[0\]: must be a whole number <= 4,096 \(got 10"):
        recipe_for(hidden_layers="[1000000000000]")
    with pytest.raises(ParameterError) as caught:
        recipe_for(hidden_layers=(4096, 4096, 4096))
    assert str(caught.value) == (
        "hidden_layers: (4096, 4096, 4096) make a network of 36,851,722 parameters; the limit is 20,000,000"
    )


@pytest.mark.parametrize("recipe", [BASELINE_RECIPE, Recipe(hidden_layers=(64, 32), dropout_rates=(0.1,))])
def test_the_parameter_count_is_the_built_networks(recipe):
    from mnist_helpers.model import build_model

    assert recipe.parameter_count() == build_model(recipe).count_params()
