"""Test helpers for the handwriting tests: MNIST digits rendered as pages, bad files, the committed model."""

import struct
import zlib

import numpy as np
from PIL import Image

from mnist_helpers.config import MODEL_FILENAME, OUTPUTS_DIR, PROJECT_ROOT

EXAMPLES = sorted((PROJECT_ROOT / "examples").glob("*.[pj][np]g"))
SAVED_MODEL = OUTPUTS_DIR / MODEL_FILENAME  # the committed model (tests run with $MNIST_OUTPUTS set elsewhere)


def on_paper(digit, scale=4, canvas=(200, 200), offset=(30, 50)):
    """An MNIST digit as dark ink on white paper, ``scale`` times larger, at ``offset`` (left, top)."""
    big = Image.fromarray(255 - digit).resize((28 * scale, 28 * scale), Image.Resampling.LANCZOS)
    page = Image.new("L", canvas, 255)
    page.paste(big, offset)
    return page


def png_header_only(width, height):
    """A tiny PNG file that claims ``width`` x ``height`` pixels: what a decompression bomb looks like to a reader."""

    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


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
