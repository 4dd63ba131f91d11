"""Calibration: does a confidence of 95% mean the model is right 95% of the time?"""

import matplotlib.pyplot as plt
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


def format_reliability_table(table: dict) -> str:
    """One text line per non-empty bin: range, count, mean confidence and accuracy."""
    rows = zip(table["edges"][:-1], table["edges"][1:], table["count"], table["mean_confidence"], table["accuracy"])
    return "\n".join(
        f"confidence {low:.1f}-{high:.1f}: {count:>5} predictions, mean confidence {conf:.3f}, accuracy {acc:.3f}"
        for low, high, count, conf, acc in rows
        if count
    )
