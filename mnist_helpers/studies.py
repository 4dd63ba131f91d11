"""An Optuna study of recipes (:mod:`.tuning`) kept in a file or a database: opened safely by many workers at once,
each worker's loop, and the study's plots.

The default storage is the study's own SQLite file under ``runs/tune/`` (one command, no server); any SQLAlchemy
URL, such as ``postgresql://user@host/db``, lets workers on several machines share the study. A worker marks its
running trial alive every ``heartbeat`` seconds, so a trial whose worker died is failed after twice that and run
again elsewhere.
"""

import contextlib
import time
import warnings
from collections import Counter
from datetime import datetime, timedelta
from pathlib import Path

import optuna
import sqlalchemy
from optuna.trial import TrialState

from ._support.errors import UserFacingError, first_line
from .recipe import Recipe
from .tuning import FIXED_CHANGES, Search, TrialSeededSampler

FINISHED = (TrialState.COMPLETE, TrialState.PRUNED)
BEGUN = "begun"  # a trial's user attribute, set once its objective runs (under Optuna's heartbeat)
UNBEGUN_GRACE = 30  # s a trial may take from its creation to its first heartbeat (sampling) before it counts as dead


def default_storage(study_name: str, runs_dir) -> str:
    """The study's own SQLite file: ``sqlite:///<runs_dir>/tune/<study_name>.db``."""
    return f"sqlite:///{Path(runs_dir).resolve() / 'tune' / f'{study_name}.db'}"


def _sqlite_file(url: str):
    """The file an ``sqlite:///`` URL names (None for another database, or SQLite in memory)."""
    parsed = sqlalchemy.engine.make_url(url)
    return (
        Path(parsed.database)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:")
        else None
    )


@contextlib.contextmanager
def _creation_lock(url: str):
    """Hold a lock beside an SQLite file while this worker creates or checks the study: workers started at once on a
    new file otherwise race to create the same tables (2 of 4 processes failed so, here). Other databases: no lock."""
    path = _sqlite_file(url)
    if path is None:
        yield
        return
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes, also when the process dies
        yield


def open_study(name: str, url: str, search: Search, heartbeat=10, prune=True, on_stale=None) -> optuna.Study:
    """The study ``name`` in the storage at ``url``, made if new; refused if it was made for another search.

    ``on_stale(study, trial)`` is called for each trial this worker marks failed because its worker went silent.
    With ``prune``, the median rule: from the sixth trial on, a trial whose validation loss is worse than the median
    of the earlier trials' at the same epoch stops there (the first fifth of the epochs is never judged).
    """
    pruner = optuna.pruners.NopPruner()
    if prune:
        pruner = optuna.pruners.MedianPruner(n_startup_trials=5, n_warmup_steps=search.base.epochs // 5)
    try:
        with _creation_lock(url), warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)  # the heartbeat, since Optuna 2.9
            engine = {"connect_args": {"timeout": 60}} if _sqlite_file(url) else None  # wait for a busy file
            storage = optuna.storages.RDBStorage(
                url, engine_kwargs=engine, heartbeat_interval=heartbeat, heartbeat_stale_trial_callback=on_stale
            )
            study = optuna.create_study(storage=storage, study_name=name, direction="minimize", load_if_exists=True,
                                        sampler=TrialSeededSampler(search.seed), pruner=pruner)  # fmt: skip
            made_for = study.user_attrs.get("search")
            if made_for is None:
                study.set_user_attr("search", made_for := search.as_json())
    except (sqlalchemy.exc.SQLAlchemyError, ImportError, ValueError, OSError) as error:
        raise UserFacingError(f"{url}: cannot open the study's storage ({first_line(error)})") from None
    if made_for != search.as_json():
        changed = ", ".join(key for key in made_for if made_for[key] != search.as_json().get(key))
        raise UserFacingError(
            f"study {name!r} in {url} searches another recipe ({changed} differ): name another --study"
        )
    return study


def queue_recipes(study: optuna.Study, url: str, candidates: dict) -> None:
    """Queue a trial for each named set of recipe changes (``candidates``: name -> changes) that has none in the study
    but failed ones (a worker interrupted or killed), so that every candidate is trained once."""
    with _creation_lock(url):
        present = {trial.user_attrs.get("candidate") for trial in study.get_trials(deepcopy=False)
                   if trial.state != TrialState.FAIL}  # fmt: skip
        for name, changes in candidates.items():
            if name not in present:
                study.enqueue_trial({}, user_attrs={"candidate": name, FIXED_CHANGES: changes})


def trial_counts(study: optuna.Study) -> Counter:
    """How many of the study's trials are in each state."""
    return Counter(trial.state for trial in study.get_trials(deepcopy=False))


def finished_count(study: optuna.Study) -> int:
    """How many of the study's trials are finished: complete, or pruned."""
    counts = trial_counts(study)
    return sum(counts[state] for state in FINISHED)


def run_worker(study: optuna.Study, objective, trials: int, heartbeat=10, on_trial=None) -> None:
    """Run ``objective`` (:func:`.tuning.make_objective`) on new trials until the study has ``trials`` finished
    (complete or pruned) ones, then return.

    Trials another worker is running count as underway; when they alone would fill the study, this worker waits
    for them, and a dead worker's trial (no heartbeat for ``2 × heartbeat`` s) is marked failed and run again. Two
    workers starting their last trials at the same moment may finish one more than ``trials``. ``on_trial(study,
    trial)`` is called after each trial this worker ran.
    """

    def begun(trial):  # called inside Optuna's heartbeat: from here on a silent worker's trial goes stale
        trial.set_user_attr(BEGUN, True)
        return objective(trial)

    while True:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)
            optuna.storages.fail_stale_trials(study)
        _fail_unbegun_trials(study, heartbeat)
        counts = trial_counts(study)
        finished = sum(counts[state] for state in FINISHED)
        if finished >= trials:
            return
        if finished + counts[TrialState.RUNNING] >= trials:  # the rest are under way elsewhere
            time.sleep(heartbeat)
            continue
        study.optimize(begun, n_trials=1, callbacks=[on_trial] if on_trial else None, gc_after_trial=True)


def _fail_unbegun_trials(study: optuna.Study, heartbeat: float) -> None:
    """Fail the running trials whose worker died before the trial began (killed between Optuna creating it and its
    first heartbeat): Optuna's ``fail_stale_trials`` never fails a trial without a heartbeat, so the other workers
    would wait for it for ever. A trial counts as dead once ``2 × heartbeat`` + :data:`UNBEGUN_GRACE` s old."""
    limit = datetime.now() - timedelta(seconds=2 * heartbeat + UNBEGUN_GRACE)
    on_stale = study._storage.get_heartbeat_stale_trial_callback()
    for trial in study.get_trials(deepcopy=False, states=(TrialState.RUNNING,)):
        if BEGUN in trial.user_attrs or trial.datetime_start is None or trial.datetime_start > limit:
            continue
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # "heartbeat ... supposed to be used with Study.optimize"
                study.tell(trial.number, state=TrialState.FAIL)
        except (ValueError, RuntimeError, optuna.exceptions.UpdateFinishedTrialError):
            continue  # finished or failed by another worker meanwhile
        if on_stale is not None:
            on_stale(study, study.get_trials(deepcopy=False)[trial.number])


def best_recipe(study: optuna.Study) -> Recipe:
    """The recipe of the study's best complete trial."""
    return Recipe(**study.best_trial.user_attrs["recipe"])


def save_study_plots(study: optuna.Study, folder) -> list:
    """Save the study's optimisation history and parameter importances (Optuna's matplotlib plots) in ``folder``."""
    from optuna.visualization import matplotlib as optuna_plots

    from .plots import save_figure

    complete = [trial for trial in study.get_trials(deepcopy=False, states=(TrialState.COMPLETE,)) if trial.params]
    if len(complete) < 2:
        raise UserFacingError(f"study {study.study_name!r}: plots need two complete trials that drew values")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optuna.exceptions.ExperimentalWarning)  # the matplotlib plots, since 2.2
        history = optuna_plots.plot_optimization_history(study, target_name="validation loss").figure
        importances = optuna_plots.plot_param_importances(study, target_name="validation loss").figure
    for figure, title in ((history, "Optimisation history"), (importances, "Hyperparameter importances")):
        for where in ("center", "right"):
            figure.axes[0].set_title("", loc=where)
        figure.axes[0].set_title(f"{title}: study {study.study_name!r}, {len(study.trials)} trials", loc="left")
    folder = Path(folder)
    return [
        save_figure(history, folder / "tuning_history.png"),
        save_figure(importances, folder / "tuning_importances.png"),
    ]


def study_record(study: optuna.Study) -> dict:
    """The study as JSON-ready values: what it searches, each trial (its state, the values it drew, its score, which
    worker ran it) and the best trial's number."""
    kept = ("val_accuracy", "best_epoch", "epochs_run", "seconds", "backend", "worker", "candidate")
    trials = [{"number": trial.number, "state": trial.state.name.lower(), "params": trial.params,
               "validation_loss": trial.value,
               **{key: trial.user_attrs[key] for key in kept if key in trial.user_attrs},
               **{key: when.isoformat(timespec="seconds") for key, when in
                  (("started", trial.datetime_start), ("finished", trial.datetime_complete)) if when}}
              for trial in study.get_trials(deepcopy=False)]  # fmt: skip
    complete = [trial for trial in trials if trial["state"] == "complete"]
    best = min(complete, key=lambda trial: trial["validation_loss"])["number"] if complete else None
    return {"study": study.study_name, "search": study.user_attrs.get("search"), "trials": trials, "best_trial": best}
