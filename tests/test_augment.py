"""Random affine distortions: the warp against SciPy, ranges, determinism, training data only."""

import numpy as np
import pytest
from scipy import ndimage

from mnist_helpers.augment import AugmentedBatches, affine_warp, augment_flat, augmented_epoch, random_affine
from mnist_helpers.training import split_validation


@pytest.fixture
def digits():
    """Twelve blurry blobs standing in for digits: flattened float32 in [0, 1]."""
    rng = np.random.default_rng(0)
    images = np.zeros((12, 28, 28), np.float32)
    images[:, 8:20, 10:18] = rng.random((12, 12, 8), dtype=np.float32)
    return images.reshape(12, -1)


def test_warp_matches_scipy_affine_transform(digits):
    images = digits.reshape(-1, 28, 28)
    rng = np.random.default_rng(1)
    matrices, offsets = random_affine(rng, len(images), max_shift=3, max_rotation=30, max_scale=0.3)
    centre = np.full(2, 13.5)
    expected = [
        ndimage.affine_transform(image, m, offset=centre + o - m @ centre, order=1, mode="grid-constant")
        for image, m, o in zip(images, matrices, offsets)
    ]
    np.testing.assert_allclose(affine_warp(images, matrices, offsets), np.stack(expected), atol=1e-5)


def test_identity_warp_leaves_images_unchanged(digits):
    images = digits.reshape(-1, 28, 28)
    identity = np.tile(np.eye(2), (len(images), 1, 1))
    np.testing.assert_allclose(affine_warp(images, identity, np.zeros((len(images), 2))), images, atol=1e-6)


def test_whole_pixel_shift_moves_the_image(digits):
    images = digits.reshape(-1, 28, 28)
    identity = np.tile(np.eye(2), (len(images), 1, 1))
    shifted = affine_warp(images, identity, np.tile([2.0, -3.0], (len(images), 1)))
    np.testing.assert_allclose(shifted[:, :-2, 3:], images[:, 2:, :-3], atol=1e-6)


def test_augment_keeps_shape_dtype_and_range_and_changes_images(digits):
    out = augment_flat(digits, np.random.default_rng(0))
    assert out.shape == digits.shape and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert np.all(np.abs(out - digits).max(axis=1) > 0.05)
    assert not np.shares_memory(out, digits)


def test_augment_is_repeatable_for_a_seed(digits):
    first = augment_flat(digits, np.random.default_rng(7))
    np.testing.assert_array_equal(first, augment_flat(digits, np.random.default_rng(7)))
    assert not np.array_equal(first, augment_flat(digits, np.random.default_rng(8)))


def test_batches_keep_labels_and_cover_each_epoch(digits):
    labels = np.arange(len(digits))
    batches = AugmentedBatches(digits, labels, batch_size=5, seed=3)
    assert batches.batches_per_epoch == 3 and batches.num_batches is None
    for epoch in range(2):
        seen = [batches[epoch * 3 + index][1] for index in range(3)]
        assert sorted(np.concatenate(seen)) == list(labels)
    x, y = batches[4]  # epoch 1, batch 1
    epoch_x, epoch_y = augmented_epoch(digits, labels, seed=3, epoch=1)
    np.testing.assert_array_equal(x, epoch_x[5:10])
    np.testing.assert_array_equal(y, epoch_y[5:10])
    batches.close()


def test_chunking_does_not_change_the_result(digits):
    whole = augment_flat(digits, np.random.default_rng(5))
    np.testing.assert_array_equal(whole, augment_flat(digits, np.random.default_rng(5), chunk=5))


def test_batches_are_repeatable_and_leave_the_inputs_alone(digits):
    original = digits.copy()
    first = AugmentedBatches(digits, np.arange(12), batch_size=4, seed=9)
    second = AugmentedBatches(digits, np.arange(12), batch_size=4, seed=9)
    for index in (0, 5, 2):
        np.testing.assert_array_equal(first[index][0], second[index][0])
    assert not np.array_equal(first[0][0], first[3][0][: len(first[0][0])])  # a new epoch, new distortions
    np.testing.assert_array_equal(digits, original)


def test_validation_split_is_the_last_tenth_like_keras():
    x, y = np.arange(100).reshape(50, 2), np.arange(50)
    (x_fit, y_fit), (x_val, y_val) = split_validation(x, y, 0.1)
    np.testing.assert_array_equal(y_fit, np.arange(45))
    np.testing.assert_array_equal(y_val, np.arange(45, 50))
    assert x_val.shape == (5, 2)
