import numpy as np
import pytest
from PIL import Image, ImageDraw

from mnist_helpers import evaluate, plots
from mnist_helpers.config import example_images
from mnist_helpers.own_digits import mnist_style, number_search, reading
from mnist_helpers.own_digits.classify import DigitPrediction
from mnist_helpers.own_digits.digit_split import Box
from mnist_helpers.own_digits.figures import plot_preprocessing_steps, plot_readings, plot_segmentation
from mnist_helpers.own_digits.reading import NumberReading
from mnist_helpers.own_digits.segmentation import candidate_features

RNG = np.random.default_rng(0)
IMAGES = RNG.integers(0, 256, size=(30, 28, 28), dtype=np.uint8)
LABELS = RNG.integers(0, 10, size=30)
MATRIX = np.diag(np.full(10, 90)) + 1
HISTORY = {"accuracy": [0.9, 0.95, 0.96], "val_accuracy": [0.93, 0.96, 0.955],
           "loss": [0.3, 0.15, 0.1], "val_loss": [0.2, 0.12, 0.13]}  # fmt: skip

STEPS = [mnist_style.preprocessing_steps(example_images()[0])]
PAGE = Image.fromarray(IMAGES[0]).resize((120, 60))
READING = NumberReading(
    "page",
    [DigitPrediction("page", np.eye(10)[d], box=Box(5, 10 + 50 * i, 55, 50 + 50 * i)) for i, d in enumerate((4, 2))],
)


def made_up_search():
    """The search of a drawn "10" (an upright bar touching a ring), with made-up answers: candidate i reads i % 10."""
    page = Image.new("L", (160, 90), 255)
    draw = ImageDraw.Draw(page)
    draw.line([(40, 15), (40, 75)], fill=0, width=7)
    draw.ellipse([(38, 15), (98, 75)], outline=0, width=7)
    search = number_search.search_number(page)
    count = len(search.proposal.digits)
    search.probabilities, search.not_digit = np.eye(10)[np.arange(count) % 10], np.zeros(count)
    search.shape_fails = np.zeros(count, bool)
    search.features = candidate_features(search.proposal, search.probabilities, search.not_digit, search.shape_fails)
    return page, search, reading.chosen_reading("page", search)


SEGMENTATION_PAGE, SEARCH, SEARCH_READING = made_up_search()
ARGUMENTS = {  # small made-up arguments for each plotting function in the figure table
    plots.plot_samples: dict(images=IMAGES, labels=LABELS),
    plots.plot_class_distribution: dict(train_counts=np.arange(10) + 5, test_counts=np.arange(10)),
    plots.plot_training_curves: dict(history=HISTORY),
    plots.plot_confusion_matrix: dict(matrix=MATRIX),
    plots.plot_per_class_accuracy: dict(accuracy=np.linspace(0.95, 1.0, 10), overall=0.97),
    plots.plot_predictions_grid: dict(images=IMAGES[:25], y_true=LABELS[:25], y_pred=LABELS[::-1][:25],
                                      confidence=np.full(25, 0.9)),
    plots.plot_digit_mistakes: dict(images=IMAGES[:7], y_true=LABELS[:7], y_pred=(LABELS[:7] + 1) % 10,
                                    confidence=np.full(7, 0.8), title="mistakes"),
    plots.plot_reliability_diagram: dict(table=evaluate.reliability_table(np.linspace(0.1, 1, 30), LABELS % 2 == 0),
                                         ece=0.1),
    plot_preprocessing_steps: dict(steps_per_image=STEPS, row_labels=["a"], result_titles=["7 (99%)"]),
    plot_readings: dict(images=[PAGE], readings=[READING], titles=["number 42"]),
    plot_segmentation: dict(image=SEGMENTATION_PAGE, search=SEARCH, reading=SEARCH_READING, title="a 10"),
}  # fmt: skip


@pytest.mark.parametrize("name", plots.FIGURES)
def test_each_figure_saves_a_150_dpi_png(name, tmp_path):
    figure = plots.FIGURES[name]
    path = plots.save_notebook_figure(figure.draw(**ARGUMENTS[figure.draw]), name, tmp_path)
    assert path == tmp_path / figure.file
    with Image.open(path) as image:
        assert image.format == "PNG"
        # PNG stores pixels per metre as an integer: 150 dpi reads back as 150.01
        assert image.info["dpi"] == pytest.approx((150, 150), abs=0.05)
        assert min(image.size) > 200
    assert list(tmp_path.iterdir()) == [path]  # no temporary file left behind


def test_predictions_grid_title_counts_right_and_wrong():
    y_true = np.array([1, 2, 3, 4])
    fig = plots.plot_predictions_grid(IMAGES[:4], y_true, np.array([1, 2, 0, 4]), np.full(4, 0.9), columns=2)
    assert fig._suptitle.get_text() == "Test predictions: 3 correct (green), 1 wrong (red)"
    colors = [ax.title.get_color() for ax in fig.axes]
    assert colors == [plots.CORRECT_COLOR, plots.CORRECT_COLOR, plots.WRONG_COLOR, plots.CORRECT_COLOR]


def test_training_curves_mark_the_best_validation_epoch():
    fig = plots.plot_training_curves(HISTORY)
    labels = fig.axes[1].get_legend_handles_labels()[1]
    assert labels == ["training", "validation", "best val. loss (epoch 2)"]
