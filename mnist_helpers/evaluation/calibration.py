"""Calibration: does a confidence of 95% mean the model is right 95% of the time?"""

import numpy as np


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
