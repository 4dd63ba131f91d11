"""The TensorFlow feed for augmented training: every row once per epoch, rows and labels together, seeded."""

import numpy as np

from mnist_helpers.feed import lean_batches


def _epoch(dataset):
    return [(x.numpy(), y.numpy()) for x, y in dataset]


def test_each_epoch_serves_every_row_once_with_its_label():
    x = np.arange(50, dtype=np.float32).reshape(25, 2)
    y = np.arange(25)
    dataset = lean_batches(x, y, batch_size=4, seed=3)
    first, second = _epoch(dataset), _epoch(dataset)
    for epoch in (first, second):
        assert [len(rows) for rows, _ in epoch] == [4] * 6 + [1]
        rows = np.concatenate([rows for rows, _ in epoch])
        labels = np.concatenate([labels for _, labels in epoch])
        np.testing.assert_array_equal(rows[:, 0], 2 * labels)
        assert sorted(labels) == list(y)
    assert not np.array_equal(first[0][1], second[0][1])  # reshuffled for the next epoch


def test_the_same_seed_gives_the_same_order():
    x, y = np.zeros((40, 3), np.float32), np.arange(40)
    orders = [np.concatenate([labels for _, labels in _epoch(lean_batches(x, y, 8, seed))]) for seed in (5, 5, 6)]
    np.testing.assert_array_equal(orders[0], orders[1])
    assert not np.array_equal(orders[0], orders[2])
