"""benchmarks/held_out.py's own arithmetic: the most frequent mistakes it records per source."""

import numpy as np

from benchmarks.held_out import top_confusions


def test_the_most_frequent_mistakes_come_first_and_right_answers_never_count():
    labels = np.array([1, 1, 1, 8, 8, 4, 4, 4, 4])
    answers = np.array([7, 7, 1, 3, 3, 6, 4, 4, 9])
    assert top_confusions(labels, answers, count=2) == ["1 -> 7 (2)", "8 -> 3 (2)"]
    assert top_confusions(labels, labels) == []
