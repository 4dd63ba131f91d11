"""Digits written with a pressure that varies along the stroke: darkness and width change within each stroke.

Three pens, each a way real strokes lose ink (the shape of most errors on photographed handwriting):
- ``fountain``: a broad nib held at an angle: wide strokes across the nib, hairlines along it; dark ink;
- ``pencil``: graphite pressed hard in the middle of a stroke and lightly at its ends: grey, fading, thinner
  where it fades;
- ``felt-tip``: a pen running dry: full ink at the start of each stroke, fading along it, streaky.
The strokes follow the hand-designed templates of :mod:`.stroke_templates` (nothing from MNIST), placed and
slanted as :mod:`.renderings` places drawn digits, and laid on paper as ink. No model here learnt from them:
``benchmarks/held_out.py`` scores this family as held out.
"""

import numpy as np
from PIL import Image

from .renderings import PAPERS, ink_on_paper, place_points
from .stroke_templates import STYLES, stroke_paths

PENS = ("fountain", "pencil", "felt-tip")
INKS = {"fountain": (25, 30, 90), "pencil": (70, 70, 78), "felt-tip": (10, 10, 15)}
STEP = 0.6  # px between dabs along a stroke: dense enough that dabs merge into a stroke


def _resampled(path: np.ndarray, step=STEP) -> np.ndarray:
    """Points every ``step`` px along ``path`` (an (N, 2) polyline)."""
    lengths = np.r_[0, np.cumsum(np.hypot(*np.diff(path, axis=0).T))]
    if lengths[-1] == 0:
        return path[:1]
    at = np.arange(0, lengths[-1] + step, step).clip(max=lengths[-1])
    return np.column_stack([np.interp(at, lengths, path[:, axis]) for axis in (0, 1)])


def _pressure(points: np.ndarray, pen: str, rng: np.random.Generator, height: float) -> tuple:
    """``(radius, darkness)`` per point of one stroke for ``pen``."""
    t = np.linspace(0, 1, len(points))
    wide = height * rng.uniform(0.045, 0.08)
    if pen == "fountain":
        direction = np.gradient(points, axis=0)
        angle = np.arctan2(direction[:, 1], direction[:, 0])
        across = np.abs(np.sin(angle - rng.uniform(np.pi / 6, np.pi / 3)))  # 1 across the nib, 0 along it
        return wide * (0.12 + 0.88 * across), np.full(len(t), rng.uniform(0.85, 1.0))
    if pen == "pencil":
        press = np.sin(np.pi * t) ** rng.uniform(0.5, 1.2) * rng.uniform(0.7, 1.0) + rng.normal(0, 0.04, len(t))
        press = np.clip(press, 0.08, 1.0)
        return wide * (0.3 + 0.5 * press), 0.15 + 0.6 * press
    fading = np.exp(-t * rng.uniform(1.0, 2.5)) * (1 - 0.25 * (rng.random(len(t)) < 0.2))  # felt-tip: streaks
    return wide * (0.6 + 0.4 * fading), np.clip(0.15 + 0.85 * fading, 0, 1)


def _dabs(shape, points, radius, darkness) -> np.ndarray:
    """Coverage (0-1) of round dabs of ``radius`` and ``darkness`` at ``points``: the darkest dab wins a pixel."""
    coverage = np.zeros(shape)
    rows, columns = np.indices(shape)
    for (x, y), r, d in zip(points, radius, darkness):
        top, bottom = max(int(y - r - 1), 0), min(int(y + r + 2), shape[0])
        left, right = max(int(x - r - 1), 0), min(int(x + r + 2), shape[1])
        distance = np.hypot(rows[top:bottom, left:right] - y, columns[top:bottom, left:right] - x)
        dab = d * np.clip(r + 0.5 - distance, 0, 1)  # anti-aliased edge
        np.maximum(coverage[top:bottom, left:right], dab, out=coverage[top:bottom, left:right])
    return coverage


def pressure_digit(digit: int, pen: str, rng: np.random.Generator) -> Image.Image:
    """``digit`` written with ``pen`` (one of :data:`PENS`) on paper, as an RGB image."""
    style = int(rng.integers(len(STYLES[digit])))
    height = rng.uniform(90, 150)
    placed, (width, tall) = place_points(stroke_paths(digit, style, rng, jitter=rng.uniform(0.01, 0.03)), rng, height)
    coverage = np.zeros((tall, width))
    for path in placed:
        points = _resampled(np.asarray(path, dtype=float))
        radius, darkness = _pressure(points, pen, rng, height)
        coverage = np.maximum(coverage, _dabs(coverage.shape, points, radius, darkness))
    paper = PAPERS[int(rng.integers(len(PAPERS)))]
    return ink_on_paper(coverage, INKS[pen], paper)


def pressure_set(per_digit: int, seed: int) -> tuple:
    """``(images, labels, pens)``: ``per_digit`` images of each digit, the pens taken in turn."""
    rng = np.random.default_rng(seed)
    images, labels, pens = [], [], []
    for index in range(per_digit * 10):
        digit, pen = index % 10, PENS[(index // 10) % len(PENS)]
        images.append(pressure_digit(digit, pen, rng))
        labels.append(digit)
        pens.append(pen)
    return images, np.array(labels), np.array(pens)
