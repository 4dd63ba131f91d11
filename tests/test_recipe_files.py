"""A recipe as a JSON file: ``tune --write-best`` writes one, ``train --recipe`` reads it back, checked."""

import os

import pytest

from mnist_helpers.__main__ import build_parser, main
from mnist_helpers.recipe import AUGMENTED_RECIPE, BASELINE_RECIPE
from mnist_helpers.recipe_files import read_recipe, save_recipe


def test_a_saved_recipe_reads_back_the_same(tmp_path):
    tuned = AUGMENTED_RECIPE.with_changes(learning_rate=0.0031, hidden_layers=(1024, 512), max_rotation=15.5)
    assert read_recipe(save_recipe(tuned, tmp_path / "best.json")) == tuned


def test_a_file_may_name_only_some_fields(tmp_path):
    (tmp_path / "augmented.json").write_text('{"augment": true, "learning_rate": 0.003}')
    (tmp_path / "baseline.json").write_text('{"batch_size": 64, "dropout_rates": [0.5]}')
    assert read_recipe(tmp_path / "augmented.json") == AUGMENTED_RECIPE.with_changes(learning_rate=0.003)
    assert read_recipe(tmp_path / "baseline.json") == BASELINE_RECIPE.with_changes(batch_size=64, dropout_rates=(0.5,))


def test_the_command_line_and_smoke_mode_go_over_the_file(tmp_path):
    save_recipe(AUGMENTED_RECIPE, tmp_path / "r.json")
    assert read_recipe(tmp_path / "r.json", epochs=7).epochs == 7
    assert read_recipe(tmp_path / "r.json", smoke=True).epochs == 2


@pytest.mark.parametrize(
    "content, problem",
    [
        (b"{not json", "not a recipe file (JSON error at line 1: Expecting property name enclosed in double quotes)"),
        (b"\xff\xfe", "not a recipe file (not UTF-8 text)"),
        (b"[0.001]", 'must hold a JSON object of recipe fields, such as {"learning_rate": 0.002}'),
        (b'{"learning_rat": 0.002}', "learning_rat: not a recipe parameter"),
        (b'{"smoke": true}', "smoke: not a recipe parameter"),
        (b'{"learning_rate": -1}', "learning_rate: must be a number > 0 (got -1)"),
        (b'{"augment": "maybe"}', "augment: must be True or False (got 'maybe')"),
        (b"", "empty file (0 bytes)"),
    ],
)
def test_a_bad_recipe_file_is_one_line_naming_it_and_nothing_is_written(content, problem, tmp_path, capsys):
    path = tmp_path / "recipe.json"
    path.write_bytes(content)
    assert main(["train", "--recipe", str(path), "--output", str(tmp_path / "run")]) == 2
    captured = capsys.readouterr()
    assert captured.err == f"{path}: {problem}\n" and captured.out == ""
    assert os.listdir(tmp_path) == ["recipe.json"]


def test_a_missing_recipe_file_or_a_folder_is_refused(tmp_path, capsys):
    assert main(["train", "--recipe", str(tmp_path / "nowhere.json")]) == 2
    assert capsys.readouterr().err == f"{tmp_path / 'nowhere.json'}: no such file\n"
    assert main(["train", "--recipe", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"{tmp_path}: is a directory, not a recipe file (JSON)\n"


def test_recipe_and_augment_are_one_choice(capsys):
    with pytest.raises(SystemExit) as stopped:
        build_parser().parse_args(["train", "--augment", "--recipe", "r.json"])
    assert stopped.value.code == 2
    assert "argument --recipe: not allowed with argument --augment" in capsys.readouterr().err
