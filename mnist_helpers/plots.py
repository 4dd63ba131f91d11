"""The notebook's figures. Each function returns a Figure; ``save_figure`` writes and closes it.

:data:`FIGURES` is the table of the figures the notebook saves: each one's file and the function that draws it.
"""

import importlib
from dataclasses import dataclass
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
import seaborn as sns
from matplotlib.ticker import MaxNLocator

from ._support.artifacts import atomic_path
from .config import FIGURE_DPI

CORRECT_COLOR = "tab:green"
WRONG_COLOR = "tab:red"


def save_figure(fig, path, dpi=FIGURE_DPI):
    """Save ``fig`` as PNG at ``dpi`` (atomically), close it and return the path."""
    with atomic_path(path) as temporary:
        fig.savefig(temporary, dpi=dpi, bbox_inches="tight", format="png")
    plt.close(fig)
    return path


def save_notebook_figure(fig, name, folder) -> Path:
    """Save ``fig`` as the notebook's figure ``name`` (a key of :data:`FIGURES`) in ``folder``; return the path."""
    return save_figure(fig, Path(folder) / FIGURES[name].file)


def _digit_grid(count, columns, cell_size=1.2, title_room=0.45):
    rows = int(np.ceil(count / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(columns * cell_size, rows * (cell_size + title_room)))
    axes = np.atleast_1d(axes).ravel()
    for ax in axes:
        ax.axis("off")
    return fig, axes


def plot_samples(images, labels, count=20, columns=10):
    """The first ``count`` raw digits with their labels."""
    fig, axes = _digit_grid(count, columns)
    for ax, image, label in zip(axes, images[:count], labels[:count]):
        ax.imshow(image, cmap="gray_r")
        ax.set_title(f"label {label}", fontsize=10)
    fig.suptitle(f"The first {count} MNIST training digits", fontsize=13)
    fig.tight_layout()
    return fig


def plot_class_distribution(train_counts, test_counts):
    """Examples per digit in the training and test sets, side by side."""
    digits = np.arange(len(train_counts))
    fig, ax = plt.subplots(figsize=(9, 4.5))
    width = 0.4
    for offset, counts, name in ((-width / 2, train_counts, "training"), (width / 2, test_counts, "test")):
        bars = ax.bar(digits + offset, counts, width, label=f"{name} ({int(np.sum(counts)):,})")
        ax.bar_label(bars, fontsize=7, padding=2)
    ax.set_xticks(digits)
    ax.set_xlabel("Digit")
    ax.set_ylabel("Number of images")
    ax.set_title("Class distribution of MNIST")
    ax.legend()
    ax.margins(y=0.1)
    fig.tight_layout()
    return fig


def plot_training_curves(history):
    """Accuracy and loss per epoch, training against validation."""
    epochs = np.arange(1, len(history["loss"]) + 1)
    fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    for ax, metric, label in ((axes[0], "accuracy", "Accuracy"), (axes[1], "loss", "Loss (cross-entropy)")):
        ax.plot(epochs, history[metric], "o-", label="training")
        ax.plot(epochs, history[f"val_{metric}"], "s-", label="validation")
        ax.set_xlabel("Epoch")
        ax.set_ylabel(label)
        ax.set_title(f"{label.split()[0]} per epoch")
        ax.grid(alpha=0.3)
    best = int(np.argmin(history["val_loss"])) + 1
    for ax in axes:
        ax.axvline(best, color="gray", linestyle="--", linewidth=1, label=f"best val. loss (epoch {best})")
        ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        ax.legend()
    fig.tight_layout()
    return fig


def plot_confusion_matrix(matrix):
    """Seaborn heatmap of the confusion matrix, counts annotated: the errors on a colour scale of their own.

    The diagonal (hundreds of correct answers per digit) would otherwise set the scale, leaving every error cell
    white; here it is grey, and the off-diagonal cells are shaded from 0 to the largest error count.
    """
    matrix = np.asarray(matrix)
    diagonal = np.eye(len(matrix), dtype=bool)
    errors = np.where(diagonal, 0, matrix)
    fig, ax = plt.subplots(figsize=(8.5, 7))
    sns.heatmap(matrix, mask=~diagonal, annot=True, fmt="d", cmap=["0.88"], cbar=False, ax=ax,
                annot_kws={"fontsize": 8})  # fmt: skip
    sns.heatmap(matrix, mask=diagonal, annot=True, fmt="d", cmap="Reds", vmin=0, vmax=max(1, errors.max()), ax=ax,
                annot_kws={"fontsize": 8}, cbar_kws={"label": "Test images read as another digit"})  # fmt: skip
    ax.set_xlabel("Predicted digit")
    ax.set_ylabel("True digit")
    ax.set_title(f"Confusion matrix on the test set ({int(matrix.sum()):,} images; grey: correct)")
    fig.tight_layout()
    return fig


def plot_per_class_accuracy(accuracy, overall=None):
    """Bar chart of per-digit accuracy, zoomed to the range where the differences show."""
    digits = np.arange(len(accuracy))
    fig, ax = plt.subplots(figsize=(9, 4.5))
    bars = ax.bar(digits, accuracy * 100, color="tab:blue")
    ax.bar_label(bars, labels=[f"{value * 100:.1f}" for value in accuracy], fontsize=8, padding=2)
    title = "Test accuracy per digit (y-axis zoomed)"
    if overall is not None:
        ax.axhline(overall * 100, color="tab:orange", linestyle="--")
        title += f"; dashed line: overall {overall * 100:.2f}%"
    low = max(0.0, np.floor(min(accuracy) * 100) - 2)
    ax.set_ylim(low, 100.5)
    ax.set_xticks(digits)
    ax.set_xlabel("True digit")
    ax.set_ylabel("Accuracy (%)")
    ax.set_title(title)
    fig.tight_layout()
    return fig


def plot_predictions_grid(images, y_true, y_pred, confidence, columns=5):
    """Digits with predicted label and confidence; correct in green, wrong in red."""
    fig, axes = _digit_grid(len(images), columns, cell_size=1.8, title_room=0.5)
    for ax, image, true, pred, conf in zip(axes, images, y_true, y_pred, confidence):
        correct = true == pred
        ax.imshow(image, cmap="gray_r")
        ax.set_title(
            f"pred {pred} ({conf:.1%})" + ("" if correct else f"\ntrue {true}"),
            color=CORRECT_COLOR if correct else WRONG_COLOR,
            fontsize=9,
        )
        _frame(ax, CORRECT_COLOR if correct else WRONG_COLOR)
    wrong = int(np.sum(np.asarray(y_true) != np.asarray(y_pred)))
    fig.suptitle(f"Test predictions: {len(images) - wrong} correct (green), {wrong} wrong (red)", fontsize=12)
    fig.tight_layout()
    return fig


def plot_digit_mistakes(images, y_true, y_pred, confidence, title, columns=5):
    """Misclassified digits, each titled with true label, prediction and confidence."""
    fig, axes = _digit_grid(len(images), columns, cell_size=1.8, title_room=0.5)
    for ax, image, true, pred, conf in zip(axes, images, y_true, y_pred, confidence):
        ax.imshow(image, cmap="gray_r")
        ax.set_title(f"true {true}, pred {pred}\nconfidence {conf:.1%}", color=WRONG_COLOR, fontsize=9)
        _frame(ax, WRONG_COLOR)
    fig.suptitle(title, fontsize=12)
    fig.tight_layout()
    return fig


def plot_reliability_diagram(table: dict, ece: float):
    """Accuracy against confidence per bin (with counts), above a log-scale histogram of counts."""
    edges, count = table["edges"], table["count"]
    centers, width = (edges[:-1] + edges[1:]) / 2, np.diff(edges)
    filled = count > 0
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7, 7.5), sharex=True, gridspec_kw={"height_ratios": [3, 1]})
    top.plot([0, 1], [0, 1], "--", color="gray", label="perfect calibration")
    bars = top.bar(
        centers[filled],
        table["accuracy"][filled],
        width[filled] * 0.9,
        color="tab:blue",
        edgecolor="black",
        label="accuracy in bin",
    )
    top.bar_label(bars, labels=[f"n={n:,}" for n in count[filled]], fontsize=7, padding=2)
    top.plot(
        table["mean_confidence"][filled],
        table["accuracy"][filled],
        "o",
        color="tab:orange",
        label="(mean confidence, accuracy)",
    )
    top.set_ylim(0, 1.08)
    top.set_ylabel("Accuracy")
    top.set_title(f"Reliability diagram on the test set (ECE = {ece:.4f})")
    top.legend(loc="upper left")
    bottom.bar(centers, count, width * 0.9, color="tab:gray", edgecolor="black")
    bottom.set_yscale("log")
    bottom.set_xlim(0, 1)
    bottom.set_xlabel("Confidence (top softmax probability)")
    bottom.set_ylabel("Predictions")
    fig.tight_layout()
    return fig


def _frame(ax, color):
    ax.axis("on")
    ax.set_xticks([])
    ax.set_yticks([])
    for spine in ax.spines.values():
        spine.set_color(color)
        spine.set_linewidth(2)


@dataclass(frozen=True)
class Figure:
    """A figure the notebook saves: its file in the outputs folder and the function that draws it.

    ``drawn_by`` names the function within the package (``plots.plot_samples``), so that the table can list the
    own-digits figures without this module importing that part of the package.
    """

    file: str
    drawn_by: str

    @property
    def name(self) -> str:
        return self.file.removesuffix(".png")

    @property
    def draw(self):
        """The function that draws the figure."""
        module, function = self.drawn_by.rsplit(".", 1)
        return getattr(importlib.import_module(f"{__package__}.{module}"), function)


# In the notebook's order. Both mistake figures are drawn by plot_digit_mistakes, with different picks.
FIGURES = {
    figure.name: figure
    for figure in (
        Figure("mnist_samples.png", "plots.plot_samples"),
        Figure("class_distribution.png", "plots.plot_class_distribution"),
        Figure("training_curves.png", "plots.plot_training_curves"),
        Figure("confusion_matrix.png", "plots.plot_confusion_matrix"),
        Figure("per_class_accuracy.png", "plots.plot_per_class_accuracy"),
        Figure("predictions_grid.png", "plots.plot_predictions_grid"),
        Figure("misclassified.png", "plots.plot_digit_mistakes"),
        Figure("calibration.png", "plots.plot_reliability_diagram"),
        Figure("confident_mistakes.png", "plots.plot_digit_mistakes"),
        Figure("own_digits.png", "own_digits.figures.plot_preprocessing_steps"),
        Figure("readings.png", "own_digits.figures.plot_readings"),
        Figure("segmentation.png", "own_digits.figures.plot_segmentation"),
    )
}
