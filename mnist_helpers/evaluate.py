"""One evaluation of a model on labelled digits: everything the notebook, the record and the tests read."""

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from sklearn.metrics import classification_report, confusion_matrix, log_loss

from .data import NUM_CLASSES

DIGITS = list(range(NUM_CLASSES))


@dataclass(frozen=True, eq=False)  # holds arrays: compare the figures, not the objects
class Evaluation:
    """A model's softmax outputs on ``x`` against the true digits ``y_true``, and what follows from them."""

    probabilities: np.ndarray  # (n, 10)
    y_true: np.ndarray  # (n,) integer digits

    @cached_property
    def predictions(self) -> np.ndarray:
        return self.probabilities.argmax(axis=1)

    @cached_property
    def confidence(self) -> np.ndarray:
        """The predicted digit's probability, per input."""
        return self.probabilities.max(axis=1)

    @cached_property
    def correct(self) -> np.ndarray:
        return self.predictions == self.y_true

    @property
    def accuracy(self) -> float:
        return float(self.correct.mean())

    @property
    def errors(self) -> int:
        return int((~self.correct).sum())

    @cached_property
    def loss(self) -> float:
        """Mean cross-entropy, as Keras's categorical loss computes it."""
        return float(log_loss(self.y_true, self.probabilities, labels=DIGITS))

    @cached_property
    def confusion_matrix(self) -> np.ndarray:
        """10x10 counts: row = true digit, column = predicted digit."""
        return confusion_matrix(self.y_true, self.predictions, labels=DIGITS)

    @cached_property
    def report(self) -> dict:
        """scikit-learn's per-class precision, recall, F1 and support (and averages), as a dict."""
        return classification_report(self.y_true, self.predictions, labels=DIGITS, output_dict=True, zero_division=0)

    @cached_property
    def confidence_summary(self) -> dict:
        return confidence_summary(self.confidence, self.correct)

    @cached_property
    def reliability(self) -> dict:
        return reliability_table(self.confidence, self.correct)

    @cached_property
    def calibration_error(self) -> float:
        return expected_calibration_error(self.confidence, self.correct)

    def report_text(self) -> str:
        """The per-class report as a table, formatted from :attr:`report` (not computed again)."""
        lines = [f"{'':>12} {'precision':>9} {'recall':>9} {'f1-score':>9} {'support':>9}"]
        for name, row in self.report.items():
            if isinstance(row, dict):
                lines.append(
                    f"{name:>12} {row['precision']:9.4f} {row['recall']:9.4f} {row['f1-score']:9.4f} "
                    f"{int(row['support']):9d}"
                )
        return "\n".join(lines)

    def __repr__(self):
        return f"Evaluation(n={len(self.y_true)}, accuracy={self.accuracy:.4f}, loss={self.loss:.4f})"


def evaluate(model, x, y_true, batch_size=1024) -> Evaluation:
    """Predict ``x`` (flattened, scaled digits) once and wrap the probabilities with the true digits."""
    probabilities = np.asarray(model.predict(x, batch_size=batch_size, verbose=0))
    return Evaluation(probabilities, np.asarray(y_true))


def per_class_accuracy(matrix: np.ndarray) -> np.ndarray:
    """Fraction of each true digit classified correctly (the row-normalised diagonal)."""
    totals = matrix.sum(axis=1)
    return np.divide(np.diag(matrix), totals, out=np.zeros(len(matrix)), where=totals > 0)


def most_confused_pairs(matrix: np.ndarray, top: int = 5) -> list:
    """The ``top`` largest off-diagonal cells as ``(true, predicted, count)``, largest first."""
    size = len(matrix)
    pairs = [
        (true, predicted, int(matrix[true, predicted]))
        for true in range(size)
        for predicted in range(size)
        if true != predicted and matrix[true, predicted] > 0
    ]
    pairs.sort(key=lambda pair: (-pair[2], pair[0], pair[1]))
    return pairs[:top]


def confidence_summary(confidence: np.ndarray, correct: np.ndarray) -> dict:
    """Mean and median top-class confidence: over all predictions, the correct ones and the wrong ones."""
    correct = np.asarray(correct, dtype=bool)
    summary = {}
    for name, mask in (("all", np.ones_like(correct)), ("correct", correct), ("wrong", ~correct)):
        values = confidence[mask]
        summary[name] = {
            "count": int(mask.sum()),
            "mean_confidence": float(values.mean()) if len(values) else None,
            "median_confidence": float(np.median(values)) if len(values) else None,
        }
    return summary


def choose_grid_examples(correct: np.ndarray, count: int = 25, wrong: int = 5, seed: int = 0) -> np.ndarray:
    """A seeded random pick of ``count`` indices: up to ``wrong`` mistakes, the rest correct, shuffled."""
    rng = np.random.default_rng(seed)
    wrong_pool, right_pool = np.flatnonzero(~correct), np.flatnonzero(correct)
    n_wrong = min(wrong, len(wrong_pool))
    picked = np.concatenate(
        [
            rng.choice(wrong_pool, n_wrong, replace=False),
            rng.choice(right_pool, min(count - n_wrong, len(right_pool)), replace=False),
        ]
    )
    return rng.permutation(picked)


def mistake_indices(y_true, y_pred, confidence=None, count=15) -> np.ndarray:
    """Indices of wrong predictions: in test-set order, or most confident first if ``confidence`` is given."""
    wrong = np.flatnonzero(np.asarray(y_true) != np.asarray(y_pred))
    if confidence is not None:
        wrong = wrong[np.argsort(-np.asarray(confidence)[wrong], kind="stable")]
    return wrong[:count]


def reliability_table(confidence, correct, n_bins=10) -> dict:
    """Group predictions into equal-width confidence bins.

    Bin ``i`` holds confidences in ``[i/n, (i+1)/n)``; the last bin also holds 1.0. Returns arrays
    ``edges`` (n_bins + 1), ``count``, ``mean_confidence`` and ``accuracy`` (NaN for empty bins).
    """
    confidence = np.asarray(confidence, dtype=float)
    correct = np.asarray(correct, dtype=float)
    bins = np.minimum((confidence * n_bins).astype(int), n_bins - 1)
    count = np.bincount(bins, minlength=n_bins)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_confidence = np.bincount(bins, weights=confidence, minlength=n_bins) / count
        accuracy = np.bincount(bins, weights=correct, minlength=n_bins) / count
    return {
        "edges": np.linspace(0.0, 1.0, n_bins + 1),
        "count": count,
        "mean_confidence": mean_confidence,
        "accuracy": accuracy,
    }


def expected_calibration_error(confidence, correct, n_bins=10) -> float:
    """ECE: the count-weighted mean gap between accuracy and mean confidence over the bins."""
    table = reliability_table(confidence, correct, n_bins)
    filled = table["count"] > 0
    gaps = np.abs(table["accuracy"][filled] - table["mean_confidence"][filled])
    return float(np.sum(table["count"][filled] * gaps) / np.sum(table["count"]))


def format_reliability_table(table: dict) -> str:
    """One text line per non-empty bin: range, count, mean confidence and accuracy."""
    rows = zip(table["edges"][:-1], table["edges"][1:], table["count"], table["mean_confidence"], table["accuracy"])
    return "\n".join(
        f"confidence {low:.1f}-{high:.1f}: {count:>5} predictions, mean confidence {conf:.3f}, accuracy {acc:.3f}"
        for low, high, count, conf, acc in rows
        if count
    )
