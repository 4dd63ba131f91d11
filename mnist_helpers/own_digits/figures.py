"""Figures for "Try your own handwriting": each preprocessing step for several images, numbers read, a segmentation."""

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


def plot_readings(images, readings, titles):
    """Each image with a box around every digit ``predict`` read in it, labelled with the digit and its confidence.

    ``readings`` are :class:`.reading.NumberReading` (a box in red: that digit is flagged as not a digit).
    """
    fig, axes = plt.subplots(1, len(images), figsize=(4.2 * len(images), 3.2), squeeze=False)
    for ax, image, reading, title in zip(axes[0], images, readings, titles):
        ax.imshow(np.asarray(image.convert("L")), cmap="gray", vmin=0, vmax=255)
        for digit in reading.digits:
            box, colour = digit.box, "tab:green" if digit.looks_like_digit else "tab:red"
            _outline(ax, box, colour, 1.5)
            ax.text(box.left, box.top - 4, f"{digit.digit} {digit.confidence:.0%}", color=colour, fontsize=9)
        ax.set_title(f"{title}: read {reading.number}" + ("" if reading.looks_like_digit else " (flagged)"), fontsize=9)
        ax.set_xticks([])
        ax.set_yticks([])
    fig.tight_layout()
    return fig


def plot_segmentation(image, search, reading, title):
    """One number's segmentation search: the cuts it tried and its atoms (above), the path chosen (below).

    ``search`` is the answered :class:`.number_search.NumberSearch` of ``image`` and ``reading`` its
    :class:`.reading.NumberReading`; each chosen digit is labelled with its digit, confidence and cost.
    """
    proposal = search.proposal
    costs = search.costs()
    path, _, _ = search.chosen()
    fig, (tried, chosen) = plt.subplots(2, 1, figsize=(7.5, 5.6))
    gray = np.asarray(image.convert("L"))
    for ax in (tried, chosen):
        _show(ax, gray, "")
    for column in proposal.cuts:
        tried.axvline(column * search.to_source, color="tab:orange", linestyle="--", linewidth=1)
    for candidate in proposal.candidates:
        if candidate.stop - candidate.start == 1:
            _outline(tried, candidate.box.scaled(search.to_source), "tab:blue", 0.8)
    tried.set_title(f"{title}: {len(proposal.cuts)} candidate cuts (dashed), {proposal.atoms} atoms, "
                    f"{len(proposal.candidates)} candidate digits", fontsize=9)  # fmt: skip
    for index, digit in zip(path, reading.digits):
        colour = "tab:green" if digit.looks_like_digit else "tab:red"
        _outline(chosen, digit.box, colour, 1.5)
        chosen.text(digit.box.left, digit.box.top - 4, f"{digit.digit} {digit.confidence:.0%}\ncost {costs[index]:.2f}",
                    color=colour, fontsize=8, va="bottom")  # fmt: skip
    chosen.set_title(f"cheapest path: read {reading.number} (total cost {reading.path_cost:.2f})", fontsize=9)
    fig.tight_layout()
    return fig


def _outline(ax, box, colour, width):
    ax.add_patch(plt.Rectangle((box.left, box.top), box.width, box.height, fill=False, color=colour, lw=width))
