"""The fully-connected network from the baseline recipe."""

import keras
from keras import layers

from .data import IMAGE_PIXELS, NUM_CLASSES
from .recipe import BASELINE_RECIPE, Recipe

# Batches per compiled call, per backend. TensorFlow runs them in one graph loop, which saves
# its per-step Python and dispatch overhead (measured in benchmarks/train_speed.py); JAX and
# PyTorch just loop in Python, so they gain nothing from it.
STEPS_PER_EXECUTION = {"tensorflow": 16}


def build_model(recipe: Recipe = BASELINE_RECIPE, *, steps_per_execution=None, jit_compile="auto"):
    """Build and compile the MLP that ``recipe`` describes.

    The first ``len(recipe.dropout_rates)`` hidden layers are Dense -> BatchNorm -> ReLU -> Dropout;
    the rest are plain Dense + ReLU; the output is a softmax. With the baseline recipe this is the
    784-512-256-128-10 network with 570,506 parameters. ``steps_per_execution`` and
    ``jit_compile`` only change speed; None picks the measured best for the Keras backend.
    """
    hidden_layers, dropout_rates = recipe.hidden_layers, recipe.dropout_rates
    model = keras.Sequential(name="mnist_mlp")
    model.add(keras.Input(shape=(IMAGE_PIXELS,), name="pixels"))
    for index, units in enumerate(hidden_layers):
        if index < len(dropout_rates):
            model.add(layers.Dense(units))
            model.add(layers.BatchNormalization())
            model.add(layers.Activation("relu"))
            model.add(layers.Dropout(dropout_rates[index]))
        else:
            model.add(layers.Dense(units, activation="relu"))
    model.add(layers.Dense(NUM_CLASSES, activation="softmax", name="digit"))
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=recipe.learning_rate),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution or STEPS_PER_EXECUTION.get(keras.backend.backend(), 1),
        jit_compile=jit_compile,
    )
    return model
