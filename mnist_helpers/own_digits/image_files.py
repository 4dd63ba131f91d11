"""Read an image file, NumPy array or Pillow image safely, as grayscale; every failure is one line naming the file.

One decoder for all three: the same pixel limit, and one rule for pixel values (:func:`_unit_pixels`), so a
16-bit or floating-point image is read by its own scale wherever it comes from.
"""

import os
import warnings

import numpy as np
from PIL import EpsImagePlugin, Image, ImageOps, UnidentifiedImageError

from .._support.errors import UserFacingError
from .._support.user_files import UnusableFile, open_user_file, printable_name
from .image_decoding import alpha_is_unused, loaded

MAX_PIXELS = 40_000_000  # larger images are refused (decompression-bomb guard)
MAX_FILE_BYTES = 8 * MAX_PIXELS  # an uncompressed image at the pixel limit in 16-bit RGBA: 8 bytes a pixel
WORKING_SIDE = 1600  # larger images are shrunk first: the digit ends up 20 px tall anyway
HIGH_DEPTH_MODES = {"I", "I;16", "I;16L", "I;16B", "I;16N", "F"}
NO_GHOSTSCRIPT = "an EPS (PostScript) file, which needs Ghostscript to draw, and Ghostscript is not installed"

__all__ = ["printable_name"]  # re-exported: messages about images name their files with it


class ImageInputError(UserFacingError):
    """An image could not be read or holds no digit; the message starts with the file name."""


def source_name(source) -> str:
    """How messages name ``source``: the path as given (printable), or a placeholder for in-memory images."""
    if isinstance(source, np.ndarray):
        return "<array>"
    if isinstance(source, Image.Image):
        return printable_name(str(getattr(source, "filename", "") or "<image>"))
    return printable_name(str(source))


def source_list(sources) -> list:
    """The images of ``sources`` as a list: one path (str, bytes or Path), Pillow image or 2-D array is one image,
    never a sequence of characters or rows; any other iterable is a list of images."""
    if isinstance(sources, str | bytes | os.PathLike | Image.Image) or (
        isinstance(sources, np.ndarray) and sources.ndim <= 2
    ):
        return [sources]
    try:
        return list(sources)
    except TypeError:
        raise ImageInputError(
            f"{source_name(sources)}: not an image or a list of images (got {type(sources).__name__})"
        ) from None


def load_image(source, max_pixels=MAX_PIXELS) -> Image.Image:
    """A Pillow image from a path, a NumPy array or a Pillow image, refusing anything over ``max_pixels``.

    High-depth images (16-bit, 32-bit, floating point) come back as 8-bit grayscale, read by :func:`_unit_pixels`.
    """
    if isinstance(source, np.ndarray):
        return _array_to_image(source, max_pixels)
    if isinstance(source, Image.Image):
        _check_pixel_count(source.size, source_name(source), max_pixels)
        return _to_eight_bits(source, source_name(source))
    if not isinstance(source, str | bytes | os.PathLike):
        raise ImageInputError(
            f"{source_name(source)}: not an image (a file path, a NumPy array or a Pillow image; "
            f"got {type(source).__name__})"
        )
    return _open_image_file(source, max_pixels)


def _check_pixel_count(size, name, max_pixels=MAX_PIXELS) -> None:
    """Refuse images larger than ``max_pixels`` before their pixels are decoded."""
    width, height = size
    if width * height > max_pixels:
        raise ImageInputError(
            f"{name}: image too large ({width}x{height} = {width * height:,} pixels; the limit is {max_pixels:,})"
        )


def _open_image_file(path, max_pixels=MAX_PIXELS) -> Image.Image:
    """Decode an image file (``-``: standard input) fully (:func:`.image_decoding.loaded`: an animation's first frame
    with ink), EXIF rotation applied; failures are one line."""
    name = source_name(path)
    try:
        handle = open_user_file(path, "an image file", MAX_FILE_BYTES)
    except UnusableFile as problem:
        raise ImageInputError(str(problem)) from None
    try:
        with handle, warnings.catch_warnings():
            warnings.simplefilter("ignore")  # Pillow's notes on odd metadata; the pixels are what count
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            image = Image.open(handle)
            _check_pixel_count(image.size, name, max_pixels)
            if image.format == "EPS" and not EpsImagePlugin.has_ghostscript():
                raise ImageInputError(f"{name}: {NO_GHOSTSCRIPT}; save it as PNG or JPEG instead")
            image = loaded(image, handle)  # an animation's first frame with ink; a JPEG missing its end marker
            return _to_eight_bits(ImageOps.exif_transpose(image), name)
    except ImageInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageInputError(f"{name}: image too large (refused as a possible decompression bomb)") from None
    except UnidentifiedImageError:
        raise ImageInputError(f"{name}: not an image file (or a format Pillow cannot read)") from None
    except Exception as error:  # decoders raise OSError, ValueError, SyntaxError... on broken data
        raise ImageInputError(f"{name}: truncated or corrupt image data ({_first_line(error)})") from None


def _first_line(error) -> str:
    text = str(error).strip().splitlines()
    return printable_name(text[0][:200]) if text else type(error).__name__


def _unit_pixels(values, name) -> np.ndarray:
    """Pixel values as float64 in [0, 1], by one rule for files, arrays and the pad.

    Integers are read on the smallest of the 8-bit and 16-bit scales that holds them; floats in [0, 1]
    as they are. Anything else (floats in other units, negative or 32-bit integers) is scaled by its
    own range, darkest to 0 and brightest to 1: the preprocessing stretches the contrast anyway, so
    only the order of the grey levels matters. NaN or infinite pixels are refused: nothing says what they are.
    """
    values = np.asarray(values)
    if values.dtype.kind not in "biuf":
        raise ImageInputError(f"{name}: pixels must be numbers (got dtype {values.dtype})")
    if values.dtype == np.uint8:
        return values / 255.0
    numbers = values.astype(np.float64)
    unknown = np.count_nonzero(~np.isfinite(numbers))
    if unknown:
        raise ImageInputError(
            f"{name}: {unknown:,} of {numbers.size:,} pixels are NaN or infinite, not grey levels; "
            "fill them in before reading the image"
        )
    low, high = numbers.min(), numbers.max()
    if values.dtype.kind in "bf" and 0 <= low and high <= 1:
        return numbers
    if values.dtype.kind in "iu" and low >= 0 and high <= 65535:
        return numbers / (255.0 if high <= 255 else 65535.0)
    return (numbers - low) / (high - low) if high > low else np.zeros_like(numbers)


def _to_eight_bits(image: Image.Image, name) -> Image.Image:
    """``image`` as it is, or, for a high-depth one, as 8-bit grayscale read by :func:`_unit_pixels`."""
    if image.mode not in HIGH_DEPTH_MODES:
        return image
    return Image.fromarray(np.rint(_unit_pixels(np.asarray(image), name) * 255).astype(np.uint8), "L")


def _array_to_image(array, max_pixels=MAX_PIXELS) -> Image.Image:
    """A Pillow image from an (H, W), (H, W, 3) or (H, W, 4) array of pixel values (see :func:`_unit_pixels`)."""
    array = np.asarray(array)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)) or array.size == 0:
        raise ImageInputError(f"<array>: expected an (H, W), (H, W, 3) or (H, W, 4) image, got shape {array.shape}")
    _check_pixel_count((array.shape[1], array.shape[0]), "<array>", max_pixels)
    pixels = np.rint(_unit_pixels(array, "<array>") * 255).astype(np.uint8)
    channels = 1 if array.ndim == 2 else array.shape[2]
    return Image.fromarray(pixels, {1: "L", 3: "RGB", 4: "RGBA"}[channels])


def to_grayscale(image: Image.Image) -> Image.Image:
    """An 8-bit grayscale ('L') copy; transparent images are first laid on paper (see ``_flatten_transparency``),
    and an alpha channel that is zero everywhere is ignored, as viewers ignore a BMP's unused fourth byte."""
    if alpha_is_unused(image):
        return image.convert("RGB").convert("L")
    if image.has_transparency_data:
        return _flatten_transparency(image)
    if image.mode in ("L", "RGB", "1", "P"):
        return image.convert("L")
    return image.convert("RGB").convert("L")


def _flatten_transparency(image: Image.Image) -> Image.Image:
    """Composite a transparent image onto opaque paper and return it as grayscale.

    The paper is white when the visible strokes are dark (ink drawn on a transparent layer is ink
    on paper), black when they are light, so the strokes always stand out.
    """
    rgba = image.convert("RGBA")
    luma = np.asarray(rgba.convert("L"), dtype=np.float64)
    alpha = np.asarray(rgba.getchannel("A"), dtype=np.float64)
    strokes_are_light = alpha.sum() > 0 and (luma * alpha).sum() / alpha.sum() > 127.5
    paper = Image.new("RGBA", rgba.size, (0, 0, 0, 255) if strokes_are_light else (255, 255, 255, 255))
    return Image.alpha_composite(paper, rgba).convert("L")


def _shrink_to_fit(image: Image.Image, max_side=WORKING_SIDE) -> Image.Image:
    """Shrink (anti-aliased) so neither side exceeds ``max_side``; smaller images are returned as they are."""
    if max(image.size) <= max_side:
        return image
    scale = max_side / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def grayscale_pixels(image: Image.Image) -> np.ndarray:
    """Where reading an image ends: its grayscale pixels (shrunk to at most ``WORKING_SIDE``), float32 in [0, 1]."""
    return as_float(_shrink_to_fit(to_grayscale(image)))


def as_float(image: Image.Image) -> np.ndarray:
    """A grayscale Pillow image as a float32 array in [0, 1]."""
    return np.asarray(image, dtype=np.float32) / 255.0


def display_copy(image: Image.Image, max_side=256) -> np.ndarray:
    """A small RGB(A) or grayscale array of the image as loaded, for showing next to the steps."""
    if image.mode not in ("L", "RGB", "RGBA"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    return np.asarray(_shrink_to_fit(image, max_side))
