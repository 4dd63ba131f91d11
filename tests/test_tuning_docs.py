"""docs/tuning.md states the search ranges of the table in mnist_helpers/tuning.py, and the numbers of the committed
smoke study (benchmarks/results/tuning_smoke.json, the study its plots show)."""

import json
from datetime import datetime

import pytest

from mnist_helpers.config import PROJECT_ROOT
from mnist_helpers.tuning import SEARCH_SPACE, Range

PAGE = (PROJECT_ROOT / "docs" / "tuning.md").read_text()
TEXT = " ".join(PAGE.split())  # sentences, whatever their line breaks
RECORD = json.loads((PROJECT_ROOT / "benchmarks" / "results" / "tuning_smoke.json").read_text())


@pytest.mark.parametrize("field", SEARCH_SPACE)
def test_each_search_range_is_stated_as_the_table_has_it(field):
    rows = [line for line in PAGE.splitlines() if line.startswith(f"| `{field}` |")]
    assert len(rows) == 1, field
    _, drawn, who = (cell.strip() for cell in rows[0].strip("|").split("|"))
    values, searched_for = SEARCH_SPACE[field]
    assert who == searched_for
    if isinstance(values, Range):
        assert drawn.startswith(f"{values.low:g} to {values.high:g}") and ("log scale" in drawn) == values.log
    else:
        assert len(drawn.split(", ")) == len(values.options)


def test_the_smoke_study_is_described_by_its_record():
    trials = RECORD["trials"]
    states = [trial["state"] for trial in trials]
    best = trials[RECORD["best_trial"]]
    workers = sorted({trial["worker"] for trial in trials})
    per_worker = "/".join(str(sum(trial["worker"] == worker for trial in trials)) for worker in workers)
    assert RECORD["search"]["smoke"] and f"--trials {len(trials)}" in TEXT
    assert f"{len(trials)} trials ({states.count('complete')} complete, {states.count('pruned')} pruned)" in TEXT
    assert f"run by two workers ({per_worker})" in TEXT and len(workers) == 2
    started, finished = (datetime.fromisoformat(trial[key]) for trial, key in
                         ((min(trials, key=lambda t: t["started"]), "started"),
                          (max(trials, key=lambda t: t["finished"]), "finished")))  # fmt: skip
    assert f"in {(finished - started).total_seconds() / 60:.1f} minutes from the first trial's start" in TEXT
    assert f"the best trial, {best['number']}, had learning rate {best['params']['learning_rate']:.2g}" in TEXT
    assert f"validation loss {best['validation_loss']:.4f} and accuracy {best['val_accuracy']:.2%}" in TEXT
