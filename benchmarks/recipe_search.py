"""How the augmented recipe was chosen: candidate recipes trained once each (seed 0), scored on validation data only.

Run by hand from the repository root (not part of the test suite; about 40 minutes on JAX, 2 cores):

    KERAS_BACKEND=jax python -m benchmarks.recipe_search [--only NAME ...] [--storage URL] [--smoke]

Each candidate is the augmented recipe with some fields changed, queued as one trial of an Optuna study (the tune
command's engine, mnist_helpers.studies) kept in runs/tune/recipe-search.db: an interrupted run continues where it
stopped, and the same command in a second terminal (or on another machine, with one --storage URL) trains the next
candidate meanwhile. Nothing is pruned: each candidate trains its whole budget. Only the validation split (the
last 6,000 training images) is reported: the lowest validation loss picks the recipe, and the test set plays no
part. JAX was used for speed; the chosen recipe is then measured on TensorFlow with three seeds
(``python -m benchmarks.seed_accuracy --seeds 0 1 2 --augment``). ``--smoke`` trains each candidate on 6,000 images
for 2 epochs (a check that the search runs, in a study of its own).
"""

import argparse
import shlex
import sys

import optuna

from mnist_helpers._support.artifacts import save_json
from mnist_helpers.cli.train import RUNS_DIR
from mnist_helpers.config import PROJECT_ROOT, SMOKE_EPOCHS
from mnist_helpers.recipe import AUGMENTED_RECIPE
from mnist_helpers.studies import default_storage, open_study, queue_recipes, run_worker
from mnist_helpers.tuning import FIXED_CHANGES, Search, make_objective

RESULTS_PATH = PROJECT_ROOT / "benchmarks" / "results" / "recipe_search.json"
AFFINE = {"elastic_alpha": 0.0, "elastic_sigma": 0.0, "max_thinning": 0.0, "max_thickening": 0.0}
PENS = {"max_thinning": 0.5, "max_thickening": 1.5}
FIRST = {"dropout_rates": (0.3, 0.2), "batch_size": 128, "learning_rate": 0.001, "epochs": 45, "patience": 15}
LONG = {"batch_size": 256, "learning_rate": 0.002, "epochs": 80, "patience": 80}
# fmt: off
CANDIDATES = {  # name -> changes to the augmented recipe, in the order they were tried
    "affine only (the previous recipe)": {**FIRST, **AFFINE},
    "elastic 4/34 + pens": {**FIRST, "elastic_sigma": 4.0, "elastic_alpha": 34.0, **PENS},
    "elastic 6/34 + pens": {**FIRST, "elastic_sigma": 6.0, "elastic_alpha": 34.0, **PENS},
    "elastic 5/20 + pens": {**FIRST, "elastic_sigma": 5.0, "elastic_alpha": 20.0, **PENS},
    "elastic 6/34": {**FIRST, **AFFINE, "elastic_sigma": 6.0, "elastic_alpha": 34.0},
    "elastic 6/34 + pens, 60 epochs": {**FIRST, "elastic_sigma": 6.0, "elastic_alpha": 34.0, **PENS, "epochs": 60},
    "elastic 5/20 + pens, dropout 0.1/0.1": {**FIRST, "elastic_sigma": 5.0, "elastic_alpha": 20.0, **PENS,
                                              "dropout_rates": (0.1, 0.1)},
    "pens only": {**FIRST, **AFFINE, **PENS},
    "elastic 5/20 + pens, dropout 0.2/0.1, lr 0.002": {
        **FIRST, "elastic_sigma": 5.0, "elastic_alpha": 20.0, **PENS,
        "dropout_rates": (0.2, 0.1), "learning_rate": 0.002,
    },
    "... batches of 256, 80 epochs": {"elastic_sigma": 5.0, "elastic_alpha": 20.0, **PENS,
                                      "dropout_rates": (0.2, 0.1), **LONG},
    "... lr 0.003": {"elastic_sigma": 5.0, "elastic_alpha": 20.0, **PENS, "dropout_rates": (0.2, 0.1),
                     **LONG, "learning_rate": 0.003},
    "... batches of 512, lr 0.004, 100 epochs": {"elastic_sigma": 5.0, "elastic_alpha": 20.0, **PENS,
                                                 "dropout_rates": (0.2, 0.1), **LONG, "batch_size": 512,
                                                 "learning_rate": 0.004, "epochs": 100, "patience": 100},
    "... elastic 6/34": {"elastic_sigma": 6.0, "elastic_alpha": 34.0, **PENS, "dropout_rates": (0.2, 0.1), **LONG},
    "... dropout 0.1/0.1 (chosen)": {"elastic_sigma": 5.0, "elastic_alpha": 20.0, **PENS,
                                     "dropout_rates": (0.1, 0.1), **LONG},
    "milder: elastic 6/20, rotation 10, scale 0.1, pens 0.3/1.0, 70 epochs": {
        "elastic_sigma": 6.0, "elastic_alpha": 20.0, "max_rotation": 10.0, "max_scale": 0.1, "max_thinning": 0.3,
        "max_thickening": 1.0, "dropout_rates": (0.2, 0.1), **LONG, "epochs": 70, "patience": 70},
    "pens 0.3/1.0, 70 epochs": {"elastic_sigma": 5.0, "elastic_alpha": 20.0, "max_thinning": 0.3,
                                "max_thickening": 1.0, "dropout_rates": (0.2, 0.1), **LONG, "epochs": 70,
                                "patience": 70},
    "dropout 0.3/0.2, 70 epochs": {"elastic_sigma": 5.0, "elastic_alpha": 20.0, **PENS, "dropout_rates": (0.3, 0.2),
                                   **LONG, "epochs": 70, "patience": 70},
}
# fmt: on


def requeue(study, trial) -> None:
    """Queue again a candidate whose worker died (the study's stale-trial callback)."""
    study.enqueue_trial({}, user_attrs={key: trial.user_attrs[key] for key in ("candidate", FIXED_CHANGES)})


def report(study, trial) -> None:
    """One line per candidate this process trained."""
    name, attrs = trial.user_attrs["candidate"], trial.user_attrs
    if trial.state == optuna.trial.TrialState.COMPLETE:
        print(f"{name}: validation loss {trial.value:.4f}, accuracy {attrs['val_accuracy']:.2%}, "
              f"best epoch {attrs['best_epoch']}/{attrs['epochs_run']}", flush=True)  # fmt: skip
    else:
        print(f"{name}: {trial.state.name.lower()}", flush=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="candidates to run (default: all)")
    parser.add_argument("--output", help="the results (default benchmarks/results/recipe_search.json; smoke: runs/)")
    parser.add_argument("--storage", metavar="URL", help="the study's storage (default sqlite:///runs/tune/STUDY.db)")
    parser.add_argument("--smoke", action="store_true", help="6,000 images, 2 epochs a candidate: a check, no result")
    args = parser.parse_args(argv)
    command = shlex.join(["python", "-m", "benchmarks.recipe_search", *(argv if argv is not None else sys.argv[1:])])
    names = args.only or list(CANDIDATES)
    candidates = {name: {**CANDIDATES[name], **({"epochs": SMOKE_EPOCHS} if args.smoke else {})} for name in names}
    name = "recipe-search-smoke" if args.smoke else "recipe-search"
    url = args.storage or default_storage(name, RUNS_DIR)
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    # The candidates were tried before fading ink joined the recipe: they change the recipe without it.
    search = Search(AUGMENTED_RECIPE.with_changes(max_fading=0.0), fields=(), seed=0, smoke=args.smoke)
    study = open_study(name, url, search, prune=False, on_stale=requeue)
    queue_recipes(study, url, candidates)
    queued = {trial.user_attrs["candidate"] for trial in study.get_trials(deepcopy=False)}
    run_worker(study, make_objective(search), len(queued), on_trial=report)
    done = {
        t.user_attrs["candidate"]: t
        for t in study.get_trials(deepcopy=False, states=(optuna.trial.TrialState.COMPLETE,))
    }
    rows = {name: {"val_accuracy_at_best": done[name].user_attrs["val_accuracy"], "val_loss_at_best": done[name].value,
                   **{key: done[name].user_attrs[key] for key in ("best_epoch", "epochs_run", "backend")},
                   "train_seconds": done[name].user_attrs["seconds"]} for name in names}  # fmt: skip
    output = args.output or (RUNS_DIR / "recipe_search_smoke.json" if args.smoke else RESULTS_PATH)
    save_json({"command": command, "candidates": {n: CANDIDATES[n] for n in rows}, "validation": rows}, output)
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
