"""The recipe search (mnist_helpers.tuning, .studies): its ranges, its draws, pruning, and a study that workers share
and resume. Quick: no training here (tests/test_tune_command.py runs the command as users do)."""

import types

import optuna
import pytest

from mnist_helpers import studies, tuning
from mnist_helpers.__main__ import main
from mnist_helpers._support.errors import UserFacingError
from mnist_helpers.recipe import AUGMENTED_RECIPE, BASELINE_RECIPE, ParameterError
from mnist_helpers.studies import finished_count, open_study, queue_recipes, run_worker, study_record, trial_counts
from mnist_helpers.tuning import SEARCH_SPACE, Range, Search, TrialSeededSampler, searched_fields, trial_recipe

optuna.logging.set_verbosity(optuna.logging.WARNING)
TrialState = optuna.trial.TrialState


def test_every_range_passes_the_recipes_own_checks_and_distortions_need_augment():
    distortions = {"max_shift", "max_rotation", "max_scale", "elastic_sigma", "elastic_alpha", "max_thinning",
                   "max_thickening", "max_fading"}  # fmt: skip
    assert set(searched_fields(AUGMENTED_RECIPE)) == set(SEARCH_SPACE)
    assert set(searched_fields(BASELINE_RECIPE)) == set(SEARCH_SPACE) - distortions
    with pytest.raises(ParameterError, match="max_shift: searched only with --augment"):
        searched_fields(BASELINE_RECIPE, ["learning_rate", "max_shift"])


def test_a_range_the_recipe_refuses_is_refused_before_any_trial(monkeypatch):
    monkeypatch.setitem(SEARCH_SPACE, "learning_rate", (Range(0.0, 0.01), tuning.ANY))
    with pytest.raises(ParameterError, match=r"^search range of learning_rate: must be a number > 0 \(got 0.0\)$"):
        searched_fields(BASELINE_RECIPE)


def test_a_trial_trains_the_values_it_drew_or_the_changes_queued_for_it():
    search = Search(AUGMENTED_RECIPE, ("hidden_layers", "max_rotation"), seed=0)
    drawn = optuna.trial.FixedTrial({"hidden_layers": "1024, 1024", "max_rotation": 7.5})
    assert trial_recipe(drawn, search) == AUGMENTED_RECIPE.with_changes(hidden_layers=(1024, 1024), max_rotation=7.5)
    queued = types.SimpleNamespace(user_attrs={tuning.FIXED_CHANGES: {"epochs": 45, "dropout_rates": [0.3, 0.2]}})
    assert trial_recipe(queued, search) == AUGMENTED_RECIPE.with_changes(epochs=45, dropout_rates=(0.3, 0.2))


def draws(sampler_for_worker, workers=2, trials=6):
    """The learning rates that ``workers`` samplers (one per worker process) draw in turn for one shared study."""
    study = optuna.create_study()
    samplers = [sampler_for_worker() for _ in range(workers)]
    values = []
    for number in range(trials):
        study.sampler = samplers[number % workers]
        trial = study.ask()
        values.append(trial.suggest_float("learning_rate", 3e-4, 5e-3, log=True))
        study.tell(trial, values[-1])
    return values


def test_workers_sharing_a_study_draw_apart_and_a_study_repeats():
    assert len(set(draws(lambda: optuna.samplers.TPESampler(seed=0)))) == 3  # one seed everywhere: each pair alike
    assert len(set(draws(lambda: TrialSeededSampler(0)))) == 6
    assert draws(lambda: TrialSeededSampler(0)) == draws(lambda: TrialSeededSampler(0), workers=1)
    assert draws(lambda: TrialSeededSampler(0)) != draws(lambda: TrialSeededSampler(1))


class FakeTrial:
    def __init__(self, prune_at=None):
        self.reported, self.prune_at = [], prune_at

    def report(self, value, step):
        self.reported.append((step, value))

    def should_prune(self):
        return self.reported[-1][0] == self.prune_at if self.reported else False


@pytest.mark.parametrize("losses, prune_at, reported, stopped_at", [
    ([0.5, 0.4, 0.3], None, [(0, 0.5), (1, 0.4), (2, 0.3)], None),
    ([0.5, 0.4, 0.3], 1, [(0, 0.5), (1, 0.4)], 2),
    ([0.5, float("nan")], None, [(0, 0.5)], 2),  # diverged: stopped, the NaN not reported
])  # fmt: skip
def test_each_epoch_is_reported_and_a_pruned_or_diverged_trial_stops(losses, prune_at, reported, stopped_at):
    callback = tuning._ReportToTrial(FakeTrial(prune_at))
    callback.set_model(types.SimpleNamespace(stop_training=False))
    for epoch, loss in enumerate(losses):
        if not callback.model.stop_training:
            callback.on_epoch_end(epoch, {"val_loss": loss})
    assert callback.trial.reported == reported and callback.stopped_at == stopped_at
    assert callback.model.stop_training == (stopped_at is not None)


def search():
    return Search(BASELINE_RECIPE, ("learning_rate",), seed=0)


@pytest.mark.filterwarnings("ignore:Heartbeat of storage")
def test_a_dead_workers_trial_is_failed_and_replaced(tmp_path):
    url = f"sqlite:///{tmp_path / 'study.db'}"
    stale = []
    study = open_study("s", url, search(), heartbeat=1, on_stale=lambda study, trial: stale.append(trial.number))
    study.optimize(lambda trial: trial.suggest_float("x", 0, 1), n_trials=1)
    dead = study.ask()  # a worker that started trial 1, sent one heartbeat and was killed
    study._storage.record_heartbeat(dead._trial_id)
    ran = []
    run_worker(study, lambda trial: trial.suggest_float("x", 0, 1), 3, heartbeat=1,
               on_trial=lambda study, trial: ran.append(trial.number))  # fmt: skip
    assert stale == [1] and ran == [2, 3]
    assert [trial.state for trial in study.trials] == [TrialState.COMPLETE, TrialState.FAIL, *[TrialState.COMPLETE] * 2]
    assert finished_count(study) == 3
    again = open_study("s", url, search(), heartbeat=1)  # the same command once more: nothing left to run
    run_worker(again, lambda trial: pytest.fail("the study was finished"), 3, heartbeat=1)
    assert trial_counts(again) == {TrialState.COMPLETE: 3, TrialState.FAIL: 1}


@pytest.mark.filterwarnings("ignore:Heartbeat of storage")
def test_a_trial_whose_worker_died_before_its_first_heartbeat_is_failed_too(tmp_path, monkeypatch):
    """Optuna never fails a running trial without a heartbeat: a worker killed between creating its trial and the
    first beat left the other workers waiting for it for ever (seen once in CI, in test_tune_command)."""
    monkeypatch.setattr(studies, "UNBEGUN_GRACE", 0)
    url, stale, ran = f"sqlite:///{tmp_path / 'study.db'}", [], []
    study = open_study("s", url, search(), heartbeat=1, on_stale=lambda study, trial: stale.append(trial.number))
    study.optimize(lambda trial: trial.suggest_float("x", 0, 1), n_trials=1)
    study.ask()  # trial 1: created, never begun, no heartbeat
    run_worker(study, lambda trial: trial.suggest_float("x", 0, 1), 3, heartbeat=1,
               on_trial=lambda study, trial: ran.append(trial.number))  # fmt: skip
    assert stale == [1] and ran == [2, 3]
    assert [trial.state for trial in study.trials] == [TrialState.COMPLETE, TrialState.FAIL, *[TrialState.COMPLETE] * 2]


def test_a_study_made_for_another_search_is_refused(tmp_path):
    url = f"sqlite:///{tmp_path / 'study.db'}"
    open_study("s", url, search())
    with pytest.raises(UserFacingError, match=r"study 's' in .* searches another recipe \(base, fields differ\)"):
        open_study("s", url, Search(AUGMENTED_RECIPE, ("max_shift",), seed=0))


def test_a_storage_that_cannot_be_opened_is_one_line(tmp_path):
    (tmp_path / "notes.db").write_text("not a database, " * 100)
    for url, problem in [
        ("nonsense", "Could not parse SQLAlchemy URL from given URL string"),
        (f"sqlite:///{tmp_path / 'notes.db'}", "file is not a database"),
    ]:
        with pytest.raises(UserFacingError) as refused:
            open_study("s", url, search())
        assert str(refused.value).startswith(f"{url}: cannot open the study's storage (") and problem in str(
            refused.value
        )
        assert "\n" not in str(refused.value)


@pytest.mark.parametrize("arguments, message", [
    (["--trials", "0"], "trials: must be a whole number >= 1 (got 0)"),
    (["--heartbeat", "soon"], "heartbeat: cannot read 'soon' as a value"),
    (["--search", "learning_rat"], "learning_rat: not a searchable field (one of " + ", ".join(SEARCH_SPACE) + ")"),
    (["--search", "max_rotation"], "max_rotation: searched only with --augment (the baseline recipe does not distort)"),
    (["--seed", "-3"], "seed: must be a whole number >= 0 (got -3)"),
])  # fmt: skip
def test_bad_arguments_are_one_line_before_any_study_is_made(arguments, message, tmp_path, capsys):
    storage = f"sqlite:///{tmp_path / 'tune' / 'study.db'}"
    assert main(["tune", "--smoke", "--storage", storage, *arguments]) == 2
    captured = capsys.readouterr()
    assert captured.err == message + "\n" and captured.out == ""
    assert not (tmp_path / "tune").exists()


def test_write_best_must_name_a_file(tmp_path, capsys):
    assert main(["tune", "--smoke", "--storage", f"sqlite:///{tmp_path / 's.db'}", "--write-best", str(tmp_path)]) == 2
    assert capsys.readouterr().err == f"{tmp_path}: is a folder, not a file name for the best recipe\n"
    assert not (tmp_path / "s.db").exists()


def test_queued_candidates_are_each_trained_once_and_a_failed_one_again(tmp_path):
    url = f"sqlite:///{tmp_path / 'study.db'}"
    study = open_study("s", url, search())
    candidates = {"a": {"learning_rate": 0.002}, "b": {"batch_size": 64}, "c": {"epochs": 3}}
    queue_recipes(study, url, {"a": candidates["a"]})
    study.optimize(
        lambda trial: 1 / 0 if trial.user_attrs["candidate"] == "a" else 0.0, n_trials=1, catch=(ZeroDivisionError,)
    )
    queue_recipes(study, url, candidates)  # "a" failed: queued again
    queue_recipes(study, url, candidates)  # nothing new
    trained = []

    def objective(trial):
        trained.append((trial.user_attrs["candidate"], trial_recipe(trial, search())))
        return 0.0

    run_worker(study, objective, 3)
    assert sorted(trained) == sorted(
        (name, BASELINE_RECIPE.with_changes(**changes)) for name, changes in candidates.items()
    )
    assert trial_counts(study) == {TrialState.FAIL: 1, TrialState.COMPLETE: 3}


def test_the_record_holds_every_trial_once_and_names_the_best(tmp_path):
    study = open_study("s", f"sqlite:///{tmp_path / 'study.db'}", search())
    for loss in (0.3, 0.1, 0.2):
        study.optimize(lambda trial, loss=loss: trial.suggest_float("x", 0, 1) * 0 + loss, n_trials=1)
    record = study_record(study)
    assert [trial["number"] for trial in record["trials"]] == [0, 1, 2]
    assert [trial["validation_loss"] for trial in record["trials"]] == [0.3, 0.1, 0.2]
    assert record["best_trial"] == 1 and record["search"] == search().as_json() and record["study"] == "s"
