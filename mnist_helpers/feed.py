"""Training batches as a small tf.data pipeline without autotuning, for TensorFlow.

Fed plain arrays, Keras builds an autotuned tf.data pipeline; on this 2-core machine about one
epoch in four then stalled for about 2.5 s with both cores idle (benchmarks/profile_augment.py).
This pipeline (a seeded shuffle of indices, a gather per batch, a one-thread pool) did not stall.
"""


def lean_batches(x, y, batch_size, seed):
    """A ``tf.data.Dataset`` of ``(x, y)`` batches, reshuffled each epoch from ``seed``, for ``fit(x=...)``."""
    import tensorflow as tf

    images, labels = tf.constant(x), tf.constant(y)
    order = tf.data.Dataset.range(len(x)).shuffle(len(x), seed=seed, reshuffle_each_iteration=True)
    batches = order.batch(batch_size).map(lambda rows: (tf.gather(images, rows), tf.gather(labels, rows)))
    options = tf.data.Options()
    options.autotune.enabled = False
    options.threading.private_threadpool_size = 1
    return batches.prefetch(2).with_options(options)
