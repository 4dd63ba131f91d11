"""MNIST-style preprocessing of your own digit images: each step, the whole pipeline, and the round trip."""

import os
from pathlib import Path

import numpy as np
import pytest
from handwriting_pages import SAVED_MODEL
from PIL import Image
from scipy import ndimage

from mnist_helpers.data import IMAGE_SIDE, flatten_and_scale
from mnist_helpers.model_files import classify_digits, load_classifier
from mnist_helpers.own_digits import ink
from mnist_helpers.own_digits import mnist_style as di
from mnist_helpers.synthetic.pages import on_paper, write_round_trip_images

ROUND_TRIP_DIGITS = 600


def bounding_box_side(image):
    rows, columns = np.flatnonzero(image.any(axis=1)), np.flatnonzero(image.any(axis=0))
    return max(rows[-1] - rows[0], columns[-1] - columns[0]) + 1


def correlation(a, b):
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


# --- each step ---------------------------------------------------------------------------------------


def test_polarity_rule_inverts_dark_ink_on_light_paper_only():
    paper = np.full((40, 40), 0.9, dtype=np.float32)
    paper[10:30, 18:22] = 0.1
    assert ink.ink_is_dark(paper)
    assert ink.light_ink_on_dark(paper)[20, 20] == pytest.approx(0.9)
    assert not ink.ink_is_dark(1 - paper)
    np.testing.assert_allclose(ink.light_ink_on_dark(1 - paper), 1 - paper)


def test_polarity_rule_handles_mid_grey_paper():
    paper = np.full((40, 40), 0.45, dtype=np.float32)
    paper[10:30, 18:22] = 0.0  # black ink on grey card: the ink is the extreme farther from the paper
    assert ink.ink_is_dark(paper)


def test_stretch_contrast_maps_paper_to_zero_and_ink_to_one():
    image = np.full((50, 50), 0.3, dtype=np.float32)
    image[20:30, 20:30] = 0.8
    stretched = ink.stretch_contrast(image)
    assert stretched[0, 0] == 0.0
    assert stretched[25, 25] == pytest.approx(1.0)


def test_flatten_background_removes_a_lighting_gradient_but_keeps_the_ink():
    gradient = np.tile(np.linspace(0.0, 0.3, 120, dtype=np.float32), (120, 1))
    image = gradient.copy()
    image[40:80, 58:62] += 0.6
    flat = ink.flatten_background(image)
    assert flat[:, :50].max() < 0.05 and flat[:, 70:].max() < 0.05
    assert flat[60, 60] > 0.5


def test_remove_specks_erases_dust_and_keeps_the_digit():
    image = np.zeros((60, 60), dtype=np.float32)
    image[10:50, 28:32] = 1.0
    image[55, 5] = 1.0
    cleaned = ink.remove_specks(image)
    assert cleaned[55, 5] == 0.0
    np.testing.assert_array_equal(cleaned[10:50, 28:32], 1.0)


def test_crop_to_ink_is_the_bounding_box():
    image = np.zeros((30, 40), dtype=np.float32)
    image[5:12, 20:23] = 0.5
    assert ink.crop_to_ink(image).shape == (7, 3)


def test_thin_strokes_are_widened_thick_ones_thinned_and_mnist_strokes_left_alone(mnist_test):
    hairline = np.zeros((200, 200), dtype=np.float32)
    hairline[10:190, 100:102] = 1.0
    assert di.stroke_width(hairline) == pytest.approx(2.0, abs=0.1)
    widened = di.even_stroke_width(hairline)
    assert di.stroke_width(widened) == pytest.approx(di.MIN_STROKE_FRACTION * 180, rel=0.25)
    marker = np.zeros((200, 200), dtype=np.float32)
    marker[10:190, 70:130] = 1.0  # 60 px wide for a 180 px digit: a third of its height
    thinned = di.even_stroke_width(marker)
    assert di.stroke_width(thinned) == pytest.approx(di.MAX_STROKE_FRACTION * max(thinned.shape), rel=0.25)
    for image in mnist_test[0][:50]:
        digit = ink.crop_to_ink(image / 255.0)
        width = di.stroke_width(digit) / max(digit.shape)
        if di.MIN_STROKE_FRACTION <= width <= di.MAX_STROKE_FRACTION:
            assert di.even_stroke_width(digit) is digit


def test_a_marker_loop_is_opened_again(mnist_test):
    """A zero written with a marker, its hole nearly closed: thinning the ink opens it."""
    zero = np.zeros((120, 100), dtype=np.float32)
    rows, cols = np.mgrid[:120, :100]
    radius = np.hypot((rows - 60) / 55, (cols - 50) / 45)
    zero[(radius < 1.0) & (radius > 0.3)] = 1.0
    hole = lambda image: ndimage.binary_fill_holes(image > 0.5).sum() - (image > 0.5).sum()  # noqa: E731
    assert hole(di.even_stroke_width(zero)) > 2 * hole(zero)


def test_fit_in_box_makes_the_longer_side_20_pixels_keeping_the_aspect_ratio():
    boxed = di.fit_in_box(np.ones((90, 30), dtype=np.float32))
    assert boxed.shape == (20, 7)
    assert boxed.max() == pytest.approx(1.0)


def test_centre_by_mass_puts_the_centre_of_mass_where_mnist_has_it(mnist_test):
    field = di.centre_by_mass(di.fit_in_box(ink.crop_to_ink(mnist_test[0][3] / 255.0)))
    assert field.shape == (28, 28)
    np.testing.assert_allclose(ndimage.center_of_mass(field), (di.MNIST_CENTRE, di.MNIST_CENTRE), atol=0.5)


def test_mnist_centre_constant_is_the_measured_mean_of_mnist(mnist_test):
    centres = np.array([ndimage.center_of_mass(image) for image in mnist_test[0][:500].astype(float)])
    np.testing.assert_allclose(centres.mean(axis=0), (di.MNIST_CENTRE, di.MNIST_CENTRE), atol=0.1)


def test_preprocessing_steps_are_all_kept_in_order(mnist_test):
    steps = di.preprocessing_steps(on_paper(mnist_test[0][0]))
    assert list(steps) == ["original", *(step.name for step in di.STEPS)]
    assert list(steps)[2:] == ["light_on_dark", "flattened", "contrast", "faint_kept", "despeckled", "cropped",
                               "stroke_width", "boxed", "centred"]  # fmt: skip
    assert steps["grayscale"].shape == (200, 200)
    assert max(steps["boxed"].shape) == di.BOX_SIZE
    np.testing.assert_array_equal(steps["centred"], di.prepare_digit(on_paper(mnist_test[0][0])))


# --- the whole pipeline ------------------------------------------------------------------------------


def test_prepared_digit_looks_like_mnist(mnist_test):
    digit = di.prepare_digit(on_paper(mnist_test[0][7], scale=5, offset=(70, 10)))
    assert digit.shape == (28, 28) and digit.dtype == np.float32
    assert digit.min() == 0.0 and digit.max() == pytest.approx(1.0)
    assert bounding_box_side(digit > 0.05) in (19, 20, 21)
    np.testing.assert_allclose(ndimage.center_of_mass(digit), (14, 14), atol=0.5)
    assert digit[:3].max() == 0.0 and digit[:, :3].max() == 0.0  # black margins, as in MNIST


def test_an_mnist_digit_passes_through_almost_unchanged(mnist_test):
    for image in mnist_test[0][:20]:
        assert correlation(di.prepare_digit(image), image / 255.0) > 0.85


def test_a_photographed_digit_comes_back_close_to_the_original(mnist_test):
    scores = [correlation(di.prepare_digit(on_paper(image, scale=3)), image / 255.0) for image in mnist_test[0][:30]]
    assert np.median(scores) > 0.85


@pytest.mark.parametrize(
    ("condition", "ink", "paper", "options"),
    [
        ("chalk on a blackboard", (230, 230, 230), (30, 60, 40), {"noise": 8.0}),
        ("red pen", (200, 30, 30), (250, 250, 250), {"noise": 5.0}),
        ("black ink on grey card", (0, 0, 0), (115, 115, 115), {"noise": 3.0}),
        ("uneven light", (40, 40, 40), (255, 255, 255), {"shading": 0.35, "noise": 4.0}),
    ],
)
def test_photo_conditions_give_back_nearly_the_original_digit(mnist_test, condition, ink, paper, options):
    from examples.make_examples import ink_coverage, ink_on_paper

    digit = mnist_test[0][12]
    photo = ink_on_paper(ink_coverage(digit, 4, (220, 200), (70, 40)), ink, paper, **options)
    assert correlation(di.prepare_digit(photo), digit / 255.0) > 0.85, condition


def test_dust_and_a_digit_touching_the_edges_are_handled(mnist_test):
    from examples.make_examples import ink_coverage

    digit = mnist_test[0][14]
    dusty = ink_coverage(digit, 4, (240, 240), (60, 60))
    dusty[10:13, 200:203] = dusty[220:222, 20:22] = 1.0
    tight = ink_coverage(digit, 4, (112, 112), (0, 0))
    for coverage in (dusty, tight):
        assert correlation(di.prepare_digit(1.0 - coverage), digit / 255.0) > 0.85


def test_rgb_rgba_palette_and_16_bit_images_give_the_same_digit(mnist_test):
    page = on_paper(mnist_test[0][1])
    expected = di.prepare_digit(page)
    coverage = 255 - np.asarray(page)
    transparent = np.zeros((*coverage.shape, 4), dtype=np.uint8)
    transparent[..., 3] = coverage  # black strokes on a fully transparent layer
    variants = {
        "RGB": page.convert("RGB"),
        "RGBA": page.convert("RGBA"),
        "P": page.convert("P"),
        "I;16": Image.fromarray(np.asarray(page).astype(np.uint16) * 257),
        "transparent layer": Image.fromarray(transparent, "RGBA"),
        "float array": np.asarray(page) / 255.0,
    }
    for name, variant in variants.items():
        assert np.abs(di.prepare_digit(variant) - expected).max() < 0.05, name


def test_light_strokes_on_a_transparent_layer_are_ink_too():
    layer = np.zeros((100, 100, 4), dtype=np.uint8)
    layer[20:80, 45:55] = 255  # white, opaque bar; the rest transparent
    digit = di.prepare_digit(layer)
    assert digit.max() == pytest.approx(1.0) and bounding_box_side(digit > 0) == 20


def test_a_large_photo_is_shrunk_before_processing(mnist_test, tmp_path):
    path = tmp_path / "big.png"
    on_paper(mnist_test[0][0], scale=40, canvas=(3000, 2000), offset=(1500, 400)).save(path)
    assert correlation(di.prepare_digit(path), mnist_test[0][0] / 255.0) > 0.8


def test_naive_resize_is_28x28_dark_on_light(mnist_test):
    naive = di.naive_digit(on_paper(mnist_test[0][0]))
    assert naive.shape == (28, 28) and naive[0, 0] == pytest.approx(1.0)


# --- the examples and the acceptance round trip ---------------------------------------------------------


def test_committed_examples_are_what_make_examples_writes(tmp_path):
    from examples.make_examples import EXAMPLES_DIR, make_examples

    for fresh in make_examples(tmp_path):
        committed = np.asarray(Image.open(EXAMPLES_DIR / fresh.name), dtype=int)
        regenerated = np.asarray(Image.open(fresh), dtype=int)
        assert committed.shape == regenerated.shape, fresh.name
        assert np.abs(committed - regenerated).max() <= (0 if fresh.suffix == ".png" else 8), fresh.name


def test_round_trip_through_files_agrees_with_the_model_on_the_original_digits(mnist_test, tmp_path):
    """The acceptance test, on the saved model (or $MNIST_TEST_MODEL, to measure another model)."""
    model_path = Path(os.environ.get("MNIST_TEST_MODEL") or SAVED_MODEL)
    if not model_path.is_file():
        pytest.skip(f"{model_path} is missing: run the notebook to train and save the model")
    model = load_classifier(model_path)
    x_test, _ = mnist_test
    chosen = np.random.default_rng(2024).choice(len(x_test), ROUND_TRIP_DIGITS, replace=False)
    paths = write_round_trip_images(x_test[chosen], tmp_path)
    prepared = np.stack([di.prepare_digit(path) for path in paths])
    on_files = classify_digits(model, prepared).argmax(axis=1)
    on_originals = classify_digits(model, flatten_and_scale(x_test[chosen]).reshape(-1, IMAGE_SIDE, IMAGE_SIDE)).argmax(
        axis=1
    )
    agreement = float(np.mean(on_files == on_originals))
    print(f"round-trip agreement: {agreement:.1%} of {ROUND_TRIP_DIGITS} digits")
    assert agreement >= 0.97
