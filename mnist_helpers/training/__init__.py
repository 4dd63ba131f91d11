"""Training: from a recipe to a trained network.

- ``recipe``: every hyperparameter of a run in one checked value; the baseline and augmented recipes.
- ``model``: ``build_model(recipe)``, the 784-512-256-128-10 network.
- ``training``: seeding, callbacks, ``train_model(model, x, y, recipe)``.
- ``augment``: random distortions of training images, a layer inside the training step.
- ``feed``: the tf.data feed for augmented training on TensorFlow.
- ``experiment``: ``train_and_evaluate``, the path shared by the train command, benchmarks and tests.
- ``cli``: the ``python -m mnist_helpers train`` command.
"""
