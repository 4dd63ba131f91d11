"""A trained Keras model exported for use elsewhere, each export checked against the model before it is kept.

- ``formats``: the formats offered (ONNX, TensorFlow SavedModel, LiteRT): where each is written, how Keras
  writes it and how it is run again to check it.
- ``verification``: the check on the 10,000 MNIST test digits and the record kept beside each export.
- ``verified_export``: write an export atomically, keep it only if it passes, record the result beside it.

Its command is ``python -m mnist_helpers export`` (:mod:`mnist_helpers.cli.export`).
"""

__all__ = ["formats", "verification", "verified_export"]
