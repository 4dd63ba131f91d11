"""Evaluation: predictions, scikit-learn reports, confusion analysis and confidence."""

import numpy as np
from sklearn.metrics import classification_report, confusion_matrix

DIGITS = list(range(10))


def predict_probabilities(model, x, batch_size=1024) -> np.ndarray:
    """Softmax probabilities, one row per input."""
    return np.asarray(model.predict(x, batch_size=batch_size, verbose=0))


def per_class_report(y_true, y_pred) -> dict:
    """scikit-learn's per-class precision, recall, F1 and support, as a dict."""
    return classification_report(y_true, y_pred, labels=DIGITS, output_dict=True, zero_division=0)


def digit_confusion_matrix(y_true, y_pred) -> np.ndarray:
    """10x10 counts: row = true digit, column = predicted digit."""
    return confusion_matrix(y_true, y_pred, labels=DIGITS)


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


def confidence_summary(probabilities: np.ndarray, y_true: np.ndarray) -> dict:
    """Mean and median top-class confidence: over all predictions, the correct ones and the wrong ones."""
    confidence = probabilities.max(axis=1)
    correct = probabilities.argmax(axis=1) == y_true
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
