"""``python -m mnist_helpers tune``: search the recipe's fields with Optuna, in one process or many sharing a study.

The same command run in several terminals (or on several machines, with one ``--storage`` database URL) makes each
process a worker of one study; run again after a crash or Ctrl-C, it continues the study. It prints each trial it
ran, then the best recipe (``--write-best FILE`` saves it for ``train --recipe FILE``). Bad parameters, data or
storage are one line on standard error (exit 2), before anything is trained.
"""

import sys
from pathlib import Path

from .. import config
from .._support.errors import UserFacingError
from .train import EXIT_OK, EXIT_USAGE, RUNS_DIR

EXIT_INTERRUPTED = 130
DEFAULT_TRIALS, DEFAULT_HEARTBEAT = 20, 10


def add_parser(subparsers) -> None:
    """Register the ``tune`` subcommand."""
    from ..recipe import DEFAULT_SEED

    parser = subparsers.add_parser(
        "tune",
        help="search the recipe's hyperparameters (Optuna); processes and machines may share one study",
        description="Search the baseline (or augmented) recipe's fields within declared ranges, scored on "
        "validation data; the study is kept in a file or database, so workers can share it and resume it.",
    )
    parser.add_argument("--augment", action="store_true", help="search the augmented recipe, its distortions too")
    parser.add_argument(
        "--trials",
        default=DEFAULT_TRIALS,
        help=f"stop once the study holds this many finished trials, complete or pruned (default {DEFAULT_TRIALS})",
    )
    parser.add_argument("--search", nargs="+", metavar="FIELD", help="search only these recipe fields (default: all)")
    parser.add_argument("--seed", default=DEFAULT_SEED, help=f"every trial's training seed (default {DEFAULT_SEED})")
    parser.add_argument("--epochs", help="override the recipe's epoch budget")
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"a quick check, not a result: each trial trains on {config.SMOKE_TRAIN_SAMPLES:,} images for "
        f"{config.SMOKE_EPOCHS} epochs (as {config.SMOKE_ENV_VAR}=1)",
    )
    parser.add_argument("--study", help="the study's name (default: baseline or augmented, -smoke when smoke)")
    parser.add_argument(
        "--storage",
        metavar="URL",
        help="where the study is kept, the same for every worker: an SQLAlchemy URL such as sqlite:///study.db "
        "or postgresql://user@host/db (default: sqlite:///runs/tune/STUDY.db)",
    )
    parser.add_argument(
        "--heartbeat",
        default=DEFAULT_HEARTBEAT,
        metavar="SECONDS",
        help=f"a trial whose worker is silent for twice this is failed and run again (default {DEFAULT_HEARTBEAT})",
    )
    parser.add_argument("--write-best", metavar="FILE", help="save the best recipe as JSON (for train --recipe FILE)")
    parser.add_argument("--plots", metavar="DIR", help="save the optimisation history and importances there (PNG)")
    parser.add_argument("--record", metavar="FILE", help="save every trial of the study as JSON")
    parser.set_defaults(run=run)


def run(args) -> int:
    """Run this worker until the study is finished; return the exit status."""
    try:
        return tune(args.augment, args.trials, args.search, args.seed, args.epochs, args.smoke, args.study,
                    args.storage, args.heartbeat, args.write_best, args.plots, args.record)  # fmt: skip
    except UserFacingError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted (a trial under way is marked failed): the same command continues the study", file=sys.stderr)
        return EXIT_INTERRUPTED


def tune(augment, trials, search=None, seed=None, epochs=None, smoke=False, study=None, storage=None,
         heartbeat=DEFAULT_HEARTBEAT, write_best=None, plots=None, record=None) -> int:  # fmt: skip
    """Check everything, open (or make) the study, run trials until it has ``trials`` finished ones, report the best."""
    import optuna

    from .. import studies
    from .._support.artifacts import prepare_outputs_dir, save_json
    from .._support.provenance import describe_training_device
    from ..data import load_mnist
    from ..recipe import DEFAULT_SEED, ParameterError, checked_seed, recipe_for, whole
    from ..recipe_files import save_recipe
    from ..tuning import SEARCH_SPACE, Search, make_objective, searched_fields

    smoke = smoke or config.smoke_mode()
    base = recipe_for(augment, smoke=smoke, epochs=epochs)
    trials, heartbeat = whole()("trials", trials), whole()("heartbeat", heartbeat)
    unknown = [name for name in search or () if name not in SEARCH_SPACE]
    if unknown:
        raise ParameterError(f"{unknown[0]}: not a searchable field (one of {', '.join(SEARCH_SPACE)})")
    search = Search(base, searched_fields(base, search), checked_seed(DEFAULT_SEED if seed is None else seed), smoke)
    study_name = study or f"{'augmented' if base.augment else 'baseline'}{'-smoke' if smoke else ''}"
    for path, what in ((write_best, "the best recipe"), (record, "the study's record")):
        if path is not None and Path(path).is_dir():
            raise UserFacingError(f"{path}: is a folder, not a file name for {what}")
        if path is not None:
            prepare_outputs_dir(Path(path).parent)
    if plots is not None:
        prepare_outputs_dir(plots)
    data = load_mnist()
    url = storage or studies.default_storage(study_name, RUNS_DIR)
    optuna.logging.set_verbosity(optuna.logging.ERROR)  # one line per trial is ours; a failure is raised again
    opened = studies.open_study(study_name, url, search, heartbeat, on_stale=_print_stale)
    recipe_name, finished = "augmented" if base.augment else "baseline", studies.finished_count(opened)
    print(
        f"{'SMOKE ' if smoke else ''}Study {study_name!r} in {url}: {finished} of {trials} trials "
        f"finished; searching {', '.join(search.fields)} of the {recipe_name} recipe, seed {search.seed}",
        describe_training_device(),
        sep="\n",
        flush=True,
    )
    studies.run_worker(opened, make_objective(search, data), trials, heartbeat, on_trial=_print_trial)
    if not _print_summary(opened) and write_best is not None:
        raise UserFacingError(f"study {study_name!r} has no complete trial (all pruned or failed): no best recipe")
    if write_best is not None:
        written = save_recipe(studies.best_recipe(opened), write_best)
        print(f"wrote {written}: python -m mnist_helpers train --recipe {write_best}")
    for path in studies.save_study_plots(opened, plots) if plots is not None else ():
        print(f"wrote {config.shown_path(path)}")
    if record is not None:
        print(f"wrote {config.shown_path(save_json(studies.study_record(opened), record))}")
    return EXIT_OK


def _print_trial(study, trial) -> None:
    """One line for a trial this worker ran: its score or fate, and the values it drew."""
    drawn = ", ".join(f"{name}={value:.4g}" if isinstance(value, float) else f"{name}={value}"
                      for name, value in trial.params.items()) or trial.user_attrs.get("candidate", "")  # fmt: skip
    epochs = trial.user_attrs.get("epochs_run")
    if trial.state.name == "COMPLETE":
        accuracy = trial.user_attrs["val_accuracy"]
        outcome = f"validation loss {trial.value:.4f}, accuracy {accuracy:.2%} ({epochs} epoch{'s' * (epochs != 1)})"
    elif trial.state.name == "PRUNED":
        outcome = f"pruned after epoch {epochs}"
    else:
        outcome = trial.state.name.lower()
    print(f"trial {trial.number}: {outcome}: {drawn}", flush=True)


def _print_stale(study, trial) -> None:
    print(f"trial {trial.number}: failed (its worker went silent); another trial takes its place", flush=True)


def _print_summary(study) -> bool:
    """What the study holds now, and its best trial's recipe; False if no trial is complete."""
    from .. import studies

    counts = ", ".join(f"{count} {state.name.lower()}" for state, count in sorted(studies.trial_counts(study).items()))
    if not any(trial.state.name == "COMPLETE" for trial in study.get_trials(deepcopy=False)):
        print(f"Study {study.study_name!r}: {counts}; none complete", flush=True)
        return False
    best = study.best_trial
    print(
        f"Study {study.study_name!r}: {counts}. Best: trial {best.number}, validation loss {best.value:.4f}, "
        f"accuracy {best.user_attrs['val_accuracy']:.2%}",
        studies.best_recipe(study),
        sep="\n",
        flush=True,
    )
    return True
