"""Random affine distortions (shift, rotation, scaling) of training images, in vectorised NumPy."""

import math
from concurrent.futures import ThreadPoolExecutor

import keras
import numpy as np

from .data import IMAGE_SIDE

# Limits of the random distortions; each image draws its own values uniformly within them.
AUGMENT_DEFAULTS = {"max_shift": 2.0, "max_rotation": 12.0, "max_scale": 0.12}


def random_affine(rng, count, max_shift, max_rotation, max_scale):
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


def augment_flat(x_flat, rng, chunk=4096, **limits):
    """Randomly distort flattened images (n, 784) in [0, 1]; returns a new float32 array of the same shape.

    The random maps are drawn first, then applied ``chunk`` images at a time (to bound memory),
    so the result does not depend on ``chunk``.
    """
    matrices, offsets = random_affine(rng, len(x_flat), **(limits or AUGMENT_DEFAULTS))
    images = np.asarray(x_flat, np.float32).reshape(-1, IMAGE_SIDE, IMAGE_SIDE)
    out = np.empty((len(x_flat), IMAGE_SIDE * IMAGE_SIDE), np.float32)
    for begin in range(0, len(x_flat), chunk):
        end = begin + chunk
        warped = affine_warp(images[begin:end], matrices[begin:end], offsets[begin:end])
        out[begin:end] = np.clip(warped, 0.0, 1.0).reshape(len(warped), -1)
    return out


def augmented_epoch(x, y, seed, epoch, limits=None):
    """Epoch ``epoch``'s training data: shuffled, every image freshly distorted; depends only on its arguments."""
    rng = np.random.default_rng((seed, epoch))
    order = rng.permutation(len(x))
    return augment_flat(x[order], rng, **(limits or {})), y[order]


class AugmentedBatches(keras.utils.PyDataset):
    """An endless stream of training batches from :func:`augmented_epoch`, one epoch after another.

    Batch ``g`` is batch ``g % batches_per_epoch`` of epoch ``g // batches_per_epoch``. The next
    epoch is distorted in a background thread while this one trains (NumPy releases the GIL).
    Fit with ``steps_per_epoch=batches_per_epoch``. Training data only: validation and test stay untouched.
    """

    def __init__(self, x, y, batch_size, seed=0, limits=None, **kwargs):
        super().__init__(**kwargs)
        self.x, self.y, self.batch_size, self.seed = x, y, batch_size, seed
        self.limits = dict(AUGMENT_DEFAULTS if limits is None else limits)
        self.batches_per_epoch = math.ceil(len(x) / batch_size)
        self._pool = ThreadPoolExecutor(max_workers=1)
        self._epochs = {}  # epoch -> Future of (x, y)

    @property
    def num_batches(self):
        return None  # endless: one iterator runs across all epochs

    def __getitem__(self, index):
        epoch, batch = divmod(index, self.batches_per_epoch)
        x, y = self._epoch(epoch).result()
        self._epoch(epoch + 1)  # start preparing the next epoch
        rows = slice(batch * self.batch_size, (batch + 1) * self.batch_size)
        return x[rows], y[rows]

    def close(self):
        """Stop preparing epochs in the background."""
        self._pool.shutdown(wait=False, cancel_futures=True)

    def _epoch(self, epoch):
        if epoch not in self._epochs:
            self._epochs = {e: f for e, f in self._epochs.items() if e >= epoch - 1}  # keep at most 3 epochs
            self._epochs[epoch] = self._pool.submit(augmented_epoch, self.x, self.y, self.seed, epoch, self.limits)
        return self._epochs[epoch]
