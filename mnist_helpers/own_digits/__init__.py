"""Your own handwriting: image files and drawings read as MNIST-style digits, classified, flagged when not a digit.

- ``image_files``: read and check image files, arrays and Pillow images; convert to grayscale; ``image_decoding``:
  an animation's first frame with ink, a JPEG missing only its end marker, an alpha channel that is all zero.
- ``ink``: the first MNIST-style steps, finding the ink on the paper (polarity, uneven light, contrast, specks, crop).
- ``mnist_style``: the MNIST-style preprocessing as one table of steps (``STEPS``), from an image to a 28x28 digit.
- ``digit_split``: split an image's ink into the digits of a number at its gaps (the search's fallback).
- ``over_segment``: cut a number's ink into more parts than it has digits; ``segmentation``: the search that reads
  every run of parts as a candidate digit and takes the cheapest path through the line.
- ``not_a_digit``: does a prepared image look like a handwritten digit at all? (ink shape, then the detector)
- ``classify``: each image's prediction, its output line and JSON record.
- ``number_search``: one image's search answered (candidates classified and checked in one batch), its path.
- ``reading``: every digit of an image read as a number (the search, batched); its line and JSON record.
- ``compare``: several models on the same digits, and where they differ.
- ``figures``: the preprocessing-steps figure, images with the digits read in them, a number's segmentation.
- ``pen``: pen strokes drawn as ink; ``drawing``: the pad's strokes split into digits and prepared.
- ``pad``: the notebook's drawing pad (an anywidget; ``pad.js`` and ``pad.css`` beside it).

Models are opened, checked and run by :mod:`mnist_helpers.model_files`.
"""

__all__ = [
    "classify",
    "compare",
    "digit_split",
    "drawing",
    "figures",
    "image_decoding",
    "image_files",
    "ink",
    "mnist_style",
    "not_a_digit",
    "number_search",
    "over_segment",
    "pad",
    "pen",
    "reading",
    "segmentation",
]
