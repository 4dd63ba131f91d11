"""Moved to ``mnist_helpers.handwriting`` (``image_files`` and ``mnist_style``); kept for the notebook's imports."""

from .handwriting.image_files import ImageInputError, load_image, source_name
from .handwriting.mnist_style import naive_digit, prepare_digit, preprocessing_steps

__all__ = ["ImageInputError", "load_image", "naive_digit", "prepare_digit", "preprocessing_steps", "source_name"]
