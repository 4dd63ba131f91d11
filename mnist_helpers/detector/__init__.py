"""The not-a-digit detector: a small network that tells prepared digits from prepared non-digits.

- ``examples``: what it learns from (generated non-digits, real digits), as ``predict`` prepares them;
- ``training``: the network, its training run and the files it ships as (``models/detector/``);

Its command is ``python -m mnist_helpers train-detector`` (:mod:`mnist_helpers.cli.train_detector`).

At run time :mod:`mnist_helpers.own_digits.not_a_digit` runs its ONNX export beside the ink-shape check.
"""

__all__ = ["examples", "training"]
