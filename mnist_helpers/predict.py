"""Moved to ``mnist_helpers.handwriting.classify``; kept for the notebook's imports."""

from .handwriting.classify import DigitPrediction, FailedImage, classify_digits, classify_images, load_classifier

__all__ = ["DigitPrediction", "FailedImage", "classify_digits", "classify_images", "load_classifier"]
