"""The command line, ``python -m mnist_helpers COMMAND``: one module per command.

- ``predict``: read digits and numbers in image files (the robust model's ONNX export by default).
- ``train``: the notebook's run without the notebook (:func:`mnist_helpers.train.train_and_evaluate`), saved.
- ``export``: a trained model to ONNX, SavedModel and LiteRT, each verified.
- ``committee``: several trained models as one that averages their probabilities.
- ``train_detector``: train the not-a-digit detector.
- ``tune``: search the recipe's fields (Optuna); processes and machines may share one study.

Each provides ``add_parser(subparsers)`` and ``run(args) -> int`` (the exit status).
"""

__all__ = ["committee", "export", "predict", "train", "train_detector", "tune"]
