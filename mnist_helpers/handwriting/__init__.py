"""Your own handwriting: read image files safely, prepare them MNIST-style, classify them, show the steps.

- ``image_files``: read and check image files, arrays and Pillow images; convert to grayscale.
- ``mnist_style``: the MNIST-style preprocessing, one function per step, from a grayscale image to a 28x28 digit.
- ``digit_split``: split an image's ink into the digits of a number, left to right.
- ``digit_check``: does the prepared image look like a handwritten digit at all? (ink shape, then ``detector``)
- ``detector``: the not-a-digit detector's ONNX export, run by ONNX Runtime.
- ``classify``: safe model loading, batch classification, output lines and JSON records.
- ``reading``: every digit of an image read as a number; its line and JSON record.
- ``onnx_model``: a classifier exported to ONNX, run by ONNX Runtime (what ``predict`` uses).
- ``compare``: several models on the same digits, and where they differ.
- ``figures``: the preprocessing-steps figure, and images with the digits read in them.
- ``strokes``: pen strokes drawn as ink (the pad re-draws each digit with a pen in proportion to it).
- ``cli``: the ``python -m mnist_helpers predict`` command.
- ``pad``: the notebook's drawing pad (an anywidget; ``pad.js`` and ``pad.css`` beside it).
"""
