"""The not-a-digit images: every kind draws dark ink (or nothing) on light paper, seeded, with its label."""

import numpy as np
import pytest

from mnist_helpers.synthetic.not_digits import DRAWN_LETTERS, KINDS, LETTERS, SHAPES, is_digit_shaped


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_is_a_seeded_light_page_with_a_label(kind):
    first, label = KINDS[kind](np.random.default_rng(5))
    again, same_label = KINDS[kind](np.random.default_rng(5))
    pixels = np.asarray(first.convert("L"), dtype=float)
    assert first.mode == "RGB" and min(first.size) >= 50 and label == same_label
    assert np.array_equal(np.asarray(first), np.asarray(again))
    assert np.median(pixels) > 90 or kind == "noise"  # paper, not ink, fills the page


def test_labels_say_which_letters_are_written_like_digits():
    rng = np.random.default_rng(0)
    letters = [KINDS[kind](rng)[1] for kind in ("printed letters", "drawn letters") for _ in range(60)]
    assert set(letters) <= set(LETTERS) and len(set(letters)) > 20
    assert is_digit_shaped("O") and is_digit_shaped("S") and not is_digit_shaped("E") and not is_digit_shaped("M")
    assert {"circle", "box", "arrow"} <= set(SHAPES) and {"A", "E", "O"} <= set(DRAWN_LETTERS)
