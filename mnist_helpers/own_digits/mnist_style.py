"""Turn a photo, scan or drawing of one digit into an MNIST-style 28x28 input.

MNIST digits are light ink on black, scaled so the ink's longer side fits a 20x20 box (with
anti-aliasing), and placed in a 28x28 field with their centre of mass at the centre (LeCun's MNIST
page). A photo of handwriting is the opposite: dark ink on light paper, anywhere, any size. Each
function does one step (the first ones, finding the ink on the paper, in :mod:`.ink`; the pen width, the
box and the centring below), and :data:`STEPS` lists them in order with their names and titles:
``preprocessing_steps`` runs them all and keeps every intermediate image (for the notebook's
figure), ``prepare_digit`` returns only the result.

The result is an (IMAGE_SIDE, IMAGE_SIDE) = (28, 28) float32 array in [0, 1], the scale of
``data.flatten_and_scale``: ``digit.reshape(1, IMAGE_PIXELS)`` is a model input. Reading the file is
``image_files``' job; this module only turns a grayscale image into a digit.
"""

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image
from scipy import ndimage

from ..data import IMAGE_SIDE
from .digit_split import Box, digit_masks
from .image_files import (
    ImageInputError,
    as_float,
    display_copy,
    grayscale_pixels,
    load_image,
    source_name,
    to_grayscale,
)
from .ink import (
    StepError,
    crop_to_ink,
    flatten_background,
    keep_faint_strokes,
    light_ink_on_dark,
    remove_specks,
    stretch_contrast,
)

BOX_SIZE = 20
MNIST_CENTRE = 14.0  # mean centre of mass of the MNIST digits, in pixel-index coordinates (row, column)
# Stroke width relative to the ink's longer side, outside which a pen is brought back into MNIST's range.
# MNIST test digits: 1st percentile 0.10, median 0.13, 95th percentile 0.205 (measured on 3,000).
MIN_STROKE_FRACTION = 0.09
MAX_STROKE_FRACTION = 0.20


def stroke_width(image: np.ndarray) -> float:
    """Rough stroke width in pixels: twice the ink area over the edge-pixel count (a long stroke of width w gives w)."""
    mask = image > 0.5
    area = int(mask.sum())
    edge = area - int(ndimage.binary_erosion(mask).sum())
    return 2.0 * area / edge if edge else 0.0


def even_stroke_width(image: np.ndarray, low=MIN_STROKE_FRACTION, high=MAX_STROKE_FRACTION) -> np.ndarray:
    """Bring the strokes' width into MNIST's range: between ``low`` and ``high`` of the ink's longer side.

    A thin pen line on a large photo would shrink to a faint hairline in the 20 px box, and a marker (or
    a digit written small) would fill its own loops, while MNIST's strokes are 2-4 px there. Pixels
    within the missing half-width of the ink become ink; pixels within the excess half-width of the
    paper become paper (soft edges). Widths inside the range are left as they are.
    """
    side, width = max(image.shape), stroke_width(image)
    if width == 0 or low * side <= width <= high * side:
        return image
    if width < low * side:
        radius = (low * side - width) / 2
        padded = np.pad(image, int(np.ceil(radius)) + 1)
        distance = ndimage.distance_transform_edt(padded <= 0.5)
        return crop_to_ink(np.maximum(padded, np.clip(radius + 0.5 - distance, 0.0, 1.0)).astype(np.float32))
    radius = (width - high * side) / 2
    depth = ndimage.distance_transform_edt(image > 0.5)
    thinned = np.minimum(image, np.clip(depth - radius, 0.0, 1.0)).astype(np.float32)
    return crop_to_ink(thinned) if thinned.max() > 0.5 else image


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


def centre_by_mass(image: np.ndarray, size=IMAGE_SIDE, centre=MNIST_CENTRE) -> np.ndarray:
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


@dataclass(frozen=True)
class Step:
    """One step of the MNIST-style preprocessing: its name, its title in the steps figure, what it does."""

    name: str
    title: str
    function: Callable


ORIGINAL_TITLE = "your image"  # the image as read, shown before the steps
STEPS = (
    Step("grayscale", "grayscale", grayscale_pixels),  # the Pillow image as read -> float32 in [0, 1]
    Step("light_on_dark", "light ink on dark", light_ink_on_dark),
    Step("flattened", "uneven light removed", flatten_background),
    Step("contrast", "contrast stretched", stretch_contrast),
    Step("faint_kept", "faint strokes kept\n(local contrast)", keep_faint_strokes),
    Step("despeckled", "specks removed", remove_specks),
    Step("cropped", "cropped to ink", crop_to_ink),
    Step("stroke_width", "pen width into\nMNIST's range", even_stroke_width),
    Step("boxed", "20 px box", fit_in_box),
    Step("centred", "28x28, centred", centre_by_mass),
)


# The steps up to the speck removal see the whole image; the rest see each digit of a number alone.
SPLIT = 1 + [step.function for step in STEPS].index(remove_specks)
# A drawing (the pad's strokes, re-drawn as light ink on black) has no paper to find: no polarity to guess, no
# uneven light to remove. Those steps would take dense ink for paper (a tap's disc became a ring, a "0").
PHOTO_ONLY_STEPS = ("light_on_dark", "flattened")
DRAWING_STEPS = tuple(step for step in STEPS if step.name not in PHOTO_ONLY_STEPS)


@dataclass(frozen=True)
class PreparedDigit:
    """One digit of an image, MNIST-style: the (28, 28) input and where the digit is in the image (pixels)."""

    digit: np.ndarray
    box: Box


def preprocessing_steps(source) -> dict:
    """Every intermediate image from ``source`` (path, array or Pillow image) to the MNIST-style digit.

    Keys: ``original`` (a small copy of the image as read, for showing), then each of :data:`STEPS` in
    order; all but ``original`` are float32 arrays in [0, 1], and the last, ``centred``, is the result.
    Raises ``ImageInputError`` (naming ``source``) for unreadable, too-large or blank images.
    """
    image = load_image(source)
    return {"original": display_copy(image), **_run_steps(image, source)}


def _run_steps(image, source, steps_to_run=STEPS) -> dict:
    steps = {}
    try:
        for step in steps_to_run:
            image = steps[step.name] = step.function(image)
    except StepError as error:
        raise ImageInputError(f"{source_name(source)}: {error}") from None
    return steps


def prepare_digit(source, steps=STEPS) -> np.ndarray:
    """An MNIST-style (28, 28) float32 digit in [0, 1] from a path, array or Pillow image (``steps``: other steps to
    compare, as a probe does)."""
    return _run_steps(load_image(source), source, steps)[steps[-1].name]


def prepare_drawn_ink(ink: np.ndarray) -> np.ndarray:
    """An MNIST-style (28, 28) digit from a drawing's ink (light on black, 0 is paper): :data:`DRAWING_STEPS`."""
    return _run_steps(load_image(ink), ink, DRAWING_STEPS)[STEPS[-1].name]


def prepare_number(source) -> list:
    """Each digit of ``source`` as a :class:`PreparedDigit`, left to right (:mod:`.digit_split`).

    The steps up to the speck removal (``STEPS[:SPLIT]``) run on the whole image, the rest on each digit
    alone; a single digit comes out exactly as :func:`prepare_digit` makes it.
    """
    image, ink = number_ink(source)
    to_source = image.width / ink.shape[1]
    return [
        PreparedDigit(prepare_ink_part(np.where(mask, ink, 0.0).astype(np.float32), source), box.scaled(to_source))
        for box, mask in digit_masks(ink)
    ]


def number_ink(source) -> tuple:
    """``(image, ink)``: the image as read and its ink after the whole-image steps (``STEPS[:SPLIT]``)."""
    image = load_image(source)
    return image, _run_steps(image, source, STEPS[:SPLIT])[STEPS[SPLIT - 1].name]


def prepare_ink_part(ink: np.ndarray, source) -> np.ndarray:
    """The MNIST-style (28, 28) digit of one digit's ink (a part of :func:`number_ink`'s): ``STEPS[SPLIT:]``."""
    return _run_steps(ink, source, STEPS[SPLIT:])[STEPS[-1].name]


def naive_digit(source) -> np.ndarray:
    """The image merely converted to grayscale and resized to 28x28: what fails, for comparison."""
    gray = to_grayscale(load_image(source))
    return as_float(gray.resize((IMAGE_SIDE, IMAGE_SIDE), Image.Resampling.LANCZOS))
