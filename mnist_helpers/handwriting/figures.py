"""Figures for "Try your own handwriting": each preprocessing step, side by side, for several images."""

import matplotlib.pyplot as plt
import numpy as np

from .mnist_style import ORIGINAL_TITLE, STEPS

TITLES = {"original": ORIGINAL_TITLE, **{step.name: step.title for step in STEPS}}


def plot_preprocessing_steps(steps_per_image, row_labels, result_titles, naive=None):
    """One row per image: the image and each of ``mnist_style.STEPS`` left to right, the result titled last.

    ``steps_per_image`` is a list of step dicts; ``row_labels`` name the rows (e.g. file names);
    ``result_titles`` caption the final 28x28 digit (e.g. the prediction). ``naive``, a list of
    ``(image, title)`` pairs, adds a column after the original: the image merely resized to 28x28.
    Step names head the first row only; the naive and result captions appear on every row.
    """
    step_names = list(TITLES)
    columns = len(step_names) + (naive is not None)
    fig, axes = plt.subplots(len(steps_per_image), columns, figsize=(1.4 * columns, 1.6 * len(steps_per_image)))
    axes = np.atleast_2d(axes)
    for row, (steps, label) in enumerate(zip(steps_per_image, row_labels)):
        panels = [(steps[name], TITLES[name] if row == 0 else "") for name in step_names]
        if naive is not None:
            panels.insert(1, naive[row])
        panels[-1] = (panels[-1][0], result_titles[row])
        for ax, (image, title) in zip(axes[row], panels):
            _show(ax, image, title)
        axes[row][0].set_ylabel(label, fontsize=7, rotation=0, ha="right", va="center")
    fig.suptitle("From your image to an MNIST-style digit, step by step", fontsize=12)
    fig.tight_layout()
    return fig


def _show(ax, image, title):
    if image.ndim == 2:
        ax.imshow(image, cmap="gray", vmin=0, vmax=255 if image.dtype == np.uint8 else 1)
    else:
        ax.imshow(image)
    ax.set_title(title, fontsize=8)
    ax.set_xticks([])
    ax.set_yticks([])
