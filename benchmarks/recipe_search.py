"""How the augmented recipe was chosen: candidate recipes trained once each (seed 0), scored on validation data only.

Run by hand from the repository root (not part of the test suite; about 40 minutes on JAX, 2 cores):

    KERAS_BACKEND=jax python -m benchmarks.recipe_search [--only NAME ...]

Each candidate is the augmented recipe with some fields changed, trained in a fresh process. Only the
validation split (the last 6,000 training images) is reported: the lowest validation loss picks the
recipe, and the test set plays no part. JAX was used for speed; the chosen recipe is then measured on
TensorFlow with three seeds (``python -m benchmarks.seed_accuracy --seeds 0 1 2 --augment``).
"""

import argparse
import sys

from mnist_helpers._support.artifacts import save_json
from mnist_helpers._support.fresh_process import run_fresh
from mnist_helpers.config import PROJECT_ROOT

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


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="+", metavar="NAME", help="candidates to run (default: all)")
    parser.add_argument("--output", default=RESULTS_PATH)
    args = parser.parse_args(argv)
    command = " ".join(["python -m benchmarks.recipe_search", *(argv if argv is not None else sys.argv[1:])])
    rows = {}
    for name in args.only or CANDIDATES:
        result = run_fresh("mnist_helpers.train:summary",
                           {"seed": 0, "augment": True, **CANDIDATES[name]}, echo=False)  # fmt: skip
        rows[name] = {key: result[key] for key in ("val_accuracy_at_best", "val_loss_at_best", "best_epoch",
                                                   "epochs_run", "train_seconds", "backend")}  # fmt: skip
        row = rows[name]
        print(f"{name}: validation loss {row['val_loss_at_best']:.4f}, accuracy {row['val_accuracy_at_best']:.2%}, "
              f"best epoch {row['best_epoch']}/{row['epochs_run']}", flush=True)  # fmt: skip
    save_json({"command": command, "candidates": {n: CANDIDATES[n] for n in rows}, "validation": rows}, args.output)


if __name__ == "__main__":
    main()
