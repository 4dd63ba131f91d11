"""Read an image file, NumPy array or Pillow image safely, as grayscale; every failure is one line naming the file."""

import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

from ..errors import UserFacingError

MAX_PIXELS = 40_000_000  # larger images are refused (decompression-bomb guard)
WORKING_SIDE = 1600  # larger images are shrunk first: the digit ends up 20 px tall anyway
HIGH_DEPTH_MODES = {"I", "I;16", "I;16L", "I;16B", "I;16N", "F"}


class ImageInputError(UserFacingError):
    """An image could not be read or holds no digit; the message starts with the file name."""


def printable_name(name: str) -> str:
    """``name`` safe to print on one line of any terminal or strict UTF-8 stream.

    Undecodable file-name bytes (held as surrogates by ``os.fsdecode``) become ``\\xff`` escapes and
    control characters (newline, tab, terminal escapes) their backslash form; other text is unchanged.
    """
    text = name.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)


def source_name(source) -> str:
    """How messages name ``source``: the path as given (printable), or a placeholder for in-memory images."""
    if isinstance(source, np.ndarray):
        return "<array>"
    if isinstance(source, Image.Image):
        return printable_name(str(getattr(source, "filename", "") or "<image>"))
    return printable_name(str(source))


def load_image(source, max_pixels=MAX_PIXELS) -> Image.Image:
    """A Pillow image from a path, a NumPy array or a Pillow image, refusing anything over ``max_pixels``."""
    if isinstance(source, Image.Image):
        check_pixel_count(source.size, source_name(source), max_pixels)
        return source
    if isinstance(source, np.ndarray):
        return array_to_image(source)
    return open_image_file(source, max_pixels)


def check_pixel_count(size, name, max_pixels=MAX_PIXELS) -> None:
    """Refuse images larger than ``max_pixels`` before their pixels are decoded."""
    width, height = size
    if width * height > max_pixels:
        raise ImageInputError(
            f"{name}: image too large ({width}x{height} = {width * height / 1e6:.0f} megapixels; "
            f"the limit is {max_pixels / 1e6:.0f})"
        )


def open_image_file(path, max_pixels=MAX_PIXELS) -> Image.Image:
    """Decode an image file fully (first frame, EXIF rotation applied); any failure is one clear line."""
    path = Path(path)
    name = source_name(path)
    if not path.exists():
        raise ImageInputError(f"{name}: no such file")
    if path.is_dir():
        raise ImageInputError(f"{name}: is a directory, not an image file")
    try:
        with open(path, "rb") as handle, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            if not handle.read(1):
                raise ImageInputError(f"{name}: empty file (0 bytes)")
            handle.seek(0)
            image = Image.open(handle)
            check_pixel_count(image.size, name, max_pixels)
            image.load()
            return ImageOps.exif_transpose(image)
    except ImageInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageInputError(f"{name}: image too large (refused as a possible decompression bomb)") from None
    except UnidentifiedImageError:
        raise ImageInputError(f"{name}: not an image file (or a format Pillow cannot read)") from None
    except PermissionError:
        raise ImageInputError(f"{name}: cannot read the file (permission denied)") from None
    except Exception as error:  # decoders raise OSError, ValueError, SyntaxError... on broken data
        raise ImageInputError(f"{name}: truncated or corrupt image data ({_first_line(error)})") from None


def _first_line(error) -> str:
    text = str(error).strip().splitlines()
    return printable_name(text[0][:200]) if text else type(error).__name__


def array_to_image(array) -> Image.Image:
    """A Pillow image from an (H, W), (H, W, 3) or (H, W, 4) array: uint8 0-255, or floats 0-1."""
    array = np.asarray(array)
    if array.ndim == 3 and array.shape[2] == 1:
        array = array[:, :, 0]
    if array.ndim not in (2, 3) or (array.ndim == 3 and array.shape[2] not in (3, 4)) or array.size == 0:
        raise ImageInputError(f"<array>: expected an (H, W), (H, W, 3) or (H, W, 4) image, got shape {array.shape}")
    if array.dtype.kind == "f":
        array = np.nan_to_num(array.astype(np.float64))
        if array.min() < 0 or array.max() > 1:
            raise ImageInputError(
                f"<array>: float pixels must lie in [0, 1] (got {array.min():g}..{array.max():g}); pass uint8 for 0-255"
            )
        array = array * 255.0
    elif array.dtype.kind in "ui" and array.max() > 255:
        array = array / 257.0  # 16-bit
    pixels = np.clip(np.rint(array), 0, 255).astype(np.uint8)
    channels = 1 if array.ndim == 2 else array.shape[2]
    return Image.fromarray(pixels, {1: "L", 3: "RGB", 4: "RGBA"}[channels])


def to_grayscale(image: Image.Image) -> Image.Image:
    """An 8-bit grayscale ('L') copy; transparent images are first laid on paper (see ``flatten_transparency``)."""
    if image.mode in HIGH_DEPTH_MODES:
        return _high_depth_to_gray(image)
    if image.has_transparency_data:
        return flatten_transparency(image)
    if image.mode in ("L", "RGB", "1", "P"):
        return image.convert("L")
    return image.convert("RGB").convert("L")


def _high_depth_to_gray(image):
    values = np.asarray(image, dtype=np.float64)
    top = 1.0 if image.mode == "F" and values.max() <= 1.0 else (255.0 if values.max() <= 255 else 65535.0)
    return Image.fromarray(np.clip(np.rint(values / top * 255), 0, 255).astype(np.uint8), "L")


def flatten_transparency(image: Image.Image) -> Image.Image:
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


def shrink_to_fit(image: Image.Image, max_side=WORKING_SIDE) -> Image.Image:
    """Shrink (anti-aliased) so neither side exceeds ``max_side``; smaller images are returned as they are."""
    if max(image.size) <= max_side:
        return image
    scale = max_side / max(image.size)
    size = (max(1, round(image.width * scale)), max(1, round(image.height * scale)))
    return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)


def grayscale_pixels(image: Image.Image) -> np.ndarray:
    """Where reading an image ends: its grayscale pixels (shrunk to at most ``WORKING_SIDE``), float32 in [0, 1]."""
    return as_float(shrink_to_fit(to_grayscale(image)))


def as_float(image: Image.Image) -> np.ndarray:
    """A grayscale Pillow image as a float32 array in [0, 1]."""
    return np.asarray(image, dtype=np.float32) / 255.0


def display_copy(image: Image.Image, max_side=256) -> np.ndarray:
    """A small RGB(A) or grayscale array of the image as loaded, for showing next to the steps."""
    if image.mode in HIGH_DEPTH_MODES:
        image = to_grayscale(image)
    elif image.mode not in ("L", "RGB", "RGBA"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    return np.asarray(shrink_to_fit(image, max_side))
