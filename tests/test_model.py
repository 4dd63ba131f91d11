import pytest

from mnist_helpers.model import build_model
from mnist_helpers.recipe import ParameterError, Recipe


def layer_kinds(model):
    return [type(layer).__name__ for layer in model.layers]


def test_default_network_is_the_baseline_recipe():
    model = build_model()
    assert model.count_params() == 570_506
    assert layer_kinds(model) == [
        "Dense", "BatchNormalization", "Activation", "Dropout",
        "Dense", "BatchNormalization", "Activation", "Dropout",
        "Dense", "Dense",
    ]  # fmt: skip
    assert [layer.rate for layer in model.layers if hasattr(layer, "rate")] == [0.3, 0.2]
    assert model.output_shape == (None, 10)
    assert float(model.optimizer.learning_rate) == pytest.approx(0.001)


def test_knobs_change_sizes_dropout_and_learning_rate():
    model = build_model(Recipe(hidden_layers=(64, 32), dropout_rates=(0.5,), learning_rate=0.01))
    assert layer_kinds(model) == ["Dense", "BatchNormalization", "Activation", "Dropout", "Dense", "Dense"]
    # 784*64+64 + 4*64 + 64*32+32 + 32*10+10
    assert model.count_params() == 50_240 + 256 + 2_080 + 330
    assert float(model.optimizer.learning_rate) == pytest.approx(0.01)


def test_more_dropout_rates_than_layers_is_an_error():
    with pytest.raises(ParameterError, match="3 rates for only 2 hidden layers"):
        build_model(Recipe(hidden_layers=(64, 32), dropout_rates=(0.1, 0.2, 0.3)))
