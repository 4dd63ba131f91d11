"""Random affine distortions (shift, rotation, scaling) of training images, in vectorised NumPy."""

import math

import keras
import numpy as np

IMAGE_SIDE = 28

# Limits of the random distortions; each image draws its own values uniformly within them.
AUGMENT_DEFAULTS = {"max_shift": 2.0, "max_rotation": 12.0, "max_scale": 0.12}


def random_affine(rng, count, max_shift=2.0, max_rotation=12.0, max_scale=0.12):
    """Draw ``count`` random affine maps as ``(matrices, offsets)``, shapes (n, 2, 2) and (n, 2).

    Each map sends an output pixel's (row, column) to the source position it samples:
    ``source = matrix @ (pixel - centre) + centre + offset``. Rotation is in degrees,
    scale a relative change (0.1 means 90%-110%), shift in pixels along each axis.
    """
    angle = np.deg2rad(rng.uniform(-max_rotation, max_rotation, count))
    scale = rng.uniform(1.0 - max_scale, 1.0 + max_scale, count)
    offsets = rng.uniform(-max_shift, max_shift, (count, 2))
    cos, sin = np.cos(angle) / scale, np.sin(angle) / scale  # inverse map: sample at rotated, 1/scale positions
    matrices = np.stack([np.stack([cos, -sin], axis=-1), np.stack([sin, cos], axis=-1)], axis=1)
    return matrices, offsets


def affine_warp(images, matrices, offsets):
    """Resample each (28, 28) image at its affine-mapped positions: bilinear, zero outside."""
    count, side = len(images), images.shape[-1]
    width = side + 3  # one row/column of zero padding before the image, two after
    centre = (side - 1) / 2.0
    rows, cols = np.meshgrid(np.arange(side) - centre, np.arange(side) - centre, indexing="ij")
    grid = np.stack([rows.ravel(), cols.ravel()]).astype(np.float32)  # (2, side*side)
    shift = (np.asarray(offsets, np.float32) + (centre + 1.0))[:, :, None]  # +1: padded coordinates
    source = np.asarray(matrices, np.float32) @ grid + shift
    np.clip(source, 0.0, side + 1.0, out=source)  # beyond the border every neighbour is padding (zero)
    base = source.astype(np.int32)  # floor, as source >= 0
    frac = source - base
    padded = np.zeros((count, width, width), np.float32)
    padded[:, 1 : side + 1, 1 : side + 1] = images
    top = base[:, 0] * width + base[:, 1] + (np.arange(count, dtype=np.int32) * width * width)[:, None]
    flat = padded.ravel()
    top = top.astype(np.intp)
    fr, fc = frac[:, 0], frac[:, 1]
    upper = flat.take(top)
    upper += (flat.take(top + 1) - upper) * fc
    lower = flat.take(top + width)
    lower += (flat.take(top + width + 1) - lower) * fc
    upper += (lower - upper) * fr
    return upper.reshape(count, side, side)


def augment_flat(x_flat, rng, **limits):
    """Randomly distort flattened images (n, 784) in [0, 1]; returns a new float32 array of the same shape."""
    matrices, offsets = random_affine(rng, len(x_flat), **limits)
    images = np.asarray(x_flat, np.float32).reshape(-1, IMAGE_SIDE, IMAGE_SIDE)
    warped = affine_warp(images, matrices, offsets)
    return np.clip(warped, 0.0, 1.0, out=warped).reshape(len(x_flat), -1)


class AugmentedBatches(keras.utils.PyDataset):
    """An endless stream of shuffled, freshly distorted training batches; repeatable for a seed.

    Batch ``g`` is batch ``g % batches_per_epoch`` of epoch ``g // batches_per_epoch``, and
    depends only on ``(seed, g)``, never on thread timing. Fit with
    ``steps_per_epoch=batches_per_epoch``. Training data only: validation and test stay untouched.
    """

    def __init__(self, x, y, batch_size=128, seed=0, limits=None, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size, self.seed = x, y, batch_size, seed
        self.limits = dict(AUGMENT_DEFAULTS if limits is None else limits)
        self.batches_per_epoch = math.ceil(len(x) / batch_size)
        self._orders = {}

    @property
    def num_batches(self):
        return None  # endless: one iterator runs across all epochs

    def __getitem__(self, index):
        epoch, batch = divmod(index, self.batches_per_epoch)
        picked = self._order(epoch)[batch * self.batch_size : (batch + 1) * self.batch_size]
        rng = np.random.default_rng((self.seed, epoch, batch))
        return augment_flat(self.x[picked], rng, **self.limits), self.y[picked]

    def _order(self, epoch):
        if epoch not in self._orders:
            self._orders = {epoch: np.random.default_rng((self.seed, epoch)).permutation(len(self.x))}
        return self._orders[epoch]
