"""An ONNX file as predict's model: loaded with ONNX Runtime, answering as its Keras model does; bad files refused."""

import numpy as np
import onnx
import pytest
from handwriting_pages import EXAMPLES
from onnx import TensorProto, helper

from mnist_helpers import model_files
from mnist_helpers.__main__ import main
from mnist_helpers.data import flatten_and_scale
from mnist_helpers.export.formats import FORMATS
from mnist_helpers.model_files import OnnxClassifier


@pytest.fixture(scope="module")
def tiny_onnx(tiny_model, tmp_path_factory):
    """The tiny Keras model and its ONNX export."""
    path = tmp_path_factory.mktemp("onnx") / "tiny.onnx"
    FORMATS["onnx"].write(tiny_model[0], path)
    return tiny_model[0], path


def softmax_graph(path, inputs=100, input_type=TensorProto.FLOAT, extra_input=False, batch="batch", rows=None):
    """A one-layer ONNX classifier from ``inputs`` values to 10 probabilities, written to ``path``.

    ``batch`` is the batch dimension (a name: any size); ``rows`` reshapes a batch of 2 to that many rows first.
    """
    width = 2 * inputs // rows if rows else inputs
    values = np.random.default_rng(0).normal(size=width * 10).astype(np.float32)
    weights = helper.make_tensor("w", TensorProto.FLOAT, [width, 10], values)
    shape = helper.make_tensor("shape", TensorProto.INT64, [2], [rows or 0, -1 if rows else inputs])
    nodes = [
        helper.make_node("Cast", ["x"], ["floats"], to=TensorProto.FLOAT),
        helper.make_node("Reshape", ["floats", "shape"], ["rows"]),
        helper.make_node("MatMul", ["rows", "w"], ["logits"]),
        helper.make_node("Softmax", ["logits"], ["p"]),
    ]
    graph_inputs = [helper.make_tensor_value_info("x", input_type, [batch, inputs])]
    if extra_input:
        graph_inputs.append(helper.make_tensor_value_info("mask", TensorProto.FLOAT, ["batch", inputs]))
    graph = helper.make_graph(
        nodes, "g", graph_inputs, [helper.make_tensor_value_info("p", TensorProto.FLOAT, [batch, 10])], [weights, shape]
    )
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)]), path)
    return path


def test_an_onnx_export_answers_as_its_keras_model(tiny_onnx, mnist_test):
    model, path = tiny_onnx
    loaded = model_files.load_classifier(path)
    assert isinstance(loaded, OnnxClassifier) and loaded.path == path
    assert (loaded.input_shape, loaded.output_shape) == ((None, 784), (None, 10))
    digits = mnist_test[0][:500] / 255.0
    expected = model.predict(flatten_and_scale(mnist_test[0][:500]), verbose=0)
    np.testing.assert_allclose(model_files.classify_digits(loaded, digits), expected, atol=1e-5)


def test_a_missing_onnx_file_says_how_to_export_one(tmp_path):
    with pytest.raises(model_files.ModelFileError) as caught:
        model_files.load_classifier(tmp_path / "none.onnx")
    assert str(caught.value) == f"{tmp_path / 'none.onnx'}: model file not found; {model_files.EXPORT_HINT}"


@pytest.mark.parametrize(
    "content, reason",
    [(b"", "empty file (0 bytes)"), (b"not a protobuf at all", "not a loadable ONNX model (")],
    ids=["empty", "garbage"],
)
def test_an_unreadable_onnx_file_is_one_line(tmp_path, content, reason):
    path = tmp_path / "bad.onnx"
    path.write_bytes(content)
    with pytest.raises(model_files.ModelFileError) as caught:
        model_files.load_classifier(path)
    assert str(caught.value).startswith(f"{path}: {reason}")
    assert "\n" not in str(caught.value)


def test_an_onnx_model_for_other_inputs_is_refused(tmp_path):
    path = softmax_graph(tmp_path / "other.onnx", inputs=100)
    with pytest.raises(
        model_files.ModelFileError, match=r"expected a model from 784 pixels to 10 digits, got \(100,\)"
    ):
        model_files.load_classifier(path)


@pytest.mark.parametrize(
    "changes", [{"input_type": TensorProto.INT64}, {"extra_input": True}], ids=["integer input", "two inputs"]
)
def test_an_onnx_model_with_other_inputs_is_refused(tmp_path, changes):
    path = softmax_graph(tmp_path / "odd.onnx", inputs=784, **changes)
    with pytest.raises(model_files.ModelFileError, match="expected one float input and one output"):
        model_files.load_classifier(path)


def test_a_model_with_a_fixed_batch_size_answers_any_number_of_digits(tmp_path, mnist_test):
    digits = mnist_test[0][:7] / 255.0
    any_batch = model_files.load_classifier(softmax_graph(tmp_path / "any.onnx", inputs=784))
    batch_of_one = model_files.load_classifier(softmax_graph(tmp_path / "one.onnx", inputs=784, batch=1))
    assert batch_of_one.input_shape == (1, 784)
    expected = model_files.classify_digits(any_batch, digits)
    assert expected.shape == (7, 10)
    np.testing.assert_allclose(model_files.classify_digits(batch_of_one, digits), expected, rtol=0, atol=1e-6)


def test_a_model_that_cannot_run_or_gives_other_outputs_is_refused_when_loaded(tmp_path):
    with pytest.raises(model_files.ModelFileError, match=r"ONNX Runtime cannot run it \("):
        model_files.load_classifier(softmax_graph(tmp_path / "broken.onnx", inputs=784, rows=3))  # 2 x 784 in 3 rows
    with pytest.raises(model_files.ModelFileError, match=r"expected 10 values per digit, got shape \(4, 10\)"):
        model_files.load_classifier(softmax_graph(tmp_path / "rows.onnx", inputs=784, rows=4))


def test_predict_with_an_onnx_model_that_cannot_run_prints_one_line_and_exits_2(tmp_path, capfd):
    broken = softmax_graph(tmp_path / "broken.onnx", inputs=784, rows=3)
    assert main(["predict", str(EXAMPLES[0]), "--model", str(broken)]) == 2
    out, err = capfd.readouterr()  # file descriptors too: ONNX Runtime logs from C++
    assert out == "" and err.startswith(f"{broken}: ONNX Runtime cannot run it (") and len(err.splitlines()) == 1
