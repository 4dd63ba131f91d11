"""The fading probe's distortion: only while training, and it only ever dims ink, by at most its depth."""

import numpy as np

from benchmarks.fading_probe import RandomFading


def test_fading_dims_ink_within_its_depth_and_only_while_training(mnist):
    (x_train, _), _ = mnist
    images = (x_train[:64].reshape(64, -1) / 255).astype(np.float32)
    layer = RandomFading(seed=1, max_fading=0.7)
    assert np.array_equal(np.asarray(layer(images, training=False)), images)
    faded = np.asarray(layer(images, training=True))
    ink = images > 0.5
    ratio = faded[ink] / images[ink]
    assert ratio.max() <= 1.0 + 1e-6 and ratio.min() >= 0.3 - 1e-6
    assert ratio.min() < 0.8, "some ink is dimmed markedly"
