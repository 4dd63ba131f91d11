"""Your own handwriting: read image files safely, prepare them MNIST-style, classify them, show the steps.

- ``image_files``: read and check image files, arrays and Pillow images; convert to grayscale.
- ``mnist_style``: the MNIST-style preprocessing, one function per step, from a grayscale image to a 28x28 digit.
- ``digit_check``: does the prepared image look like a handwritten digit at all?
- ``classify``: safe model loading, batch classification, output lines and JSON records.
- ``compare``: several models on the same digits, and where they differ.
- ``figures``: the preprocessing-steps figure.
- ``cli``: the ``python -m mnist_helpers predict`` command.
- ``pad``: the notebook's drawing pad (an anywidget; ``pad.js`` and ``pad.css`` beside it).
"""
