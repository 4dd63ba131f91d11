"""The not-a-digit detector: the shipped file loads, tells letters from digits, and feeds the flag."""

import json
import signal
import sys

import numpy as np
import pytest

from mnist_helpers.__main__ import main
from mnist_helpers.config import DETECTOR_FILE, example_images
from mnist_helpers.model_files import ModelFileError
from mnist_helpers.own_digits import not_a_digit
from mnist_helpers.own_digits.mnist_style import prepare_digit
from mnist_helpers.synthetic.not_digits import KINDS, is_digit_shaped
from mnist_helpers.synthetic.pages import on_paper


def prepared(kind, count, seed=11):
    rng, digits = np.random.default_rng(seed), []
    while len(digits) < count:
        image, label = KINDS[kind](rng)
        if not is_digit_shaped(label):
            digits.append(prepare_digit(image))
    return np.array(digits)


def test_the_shipped_detector_rates_letters_high_and_digits_low(mnist_test):
    shipped = not_a_digit.shipped_detector()
    letters = shipped.not_digit_probability(prepared("drawn letters", 40))
    digits = shipped.not_digit_probability([prepare_digit(on_paper(d)) for d in mnist_test[0][:300]])
    assert np.mean(letters > not_a_digit.DETECTOR_THRESHOLD) >= 0.8, letters.round(2)
    assert np.mean(digits > not_a_digit.DETECTOR_THRESHOLD) <= 0.01, np.sort(digits)[-5:]
    assert np.all((digits >= 0) & (digits <= 1))


def test_a_file_that_is_no_detector_is_one_line_naming_it(tmp_path):
    broken = tmp_path / "detector.onnx"
    broken.write_bytes(b"not a model")
    with pytest.raises(
        ModelFileError, match=r"detector.onnx: the not-a-digit detector cannot be loaded .*\n?"
    ) as error:
        not_a_digit.Detector(broken)
    assert "\n" not in str(error.value) and "train-detector" in str(error.value)
    with pytest.raises(ModelFileError, match="not the not-a-digit detector"):
        not_a_digit.Detector(DETECTOR_FILE.parent.parent / "robust" / "robust.onnx")


class Fixed:
    def __init__(self, probabilities):
        self.probabilities = np.asarray(probabilities)

    def not_digit_probability(self, digits):
        return self.probabilities[: len(digits)]


def test_the_ink_shape_speaks_first_then_the_detector_above_its_threshold(monkeypatch, mnist_test):
    digit = prepare_digit(on_paper(mnist_test[0][0]))
    blot = np.zeros((28, 28), np.float32)
    blot[4:24, 4:24] = 1.0
    threshold = not_a_digit.DETECTOR_THRESHOLD
    monkeypatch.setattr(not_a_digit, "shipped_detector", lambda: Fixed([0.999, threshold, threshold + 0.001]))
    reasons = not_a_digit.not_a_digit_reasons([blot, digit, digit])
    assert reasons[0].startswith("a solid blot") and reasons[1] is None
    assert reasons[2] == f"the not-a-digit detector rates it {threshold + 0.001:.0%} not a digit"
    assert not_a_digit.not_a_digit_reasons([]) == []


@pytest.fixture
def no_detector(monkeypatch, tmp_path):
    monkeypatch.setattr(not_a_digit, "DETECTOR_FILE", tmp_path / "detector.onnx")
    not_a_digit.shipped_detector.cache_clear()
    yield tmp_path / "detector.onnx"
    not_a_digit.shipped_detector.cache_clear()


def test_predict_without_its_detector_is_one_line_before_any_image(no_detector, capsys):
    status = main(["predict", str(example_images()[0])])
    out, err = capsys.readouterr()
    assert status == 2 and out == "" and len(err.splitlines()) == 1
    assert err.startswith(f"{no_detector}: the not-a-digit detector cannot be loaded") and "train-detector" in err


@pytest.mark.slow
def test_train_detector_writes_its_files_as_one_set(tmp_path, capsys):
    assert main(["train-detector", "--per-kind", "12", "--per-source", "12", "--output", str(tmp_path / "d")]) == 0
    names = sorted(path.name for path in (tmp_path / "d").iterdir())
    assert names == ["detector.json", "detector.keras", "detector.onnx", "detector.onnx.verification.json"]
    record = json.loads((tmp_path / "d" / "detector.json").read_text())
    assert record["examples"]["non-digit parts"] > 0 and record["examples"]["real digit parts"] > 60_000
    trained = not_a_digit.Detector(tmp_path / "d" / "detector.onnx")
    assert trained.not_digit_probability(np.zeros((3, 28, 28))).shape == (3,)


def test_the_detectors_own_distortions_are_every_limit_a_recipe_has_and_within_its_checks():
    from mnist_helpers.detector.training import DETECTOR_DISTORTIONS
    from mnist_helpers.recipe import AUGMENTED_RECIPE

    assert AUGMENTED_RECIPE.with_changes(**DETECTOR_DISTORTIONS).distortion_limits() == DETECTOR_DISTORTIONS


def test_example_workers_leave_ctrl_c_to_the_command_and_die_quietly_when_ended():
    """Before: forked with the command's handlers, a worker ended by the pool printed a ``Stopped`` traceback."""
    from mnist_helpers._support.console import command_edges
    from mnist_helpers.detector import examples

    with command_edges(), examples.worker_pool(1) as pool:
        handlers = pool.apply(_signal_handlers)
    assert handlers == [signal.SIG_IGN, signal.SIG_DFL]


def test_example_workers_are_not_forked_from_a_process_that_runs_tensorflow():
    """Before: forked after TensorFlow had run, a worker's garbage collector freed a TensorFlow function and the
    worker died of a segmentation fault, leaving the pool's map waiting (seen in CI)."""
    import tensorflow as tf

    from mnist_helpers.detector import examples

    tf.function(lambda x: x + 1)(tf.constant(1.0))  # TensorFlow's runtime running here
    with examples.worker_pool(1) as pool:
        assert not pool.apply(_tensorflow_loaded)


def _tensorflow_loaded():
    return "tensorflow" in sys.modules


def _signal_handlers():
    return [signal.getsignal(signal.SIGINT), signal.getsignal(signal.SIGTERM)]


def test_leaving_a_family_out_drops_its_parts_and_changes_no_other():
    from mnist_helpers.detector.examples import LEAVABLE, labelled_examples

    digits, labels, families = labelled_examples(4, 4, seed=3, families=LEAVABLE)
    assert {"pen", "pad", "scribbles", "noise"} <= set(families) <= set(LEAVABLE)  # blank paper: refused, no parts
    assert set(labels[families == "pen"]) == {0}
    assert set(labels[families == "scribbles"]) == {1}
    kept = [family for family in LEAVABLE if family not in ("pen", "scribbles")]
    fewer, fewer_labels, fewer_families = labelled_examples(4, 4, seed=3, families=kept)
    mask = ~np.isin(families, ["pen", "scribbles"])
    assert np.array_equal(fewer, digits[mask]) and np.array_equal(fewer_labels, labels[mask])
    assert np.array_equal(fewer_families, families[mask])


def test_train_detector_names_a_family_it_does_not_have_in_one_line(tmp_path, capsys):
    arguments = ["train-detector", "--leave-out", "pen", "pens", "--output", str(tmp_path / "d")]
    assert main(arguments) == 2 and not (tmp_path / "d").exists()
    err = capsys.readouterr().err
    assert err.startswith("--leave-out: no such family: 'pens' (families: ") and "'scribbles'" in err
    assert err.count("\n") == 1
