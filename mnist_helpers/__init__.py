"""Helpers for the MNIST classifier notebook: data, model, training, metrics, plots."""

import os

# Keep TensorFlow's C++ start-up chatter (oneDNN, CPU feature notices) out of notebook cells.
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
