"""Images that hold no digit: noise of several kinds, as a user might send by mistake (or on purpose)."""

import numpy as np
from PIL import Image, ImageFilter
from scipy import ndimage


def grey(values) -> Image.Image:
    return Image.fromarray(np.clip(np.rint(values), 0, 255).astype(np.uint8))


def noise_image(kind: str, rng) -> Image.Image:
    """One random image of ``kind`` that holds no digit, 60-400 px a side."""
    height, width = (int(side) for side in rng.integers(60, 400, size=2))
    rows, columns = np.mgrid[:height, :width]
    smallest = min(height, width)
    if kind == "uniform":
        return grey(rng.uniform(0, 256, (height, width)))
    if kind == "uniform_rgb":
        return Image.fromarray(rng.integers(0, 256, (height, width, 3), dtype=np.uint8))
    if kind == "gaussian":
        return grey(rng.normal(128, 40, (height, width)))
    if kind == "smooth_field":  # blurred noise: cloudy blobs of every size
        field = ndimage.gaussian_filter(rng.normal(0, 1, (height, width)), rng.uniform(2, 15))
        return grey((field - field.min()) / (field.max() - field.min()) * 255)
    if kind in ("one_blob", "gaussian_blobs"):
        page = np.full((height, width), 240.0)
        single = kind == "one_blob"
        for _ in range(1 if single else int(rng.integers(3, 10))):
            centre = rng.uniform(0.3, 0.7, 2) if single else rng.uniform(0, 1, 2)
            radius = (rng.uniform(0.1, 0.3) if single else rng.uniform(0.03, 0.12)) * smallest
            centre = centre * (height, width)
            page -= 200 * np.exp(-((rows - centre[0]) ** 2 + (columns - centre[1]) ** 2) / (2 * radius**2))
        return grey(page)
    if kind == "gradient":  # a photo of an evenly lit, slightly grainy surface
        angle = rng.uniform(0, np.pi)
        ramp = np.cos(angle) * columns / width + np.sin(angle) * rows / height
        return grey(60 + 180 * (ramp - ramp.min()) / (np.ptp(ramp) + 1e-9) + rng.normal(0, 3, (height, width)))
    if kind == "vignette_photo":  # dark corners, blotchy light, grain
        radius = np.hypot(rows - height / 2, columns - width / 2) / np.hypot(height / 2, width / 2)
        blotches = 200 * ndimage.gaussian_filter(rng.normal(0, 1, (height, width)), 20)
        return grey(220 - 120 * radius**2 + blotches + rng.normal(0, 4, (height, width)))
    if kind == "sparse_dots":  # dust or pepper on paper
        page = np.full((height, width), 245.0)
        count = int(rng.integers(5, 40))
        page[rng.integers(0, height, count), rng.integers(0, width, count)] = 0
        return grey(page).filter(ImageFilter.MinFilter(3))
    raise ValueError(kind)


NOISE_KINDS = ("uniform", "uniform_rgb", "gaussian", "smooth_field", "one_blob", "gaussian_blobs", "gradient",
               "vignette_photo", "sparse_dots")  # fmt: skip
