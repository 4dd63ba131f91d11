"""What a run records (metrics.json) and what it says about itself (the findings text)."""

import json
from pathlib import Path

import numpy as np

from ._support.provenance import library_versions, machine_description
from .evaluate import most_confused_pairs, per_class_accuracy


def environment() -> dict:
    """The library versions and the machine a run is on, as the notebook's Setup shows them."""
    return {**library_versions(), **machine_description()}


def build_metrics_record(evaluation, training, recipe, seed, smoke) -> dict:
    """Everything ``metrics.json`` holds about one run, as plain JSON-ready values.

    ``evaluation`` is the test-set :class:`~.evaluate.Evaluation`, ``training`` the ``TrainingResult`` and
    ``recipe`` the ``Recipe`` it was trained by (from :mod:`.train` and :mod:`.recipe`).
    """
    return {
        "mode": "smoke" if smoke else "full",
        **evaluation_record(evaluation),
        "epochs_run": training.epochs_run,
        "best_epoch": training.best_epoch,
        "training_seconds": round(training.seconds, 2),
        "fit_samples": training.fit_samples,
        "validation_samples": training.validation_samples,
        "seed": seed,
        "recipe": recipe.as_json(),
        "versions": library_versions(),
        "machine": machine_description(),
    }


def evaluation_record(evaluation) -> dict:
    """What ``metrics.json`` holds about a model's test-set :class:`~.evaluate.Evaluation`, JSON-ready."""
    matrix, report = evaluation.confusion_matrix, evaluation.report
    return {
        "test_accuracy": evaluation.accuracy,
        "test_loss": evaluation.loss,
        "test_errors": evaluation.errors,
        "per_class": {str(digit): report[str(digit)] for digit in range(len(matrix))},
        "macro_avg": report["macro avg"],
        "confusion_matrix": matrix.tolist(),
        "top_confused_pairs": [{"true": t, "predicted": p, "count": n} for t, p, n in most_confused_pairs(matrix)],
        "confidence": evaluation.confidence_summary,
        "expected_calibration_error": evaluation.calibration_error,
    }


# The notebook's last check: the baseline recipe reaches 98% on the canonical MNIST (a smoke run only shows that
# training works). Another dataset in the same layout (e.g. Fashion-MNIST) has no known floor.
ACCURACY_FLOOR = {"full": 0.98, "smoke": 0.85}


def accuracy_floor(smoke: bool, canonical: bool):
    """The test accuracy a run must reach, or None when the data is not the canonical MNIST."""
    return ACCURACY_FLOOR["smoke" if smoke else "full"] if canonical else None


METRICS_FILE, HISTORY_FILE = "metrics.json", "history.csv"


def read_metrics_record(folder) -> dict:
    """The ``metrics.json`` record of the run saved in ``folder``."""
    return json.loads((Path(folder) / METRICS_FILE).read_text())


def describe_findings(record: dict) -> str:
    """A short Markdown summary whose every number comes from ``record``."""
    matrix = np.array(record["confusion_matrix"])
    per_digit = np.where(matrix.sum(axis=1) > 0, per_class_accuracy(matrix), np.nan)  # ignore absent digits
    errors = record["test_errors"]
    pairs = record["top_confused_pairs"]
    lines = [
        f"- **Test accuracy {record['test_accuracy']:.2%}** ({errors:,} of {int(matrix.sum()):,} test digits wrong), "
        f"after {record['epochs_run']} epochs (weights restored from epoch {record['best_epoch']}) "
        f"and {record['training_seconds']:.0f} s of training.",
        f"- Hardest digit: **{int(np.nanargmin(per_digit))}** ({np.nanmin(per_digit):.2%} correct); "
        f"easiest: **{int(np.nanargmax(per_digit))}** ({np.nanmax(per_digit):.2%}).",
    ]
    if pairs:
        listed = ", ".join(f"{p['true']} read as {p['predicted']} ({p['count']}×)" for p in pairs[:3])
        share = sum(p["count"] for p in pairs[:3]) / errors
        lines.append(f"- Most frequent confusions: {listed}; {_these(len(pairs[:3]))} {share:.0%} of all errors.")
    right, wrong = record["confidence"]["correct"], record["confidence"]["wrong"]
    if wrong["count"]:
        lines.append(
            f"- Mean confidence is {right['mean_confidence']:.1%} on correct predictions and "
            f"{wrong['mean_confidence']:.1%} on wrong ones."
        )
    mean_confidence = record["confidence"]["all"]["mean_confidence"]
    gap = mean_confidence - record["test_accuracy"]
    tendency = ("slightly " if abs(gap) < 0.01 else "") + ("over" if gap > 0 else "under")
    lines.append(
        f"- Expected calibration error {record['expected_calibration_error']:.4f}: mean confidence "
        f"{mean_confidence:.2%} against accuracy {record['test_accuracy']:.2%}, so the model is "
        f"{tendency}confident overall."
    )
    return "\n".join(lines)


def _these(count: int) -> str:
    return {1: "this accounts for", 2: "these two account for"}.get(count, f"these {count} account for")
