"""The faint-strokes validation family: one stroke at full ink, the others fainter, and how a variant is chosen."""

import numpy as np
import pytest

from benchmarks.faint_ink_validation import FAINT_FAMILIES, changes, chosen_variant
from mnist_helpers.synthetic.stroke_ink import FAINT_STROKES, on_page, stroke_darkness


def _cross(side=112, half_width=4):
    coverage = np.zeros((side, side))
    coverage[10:-10, side // 2 - half_width : side // 2 + half_width] = 1.0
    coverage[side // 2 - half_width : side // 2 + half_width, 10:-10] = 1.0
    return coverage


def test_one_arm_of_a_cross_keeps_full_ink_and_the_others_are_fainter():
    coverage, middle = _cross(), 56
    darkness = stroke_darkness(coverage, np.random.default_rng(0))
    arms = [darkness[20, middle], darkness[-20, middle], darkness[middle, 20], darkness[middle, -20]]
    assert sum(level > 0.95 for level in arms) == 1
    assert all(FAINT_STROKES[0] - 0.01 <= level <= FAINT_STROKES[1] + 0.01 for level in arms if level <= 0.95)


def test_a_single_stroke_keeps_full_ink_and_the_same_seed_gives_the_same_field():
    bar = np.zeros((112, 112))
    bar[10:-10, 50:58] = 1.0
    np.testing.assert_array_equal(stroke_darkness(bar, np.random.default_rng(1)), 1.0)
    first, second = (stroke_darkness(_cross(), np.random.default_rng(3)) for _ in range(2))
    np.testing.assert_array_equal(first, second)


def test_the_page_is_white_with_the_ink_dark_inside_its_margin():
    page = np.asarray(on_page(_cross()))
    assert page.shape == (192, 192) and page[0].min() == 255 and page[96, 96] == 0


def test_the_choice_skips_a_variant_that_loses_elsewhere_however_well_it_reads_faint_strokes():
    shipped = {"page": 0.99, "coarse scan": 0.98} | dict.fromkeys(FAINT_FAMILIES, 0.90)
    accuracy = {
        "shipped": shipped,
        "best on faint, costs the coarse scan": shipped | {"coarse scan": 0.975} | dict.fromkeys(FAINT_FAMILIES, 0.99),
        "better on faint, within a tenth of a point": shipped | {"page": 0.9895} | dict.fromkeys(FAINT_FAMILIES, 0.95),
    }
    assert chosen_variant(accuracy) == "better on faint, within a tenth of a point"
    assert chosen_variant({"shipped": shipped}) == "shipped"


def test_changes_count_the_digits_gained_and_lost_and_test_their_balance():
    before = np.array([True] * 10 + [False] * 10)
    after = np.array([True] * 9 + [False] + [True] * 9 + [False])  # 1 lost, 9 gained
    moved = changes(before, after)
    assert (moved["gained"], moved["lost"]) == (9, 1)
    assert moved["sign_test_p"] == pytest.approx(2 * 11 / 2**10)  # P(at most 1 of 10 fair coins one way), both ways
    assert changes(before, before) == {"gained": 0, "lost": 0, "sign_test_p": 1.0}
