"""Random distortions of training images, drawn and applied inside the training step.

Each training image gets its own, within the recipe's limits (:mod:`.recipe`), every epoch:

- **stroke width**: grey dilation or erosion by a random fraction of a pixel or two (a finer or a
  thicker pen);
- **affine**: shift, rotation and scaling (the digit sits elsewhere, leans, is larger or smaller);
- **elastic**: a random displacement field smoothed by a Gaussian of width ``elastic_sigma`` and
  scaled by ``elastic_alpha`` (Simard, Steinkraus and Platt 2003): strokes bend locally, as they do
  from one writer to the next;
- **fading**: the ink dimmed by a smooth random field, down to ``1 - max_fading`` where it is deepest, so
  one part of a digit can be much fainter than another (a pen running dry, a pencil pressed lightly).

The distortion is a Keras layer that only acts while training, put in front of the network by
:func:`with_distortion`, so it runs inside the backend's compiled step: no Python feed, no extra
thread competing for the two cores. Validation and test images pass through untouched.
"""

import math

import keras
import numpy as np
from keras import ops
from scipy import ndimage

from .data import IMAGE_PIXELS, IMAGE_SIDE
from .recipe import DISTORTION_LIMITS

FADING_SIGMA = 6.0  # pixels: a fading field that changes over about half a digit
_CENTRE = (IMAGE_SIDE - 1) / 2.0
_ROWS, _COLS = (axis.ravel().astype(np.float32) - _CENTRE for axis in np.indices((IMAGE_SIDE, IMAGE_SIDE)))


def random_affine(count, seed, max_shift, max_rotation, max_scale):
    """Draw ``count`` random affine maps as ``(matrices, offsets)``, shapes (n, 2, 2) and (n, 2).

    Each map sends an output pixel's (row, column) to the source position it samples:
    ``source = matrix @ (pixel - centre) + centre + offset``. Rotation is in degrees, scale a
    relative change (0.1 means 90%-110%), shift in pixels along each axis. ``seed`` is a
    ``keras.random.SeedGenerator``: each draw advances it.
    """
    angle = keras.random.uniform((count,), -math.radians(max_rotation), math.radians(max_rotation), seed=seed)
    scale = keras.random.uniform((count,), 1.0 - max_scale, 1.0 + max_scale, seed=seed)
    offsets = keras.random.uniform((count, 2), -max_shift, max_shift, seed=seed)
    cos, sin = ops.cos(angle) / scale, ops.sin(angle) / scale  # inverse map: sample at rotated, 1/scale positions
    matrices = ops.stack([ops.stack([cos, -sin], axis=-1), ops.stack([sin, cos], axis=-1)], axis=1)
    return matrices, offsets


def gaussian_matrix(sigma, side=IMAGE_SIDE) -> np.ndarray:
    """The (side, side) matrix ``G`` with ``G @ column == scipy.ndimage.gaussian_filter1d(column, sigma)``.

    So ``G @ field @ G.T`` is SciPy's 2-D ``gaussian_filter`` (its defaults: reflected borders,
    truncated at 4 sigma), as one matrix product each way inside the compiled step.
    """
    return ndimage.gaussian_filter1d(np.eye(side, dtype=np.float64), sigma, axis=0).astype(np.float32)


def random_displacement(count, seed, sigma, alpha, smoothing=None):
    """Simard's elastic field: per-pixel uniform(-1, 1) row and column moves, Gaussian-smoothed, times ``alpha``.

    Returns (n, 2, 28, 28) displacements in pixels (rows first). ``smoothing`` is
    :func:`gaussian_matrix` of ``sigma``, if already computed.
    """
    noise = keras.random.uniform((count, 2, IMAGE_SIDE, IMAGE_SIDE), -1.0, 1.0, seed=seed)
    return alpha * smooth_field(noise, gaussian_matrix(sigma) if smoothing is None else smoothing)


def smooth_field(field, smoothing):
    """Each (28, 28) plane of ``field`` Gaussian-filtered: ``smoothing @ plane @ smoothing.T``."""
    smoothing = ops.convert_to_tensor(smoothing)
    return ops.matmul(ops.matmul(smoothing, field), ops.transpose(smoothing))


def source_positions(matrices, offsets, displacement=None):
    """The (row, column) each output pixel samples, each (n, 784): the affine map plus any displacement."""
    rows = matrices[:, 0, :1] * _ROWS + matrices[:, 0, 1:] * _COLS + (offsets[:, :1] + _CENTRE)
    cols = matrices[:, 1, :1] * _ROWS + matrices[:, 1, 1:] * _COLS + (offsets[:, 1:] + _CENTRE)
    if displacement is not None:
        moves = ops.reshape(displacement, (-1, 2, IMAGE_PIXELS))
        rows, cols = rows + moves[:, 0], cols + moves[:, 1]
    return rows, cols


def bilinear_sample(images, rows, cols):
    """Flattened (n, 784) images sampled at (n, 784) positions: bilinear, zero outside the image.

    Four gathers from a zero-padded copy of each image: Keras's ``map_coordinates`` on JAX made an
    epoch 1.6x slower than this (``benchmarks/profile_augment.py``).
    """
    width = IMAGE_SIDE + 3  # one row/column of zero padding before the image, two after
    rows = ops.clip(rows + 1.0, 0.0, IMAGE_SIDE + 1.0)  # beyond the border every neighbour is padding (zero)
    cols = ops.clip(cols + 1.0, 0.0, IMAGE_SIDE + 1.0)
    top_row, left_col = ops.floor(rows), ops.floor(cols)
    row_frac, col_frac = rows - top_row, cols - left_col
    square = ops.reshape(images, (-1, IMAGE_SIDE, IMAGE_SIDE))
    padded = ops.reshape(ops.pad(square, ((0, 0), (1, 2), (1, 2))), (-1, width * width))
    top_left = ops.cast(top_row * width + left_col, "int32")

    top_left_ink, bottom_left_ink, top_right_ink, bottom_right_ink = (
        ops.take_along_axis(padded, top_left + step, axis=1) for step in (0, width, 1, width + 1)
    )
    upper = top_left_ink + (top_right_ink - top_left_ink) * col_frac
    lower = bottom_left_ink + (bottom_right_ink - bottom_left_ink) * col_frac
    return upper + (lower - upper) * row_frac


def _affine_warp(images, matrices, offsets):
    """Resample flattened (n, 784) images at their affine-mapped positions: bilinear, zero outside.

    TensorFlow gets Keras's ``affine_transform`` (its ``ImageProjectiveTransformV3``, faster there than
    the gathers); the other backends :func:`bilinear_sample`.
    """
    if keras.backend.backend() == "tensorflow":
        return library_warp(images, matrices, offsets)
    return bilinear_sample(images, *source_positions(matrices, offsets))


def library_warp(images, matrices, offsets):
    """:func:`_affine_warp` by ``keras.ops.image.affine_transform`` (which works in (x, y) = (column, row))."""
    m = ops.reshape(matrices, (-1, 4))  # rows: m00, m01, m10, m11
    m00, m01, m10, m11 = m[:, 0], m[:, 1], m[:, 2], m[:, 3]
    column_offset = _CENTRE + offsets[:, 1] - _CENTRE * (m10 + m11)
    row_offset = _CENTRE + offsets[:, 0] - _CENTRE * (m00 + m01)
    zero = ops.zeros_like(m00)
    transforms = ops.stack([m11, m10, column_offset, m01, m00, row_offset, zero, zero], axis=1)
    square = ops.reshape(images, (-1, IMAGE_SIDE, IMAGE_SIDE, 1))
    warped = ops.image.affine_transform(square, transforms, "bilinear", "constant", 0, data_format="channels_last")
    return ops.reshape(warped, (-1, IMAGE_PIXELS))


def _neighbours(square, offsets):
    """The (n, 28, 28) images shifted by each (row, column) offset, zero where they come from outside."""
    padded = ops.pad(square, ((0, 0), (1, 1), (1, 1)))
    return [padded[:, 1 + dr : 1 + dr + IMAGE_SIDE, 1 + dc : 1 + dc + IMAGE_SIDE] for dr, dc in offsets]


CROSS = ((0, 0), (-1, 0), (1, 0), (0, -1), (0, 1))  # the 4-neighbourhood: a disk of radius 1 on the grid
SQUARE = tuple((dr, dc) for dr in (-1, 0, 1) for dc in (-1, 0, 1))


def grey_dilation(images, footprint=CROSS):
    """SciPy's ``grey_dilation`` of flattened images with a 3x3 ``footprint`` (offsets), zero outside."""
    return _neighbourhood(images, footprint, ops.max)


def grey_erosion(images, footprint=CROSS):
    """SciPy's ``grey_erosion`` of flattened images with a 3x3 ``footprint`` (offsets), zero outside."""
    return _neighbourhood(images, footprint, ops.min)


def _neighbourhood(images, footprint, reduce):
    square = ops.reshape(images, (-1, IMAGE_SIDE, IMAGE_SIDE))
    return ops.reshape(reduce(ops.stack(_neighbours(square, footprint)), axis=0), (-1, IMAGE_PIXELS))


def change_stroke_width(images, radius):
    """Thicken (``radius`` > 0) or thin (< 0) each image's strokes by its radius in pixels, up to 2 thicker, 1 thinner.

    Whole pixels are grey dilations (a cross, then a 3x3 square: together an octagon of radius 2) or
    an erosion by the cross; the fraction blends linearly towards the next one, so the width changes
    smoothly with ``radius`` (shape (n,)).
    """
    radius = ops.expand_dims(radius, 1)
    once = grey_dilation(images, CROSS)
    twice = grey_dilation(once, SQUARE)
    thinner = grey_erosion(images, CROSS)
    thicker = images + ops.clip(radius, 0.0, 1.0) * (once - images) + ops.clip(radius - 1.0, 0.0, 1.0) * (twice - once)
    return thicker - ops.clip(-radius, 0.0, 1.0) * (images - thinner)


class RandomDistortion(keras.layers.Layer):
    """While training, give each flattened image its own random pen width, affine map and elastic bend."""

    def __init__(self, seed, limits, **kwargs):
        super().__init__(**kwargs)
        self.limits = dict(limits)
        if set(self.limits) != set(DISTORTION_LIMITS):
            raise ValueError(f"distortion limits must be exactly {DISTORTION_LIMITS} (got {sorted(self.limits)})")
        self.seed_generator = keras.random.SeedGenerator(seed)
        sigma = self.limits["elastic_sigma"]
        self.smoothing = gaussian_matrix(sigma) if sigma > 0 and self.limits["elastic_alpha"] > 0 else None

    def call(self, images, training=False):
        if not training:
            return images
        limits, count = self.limits, ops.shape(images)[0]
        if limits["max_thinning"] > 0 or limits["max_thickening"] > 0:
            radius = keras.random.uniform(
                (count,), -limits["max_thinning"], limits["max_thickening"], seed=self.seed_generator
            )
            images = change_stroke_width(images, radius)
        matrices, offsets = random_affine(
            count, self.seed_generator, limits["max_shift"], limits["max_rotation"], limits["max_scale"]
        )
        if self.smoothing is None:
            warped = _affine_warp(images, matrices, offsets)
        else:
            moves = random_displacement(
                count, self.seed_generator, limits["elastic_sigma"], limits["elastic_alpha"], self.smoothing
            )
            warped = bilinear_sample(images, *source_positions(matrices, offsets, moves))
        return ops.clip(warped, 0.0, 1.0)

    def compute_output_shape(self, input_shape):
        return input_shape


class RandomFading(keras.layers.Layer):
    """While training, dim each flattened image by ``1 - depth * field``, a depth drawn up to ``max_fading`` per image.

    The field: uniform noise smoothed by a Gaussian of ``FADING_SIGMA``, stretched to 0-1 (MNIST's ink is nearly even).
    """

    def __init__(self, seed, max_fading, **kwargs):
        super().__init__(**kwargs)
        self.max_fading = float(max_fading)
        self.seed_generator = keras.random.SeedGenerator(seed)
        self.smoothing = gaussian_matrix(FADING_SIGMA)

    def call(self, images, training=False):
        if not training or self.max_fading == 0:
            return images
        count = ops.shape(images)[0]
        noise = keras.random.uniform((count, IMAGE_SIDE, IMAGE_SIDE), 0.0, 1.0, seed=self.seed_generator)
        field = smooth_field(noise, self.smoothing)
        low = ops.min(field, axis=(1, 2), keepdims=True)
        field = (field - low) / (ops.max(field, axis=(1, 2), keepdims=True) - low + 1e-6)
        depth = keras.random.uniform((count, 1, 1), 0.0, self.max_fading, seed=self.seed_generator)
        faded = ops.reshape(images, (-1, IMAGE_SIDE, IMAGE_SIDE)) * (1.0 - depth * field)
        return ops.reshape(faded, (-1, IMAGE_PIXELS))

    def compute_output_shape(self, input_shape):
        return input_shape


def with_distortion(model, seed, limits):
    """A model to ``fit`` instead of ``model``: the distortions in front of the same layers and weights.

    :class:`RandomDistortion`, then :class:`RandomFading` (its own seed, ``seed + 1``) if ``max_fading`` is set.
    Training it trains ``model``; save and use ``model`` itself, which never sees a distortion.
    """
    distortion = RandomDistortion(seed, limits)
    if limits["max_fading"] > 0:
        distortion = keras.Sequential([distortion, RandomFading(seed + 1, limits["max_fading"])])
    return in_front(distortion, model)


def in_front(layer, model):
    """``layer`` then ``model`` as one model, compiled with ``model``'s own optimizer and settings."""
    combined = keras.Sequential([keras.Input((IMAGE_PIXELS,)), layer, model], name=f"{model.name}_{layer.name}")
    config = model.get_compile_config()
    combined.compile(
        optimizer=model.optimizer,
        loss=config["loss"],
        metrics=config["metrics"],
        steps_per_execution=config["steps_per_execution"],
        jit_compile=config["jit_compile"],
    )
    return combined
