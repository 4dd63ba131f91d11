"""Moved to ``mnist_helpers.handwriting.figures``; kept for the notebook's imports."""

from .handwriting.figures import plot_preprocessing_steps

__all__ = ["plot_preprocessing_steps"]
