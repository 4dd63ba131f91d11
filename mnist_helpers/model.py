"""The fully-connected network from the seed recipe."""

import keras
from keras import layers

# Batches per compiled call, per backend. TensorFlow runs them in one graph loop, which saves
# its per-step Python and dispatch overhead (measured in benchmarks/train_speed.py); JAX and
# PyTorch just loop in Python, so they gain nothing from it.
STEPS_PER_EXECUTION = {"tensorflow": 16}


def build_model(
    hidden_layers=(512, 256, 128),
    dropout_rates=(0.3, 0.2),
    learning_rate=0.001,
    input_dim=784,
    num_classes=10,
    steps_per_execution=None,
    jit_compile="auto",
):
    """Build and compile the MLP.

    The first ``len(dropout_rates)`` hidden layers are Dense -> BatchNorm -> ReLU -> Dropout;
    the rest are plain Dense + ReLU; the output is a softmax. With the defaults this is the
    seed's 784-512-256-128-10 network with 570,506 parameters. ``steps_per_execution`` and
    ``jit_compile`` only change speed; None picks the measured best for the Keras backend.
    """
    if len(dropout_rates) > len(hidden_layers):
        raise ValueError(f"{len(dropout_rates)} dropout rates for only {len(hidden_layers)} hidden layers")
    model = keras.Sequential(name="mnist_mlp")
    model.add(keras.Input(shape=(input_dim,), name="pixels"))
    for index, units in enumerate(hidden_layers):
        if index < len(dropout_rates):
            model.add(layers.Dense(units))
            model.add(layers.BatchNormalization())
            model.add(layers.Activation("relu"))
            model.add(layers.Dropout(dropout_rates[index]))
        else:
            model.add(layers.Dense(units, activation="relu"))
    model.add(layers.Dense(num_classes, activation="softmax", name="digit"))
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=learning_rate),
        loss="categorical_crossentropy",
        metrics=["accuracy"],
        steps_per_execution=steps_per_execution or STEPS_PER_EXECUTION.get(keras.backend.backend(), 1),
        jit_compile=jit_compile,
    )
    return model
