"""Two (or more) models on the same prepared digits: their readings side by side, and where they differ."""

import re

import numpy as np

from ..model_files import classify_digits
from .classify import top_k

EXPECTED_DIGIT = re.compile(r"(?:digit|drawn_)(\d)")  # the examples' names: mnist_test_0000_digit7.png, drawn_3_...


def expected_digit(name):
    """The digit an example's file name says it shows, or None for names without one."""
    match = EXPECTED_DIGIT.search(str(name))
    return int(match.group(1)) if match else None


def compare_models(models: dict, digits, names) -> list:
    """One row per prepared (28, 28) digit: its name, the expected digit (from the name) and each model's top 3."""
    probabilities = {label: classify_digits(model, np.asarray(digits)) for label, model in models.items()}
    rows = []
    for index, name in enumerate(names):
        readings = {label: top_k(rows_of_model[index]) for label, rows_of_model in probabilities.items()}
        rows.append({"name": str(name), "expected": expected_digit(name), "readings": readings})
    return rows


def format_comparison(rows) -> str:
    """A text table: name, expected digit, and each model's answer with its confidence."""
    labels = list(rows[0]["readings"]) if rows else []
    width = max([len(row["name"]) for row in rows] + [5])
    lines = [f"{'image':<{width}}  expected  " + "  ".join(f"{label:<22}" for label in labels)]
    for row in rows:
        answers = "  ".join(f"{r[0][0]} ({r[0][1]:.1%})".ljust(22) for r in row["readings"].values())
        expected = "?" if row["expected"] is None else str(row["expected"])
        lines.append(f"{row['name']:<{width}}  {expected:<8}  {answers}")
    return "\n".join(lines)


def describe_differences(rows) -> str:
    """Markdown bullets computed from ``rows``: how often each model is right, every image they read differently."""
    labels = list(rows[0]["readings"]) if rows else []
    known = [row for row in rows if row["expected"] is not None]
    lines = []
    for label in labels:
        right = sum(row["readings"][label][0][0] == row["expected"] for row in known)
        lines.append(f"- **{label}**: {right} of {len(known)} read as the digit the file name gives.")
    differing = [row for row in rows if len({reading[0][0] for reading in row["readings"].values()}) > 1]
    for row in differing:
        answers = ", ".join(f"{label} says {r[0][0]} ({r[0][1]:.0%})" for label, r in row["readings"].items())
        lines.append(f"- They differ on `{row['name']}`: {answers}.")
    if not differing:
        lines.append(f"- They give the same digit for all {len(rows)} images.")
    agreeing = [row for row in rows if row not in differing]
    if agreeing and len(labels) == 2:
        gaps = [abs(row["readings"][labels[0]][0][1] - row["readings"][labels[1]][0][1]) for row in agreeing]
        lines.append(
            f"- Where they agree, their confidence differs by {np.mean(gaps):.1%} on average (at most {max(gaps):.1%})."
        )
    return "\n".join(lines)
