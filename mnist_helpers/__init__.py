"""Helpers for the MNIST classifier notebook: data, model, training, metrics, plots."""

from .quiet import quiet_tensorflow_import

# Import this package before Keras or TensorFlow: their C++ start-up chatter then stays out of cells and stderr.
quiet_tensorflow_import()
