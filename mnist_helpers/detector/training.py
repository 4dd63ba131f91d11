"""The not-a-digit detector's network and training run, and the files it ships as.

A 784-512-128-2 MLP (softmax over "digit", "not a digit"), trained with balanced class weights on
:func:`.examples.training_examples` under random distortions of its own (``DETECTOR_DISTORTIONS``: pen width,
affine, elastic; both classes alike, so a distortion says nothing about the class), a tenth held out, undistorted,
for early stopping. Written as one set into its folder: ``detector.keras``, its verified ONNX export
``detector.onnx`` (what ``predict`` runs) and ``detector.json`` (what it was trained on and how it did on its
held-out tenth).
"""

import dataclasses
import time
from pathlib import Path

import numpy as np

from .._support.artifacts import write_json
from .._support.console import hold_stops
from .._support.file_sets import write_file_set
from .._support.provenance import library_versions
from ..config import shown_path
from .examples import training_examples

NAME = "detector"
HIDDEN = (512, 128)
EPOCHS, BATCH_SIZE, PATIENCE = 40, 256, 5
VALIDATION_SHARE = 0.1
# The detector's own training distortions (what ``recipe.Recipe.distortion_limits`` gives), not the classifier's
# recipe, so that a change to that recipe changes neither the detector nor its measured operating point. They are the
# robust recipe's of the day the shipped detector was trained: pens thinned by up to half a pixel, no fading ink.
DETECTOR_DISTORTIONS = {
    "max_shift": 2.0,
    "max_rotation": 12.0,
    "max_scale": 0.12,
    "elastic_sigma": 5.0,
    "elastic_alpha": 20.0,
    "max_thinning": 0.5,
    "max_thickening": 1.5,
    "max_fading": 0.0,
}


def _build_detector():
    """The untrained network: 784 pixels -> two probabilities (digit, not a digit)."""
    import keras

    layers = [keras.Input((784,))]
    for units in HIDDEN:
        layers += [keras.layers.Dense(units, activation="relu"), keras.layers.Dropout(0.2)]
    model = keras.Sequential([*layers, keras.layers.Dense(2, activation="softmax")], name=NAME)
    model.compile(optimizer=keras.optimizers.Adam(1e-3), loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    return model


def train_detector(seed: int, per_kind: int, per_source: int, verbose=2, leave_out=(), examples=None) -> tuple:
    """``(model, record)``: the detector trained on freshly generated examples for ``seed``, every family but those
    in ``leave_out`` (see :mod:`.examples`); ``examples``: those ``(digits, is_not_digit)`` instead."""
    import keras

    from ..augment import with_distortion
    from ..train import StopAtBatchEnd, seed_everything

    started = time.perf_counter()
    digits, labels = examples if examples is not None else training_examples(per_kind, per_source, seed, leave_out)
    generated = time.perf_counter() - started
    seed_everything(seed)
    order = np.random.default_rng(seed).permutation(len(labels))
    inputs, labels = digits[order].reshape(len(order), -1), labels[order]
    held_out = int(len(labels) * VALIDATION_SHARE)
    weights = {label: len(labels) / (2 * max(1, int(np.sum(labels == label)))) for label in (0, 1)}
    model = _build_detector()
    distorted = with_distortion(model, seed, DETECTOR_DISTORTIONS)
    stopping = keras.callbacks.EarlyStopping(monitor="val_loss", patience=PATIENCE, restore_best_weights=True)
    with hold_stops():  # as in train.train_model: Ctrl-C stops at a batch's end, never inside TensorFlow's step
        history = distorted.fit(
            inputs[held_out:], labels[held_out:], validation_data=(inputs[:held_out], labels[:held_out]),
            epochs=EPOCHS, batch_size=BATCH_SIZE, class_weight=weights, callbacks=[stopping, StopAtBatchEnd()],
            verbose=verbose,
        )  # fmt: skip
    scores = model.predict(inputs[:held_out], verbose=0)[:, 1]
    truth = labels[:held_out]
    record = {
        "seed": seed,
        "examples": {"real digit parts": int(np.sum(labels == 0)), "non-digit parts": int(np.sum(labels == 1))},
        "images": {"per non-digit kind": per_kind, "per real-digit source": per_source},
        "left_out": list(leave_out),
        "epochs_run": len(history.history["loss"]),
        "held_out": {
            "parts": held_out,
            "accuracy": float(np.mean((scores > 0.5) == truth)),
            "real digits scored above 0.5": float(np.mean(scores[truth == 0] > 0.5)),
            "non-digits scored above 0.5": float(np.mean(scores[truth == 1] > 0.5)),
        },
        "seconds": {"examples": round(generated, 1), "training": round(time.perf_counter() - started - generated, 1)},
        "versions": library_versions(),
    }
    return model, record


def save_detector(model, record: dict, folder) -> list:
    """Write the detector's files into ``folder`` as one set; return their paths."""
    from ..export.formats import FORMATS
    from ..export.verification import reference_answers
    from ..export.verified_export import write_verified_export
    from ..own_digits.not_a_digit import Detector

    reference = reference_answers(model, shown_path(Path(folder) / f"{NAME}.keras"))
    onnx = dataclasses.replace(FORMATS["onnx"], load=Detector)  # checked with the code predict runs it with
    writers = {
        f"{NAME}.keras": model.save,
        f"{NAME}.onnx": lambda path: write_verified_export(model, onnx, path, reference),
        f"{NAME}.json": lambda path: write_json(record, path),
    }
    return write_file_set(folder, writers, replaces=lambda name: name.startswith(f"{NAME}."))
