"""MNIST digits written out the way handwriting gets photographed: dark ink on white paper, enlarged, off-centre."""

import numpy as np
from PIL import Image


def on_paper(digit, scale=4, canvas=(200, 200), offset=(30, 50)):
    """An MNIST digit as dark ink on white paper, ``scale`` times larger, at ``offset`` (left, top)."""
    big = Image.fromarray(255 - digit).resize((28 * scale, 28 * scale), Image.Resampling.LANCZOS)
    page = Image.new("L", canvas, 255)
    page.paste(big, offset)
    return page


def write_round_trip_images(digits, directory, seed=0):
    """Each digit dark-on-light, x3 to x5, at a random place on a 200x200 page; PNG and JPEG alternately."""
    rng = np.random.default_rng(seed)
    paths = []
    for index, digit in enumerate(digits):
        scale = int(rng.integers(3, 6))
        left, top = (int(value) for value in rng.integers(0, 200 - 28 * scale + 1, size=2))
        path = directory / f"digit_{index:03d}.{'png' if index % 2 == 0 else 'jpg'}"
        on_paper(digit, scale=scale, offset=(left, top)).save(path, **({"quality": 90} if index % 2 else {}))
        paths.append(path)
    return paths


def page_on_desk(digit, desk=60, paper=235, sheet=0.7, canvas=(400, 300), seed=0):
    """A photo of a whole sheet on a dark desk: an ``on_paper`` page ``sheet`` of each side large, turned a little.

    The image's edge is the desk, not the paper: what the MNIST-style steps cannot read, as they take the edge
    for the paper.
    """
    rng = np.random.default_rng(seed)
    width, height = canvas
    size = (round(width * sheet), round(height * sheet))
    page = on_paper(digit, scale=3, canvas=size, offset=(size[0] // 2 - 42, size[1] // 2 - 42))
    page = Image.fromarray(np.rint(np.asarray(page) * (paper / 255)).astype(np.uint8))
    angle = float(rng.uniform(-8, 8))
    turned = page.rotate(angle, Image.Resampling.BILINEAR, expand=True)
    mask = Image.new("L", size, 255).rotate(angle, Image.Resampling.BILINEAR, expand=True)
    photo = Image.fromarray(np.clip(rng.normal(desk, 6, (height, width)), 0, 255).astype(np.uint8))
    photo.paste(turned, ((width - turned.width) // 2, (height - turned.height) // 2), mask)
    return photo
