"""Random affine distortions: both warps against SciPy, ranges, determinism, training data only."""

import keras
import numpy as np
import pytest
from scipy import ndimage

from mnist_helpers.augment import RandomDistortion, gather_warp, library_warp, random_affine, with_distortion
from mnist_helpers.model import build_model
from mnist_helpers.training import split_validation

WARPS = [library_warp, gather_warp]


@pytest.fixture
def digits():
    """Twelve blurry blobs standing in for digits: flattened float32 in [0, 1]."""
    rng = np.random.default_rng(0)
    images = np.zeros((12, 28, 28), np.float32)
    images[:, 8:20, 10:18] = rng.random((12, 12, 8), dtype=np.float32)
    return images.reshape(12, -1)


def _numpy(value):
    return keras.ops.convert_to_numpy(value)


def _identity(count):
    return np.tile(np.eye(2, dtype=np.float32), (count, 1, 1))


@pytest.mark.parametrize("warp", WARPS)
def test_warp_matches_scipy_affine_transform(digits, warp):
    matrices, offsets = map(_numpy, random_affine(len(digits), keras.random.SeedGenerator(1), 3, 30, 0.3))
    centre = np.full(2, 13.5)
    expected = [
        ndimage.affine_transform(image, m, offset=centre + o - m @ centre, order=1, mode="grid-constant")
        for image, m, o in zip(digits.reshape(-1, 28, 28), matrices, offsets)
    ]
    warped = _numpy(warp(digits, matrices, offsets)).reshape(-1, 28, 28)
    np.testing.assert_allclose(warped, np.stack(expected), atol=1e-5)


@pytest.mark.parametrize("warp", WARPS)
def test_identity_warp_leaves_images_unchanged(digits, warp):
    warped = _numpy(warp(digits, _identity(len(digits)), np.zeros((len(digits), 2), np.float32)))
    np.testing.assert_allclose(warped, digits, atol=1e-6)


@pytest.mark.parametrize("warp", WARPS)
def test_whole_pixel_shift_moves_the_image(digits, warp):
    shift = np.tile(np.float32([2.0, -3.0]), (len(digits), 1))
    shifted = _numpy(warp(digits, _identity(len(digits)), shift)).reshape(-1, 28, 28)
    images = digits.reshape(-1, 28, 28)
    np.testing.assert_allclose(shifted[:, :-2, 3:], images[:, 2:, :-3], atol=1e-6)


def test_random_maps_stay_within_their_limits():
    matrices, offsets = map(_numpy, random_affine(2000, keras.random.SeedGenerator(2), 2.0, 12.0, 0.12))
    scale = 1 / np.sqrt(np.linalg.det(matrices))  # the inverse map shrinks by 1/scale
    angle = np.degrees(np.arctan2(matrices[:, 1, 0], matrices[:, 0, 0]))
    assert 0.88 <= scale.min() < 0.9 and 1.1 < scale.max() <= 1.12
    assert -12 <= angle.min() < -11 and 11 < angle.max() <= 12
    assert -2 <= offsets.min() < -1.9 and 1.9 < offsets.max() <= 2


def test_distortion_keeps_shape_and_range_and_changes_every_image(digits):
    out = _numpy(RandomDistortion(seed=0)(digits, training=True))
    assert out.shape == digits.shape and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert np.all(np.abs(out - digits).max(axis=1) > 0.05)


def test_distortion_passes_images_through_outside_training(digits):
    np.testing.assert_array_equal(_numpy(RandomDistortion(seed=0)(digits)), digits)


def test_distortion_is_repeatable_for_a_seed_and_new_on_each_call(digits):
    first, second = RandomDistortion(seed=7), RandomDistortion(seed=7)
    once = _numpy(first(digits, training=True))
    np.testing.assert_array_equal(once, _numpy(second(digits, training=True)))
    assert not np.array_equal(once, _numpy(first(digits, training=True)))  # the next batch, new distortions
    assert not np.array_equal(once, _numpy(RandomDistortion(seed=8)(digits, training=True)))


def test_distorted_trainer_shares_the_models_weights_and_predicts_undistorted(digits):
    model = build_model()
    trainer = with_distortion(model, seed=3)
    assert trainer.count_params() == model.count_params() == 570_506
    assert {id(v) for v in trainer.trainable_variables} == {id(v) for v in model.trainable_variables}
    assert trainer.optimizer is model.optimizer
    np.testing.assert_array_equal(trainer.predict(digits, verbose=0), model.predict(digits, verbose=0))


def test_validation_split_is_the_last_tenth_like_keras():
    x, y = np.arange(100).reshape(50, 2), np.arange(50)
    (x_fit, y_fit), (x_val, y_val) = split_validation(x, y, 0.1)
    np.testing.assert_array_equal(y_fit, np.arange(45))
    np.testing.assert_array_equal(y_val, np.arange(45, 50))
    assert x_val.shape == (5, 2)
