"""A committee: several trained classifiers as one Keras model that answers with the mean of their probabilities.

Meier et al. (2011) average committees of MLPs of about this project's size; ``benchmarks.faint_ink_validation
--models`` and ``benchmarks.held_out --committee`` measure the same average without building the model. As one model
it is saved, exported to ONNX and read by ``predict --model`` like any other.
"""

import keras


def committee_of(members, name="committee") -> keras.Model:
    """One model whose output is the mean of ``members``' outputs; each member is kept whole, as ``member_0``, ..."""
    inputs = keras.Input(shape=members[0].input_shape[1:], name="pixels")
    answers = [
        keras.Model(member.inputs[0], member.outputs[0], name=f"member_{index}")(inputs)
        for index, member in enumerate(members)
    ]
    return keras.Model(inputs, keras.layers.Average(name="mean_probabilities")(answers), name=name)


# What a committee's metrics.json keeps of each member's own record (its evaluation details stay in the member's run)
MEMBER_FIELDS = (
    "mode", "seed", "recipe", "test_accuracy", "test_loss", "epochs_run", "best_epoch", "training_seconds",
    "fit_samples", "validation_samples", "versions", "machine",
)  # fmt: skip


def committee_record(evaluation, members: dict) -> dict:
    """A committee's ``metrics.json``: its test-set evaluation and, for each member (shown path -> that member's own
    metrics.json record), how it was trained; a full run only if every member is one."""
    from ._support.provenance import library_versions, machine_description
    from .report import evaluation_record

    modes = {record["mode"] for record in members.values()}
    return {
        "mode": "full" if modes == {"full"} else "smoke",
        **evaluation_record(evaluation),
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
