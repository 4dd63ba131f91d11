"""The checking cell's refusal of parameters the notebook does not have (papermill accepts any name)."""

import json

import pytest

from mnist_helpers.config import PROJECT_ROOT
from mnist_helpers.notebook_parameters import assigned_names, refuse_unknown_parameters
from mnist_helpers.recipe import ParameterError

PARAMETERS = "augment = False\nseed = 42\nlearning_rate = None\n"


def test_the_names_a_cell_assigns_are_read_from_its_source():
    assert assigned_names("a = 1\nb: int = 2\nc.d = 3\nif a:\n    e = 4\n") == ["a", "b"]
    assert assigned_names("not python (") == []


def test_a_misspelt_parameter_is_refused_with_the_name_it_resembles():
    with pytest.raises(ParameterError) as caught:
        refuse_unknown_parameters(["", "import x", PARAMETERS, "# Parameters\nlerning_rate = 0.5\n", "check()"])
    assert str(caught.value) == "lerning_rate: not a parameter of this notebook (did you mean learning_rate?)"
    with pytest.raises(ParameterError, match=r"^velocity: .*\(the parameters are augment, seed, learning_rate\)$"):
        refuse_unknown_parameters([PARAMETERS, "# Parameters\nvelocity = 3\n"])


def test_known_parameters_papermills_own_and_runs_without_papermill_pass():
    refuse_unknown_parameters([PARAMETERS, '# Parameters\nseed = 7\nPAPERMILL_OUTPUT_PATH = "x.ipynb"\n'])
    refuse_unknown_parameters(["", "import x", PARAMETERS, "check()"])


def test_the_checking_cell_checks_the_cells_run_so_far():
    cells = json.loads((PROJECT_ROOT / "MNIST_Classifier.ipynb").read_text())["cells"]
    code = ["".join(cell["source"]) for cell in cells if cell["cell_type"] == "code"]
    tagged = next(index for index, cell in enumerate(code) if "augment = False" in cell)
    assert code[tagged + 1].startswith("notebook_parameters.refuse_unknown_parameters()\n")
