"""The MNIST classifier's helpers, named as the notebook's sections (the lesson):

1. ``data``: load MNIST (checked), flatten and scale, one-hot; ``config``: paths and environment switches.
2. ``recipe``: every hyperparameter of a run in one checked value (the baseline and augmented recipes).
3. ``model``: ``build_model(recipe)``, the 784-512-256-128-10 network.
4. ``train``: seeding and ``train_model`` (early stopping, learning-rate reduction); ``augment`` and ``feed``: the
   augmented recipe's distortions inside the training step.
5. ``evaluate``: one ``Evaluation`` of a model on the test set; per-digit metrics, confusions, calibration.
6. ``plots``: the notebook's figures and their table (``FIGURES``), saved at 150 DPI.
7. ``report``: the ``metrics.json`` record and the findings text; ``run_files``: a run saved as one set of files.

Beside the lesson, never imported by it: ``notebook_parameters`` (the parameters cell's check), ``model_files``
(open, check and run .keras and .onnx models), ``recipe_files`` (a recipe as a JSON file), ``tuning`` and ``studies``
(the recipe search with Optuna, and its study shared by workers), ``own_digits/`` (your own images, numbers and the
drawing pad), ``detector/`` (the not-a-digit detector's training), ``export/`` (ONNX, SavedModel, LiteRT),
``synthetic/`` (generated images), ``cli/`` (the commands) and ``_support/`` (errors, files, provenance: below
everything).
"""

from ._support.quiet import quiet_onnxruntime_import, quiet_tensorflow_import
from ._support.settings import check_before_import, keras_backend

# Import this package before Keras or TensorFlow: their C++ start-up chatter then stays out of cells and stderr,
# ONNX Runtime writes nothing into the user's home, and a KERAS_BACKEND Keras cannot load is one line, not a traceback.
quiet_tensorflow_import()
quiet_onnxruntime_import()
check_before_import("keras", keras_backend)
