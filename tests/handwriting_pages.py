"""Test helpers for the handwriting tests: the examples, bad files, the committed model."""

import struct
import zlib

from mnist_helpers.config import example_images, shipped_model

EXAMPLES = example_images()
SAVED_MODEL = shipped_model("notebook")  # the committed model (tests run with $MNIST_OUTPUTS set elsewhere)


def png_header_only(width, height):
    """A tiny PNG file that claims ``width`` x ``height`` pixels: what a decompression bomb looks like to a reader."""

    def chunk(kind, payload):
        return struct.pack(">I", len(payload)) + kind + payload + struct.pack(">I", zlib.crc32(kind + payload))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")
