"""Generated images for the tests and benchmarks: digits drawn from stroke templates, printed or "photographed",
MNIST digits written out as pages or with other pens, and images that are not digits. Nothing here trains a model."""
