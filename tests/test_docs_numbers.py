"""The headline numbers of the README and the docs are those of the committed runs: each is read back from the
metrics.json or benchmark record it came from, so a re-run that changes them fails here until the text follows."""

import json
import re

import pytest

from mnist_helpers.config import MODEL_FOLDERS, PROJECT_ROOT
from mnist_helpers.report import read_metrics_record

README = (PROJECT_ROOT / "README.md").read_text()
ANALYSIS = (PROJECT_ROOT / "docs" / "analysis.md").read_text()
ROBUST = (PROJECT_ROOT / "docs" / "robust_model.md").read_text()
SEEDS = json.loads((PROJECT_ROOT / "benchmarks" / "results" / "seed_accuracy_augmented.json").read_text())


def table_row(text: str, starts: str) -> str:
    rows = [line for line in text.splitlines() if line.startswith(f"| {starts}")]
    assert len(rows) == 1, starts
    return rows[0]


HEADLINE_ROWS = {"notebook": "the notebook's committed run", "robust": "the robust model"}


@pytest.mark.parametrize(("role", "row"), HEADLINE_ROWS.items())
def test_readme_headline_accuracies_are_the_committed_runs(role, row):
    accuracy = read_metrics_record(MODEL_FOLDERS[role])["test_accuracy"]
    assert f"| {accuracy:.2%} |" in table_row(README, row)


def test_three_seed_mean_in_readme_and_docs_is_the_benchmark_record():
    quoted = f"{SEEDS['mean_test_accuracy']:.2%} ± {SEEDS['std_test_accuracy']:.2%}"
    assert f"3 seeds: {quoted}" in table_row(README, "the robust model")
    assert f"**{quoted}**" in ROBUST
    for seed in SEEDS["seeds"]:
        assert re.search(rf"^\| {seed['seed']} \| {seed['test_accuracy']:.2%} \|", ROBUST, re.M), seed["seed"]


def test_analysis_page_states_the_committed_notebook_run():
    record = read_metrics_record(MODEL_FOLDERS["notebook"])
    accuracy, errors = record["test_accuracy"], record["test_errors"]
    assert f"**{accuracy:.2%}** ({errors} of 10,000 test digits wrong), test loss {record['test_loss']:.4f}" in ANALYSIS
    assert f"{record['epochs_run']} epochs (early stopping restored epoch {record['best_epoch']})" in ANALYSIS
    assert f"**{record['training_seconds']:.0f} s**" in ANALYSIS
    mean_confidence = record["confidence"]["all"]["mean_confidence"]
    assert f"{record['expected_calibration_error']:.4f} (mean confidence {mean_confidence:.2%}" in ANALYSIS
    pairs = ", ".join(f"{p['true']} → {p['predicted']} ({p['count']}×)" for p in record["top_confused_pairs"])
    assert pairs in ANALYSIS


def test_own_digits_page_holds_the_committed_numbers_table():
    """docs/own_digits.md shows benchmarks/numbers.py's table as its committed record printed it."""
    record = json.loads((PROJECT_ROOT / "benchmarks" / "results" / "numbers.json").read_text())
    assert record["markdown"] in (PROJECT_ROOT / "docs" / "own_digits.md").read_text()


def test_readme_held_out_rows_are_the_committed_benchmark():
    record = json.loads((PROJECT_ROOT / "benchmarks" / "results" / "held_out.json").read_text())
    for model, row in [("robust", "robust model"), ("notebook", "the notebook's model"), ("seed0", "one of its")]:
        (accuracies,) = [value for path, value in record["accuracy"].items() if model in path]
        assert " | ".join(f"{accuracy:.2%}" for accuracy in accuracies.values()) in table_row(README, row)
    flagged = " | ".join(f"{source['flagged']:.2%}" for source in record["flags"].values())
    assert flagged in table_row(README, 'real digits flagged "not a digit"')


def test_tuning_page_states_the_committed_tuned_recipe_run():
    record = json.loads((PROJECT_ROOT / "benchmarks" / "results" / "tuned_recipe.json").read_text())
    page = (PROJECT_ROOT / "docs" / "tuning.md").read_text()
    for name, row in [("tuned", "tuned (trial"), ("shipped", "shipped augmented recipe")]:
        seeds = " | ".join(f"{accuracy:.2%}" for accuracy in record[name]["test_accuracy"])
        assert f"{seeds} | **{record[name]['mean']:.2%} +- {record[name]['std']:.2%}** |" in table_row(page, row)


def test_robust_model_page_holds_the_committed_committee_tables():
    from benchmarks.gpu_committee import pooled, pooled_markdown

    paths = sorted((PROJECT_ROOT / "benchmarks" / "results").glob("gpu_committee*.json"))
    records = [json.loads(path.read_text()) for path in paths]
    assert len(records) == 2 and all(record["markdown"] in ROBUST for record in records)
    assert pooled_markdown(pooled(records)) in ROBUST
    shipped = [record["results"]["shipped"]["committees"]["5"]["MNIST test (arrays)"] for record in records]
    assert "five shipped seeds {:.2%} and {:.2%}".format(*shipped) in ROBUST


def test_own_digits_page_holds_the_committed_detector_families_table():
    record = json.loads((PROJECT_ROOT / "benchmarks" / "results" / "detector_families.json").read_text())
    page = (PROJECT_ROOT / "docs" / "own_digits.md").read_text()
    assert record["markdown"] in page
    shapes = record["families"]["shapes"]
    seen, unseen = shapes["shipped detector (learnt it)"], shapes["detector that never saw it"]
    assert f"Shapes fall from {seen:.1%} to {unseen:.1%}" in page


def test_readme_states_what_the_detector_catches_of_kinds_it_never_saw():
    record = json.loads((PROJECT_ROOT / "benchmarks" / "results" / "detector_families.json").read_text())
    for kind in ("printed letters", "drawn letters", "scribbles", "shapes", "noise"):
        assert f"{kind} {record['families'][kind]['detector that never saw it']:.1%}" in README, kind


def test_robust_model_page_holds_the_thinner_pens_records():
    """The thinner pens against the recipe shipped before: its three seeds, and each held-out row (arrays, then
    sources) of the comparison's record."""
    results = PROJECT_ROOT / "benchmarks" / "results"
    before = json.loads((results / "seed_accuracy_augmented_max_thinning_0.5.json").read_text())
    seeds = ", ".join(f"{seed['test_accuracy']:.2%}" for seed in before["seeds"])
    assert f"seeds read {seeds}: {before['mean_test_accuracy']:.2%} ± {before['std_test_accuracy']:.2%}" in " ".join(
        ROBUST.split()
    )
    record = json.loads((results / "thinner_pens" / "held_out.json").read_text())
    rows = {
        "robust model before (pens": "models/robust/robust.onnx",
        "thinner pens (up to 1 px), seed 0": "seed0.keras",
        "committee of its 3 seeds": "committee of 3",
    }
    for row, model in rows.items():
        (key,) = [key for key in record["accuracy"] if key.endswith(model) or key.startswith(model)]
        values = [record["mnist_test_arrays"][key], *record["accuracy"][key].values()]
        assert table_row(ROBUST, row).endswith(" | ".join(f"{value:.2%}" for value in values) + " |"), row


def test_robust_model_page_holds_the_fading_ink_records():
    """Fading ink against the recipe before: each seed's held-out row (arrays, then sources), their means, and the
    committee, as the comparison's record has them."""
    from statistics import mean

    record = json.loads((PROJECT_ROOT / "benchmarks" / "results" / "fading_probe" / "held_out.json").read_text())

    def cells(keys):
        arrays = mean(record["mnist_test_arrays"][key] for key in keys)
        sources = [mean(record["accuracy"][key][source] for key in keys) for source in record["accuracy"][keys[0]]]
        return " | ".join(f"{value:.2%}" for value in [arrays, *sources]) + " |"

    for folder, row in [("thinner", "before (no fading)"), ("fading", "fading ink")]:
        keys = [f"runs/{folder}/seed{seed}.keras" for seed in range(3)]
        for seed, key in enumerate(keys):
            assert table_row(ROBUST, f"{row}, seed {seed}").endswith(cells([key])), (folder, seed)
        assert table_row(ROBUST, f"{row}, mean of 3").endswith(cells(keys)), folder
    (committee,) = [key for key in record["accuracy"] if key.startswith("committee of 3")]
    assert table_row(ROBUST, "committee of the 3 fading seeds").endswith(cells([committee]))


@pytest.mark.parametrize("record_name", ["faint_ink_validation", "faint_ink_validation_committee"])
def test_own_digits_page_holds_the_ink_validation_records(record_name):
    """Each ink variant's validation row and each held-out check row, as the record's figures in the record's order,
    and the check's digits gained / lost."""
    record = json.loads((PROJECT_ROOT / "benchmarks" / "results" / f"{record_name}.json").read_text())
    page = (PROJECT_ROOT / "docs" / "own_digits.md").read_text()
    for row in [*record["accuracy"].values(), *record["held_out_check"].values()]:
        assert " | ".join(f"{value:.2%}" for value in row.values()) + " |" in page, row
    for change in record["held_out_changes"].values():
        assert f"{change['gained']} / {change['lost']}" in page, change


def test_robust_model_page_holds_the_shipped_committee_records():
    """The shipped committee against its members (each alone, their mean) and against the robust model before it,
    each row (arrays, then sources) as the records have them."""
    from statistics import mean

    results = PROJECT_ROOT / "benchmarks" / "results"
    members = json.loads((results / "held_out_members.json").read_text())
    before = json.loads((results / "held_out_before_committee.json").read_text())

    def cells(record, keys):
        arrays = mean(record["mnist_test_arrays"][key] for key in keys)
        sources = [mean(record["accuracy"][key][source] for key in keys) for source in record["accuracy"][keys[0]]]
        return [f"{value:.2%}" for value in [arrays, *sources]]

    keys = [f"runs/members/seed{seed}/seed{seed}.keras" for seed in range(3)]
    for seed, key in enumerate(keys):
        assert table_row(ROBUST, f"seed {seed} alone |").endswith(" | ".join(cells(members, [key])) + " |"), seed
    assert table_row(ROBUST, "the 3 members' mean").endswith(" | ".join(cells(members, keys)) + " |")
    (committee,) = [key for key in members["accuracy"] if key.startswith("committee of 3")]
    shipped = " | ".join(f"**{cell}**" for cell in cells(members, [committee])) + " |"
    assert table_row(ROBUST, "**the committee (shipped until the shifts)**").endswith(shipped)
    old = " | ".join(cells(before, ["models/robust/robust.onnx"])) + " |"
    assert table_row(ROBUST, "before: seed 0 alone, ink steps before").endswith(old)


def test_robust_model_page_and_readme_hold_the_shift_averaging_records():
    """The shifts' choice and check as benchmarks/shift_averaging.py printed them, the five members' committee beside
    the shipped three, and the README's shifted single-network mean."""
    results = PROJECT_ROOT / "benchmarks" / "results"
    three = json.loads((results / "shift_averaging.json").read_text())
    five = json.loads((results / "shift_averaging_5.json").read_text())
    assert (
        three["shifts_chosen"] and three["markdown"]["validation"] in ROBUST and three["markdown"]["held_out"] in ROBUST
    )
    for part in ["validation", "held_out"]:
        for label, record in [("of 3 (shipped)", three), ("of 5", five)]:
            cells = " | ".join(f"{value:.2%}" for value in record[part]["committee, shifted"].values())
            assert f"| {label} | {cells} |" in ROBUST, (part, label)
    shifted_mean = three["held_out"]["mean of the 3 members, shifted"]["MNIST test (arrays)"]
    assert f"with the shifts {shifted_mean:.2%}" in table_row(README, "the robust model")
    assert f"a mean of **{shifted_mean:.2%}**" in ROBUST
