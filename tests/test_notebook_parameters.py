"""Bad notebook parameters stop the run at once, with one line naming the parameter, before anything is written."""

import papermill
import pytest

from mnist_helpers.config import PROJECT_ROOT

NOTEBOOK = PROJECT_ROOT / "MNIST_Classifier.ipynb"


@pytest.mark.slow
@pytest.mark.parametrize(
    "parameters, message",
    [
        ({"epochs": 0}, "epochs: must be a whole number >= 1 (got 0)"),
        ({"batch_size": -5}, "batch_size: must be a whole number >= 1 (got -5)"),
        ({"hidden_layers": "[]"}, "hidden_layers: must be a non-empty list such as (512, 256, 128) (got [])"),
        ({"seed": "seven"}, "seed: cannot read 'seven' as a value"),
        ({"lerning_rate": 0.5}, "lerning_rate: not a parameter of this notebook (did you mean learning_rate?)"),
        (
            {"hidden_layers": "[1000000000000]"},
            "hidden_layers[0]: must be a whole number <= 4,096 (got 1000000000000)",
        ),
    ],
)
def test_bad_parameter_fails_in_the_checking_cell_and_writes_nothing(parameters, message, tmp_path, monkeypatch):
    outputs = tmp_path / "outputs"
    monkeypatch.setenv("MNIST_OUTPUTS", str(outputs))
    monkeypatch.setenv("MNIST_SMOKE", "1")
    with pytest.raises(papermill.PapermillExecutionError) as caught:
        papermill.execute_notebook(NOTEBOOK, tmp_path / "run.ipynb", parameters=parameters, progress_bar=False)
    assert caught.value.ename == "ParameterError"
    assert caught.value.evalue == message
    assert caught.value.traceback == [f"ParameterError: {message}"]
    assert not outputs.exists()
