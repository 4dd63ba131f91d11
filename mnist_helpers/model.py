"""The fully-connected network from the seed recipe."""

import keras
from keras import layers


def build_model(
    hidden_layers=(512, 256, 128),
    dropout_rates=(0.3, 0.2),
    learning_rate=0.001,
    input_dim=784,
    num_classes=10,
):
    """Build and compile the MLP.

    The first ``len(dropout_rates)`` hidden layers are Dense -> BatchNorm -> ReLU -> Dropout;
    the rest are plain Dense + ReLU; the output is a softmax. With the defaults this is the
    seed's 784-512-256-128-10 network with 570,506 parameters.
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
    )
    return model
