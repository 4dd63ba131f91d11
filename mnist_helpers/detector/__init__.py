"""The not-a-digit detector: a small network that tells prepared digits from prepared non-digits.

- ``examples``: what it learns from (generated non-digits, real digits), as ``predict`` prepares them;
- ``training``: the network, its training run and the files it ships as (``models/detector/``);
- ``cli``: ``python -m mnist_helpers train-detector``.

At run time :mod:`..handwriting.digit_check` runs its ONNX export beside the ink-shape check.
"""
