"""What a run records (metrics.json) and what it says about itself (the findings text)."""

import os
import platform
import sys
from importlib import metadata

import keras
import numpy as np

from .artifacts import save_history_csv, save_json, save_model
from .config import MODEL_FILENAME
from .metrics import per_class_accuracy

LIBRARIES = ("keras", "tensorflow-cpu", "tensorflow", "jax", "torch", "numpy", "scikit-learn", "matplotlib", "seaborn")


def library_versions() -> dict:
    """Python, the Keras backend in use, and the installed versions of the libraries a run depends on."""
    versions = {"python": platform.python_version(), "keras_backend": keras.backend.backend()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return versions


def machine_description() -> dict:
    """Where the run happened: OS, CPU model and core count."""
    cpu = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo") as handle:
            cpu = next(line.split(":", 1)[1].strip() for line in handle if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return {"platform": platform.platform(), "cpu": cpu, "cpu_count": os.cpu_count(), "python": sys.version.split()[0]}


def build_metrics_record(
    *,
    parameters,
    test_loss,
    test_accuracy,
    class_report,
    matrix,
    confused_pairs,
    confidence,
    calibration_error,
    training,
    smoke,
    fit_samples,
    validation_samples,
) -> dict:
    """Everything ``metrics.json`` holds about one run, as plain JSON-ready values."""
    return {
        "mode": "smoke" if smoke else "full",
        "test_accuracy": float(test_accuracy),
        "test_loss": float(test_loss),
        "test_errors": int(matrix.sum() - np.trace(matrix)),
        "per_class": {str(digit): class_report[str(digit)] for digit in range(len(matrix))},
        "macro_avg": class_report["macro avg"],
        "confusion_matrix": matrix.tolist(),
        "top_confused_pairs": [{"true": t, "predicted": p, "count": n} for t, p, n in confused_pairs],
        "confidence": confidence,
        "expected_calibration_error": float(calibration_error),
        "epochs_run": training.epochs_run,
        "best_epoch": training.best_epoch,
        "training_seconds": round(training.seconds, 2),
        "fit_samples": int(fit_samples),
        "validation_samples": int(validation_samples),
        "seed": parameters["seed"],
        "parameters": {key: list(value) if isinstance(value, tuple) else value for key, value in parameters.items()},
        "keras_backend": keras.backend.backend(),
        "versions": library_versions(),
        "machine": machine_description(),
    }


def save_run_artifacts(model, record: dict, history: dict, outputs_dir) -> list:
    """Write the model, metrics.json and history.csv into ``outputs_dir``; return the paths."""
    return [
        save_model(model, outputs_dir / MODEL_FILENAME),
        save_json(record, outputs_dir / "metrics.json"),
        save_history_csv(history, outputs_dir / "history.csv"),
    ]


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
