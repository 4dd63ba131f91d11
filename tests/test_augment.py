"""Random distortions: each one against SciPy, their limits, determinism, training data only."""

import keras
import numpy as np
import pytest
from scipy import ndimage

from mnist_helpers.augment import (
    CROSS,
    FADING_SIGMA,
    SQUARE,
    RandomDistortion,
    RandomFading,
    bilinear_sample,
    change_stroke_width,
    gaussian_matrix,
    library_warp,
    random_affine,
    random_displacement,
    smooth_field,
    source_positions,
    with_distortion,
)
from mnist_helpers.model import build_model
from mnist_helpers.recipe import AUGMENTED_RECIPE, BASELINE_RECIPE
from mnist_helpers.train import split_validation


def gather_warp(images, matrices, offsets):
    return bilinear_sample(images, *source_positions(matrices, offsets))


WARPS = [library_warp, gather_warp]
NO_DISTORTION = {name: 0.0 for name in AUGMENTED_RECIPE.distortion_limits()}


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


@pytest.mark.parametrize("sigma", [2.0, 4.0, 6.5, FADING_SIGMA])
def test_smoothing_is_scipys_gaussian_filter(sigma):
    noise = np.random.default_rng(3).uniform(-1, 1, (4, 2, 28, 28)).astype(np.float32)
    smoothed = _numpy(smooth_field(noise, gaussian_matrix(sigma)))
    expected = [[ndimage.gaussian_filter(channel.astype(np.float64), sigma) for channel in field] for field in noise]
    np.testing.assert_allclose(smoothed, np.array(expected), atol=1e-6)


def test_displacement_field_has_simards_size():
    sigma, alpha = 4.0, 30.0
    moves = _numpy(random_displacement(400, keras.random.SeedGenerator(4), sigma, alpha))
    assert moves.shape == (400, 2, 28, 28)
    rng = np.random.default_rng(4)
    reference = [alpha * ndimage.gaussian_filter(rng.uniform(-1, 1, (28, 28)), sigma) for _ in range(800)]
    assert np.sqrt(np.mean(moves**2)) == pytest.approx(np.sqrt(np.mean(np.square(reference))), rel=0.05)


def test_elastic_warp_matches_scipy_map_coordinates(digits):
    count = len(digits)
    matrices, offsets = map(_numpy, random_affine(count, keras.random.SeedGenerator(5), 2, 12, 0.12))
    moves = _numpy(random_displacement(count, keras.random.SeedGenerator(6), 4.0, 34.0))
    rows, cols = map(_numpy, source_positions(matrices, offsets, moves))
    warped = _numpy(bilinear_sample(digits, rows, cols)).reshape(-1, 28, 28)
    expected = [
        ndimage.map_coordinates(image, [r.reshape(28, 28), c.reshape(28, 28)], order=1, mode="grid-constant")
        for image, r, c in zip(digits.reshape(-1, 28, 28), rows, cols)
    ]
    np.testing.assert_allclose(warped, np.stack(expected), atol=1e-5)
    assert np.abs(moves).max() > 0.5  # the field does move pixels


def _scipy_width_change(image, radius):
    once = ndimage.grey_dilation(image, footprint=_footprint(CROSS), mode="constant", cval=0.0)
    twice = ndimage.grey_dilation(once, footprint=_footprint(SQUARE), mode="constant", cval=0.0)
    thinner = ndimage.grey_erosion(image, footprint=_footprint(CROSS), mode="constant", cval=0.0)
    if radius >= 1:
        return once + (radius - 1) * (twice - once)
    if radius >= 0:
        return image + radius * (once - image)
    return image + radius * (image - thinner)


def _footprint(offsets):
    mask = np.zeros((3, 3), bool)
    for row, column in offsets:
        mask[1 + row, 1 + column] = True
    return mask


@pytest.mark.parametrize("radius", [-1.0, -0.4, 0.0, 0.5, 1.0, 1.7, 2.0])
def test_stroke_width_change_matches_scipy_grey_dilation_and_erosion(digits, radius):
    changed = _numpy(change_stroke_width(digits, np.full(len(digits), radius, np.float32))).reshape(-1, 28, 28)
    expected = [_scipy_width_change(image, radius) for image in digits.reshape(-1, 28, 28)]
    np.testing.assert_allclose(changed, np.stack(expected), atol=1e-6)


def test_thicker_pens_add_ink_and_finer_pens_remove_it(digits):
    ink = [_numpy(change_stroke_width(digits, np.full(len(digits), r, np.float32))).sum(axis=1) for r in (-1, 0, 1, 2)]
    assert np.all(ink[0] < ink[1]) and np.all(ink[1] < ink[2]) and np.all(ink[2] < ink[3])


def test_distortion_keeps_shape_and_range_and_changes_every_image(digits):
    out = _numpy(RandomDistortion(0, AUGMENTED_RECIPE.distortion_limits())(digits, training=True))
    assert out.shape == digits.shape and out.dtype == np.float32
    assert out.min() >= 0.0 and out.max() <= 1.0
    assert np.all(np.abs(out - digits).max(axis=1) > 0.05)


ONE_KIND = {
    "max_shift": {"max_shift": 1.0},
    "max_rotation": {"max_rotation": 10.0},
    "max_scale": {"max_scale": 0.2},
    "elastic": {"elastic_sigma": 4.0, "elastic_alpha": 30.0},
    "max_thinning": {"max_thinning": 1.0},
    "max_thickening": {"max_thickening": 1.0},
}


@pytest.mark.parametrize("kind", ONE_KIND)
def test_each_kind_alone_distorts_and_zero_limits_do_not(digits, kind):
    untouched = _numpy(RandomDistortion(0, NO_DISTORTION)(digits, training=True))
    np.testing.assert_allclose(untouched, digits, atol=1e-6)
    out = _numpy(RandomDistortion(0, {**NO_DISTORTION, **ONE_KIND[kind]})(digits, training=True))
    assert np.all(np.abs(out - digits).max(axis=1) > 0.02)


def test_distortion_needs_every_limit_and_no_other():
    with pytest.raises(ValueError, match="distortion limits"):
        RandomDistortion(0, {**NO_DISTORTION, "max_shear": 1.0})


def test_distortion_passes_images_through_outside_training(digits):
    layer = RandomDistortion(0, AUGMENTED_RECIPE.distortion_limits())
    np.testing.assert_array_equal(_numpy(layer(digits)), digits)


def test_distortion_is_repeatable_for_a_seed_and_new_on_each_call(digits):
    limits = AUGMENTED_RECIPE.distortion_limits()
    first, second = RandomDistortion(7, limits), RandomDistortion(7, limits)
    once = _numpy(first(digits, training=True))
    np.testing.assert_array_equal(once, _numpy(second(digits, training=True)))
    assert not np.array_equal(once, _numpy(first(digits, training=True)))  # the next batch, new distortions
    assert not np.array_equal(once, _numpy(RandomDistortion(8, limits)(digits, training=True)))


def test_fading_dims_ink_within_its_depth_smoothly_and_only_while_training(mnist):
    (x_train, _), _ = mnist
    images = (x_train[:64].reshape(64, -1) / 255).astype(np.float32)
    layer = RandomFading(seed=1, max_fading=0.7)
    assert np.array_equal(_numpy(layer(images, training=False)), images)
    assert np.array_equal(_numpy(RandomFading(seed=1, max_fading=0.0)(images, training=True)), images)
    faded = _numpy(layer(images, training=True))
    ratio = np.divide(faded, images, out=np.ones_like(images), where=images > 0.5).reshape(-1, 28, 28)
    assert ratio.max() <= 1.0 + 1e-6 and ratio.min() >= 0.3 - 1e-6
    assert ratio.min() < 0.8, "some ink is dimmed markedly"
    neighbours = np.abs(np.diff(ratio, axis=2))[(images.reshape(-1, 28, 28)[:, :, 1:] > 0.5)
                                               & (images.reshape(-1, 28, 28)[:, :, :-1] > 0.5)]  # fmt: skip
    assert neighbours.max() < 0.15, "the field is smooth: next-door ink pixels fade alike"


def test_fading_runs_after_the_other_distortions_only_when_the_recipe_asks(digits):
    model = build_model()
    fading = with_distortion(model, 3, {**NO_DISTORTION, "max_fading": 0.5})
    plain = with_distortion(model, 3, NO_DISTORTION)
    distortion, fade = fading.layers[0].layers
    assert isinstance(distortion, RandomDistortion) and isinstance(fade, RandomFading) and fade.max_fading == 0.5
    assert isinstance(plain.layers[0], RandomDistortion)
    faded = _numpy(fading.layers[0](digits, training=True))
    assert np.all(faded <= digits + 1e-6) and (digits - faded).max() > 0.1
    np.testing.assert_array_equal(_numpy(plain.layers[0](digits, training=True)), digits)


def test_distorted_trainer_shares_the_models_weights_and_predicts_undistorted(digits):
    model = build_model()
    trainer = with_distortion(model, 3, BASELINE_RECIPE.distortion_limits())
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
