"""The varying-pressure family: reproducible from its seed, and its strokes really vary in darkness and width."""

import numpy as np
from scipy import ndimage

from mnist_helpers.synthetic.pressure_strokes import PENS, pressure_digit, pressure_set


def ink(image) -> np.ndarray:
    grey = np.asarray(image.convert("L"), dtype=float)
    return (np.median(grey[0]) - grey) / 255  # how much darker than the paper


def test_the_same_seed_writes_the_same_digits():
    first, second = pressure_set(1, seed=5), pressure_set(1, seed=5)
    assert all(np.array_equal(np.asarray(a), np.asarray(b)) for a, b in zip(first[0], second[0]))
    assert list(first[1]) == list(range(10)) and set(first[2]) <= set(PENS)


def test_a_pencil_stroke_fades_and_a_felt_tip_runs_dry():
    for pen in ("pencil", "felt-tip"):
        darkness = ink(pressure_digit(1, pen, np.random.default_rng(0)))
        strokes = darkness[darkness > 0.05]
        assert np.percentile(strokes, 90) > 2 * np.percentile(strokes, 10), pen  # faint and dark parts in one digit


def stroke_widths(darkness) -> np.ndarray:
    """Twice the distance to the paper along the strokes' ridges (where the distance is a local maximum)."""
    distance = ndimage.distance_transform_edt(darkness > 0.3)
    ridge = (distance > 0) & (distance == ndimage.maximum_filter(distance, size=3))
    return 2 * distance[ridge]


def test_a_fountain_pen_writes_hairlines_and_broad_strokes():
    fountain = stroke_widths(ink(pressure_digit(0, "fountain", np.random.default_rng(0))))
    assert np.percentile(fountain, 90) >= 2.5 * np.percentile(fountain, 10)
