"""A committee: several trained classifiers as one Keras model that answers with the mean of their probabilities.

Meier et al. (2011) average committees of MLPs of about this project's size; ``benchmarks.faint_ink_validation
--models`` and ``benchmarks.held_out --committee`` measure the same average without building the model. As one model
it is saved, exported to ONNX and read by ``predict --model`` like any other.
"""

import itertools

import keras

from .config import MAX_SHIFT_REACH
from .data import IMAGE_SIDE


def committee_of(members, name="committee", shift_reach=0) -> keras.Model:
    """One model whose output is the mean of ``members``' outputs; each member is kept whole, as ``member_0``, ...

    With ``shift_reach`` r > 0 every member also reads the digit moved by up to r pixels along each axis (the pixels
    moved in are blank paper), and the answer is the mean over all members and all (2r + 1)^2 views: the same
    probabilities as averaging each member's shifted readings, in one graph whose weights are stored once.
    """
    if isinstance(shift_reach, bool) or not isinstance(shift_reach, int) or not 0 <= shift_reach <= MAX_SHIFT_REACH:
        raise ValueError(f"shift_reach: must be 0 to {MAX_SHIFT_REACH} pixels (got {shift_reach})")
    shape = members[0].input_shape[1:]
    inputs = keras.Input(shape=shape, name="pixels")
    views = _shifted_views(inputs, shape, shift_reach) if shift_reach else [inputs]
    answers = []
    for index, member in enumerate(members):
        network = keras.Model(member.inputs[0], member.outputs[0], name=f"member_{index}")
        answers += [network(view) for view in views]
    if len(answers) == 1:  # a lone network, read once: nothing to average
        answers.append(answers[0])
    return keras.Model(inputs, keras.layers.Average(name="mean_probabilities")(answers), name=name)


def _shifted_views(inputs, shape, reach) -> list:
    """The input digit moved by every offset of up to ``reach`` pixels in each axis, each in the input's shape."""
    padded = keras.layers.ZeroPadding2D(reach, name="blank_margin")(
        keras.layers.Reshape((IMAGE_SIDE, IMAGE_SIDE, 1), name="as_image")(inputs)
    )
    views = []
    for down, right in itertools.product(range(-reach, reach + 1), repeat=2):
        label = f"{down:+d}_{right:+d}".replace("+", "p").replace("-", "m")
        cropped = keras.layers.Cropping2D(
            ((reach - down, reach + down), (reach - right, reach + right)), name=f"moved_{label}"
        )(padded)
        views.append(keras.layers.Reshape(shape, name=f"view_{label}")(cropped))
    return views


def shift_reach_of(model) -> int:
    """The ``shift_reach`` a committee was built with (0 for any other model)."""
    names = {layer.name for layer in model.layers}
    return max((reach for reach in range(1, MAX_SHIFT_REACH + 1) if f"view_p{reach}_p{reach}" in names), default=0)


# What a committee's metrics.json keeps of each member's own record (its evaluation details stay in the member's run)
MEMBER_FIELDS = (
    "mode", "seed", "recipe", "test_accuracy", "test_loss", "epochs_run", "best_epoch", "training_seconds",
    "fit_samples", "validation_samples", "versions", "machine",
)  # fmt: skip


def committee_record(evaluation, members: dict, shift_reach=0) -> dict:
    """A committee's ``metrics.json``: its test-set evaluation, its ``shift_reach`` and, for each member (shown path ->
    that member's own metrics.json record), how it was trained; a full run only if every member is one."""
    from ._support.provenance import library_versions, machine_description
    from .report import evaluation_record

    modes = {record["mode"] for record in members.values()}
    return {
        "mode": "full" if modes == {"full"} else "smoke",
        **evaluation_record(evaluation),
        "shift_reach": shift_reach,
        "members": [
            {"model": path, **{field: record[field] for field in MEMBER_FIELDS}} for path, record in members.items()
        ],
        "versions": library_versions(),
        "machine": machine_description(),
    }


def committee_history(histories: list) -> dict:
    """The members' training histories (each a column -> per-epoch values dict) as one table: each member's epochs
    in turn, led by ``member`` (0, 1, ...) and ``epoch`` (from 1 for each member) columns."""
    columns = {"member": [], "epoch": []}
    for index, history in enumerate(histories):
        length = len(next(iter(history.values())))
        columns["member"] += [index] * length
        columns["epoch"] += range(1, length + 1)
        for name, values in history.items():
            columns.setdefault(name, []).extend(values)
    if any(len(values) != len(columns["member"]) for values in columns.values()):
        raise ValueError("the members' histories record different columns")
    return columns
