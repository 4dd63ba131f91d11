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
