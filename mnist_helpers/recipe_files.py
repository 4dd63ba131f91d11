"""A recipe as a JSON file of its fields: what ``tune`` writes for its best trial and ``train --recipe`` reads back."""

import json
from dataclasses import fields
from pathlib import Path

from ._support.artifacts import save_json
from ._support.errors import UserFacingError
from ._support.user_files import open_user_file, printable_name
from .recipe import ParameterError, Recipe, recipe_for

MAX_RECIPE_BYTES = 1_000_000  # a recipe file is a few hundred bytes


def save_recipe(recipe: Recipe, path) -> Path:
    """Write every field of ``recipe`` to ``path`` as JSON, atomically."""
    return save_json(recipe.as_json(), path)


def read_recipe(path, smoke=False, **changes) -> Recipe:
    """The recipe that the JSON file ``path`` holds, checked like any recipe, with ``changes`` (None: keep) on top.

    The file's fields change the recipe its ``augment`` picks (the baseline or the augmented one, as
    :func:`.recipe.recipe_for` does), so a file may name only some fields. Anything wrong is a
    ``UserFacingError`` naming the file.
    """
    name = printable_name(str(path))
    with open_user_file(path, "a recipe file (JSON)", MAX_RECIPE_BYTES) as handle:
        data = handle.read()
    try:
        values = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError:
        raise UserFacingError(f"{name}: not a recipe file (not UTF-8 text)") from None
    except json.JSONDecodeError as error:
        raise UserFacingError(f"{name}: not a recipe file (JSON error at line {error.lineno}: {error.msg})") from None
    if not isinstance(values, dict):
        raise UserFacingError(f'{name}: must hold a JSON object of recipe fields, such as {{"learning_rate": 0.002}}')
    unknown = sorted(set(values) - {field.name for field in fields(Recipe)})
    try:
        if unknown:
            raise ParameterError(f"{unknown[0]}: not a recipe parameter")
        augment = values.pop("augment", False)
        return recipe_for(augment, smoke=smoke, **{**values, **{key: v for key, v in changes.items() if v is not None}})
    except ParameterError as error:
        raise UserFacingError(f"{name}: {error}") from None
