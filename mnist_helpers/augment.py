"""Random affine distortions (shift, rotation, scaling) of training images, drawn and applied in the training step.

The distortion is a Keras layer that only acts while training, put in front of the network by
:func:`with_distortion`, so it runs inside the backend's compiled step: no Python feed, no extra
thread competing for the two cores. Validation and test images pass through untouched.
"""

import math

import keras
import numpy as np
from keras import ops

from .data import IMAGE_PIXELS, IMAGE_SIDE

# Limits of the random distortions; each image draws its own values uniformly within them.
AUGMENT_DEFAULTS = {"max_shift": 2.0, "max_rotation": 12.0, "max_scale": 0.12}

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


def affine_warp(images, matrices, offsets):
    """Resample flattened (n, 784) images at their affine-mapped positions: bilinear, zero outside.

    JAX gets a gather written here: Keras's ``affine_transform`` on JAX (``map_coordinates``) made
    an epoch 1.6x slower. The other backends use Keras's own, TensorFlow's ``ImageProjectiveTransformV3``.
    """
    if keras.backend.backend() == "jax":
        return gather_warp(images, matrices, offsets)
    return library_warp(images, matrices, offsets)


def library_warp(images, matrices, offsets):
    """:func:`affine_warp` by ``keras.ops.image.affine_transform`` (which works in (x, y) = (column, row))."""
    m = ops.reshape(matrices, (-1, 4))  # rows: m00, m01, m10, m11
    m00, m01, m10, m11 = m[:, 0], m[:, 1], m[:, 2], m[:, 3]
    column_offset = _CENTRE + offsets[:, 1] - _CENTRE * (m10 + m11)
    row_offset = _CENTRE + offsets[:, 0] - _CENTRE * (m00 + m01)
    zero = ops.zeros_like(m00)
    transforms = ops.stack([m11, m10, column_offset, m01, m00, row_offset, zero, zero], axis=1)
    square = ops.reshape(images, (-1, IMAGE_SIDE, IMAGE_SIDE, 1))
    warped = ops.image.affine_transform(square, transforms, "bilinear", "constant", 0, data_format="channels_last")
    return ops.reshape(warped, (-1, IMAGE_PIXELS))


def gather_warp(images, matrices, offsets):
    """:func:`affine_warp` by four gathers from a zero-padded copy of each image."""
    width = IMAGE_SIDE + 3  # one row/column of zero padding before the image, two after
    rows = matrices[:, 0, :1] * _ROWS + matrices[:, 0, 1:] * _COLS + (offsets[:, :1] + _CENTRE + 1.0)
    cols = matrices[:, 1, :1] * _ROWS + matrices[:, 1, 1:] * _COLS + (offsets[:, 1:] + _CENTRE + 1.0)
    rows = ops.clip(rows, 0.0, IMAGE_SIDE + 1.0)  # beyond the border every neighbour is padding (zero)
    cols = ops.clip(cols, 0.0, IMAGE_SIDE + 1.0)
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


class RandomDistortion(keras.layers.Layer):
    """While training, distort each flattened image by its own random affine map; otherwise pass it through."""

    def __init__(self, seed=None, limits=None, **kwargs):
        super().__init__(**kwargs)
        self.limits = dict(limits or AUGMENT_DEFAULTS)
        self.seed_generator = keras.random.SeedGenerator(seed)

    def call(self, images, training=False):
        if not training:
            return images
        matrices, offsets = random_affine(ops.shape(images)[0], self.seed_generator, **self.limits)
        return ops.clip(affine_warp(images, matrices, offsets), 0.0, 1.0)

    def compute_output_shape(self, input_shape):
        return input_shape


def with_distortion(model, seed, limits=None):
    """A model to ``fit`` instead of ``model``: :class:`RandomDistortion` in front of the same layers and weights.

    Training it trains ``model``; save and use ``model`` itself, which never sees a distortion.
    """
    return in_front(RandomDistortion(seed, limits), model)


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
