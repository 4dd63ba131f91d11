"""Generated images for the tests and benchmarks: digits drawn from stroke templates, printed or "photographed",
MNIST digits written out as pages, with other pens or with strokes of different darkness, numbers, and images that
are not digits. Only the not-a-digit detector (:mod:`mnist_helpers.detector`) learns from them, under seeds of its
own; no classifier does."""

__all__ = [
    "noise",
    "not_digits",
    "number_pages",
    "out_of_mnist_set",
    "pad_drawings",
    "pages",
    "pens",
    "pressure_strokes",
    "renderings",
    "stroke_ink",
    "stroke_templates",
]
