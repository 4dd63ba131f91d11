"""Hand-designed pen-stroke templates for the digits 0-9, and the jittered paths they trace.

Coordinates are in a unit box: x to the right, y downwards, the digit 1 tall and about 0.6 wide.
A stroke is ``("curve", points)`` (a smooth Catmull-Rom curve through the points), ``("line", points)``
(a _polyline with sharp corners) or ``("ellipse", (cx, cy, rx, ry))`` (a closed loop). Where people
write a digit in more than one way there are several styles (1 with and without flag, open and
closed 4, 7 with and without bar, ...). Nothing here comes from MNIST.
"""

import numpy as np

# fmt: off
STYLES = {
    0: [
        [("ellipse", (0.5, 0.5, 0.28, 0.48))],
        [("curve", [(0.55, 0.02), (0.3, 0.12), (0.22, 0.5), (0.35, 0.92), (0.6, 0.95), (0.78, 0.55), (0.7, 0.15),
                    (0.5, 0.0)])],
    ],
    1: [
        [("line", [(0.5, 0.0), (0.5, 1.0)])],
        [("line", [(0.3, 0.22), (0.55, 0.0), (0.55, 1.0)])],
        [("line", [(0.32, 0.2), (0.55, 0.0), (0.55, 1.0)]), ("line", [(0.35, 1.0), (0.75, 1.0)])],
    ],
    2: [
        [("curve", [(0.22, 0.25), (0.35, 0.05), (0.58, 0.0), (0.76, 0.18), (0.7, 0.42), (0.45, 0.7), (0.2, 0.98)]),
         ("line", [(0.2, 0.98), (0.82, 0.98)])],
        [("curve", [(0.2, 0.2), (0.5, 0.0), (0.78, 0.25)]), ("line", [(0.78, 0.25), (0.22, 1.0), (0.82, 0.97)])],
        [("curve", [(0.22, 0.22), (0.45, 0.0), (0.75, 0.15), (0.65, 0.5), (0.3, 0.85), (0.25, 0.97), (0.38, 0.9),
                    (0.55, 0.9), (0.7, 1.0), (0.82, 0.95)])],
    ],
    3: [
        [("curve", [(0.22, 0.12), (0.45, 0.0), (0.72, 0.1), (0.7, 0.33), (0.45, 0.47)]),
         ("curve", [(0.45, 0.47), (0.75, 0.6), (0.78, 0.85), (0.5, 1.0), (0.2, 0.9)])],
        [("line", [(0.22, 0.02), (0.75, 0.02), (0.42, 0.42)]),
         ("curve", [(0.42, 0.42), (0.72, 0.52), (0.78, 0.8), (0.5, 1.0), (0.2, 0.9)])],
    ],
    4: [
        [("line", [(0.66, 1.0), (0.66, 0.0), (0.16, 0.68), (0.86, 0.68)])],
        [("line", [(0.3, 0.0), (0.22, 0.6), (0.82, 0.6)]), ("line", [(0.66, 0.15), (0.66, 1.0)])],
    ],
    5: [
        [("line", [(0.75, 0.02), (0.3, 0.02), (0.26, 0.45)]),
         ("curve", [(0.26, 0.45), (0.5, 0.38), (0.75, 0.55), (0.75, 0.82), (0.5, 1.0), (0.2, 0.92)])],
        [("line", [(0.3, 0.02), (0.26, 0.45)]),
         ("curve", [(0.26, 0.45), (0.5, 0.38), (0.74, 0.55), (0.74, 0.82), (0.5, 1.0), (0.2, 0.92)]),
         ("line", [(0.3, 0.02), (0.78, 0.0)])],
    ],
    6: [
        [("curve", [(0.7, 0.04), (0.45, 0.15), (0.28, 0.45), (0.25, 0.75), (0.4, 0.98), (0.65, 0.95), (0.75, 0.75),
                    (0.6, 0.55), (0.4, 0.56), (0.27, 0.7)])],
        [("curve", [(0.62, 0.0), (0.4, 0.3), (0.3, 0.62), (0.35, 0.9), (0.55, 1.0), (0.72, 0.82), (0.62, 0.6),
                    (0.42, 0.62), (0.32, 0.75)])],
    ],
    7: [
        [("line", [(0.2, 0.02), (0.8, 0.02), (0.42, 1.0)])],
        [("line", [(0.2, 0.02), (0.8, 0.02), (0.42, 1.0)]), ("line", [(0.4, 0.52), (0.74, 0.5)])],
        [("line", [(0.22, 0.12), (0.24, 0.02), (0.8, 0.02)]), ("curve", [(0.8, 0.02), (0.6, 0.4), (0.48, 1.0)])],
    ],
    8: [
        [("curve", [(0.5, 0.47), (0.72, 0.3), (0.68, 0.07), (0.5, 0.0), (0.32, 0.08), (0.3, 0.28), (0.5, 0.47),
                    (0.74, 0.68), (0.72, 0.92), (0.5, 1.0), (0.28, 0.92), (0.26, 0.68), (0.5, 0.47)])],
        [("ellipse", (0.5, 0.24, 0.2, 0.23)), ("ellipse", (0.5, 0.72, 0.26, 0.27))],
    ],
    9: [
        [("ellipse", (0.47, 0.27, 0.25, 0.26)), ("line", [(0.72, 0.27), (0.68, 1.0)])],
        [("ellipse", (0.47, 0.27, 0.25, 0.26)), ("curve", [(0.72, 0.25), (0.7, 0.65), (0.5, 1.0)])],
    ],
}
# fmt: on
SAMPLES_PER_SPAN = 16


def _catmull_rom(points: np.ndarray, samples=SAMPLES_PER_SPAN) -> np.ndarray:
    """A smooth curve through ``points`` (N x 2), ``samples`` points per span (ends by repeating the end points)."""
    padded = np.vstack([points[:1], points, points[-1:]])
    t = np.linspace(0.0, 1.0, samples, endpoint=False)[:, None]
    spans = []
    for p0, p1, p2, p3 in zip(padded[:-3], padded[1:-2], padded[2:-1], padded[3:]):
        spans.append(
            0.5 * (2 * p1 + (p2 - p0) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t**2 + (3 * p1 - p0 - 3 * p2 + p3) * t**3)
        )
    return np.vstack([*spans, points[-1:]])


def _polyline(points: np.ndarray, samples=SAMPLES_PER_SPAN) -> np.ndarray:
    """Straight segments through ``points``, ``samples`` points per segment (so a wobble can bend them)."""
    t = np.linspace(0.0, 1.0, samples, endpoint=False)[:, None]
    spans = [p1 + (p2 - p1) * t for p1, p2 in zip(points[:-1], points[1:])]
    return np.vstack([*spans, points[-1:]])


def ellipse(cx, cy, rx, ry, start: float, overshoot: float) -> np.ndarray:
    """A loop around (cx, cy) starting at angle ``start`` and running ``overshoot`` turns past closing."""
    angles = start - np.linspace(0.0, 2 * np.pi * (1 + overshoot), 72)
    return np.column_stack([cx + rx * np.cos(angles), cy + ry * np.sin(angles)])


def wobble(rng: np.random.Generator, amount: float, waves=3):
    """A smooth random displacement of the unit box (a sum of ``waves`` plane waves per axis, ``amount`` in size)."""
    directions = rng.normal(0.0, 1.0, (2, waves, 2)) * 2.0
    phases = rng.uniform(0.0, 2 * np.pi, (2, waves))
    scale = amount / np.sqrt(waves)

    def displace(points: np.ndarray) -> np.ndarray:
        waves_at = np.sin(np.einsum("awk,nk->anw", directions, points) + phases[:, None, :])
        return points + scale * waves_at.sum(axis=2).T

    return displace


def stroke_paths(digit: int, style: int, rng: np.random.Generator, jitter: float) -> list:
    """The pen paths (each an M x 2 array in the unit box) of ``digit`` in ``style``, smoothly wobbled by ``jitter``."""
    return template_paths(STYLES[digit][style], rng, jitter)


def template_paths(template: list, rng: np.random.Generator, jitter: float) -> list:
    """The pen paths of a ``template`` (a list of strokes as in :data:`STYLES`), smoothly wobbled by ``jitter``.

    The wobble is one displacement field for the whole drawing, so strokes that meet still meet.
    """
    displace = wobble(rng, jitter)
    paths = []
    for kind, spec in template:
        if kind == "ellipse":
            path = ellipse(*spec, start=rng.uniform(1.2, 2.2), overshoot=rng.uniform(0.0, 0.08))
        else:
            points = np.asarray(spec, dtype=float)
            path = _catmull_rom(points) if kind == "curve" else _polyline(points)
        paths.append(displace(path))
    return paths
