"""The committed notebook: parameters agree with the package defaults, cells stay thin, one clean run."""

import json

import pytest

from mnist_helpers import plots
from mnist_helpers.config import PROJECT_ROOT
from mnist_helpers.recipe import BASELINE_RECIPE, DEFAULT_SEED, recipe_for

NOTEBOOK = PROJECT_ROOT / "MNIST_Classifier.ipynb"


@pytest.fixture(scope="module")
def code_cells():
    notebook = json.loads(NOTEBOOK.read_text())
    return [cell for cell in notebook["cells"] if cell["cell_type"] == "code"]


def test_parameters_cell_holds_the_default_recipe(code_cells):
    tagged = [cell for cell in code_cells if "parameters" in cell["metadata"].get("tags", [])]
    assert len(tagged) == 1
    values = {}
    exec("".join(tagged[0]["source"]), {}, values)
    assert values.pop("seed") == DEFAULT_SEED
    assert values.pop("augment") is False
    assert set(values) == {
        "batch_size",
        "epochs",
        "validation_split",
        "hidden_layers",
        "dropout_rates",
        "learning_rate",
    }
    assert recipe_for(False, **values) == BASELINE_RECIPE  # every hyperparameter left to the recipe


def test_each_figure_of_the_table_is_drawn_by_its_function_and_saved_in_one_cell(code_cells):
    sources = ["".join(cell["source"]) for cell in code_cells]
    for name, figure in plots.FIGURES.items():
        saving = [source for source in sources if f'save_notebook_figure(fig, "{name}"' in source]
        assert len(saving) == 1, name
        assert f"{figure.draw.__name__}(" in saving[0], name


def test_code_cells_are_thin(code_cells):
    lengths = [len("".join(cell["source"]).splitlines()) for cell in code_cells]
    assert max(lengths) <= 15


def test_committed_notebook_is_one_clean_top_to_bottom_run(code_cells):
    counts = [cell["execution_count"] for cell in code_cells]
    assert counts == list(range(1, len(code_cells) + 1))
    errors = [cell for cell in code_cells for output in cell["outputs"] if output["output_type"] == "error"]
    assert errors == []
    stderr = [output["text"] for cell in code_cells for output in cell["outputs"] if output.get("name") == "stderr"]
    assert stderr == [], "TensorFlow or library noise leaked into the committed outputs"
