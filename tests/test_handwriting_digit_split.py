"""Splitting an image into the digits of a number: gaps, digits in several strokes, dust, touching digits."""

import numpy as np
import pytest
from PIL import Image

from mnist_helpers.own_digits import mnist_style
from mnist_helpers.own_digits.digit_split import digit_masks
from mnist_helpers.own_digits.pen import ink_coverage
from mnist_helpers.synthetic.pages import on_paper


def drawn(paths, size=(300, 200), pen=9.0) -> Image.Image:
    """Dark pen strokes (paths in pixels) on white paper."""
    return Image.fromarray(np.rint(255 * (1 - ink_coverage(paths, size, pen))).astype(np.uint8), "L")


def mnist_number(digits) -> Image.Image:
    """MNIST digits side by side with gaps, dark on white."""
    page = Image.new("L", (60 + 100 * len(digits), 160), 255)
    for place, digit in enumerate(digits):
        page.paste(Image.fromarray(255 - digit).resize((84, 84)), (30 + 100 * place, 40 + 6 * place))
    return page


def count(image) -> int:
    return len(mnist_style.prepare_number(image))


def correlation(a, b):
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


def test_digits_with_gaps_are_found_left_to_right(mnist_test):
    images = mnist_test[0][:4]
    digits = mnist_style.prepare_number(mnist_number(images))
    assert len(digits) == 4
    lefts = [digit.box.left for digit in digits]
    assert lefts == sorted(lefts) and all(digit.box.height > 40 for digit in digits)
    for digit, image in zip(digits, images):
        assert correlation(digit.digit, mnist_style.prepare_digit(on_paper(image))) > 0.9


def test_a_single_digit_comes_out_exactly_as_before(mnist_test):
    for image in mnist_test[0][:30]:
        page = on_paper(image)
        (digit,) = mnist_style.prepare_number(page)
        np.testing.assert_array_equal(digit.digit, mnist_style.prepare_digit(page))


BODY_OF_5 = [(100, 80), (96, 110), (120, 104), (140, 118), (142, 145), (120, 160), (96, 152)]


@pytest.mark.parametrize(
    "name, paths",
    [
        ("a 5 with its bar drawn apart", [BODY_OF_5, [(106, 60), (150, 58)]]),
        ("a 5 whose bar overshoots to the right", [BODY_OF_5, [(104, 72), (190, 66)]]),
        ("a 4 in two strokes that do not touch", [[(110, 40), (96, 120), (160, 120)], [(150, 60), (150, 170)]]),
        ("a 7 with a separate bar", [[(90, 40), (160, 40), (120, 170)], [(112, 104), (152, 104)]]),
        ("a digit with a dot of dust beside it", [[(90, 40), (160, 40), (120, 170)], [(200, 120)]]),
    ],
)
def test_one_digit_in_several_pieces_stays_one_digit(name, paths):
    assert count(drawn(paths)) == 1, name


def test_two_touching_round_zeros_are_cut_apart():
    """Round digits touching make a piece twice as wide as tall; the cut goes where they meet."""
    ring = [(60 + 45 * np.sin(t), 100 - 40 * np.cos(t)) for t in np.linspace(0, 2 * np.pi, 60)]
    other = [(x + 88, y) for x, y in ring]  # the rings touch where they meet
    assert count(drawn([ring, other])) == 2
    assert count(drawn([ring])) == 1


def test_masks_split_the_ink_without_losing_any():
    ink = np.zeros((40, 100), np.float32)
    ink[5:35, 10:16] = ink[5:35, 50:56] = ink[5:35, 80:90] = 1.0
    masks = digit_masks(ink)
    assert len(masks) == 3
    np.testing.assert_array_equal(np.sum([mask for _, mask in masks], axis=0) > 0, ink > 0)
    assert [box.left for box, _ in masks] == [10, 50, 80]


def test_boxes_are_in_the_pixels_of_the_image_as_given(mnist_test):
    small = mnist_number(mnist_test[0][:2])
    large = small.resize((small.width * 8, small.height * 8))  # beyond the 1,600 px working size
    boxes = [digit.box for digit in mnist_style.prepare_number(large)]
    expected = [digit.box for digit in mnist_style.prepare_number(small)]
    for box, reference in zip(boxes, expected):
        assert box.left == pytest.approx(8 * reference.left, abs=16)
        assert box.width == pytest.approx(8 * reference.width, abs=16)
