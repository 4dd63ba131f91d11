"""One evaluation of a model on labelled digits: everything the notebook, the record and the tests read."""

from dataclasses import dataclass
from functools import cached_property

import numpy as np
from sklearn.metrics import classification_report, confusion_matrix, log_loss

from ..data import NUM_CLASSES
from .calibration import expected_calibration_error, reliability_table
from .metrics import confidence_summary

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
