"""Turn a photo, scan or drawing of one digit into an MNIST-style 28x28 input.

MNIST digits are light ink on black, scaled so the ink's longer side fits a 20x20 box (with
anti-aliasing), and placed in a 28x28 field with their centre of mass at the centre (LeCun's MNIST
page). A photo of handwriting is the opposite: dark ink on light paper, anywhere, any size. Each
function below does one step; ``preprocessing_steps`` runs them all and keeps every intermediate
image (for the notebook), ``prepare_digit`` returns only the result.

The result is a (28, 28) float32 array in [0, 1], the scale of ``data.flatten_and_scale``:
``digit.reshape(1, 784)`` is a model input.
"""

import warnings
from pathlib import Path

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError
from scipy import ndimage

from .errors import UserFacingError

MNIST_SIZE = 28
BOX_SIZE = 20
MNIST_CENTRE = 14.0  # mean centre of mass of the MNIST digits, in pixel-index coordinates (row, column)
MAX_PIXELS = 40_000_000  # larger images are refused (decompression-bomb guard)
WORKING_SIDE = 1600  # larger images are shrunk first: the digit ends up 20 px tall anyway
BORDER_FRACTION = 0.05  # the outer 5% of each side is taken as "the paper"
MIN_CONTRAST = 0.2  # ink must differ from the paper by a fifth of the grey range
NOISE_FLOOR = 0.15  # after stretching, the faintest 15% of the ink range is paper noise
MIN_INK_PIXELS = 4
BACKGROUND_THUMBNAIL = 64  # the paper level is estimated on a thumbnail this size
BACKGROUND_PERCENTILE = 20
BACKGROUND_WINDOW = 1 / 3  # neighbourhood for the paper level, as a fraction of the image
SPECK_FRACTION = 0.02  # blobs with less than 2% of the largest blob's ink are specks
MIN_STROKE_FRACTION = 0.09  # thinner strokes (relative to the digit's longer side) are thickened; MNIST: 0.10-0.18
HIGH_DEPTH_MODES = {"I", "I;16", "I;16L", "I;16B", "I;16N", "F"}
NO_INK = "no ink found (blank image?)"


class ImageInputError(UserFacingError):
    """An image could not be read or holds no digit; the message starts with the file name."""


class NoInkError(ImageInputError):
    """A processing step found nothing to classify; the caller prefixes the file name."""


def source_name(source) -> str:
    """How error messages name ``source``: the path as given, or a placeholder for in-memory images."""
    if isinstance(source, np.ndarray):
        return "<array>"
    if isinstance(source, Image.Image):
        return getattr(source, "filename", "") or "<image>"
    return str(source)


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
    if not path.exists():
        raise ImageInputError(f"{path}: no such file")
    if path.is_dir():
        raise ImageInputError(f"{path}: is a directory, not an image file")
    try:
        with open(path, "rb") as handle, warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            if not handle.read(1):
                raise ImageInputError(f"{path}: empty file (0 bytes)")
            handle.seek(0)
            image = Image.open(handle)
            check_pixel_count(image.size, path, max_pixels)
            image.load()
            return ImageOps.exif_transpose(image)
    except ImageInputError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ImageInputError(f"{path}: image too large (refused as a possible decompression bomb)") from None
    except UnidentifiedImageError:
        raise ImageInputError(f"{path}: not an image file (or a format Pillow cannot read)") from None
    except PermissionError:
        raise ImageInputError(f"{path}: cannot read the file (permission denied)") from None
    except Exception as error:  # decoders raise OSError, ValueError, SyntaxError... on broken data
        raise ImageInputError(f"{path}: truncated or corrupt image data ({_first_line(error)})") from None


def _first_line(error) -> str:
    text = str(error).strip().splitlines()
    return text[0][:200] if text else type(error).__name__


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


def as_float(image: Image.Image) -> np.ndarray:
    """A grayscale Pillow image as a float32 array in [0, 1]."""
    return np.asarray(image, dtype=np.float32) / 255.0


def border_pixels(image: np.ndarray, fraction=BORDER_FRACTION) -> np.ndarray:
    """The pixels of the outer frame (``fraction`` of each side, at least one pixel): the paper."""
    height, width = image.shape
    rows, columns = max(1, int(height * fraction)), max(1, int(width * fraction))
    mask = np.ones(image.shape, dtype=bool)
    mask[rows : height - rows, columns : width - columns] = False
    return image[mask]


def ink_is_dark(image: np.ndarray) -> bool:
    """The polarity rule: the paper is the border's median; the ink is the extreme farther from it.

    Dark ink on light paper (a scan, a photo) answers True; MNIST-style light ink on black, or chalk
    on a blackboard, answers False.
    """
    paper = float(np.median(border_pixels(image)))
    return paper - float(image.min()) > float(image.max()) - paper


def light_ink_on_dark(image: np.ndarray) -> np.ndarray:
    """The image with light ink on a dark background, as in MNIST: inverted if the ink is dark."""
    return (1.0 - image).astype(np.float32) if ink_is_dark(image) else image.astype(np.float32)


def flatten_background(image: np.ndarray, percentile=BACKGROUND_PERCENTILE, window=BACKGROUND_WINDOW) -> np.ndarray:
    """Subtract the slowly varying paper level (uneven light, shadows, vignetting) from a light-on-dark image.

    The paper level at each point is a low percentile of its neighbourhood (a ``window`` fraction of
    the image), computed on a 64 px thumbnail and smoothly enlarged: ink is bright and covers much
    less than ``100 - percentile`` percent of any such neighbourhood, so it does not count.
    """
    height, width = image.shape
    scale = min(1.0, BACKGROUND_THUMBNAIL / max(height, width))
    small_size = (max(1, round(width * scale)), max(1, round(height * scale)))
    small = np.asarray(Image.fromarray(image.astype(np.float32), "F").resize(small_size, Image.Resampling.BOX))
    size = max(3, round(window * max(small.shape)))
    level = ndimage.percentile_filter(small, percentile, size=size, mode="nearest")
    level = ndimage.uniform_filter(level, size=size, mode="nearest")
    paper = np.asarray(Image.fromarray(level, "F").resize((width, height), Image.Resampling.BILINEAR))
    return np.clip(image - paper, 0.0, 1.0).astype(np.float32)


def stretch_contrast(image: np.ndarray, min_contrast=MIN_CONTRAST, noise_floor=NOISE_FLOOR) -> np.ndarray:
    """Map the paper to 0 and the ink to 1, flattening the faintest ``noise_floor`` of that range to 0.

    The paper level is the border's median; the ink level is the 95th percentile of the pixels at
    least ``min_contrast`` brighter than the paper. With too few such pixels the image is blank.
    """
    paper = float(np.median(border_pixels(image)))
    candidates = image[image > paper + min_contrast]
    if candidates.size < MIN_INK_PIXELS:
        raise NoInkError(NO_INK)
    ink = float(np.percentile(candidates, 95))
    low = paper + noise_floor * (ink - paper)
    return np.clip((image - low) / (ink - low), 0.0, 1.0).astype(np.float32)


def remove_specks(image: np.ndarray, min_fraction=SPECK_FRACTION) -> np.ndarray:
    """Erase blobs (8-connected) holding less than ``min_fraction`` of the largest blob's ink.

    Dust, paper grain and JPEG noise make small blobs far from the digit that would stretch its
    bounding box. A largest blob of fewer than ``MIN_INK_PIXELS`` pixels means the image is blank.
    """
    labels, count = ndimage.label(image > 0, structure=np.ones((3, 3)))
    if count == 0:
        raise NoInkError(NO_INK)
    index = np.arange(1, count + 1)
    ink = ndimage.sum(image, labels, index)
    if ndimage.sum(np.ones_like(image), labels, index).max() < MIN_INK_PIXELS:
        raise NoInkError(NO_INK)
    keep = np.concatenate([[False], ink >= min_fraction * ink.max()])
    return np.where(keep[labels], image, 0.0).astype(np.float32)


def crop_to_ink(image: np.ndarray) -> np.ndarray:
    """The smallest rectangle holding every non-zero pixel."""
    rows, columns = np.flatnonzero(image.any(axis=1)), np.flatnonzero(image.any(axis=0))
    if rows.size == 0:
        raise NoInkError(NO_INK)
    return image[rows[0] : rows[-1] + 1, columns[0] : columns[-1] + 1]


def stroke_width(image: np.ndarray) -> float:
    """Rough stroke width in pixels: twice the ink area over the edge-pixel count (a long stroke of width w gives w)."""
    mask = image > 0.5
    area = int(mask.sum())
    edge = area - int(ndimage.binary_erosion(mask).sum())
    return 2.0 * area / edge if edge else 0.0


def thicken_strokes(image: np.ndarray, min_fraction=MIN_STROKE_FRACTION) -> np.ndarray:
    """Widen strokes thinner than ``min_fraction`` of the digit's longer side up to that width.

    A thin pen line on a large photo would shrink to a faint hairline in the 20 px box, while MNIST
    strokes are 2-3 px there. Pixels within the missing half-width of the ink become ink (soft edge).
    """
    target = min_fraction * max(image.shape)
    width = stroke_width(image)
    if width == 0 or width >= target:
        return image
    radius = (target - width) / 2
    padded = np.pad(image, int(np.ceil(radius)) + 1)
    distance = ndimage.distance_transform_edt(padded <= 0.5)
    grown = np.maximum(padded, np.clip(radius + 0.5 - distance, 0.0, 1.0))
    return crop_to_ink(grown.astype(np.float32))


def fit_in_box(image: np.ndarray, box=BOX_SIZE) -> np.ndarray:
    """Scale so the longer side is ``box`` pixels, keeping the aspect ratio (Lanczos, anti-aliased).

    The result is rescaled so its brightest pixel is 1, as in MNIST where stroke cores are white.
    """
    height, width = image.shape
    scale = box / max(height, width)
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    resized = np.asarray(Image.fromarray(image.astype(np.float32), "F").resize(size, Image.Resampling.LANCZOS))
    resized = np.clip(resized, 0.0, None)
    top = resized.max()
    return (resized / top if top > 0 else resized).astype(np.float32)


def centre_by_mass(image: np.ndarray, size=MNIST_SIZE, centre=MNIST_CENTRE) -> np.ndarray:
    """Place ``image`` in a ``size`` x ``size`` black field with its centre of mass at ``centre``.

    The shift is rounded to whole pixels (no blur) and limited so the digit stays inside the field.
    """
    height, width = image.shape
    row, column = ndimage.center_of_mass(image)
    top = int(np.clip(np.floor(centre - row + 0.5), 0, size - height))
    left = int(np.clip(np.floor(centre - column + 0.5), 0, size - width))
    field = np.zeros((size, size), dtype=np.float32)
    field[top : top + height, left : left + width] = image
    return field


def display_copy(image: Image.Image, max_side=256) -> np.ndarray:
    """A small RGB(A) or grayscale array of the image as loaded, for showing next to the steps."""
    if image.mode in HIGH_DEPTH_MODES:
        image = to_grayscale(image)
    elif image.mode not in ("L", "RGB", "RGBA"):
        image = image.convert("RGBA" if image.has_transparency_data else "RGB")
    return np.asarray(shrink_to_fit(image, max_side))


def preprocessing_steps(source) -> dict:
    """Every intermediate image from ``source`` (path, array or Pillow image) to the MNIST-style digit.

    Keys, in order: original, grayscale, light_on_dark, flattened, contrast, despeckled, cropped, thickened,
    boxed, centred. All but ``original`` are float32 arrays in [0, 1]; ``centred`` is the result.
    Raises ``ImageInputError`` (naming ``source``) for unreadable, too-large or blank images.
    """
    image = load_image(source)
    steps = {"original": display_copy(image)}
    try:
        steps["grayscale"] = as_float(shrink_to_fit(to_grayscale(image)))
        steps["light_on_dark"] = light_ink_on_dark(steps["grayscale"])
        steps["flattened"] = flatten_background(steps["light_on_dark"])
        steps["contrast"] = stretch_contrast(steps["flattened"])
        steps["despeckled"] = remove_specks(steps["contrast"])
        steps["cropped"] = crop_to_ink(steps["despeckled"])
        steps["thickened"] = thicken_strokes(steps["cropped"])
        steps["boxed"] = fit_in_box(steps["thickened"])
        steps["centred"] = centre_by_mass(steps["boxed"])
    except NoInkError as error:
        raise ImageInputError(f"{source_name(source)}: {error}") from None
    return steps


def prepare_digit(source) -> np.ndarray:
    """An MNIST-style (28, 28) float32 digit in [0, 1] from a path, array or Pillow image."""
    return preprocessing_steps(source)["centred"]


def naive_digit(source) -> np.ndarray:
    """The image merely converted to grayscale and resized to 28x28: what fails, for comparison."""
    gray = to_grayscale(load_image(source))
    return as_float(gray.resize((MNIST_SIZE, MNIST_SIZE), Image.Resampling.LANCZOS))
