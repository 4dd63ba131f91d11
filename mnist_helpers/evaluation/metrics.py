"""Reading an evaluation: per-digit accuracy, confused pairs, confidence, which examples to show."""

import numpy as np


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
