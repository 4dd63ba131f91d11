"""The out-of-MNIST set: reproducible, balanced, in the model's input format; the scoring on a hand-made case."""

import numpy as np
import pytest

from mnist_helpers.synthetic.out_of_mnist_set import SUBSETS, generate_set, score
from mnist_helpers.synthetic.renderings import installed_fonts


@pytest.fixture(scope="module")
def per_class():
    """One image of each digit per subset (none printed where no listed font is installed)."""
    return {subset: 1 if subset != "printed" or installed_fonts()[0] else 0 for subset in SUBSETS}


@pytest.fixture(scope="module")
def small_set(per_class):
    return generate_set(seed=7, per_class=per_class)


def test_same_seed_gives_the_same_set(small_set, per_class):
    again = generate_set(seed=7, per_class=per_class)
    assert np.array_equal(small_set.digits, again.digits)
    assert np.array_equal(small_set.labels, again.labels)
    assert np.array_equal(small_set.subsets, again.subsets)


def test_another_seed_gives_other_images(small_set):
    other = generate_set(seed=8, per_class={"stroke-drawn": 1})
    assert not np.array_equal(small_set.digits[:10], other.digits)


def test_every_subset_has_each_digit_equally_often(small_set, per_class):
    for subset, count in per_class.items():
        labels = small_set.labels[small_set.subsets == subset]
        assert np.array_equal(np.bincount(labels, minlength=10), [count] * 10)


def test_digits_are_mnist_style_inputs(small_set):
    digits = small_set.digits
    assert digits.dtype == np.float32 and digits.shape == (len(small_set.labels), 28, 28)
    assert digits.min() >= 0.0 and digits.max() <= 1.0
    readable = digits[small_set.readable]
    assert len(readable) > 0 and np.all(readable.max(axis=(1, 2)) == 1.0)  # stroke cores are white, as in MNIST
    for digit in readable:  # the ink fits MNIST's 20x20 box
        rows, columns = np.flatnonzero(digit.any(axis=1)), np.flatnonzero(digit.any(axis=0))
        assert max(rows[-1] - rows[0], columns[-1] - columns[0]) + 1 <= 20


def test_score_counts_mistakes_and_unreadable_images():
    labels = np.array([1, 1, 7, 7, 3])
    predicted = np.array([1, 7, 1, 1, -1])
    subsets = np.array(["stroke-drawn", "stroke-drawn", "printed", "printed", "photographed"])
    result = score(labels, predicted, subsets)
    assert result["stroke-drawn"] == {"accuracy": 0.5, "correct": 1, "count": 2, "unreadable": 0,
                                      "top_confusions": [(1, 7, 1)]}  # fmt: skip
    assert result["photographed"]["unreadable"] == 1 and result["photographed"]["correct"] == 0
    assert result["overall"]["accuracy"] == pytest.approx(1 / 5)
    assert result["overall"]["top_confusions"] == [(7, 1, 2), (1, 7, 1)]
