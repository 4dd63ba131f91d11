"""Decoding a file's pixels where Pillow's defaults would lose a digit that every viewer shows.

- An animation (GIF, APNG, a multi-page TIFF) is read at its **first frame with ink**: a first frame of blank
  paper (a fade-in) is skipped; frames past :data:`MAX_FRAMES` are not looked at.
- A JPEG **missing only its end marker** is read: its pixels are complete. It is told apart from a JPEG cut
  short, which is still refused, by decoding it twice with the marker put back, once after filler bytes: a
  complete image ignores the filler, a cut one decodes it as the missing pixels.
- An **alpha channel that is zero everywhere** (a 32-bit BMP's unused fourth byte, which viewers ignore) is no
  alpha: the colours are read as they are, not as a fully transparent image.
"""

import io

import numpy as np
from PIL import Image

MAX_FRAMES = 50
INK_SPREAD = 13  # grey levels (5%) between a frame's darkest and brightest pixel: below it the frame is blank
JPEG_END = b"\xff\xd9"
FILLER = b"\x55" * 256  # entropy-coded data for a scan that was cut short; ignored after a complete one


def loaded(image: Image.Image, handle) -> Image.Image:
    """``image`` (just opened from ``handle``) decoded: a JPEG missing only its end marker mended, an animation at
    its first frame with ink. Other decoding errors are raised as Pillow raises them."""
    try:
        image.load()
    except OSError as error:
        mended = _mended_jpeg(handle) if image.format == "JPEG" and "truncated" in str(error) else None
        if mended is None:
            raise
        return mended
    return _first_frame_with_ink(image)


def _mended_jpeg(handle):
    """The JPEG in ``handle`` with its end marker put back, if nothing but the marker was missing; else None."""
    handle.seek(0)
    data = handle.read()
    if data.endswith(JPEG_END):
        return None
    complete, probe = (Image.open(io.BytesIO(data + extra + JPEG_END)) for extra in (b"", FILLER))
    try:
        complete.load()
        probe.load()
    except OSError:
        return None
    return complete if np.array_equal(np.asarray(complete), np.asarray(probe)) else None


def _first_frame_with_ink(image: Image.Image) -> Image.Image:
    """The first of an animation's frames (at most :data:`MAX_FRAMES`) that is not blank; the first if none is."""
    frames = getattr(image, "n_frames", 1)
    if frames <= 1 or _has_ink(image):
        return image
    for index in range(1, min(frames, MAX_FRAMES)):
        image.seek(index)
        image.load()
        if _has_ink(image):
            return image
    image.seek(0)
    image.load()
    return image


def _has_ink(frame: Image.Image) -> bool:
    low, high = frame.convert("RGBA").convert("L").getextrema()
    return high - low >= INK_SPREAD


def alpha_is_unused(image: Image.Image) -> bool:
    """Whether ``image``'s alpha channel is zero everywhere (viewers of a BMP ignore it; so is it read)."""
    if image.mode not in ("RGBA", "LA", "PA", "La", "RGBa"):
        return False
    return image.getchannel("A").getextrema() == (0, 0)
