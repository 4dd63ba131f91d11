"""gpu_committee's --variant: parsed as seed_accuracy parses a change, and a bad one refused before any machine runs."""

import pytest

from benchmarks import gpu_committee


def test_a_variant_is_a_name_and_its_recipe_changes():
    assert gpu_committee.recipe_variant("thin:max_thinning=1.0,max_rotation=8") == (
        "thin",
        {"max_thinning": 1.0, "max_rotation": 8},
    )


@pytest.mark.parametrize(
    ("variant", "said"),
    [("thin:max_thinning", "must be JSON"), ("thin:bogus=1", "bogus: not a recipe parameter"),
     ("thin:max_thinning=3", "max_thinning: must lie")],
)  # fmt: skip
def test_a_bad_variant_is_one_line_before_anything_runs(capsys, variant, said):
    with pytest.raises(SystemExit) as stopped:
        gpu_committee.main(["--smoke", "--variant", variant])
    assert stopped.value.code == 2
    error = capsys.readouterr().err.strip().splitlines()[-1]
    assert said in error and "Traceback" not in error
